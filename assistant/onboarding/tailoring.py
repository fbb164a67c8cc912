"""The province block of a lesson: deadlines and lead agencies of that province's plan (from the facts
table), next to the national rule they implement, each with its own citation and currency warnings."""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..domain.geo import find_provinces
from ..domain.models import Citation, CurrencyWarning, Fact
from ..domain.vntext import fold, strip_diacritics
from .sources import SourceResolver

# Provinces merged in 2025 whose plans in the knowledge base carry the old name (NQ 202/2025/QH15).
FORMER_NAMES: dict[str, tuple[str, ...]] = {"Khánh Hòa": ("Ninh Thuận",), "Đồng Tháp": ("Tiền Giang",)}

# National rules quoted verbatim (current texts: QĐ 19/2014/QĐ-TTg, TT 26/2014/TT-BKHCN).
NATIONAL: dict[str, tuple[str, str, str]] = {
    "report_deadline": (
        "qd-19-2014-qd-ttg",
        "Định kỳ tháng 12 hằng năm hoặc đột xuất khi có yêu cầu, báo cáo Bộ Khoa học và Công nghệ",
        "Quy định chung: Bộ, ngành, UBND cấp tỉnh báo cáo Bộ Khoa học và Công nghệ định kỳ tháng 12 hằng năm",
    ),
    "lead_agency": (
        "qd-19-2014-qd-ttg",
        "Sở Khoa học và Công nghệ là đơn vị chủ trì giúp Ủy ban nhân dân cấp tỉnh tổ chức thực hiện Quyết định này.",
        "Quy định chung: Sở Khoa học và Công nghệ là đơn vị chủ trì giúp UBND cấp tỉnh",
    ),
    "inspection": (
        "tt-26-2014-tt-bkhcn",
        "Hoạt động kiểm tra được thực hiện tối thiểu một năm một lần",
        "Quy định chung: kiểm tra việc áp dụng HTQLCL tối thiểu một năm một lần",
    ),
}
_TITLES = {"report_deadline": "Hạn báo cáo", "lead_agency": "Cơ quan chủ trì", "inspection": "Kiểm tra"}
_TOPIC_WORDS = {"report_deadline": "báo cáo", "inspection": "kiểm tra"}
_LEAD_TASK = "tổ chức thực hiện"
MAX_FACTS = 4


def canonical_province(name: str) -> str:
    found = find_provinces(name)
    return found[0] if found else name.strip()


def _about(fact: Fact, words: str) -> bool:
    text = strip_diacritics(" ".join(filter(None, [fact.task, fact.quote])))
    return strip_diacritics(words) in text


def _useful(fact: Fact) -> bool:
    """Facts that say what must be done (not a bare heading such as "2. Năm 2012 và 2013")."""
    what = fold(fact.task or fact.quote)
    if fact.deadline is not None:
        what = what.replace(fold(fact.deadline.raw), " ")
    return len(re.sub(r"^[\W\d]+", "", what).strip()) >= 20


def _line(fact: Fact) -> str:
    what = (fact.task or fact.quote).strip().rstrip(".;:")
    if len(what) > 160:
        what = what[:157].rsplit(" ", 1)[0] + "…"
    parts = []
    if fact.deadline is not None:
        parts.append(f"**{fact.deadline.raw}**")
    parts.append(what)
    line = ": ".join(parts) if len(parts) == 2 else parts[0]
    if fact.lead:
        line += f" — chủ trì: {fact.lead}"
    return line


class ProvinceTailor:
    """Builds the Markdown block; citation numbers continue after the lesson's own."""

    def __init__(self, facts, resolver: SourceResolver) -> None:
        self._facts = facts
        self._resolver = resolver

    def _provinces(self, province: str) -> list[str]:
        canon = canonical_province(province)
        return [canon, *FORMER_NAMES.get(canon, ())]

    def _deadlines(self, provinces: Sequence[str]) -> list[Fact]:
        out: dict[str, Fact] = {}
        for p in provinces:
            for f in self._facts.deadlines(province=p):
                if _useful(f):
                    out.setdefault(f.fact_id, f)
        return list(out.values())

    def _agencies(self, words: str, provinces: Sequence[str]) -> list[Fact]:
        out: dict[str, Fact] = {}
        for p in provinces:
            for f in self._facts.agencies(words, province=p):
                if f.lead and _useful(f):
                    out.setdefault(f.fact_id, f)
        return list(out.values())

    def block(
        self, province: str, blocks: Sequence[str], start_n: int
    ) -> tuple[str, list[Citation], list[CurrencyWarning]]:
        canon = canonical_province(province)
        provinces = self._provinces(province)
        citations: list[Citation] = []
        warnings: list[CurrencyWarning] = []
        lines = [f"## Riêng cho tỉnh {canon}", ""]
        if self._facts is None:
            lines.append(
                "Chức năng dữ kiện (thời hạn, cơ quan) chưa sẵn sàng nên chưa có phần riêng cho tỉnh."
            )
            return "\n".join(lines) + "\n", citations, warnings
        if len(provinces) > 1:
            lines += [
                f"Kế hoạch trong kho mang tên cũ: {', '.join(provinces[1:])} (trước khi hợp nhất năm 2025).",
                "",
            ]

        def cite_fact(fact: Fact) -> int:
            n = start_n + len(citations)
            citations.append(self._facts.citation(fact, n))
            warnings.extend(self._facts.warnings_for(fact, None))
            return n

        def cite_national(kind: str) -> str | None:
            doc_id, quote, text = NATIONAL[kind]
            found = self._resolver.resolve(doc_id, quote, start_n + len(citations))
            if found is None:
                return None
            citations.append(found)
            return f"- {text} [{found.n}]."

        deadlines = self._deadlines(provinces)
        seen: set[str] = set()
        for kind in blocks:
            section = [f"**{_TITLES[kind]}**", ""]
            national = cite_national(kind)
            if national:
                section.append(national)
            if kind == "lead_agency":
                leads: dict[str, Fact] = {}
                for f in self._agencies(_LEAD_TASK, provinces):
                    leads.setdefault(fold(f.lead or ""), f)
                picked = list(leads.values())[:MAX_FACTS]
            else:
                words = _TOPIC_WORDS[kind]
                picked = [f for f in deadlines if _about(f, words)] or self._agencies(words, provinces)
                picked = picked[:MAX_FACTS]
            picked = [f for f in picked if fold(_line(f)) not in seen]
            for f in picked:
                seen.add(fold(_line(f)))
                section.append(f"- Kế hoạch của tỉnh: {_line(f)} [{cite_fact(f)}].")
            if not picked:
                section.append(
                    f"- Kế hoạch của tỉnh {canon} trong kho không nêu riêng nội dung này; "
                    "áp dụng quy định chung ở trên."
                )
            lines += section + [""]
        others = [f for f in deadlines if fold(_line(f)) not in seen][:MAX_FACTS]
        if others:
            lines += ["**Các thời hạn khác trong kế hoạch của tỉnh**", ""]
            for f in others:
                lines.append(f"- {_line(f)} [{cite_fact(f)}].")
            lines.append("")
        if not deadlines and not any(c.doc_id not in {d for d, _, _ in NATIONAL.values()} for c in citations):
            lines.append(
                f"Kho chưa có kế hoạch ISO nào của tỉnh {canon}; hãy hỏi Sở Khoa học và Công nghệ "
                "hoặc tải kế hoạch của tỉnh lên để bổ sung."
            )
        return "\n".join(lines).rstrip() + "\n", citations, warnings
