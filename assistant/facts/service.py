"""FactsService: deadlines, agencies, document status (doc_info), currency warnings and fact-routed answers."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any

from ..answering.currency import CurrencyChecker
from ..domain.catalog import Catalog
from ..domain.errors import NotFoundError
from ..domain.models import Answer, CatalogEntry, Citation, CurrencyWarning, Fact, Filters
from ..domain.vntext import parse_doc_numbers, strip_diacritics
from .patterns import find_amounts
from .questions import read_question
from .schedule import is_recurring

_KIND_OF_INTENT = {"deadline": "deadline", "agency": "task", "amount": "amount", "target": "target"}
_PER_INTENT = {"deadline": 3, "agency": 3, "amount": 3, "target": 4}
_YEAR = re.compile(r"\b((?:19|20)\d\d)\b")
MIN_SCORE = 0.5  # weighted share of the question's topic words a fact must contain


def _entry_brief(e: CatalogEntry) -> dict[str, Any]:
    return {"id": e.id, "number": e.number, "display_name": e.display_name, "status": e.status.value}


class FactsService:
    def __init__(self, store, catalog: Catalog) -> None:
        self.store = store
        self.catalog = catalog
        self.currency = CurrencyChecker(catalog)

    # ------------------------------------------------------------------ queries
    def deadlines(
        self,
        province: str | None = None,
        agency: str | None = None,
        date_from: dt.date | None = None,
        date_to: dt.date | None = None,
    ) -> list[Fact]:
        return self.store.deadlines(province=province, agency=agency, date_from=date_from, date_to=date_to)

    def agencies(self, task_words: str, province: str | None = None) -> list[Fact]:
        return self.store.agencies(task_words, province=province)

    def ics(self, facts: Sequence[Fact]) -> bytes:
        return ics_for(self, facts)

    def by_id(self, fact_id: str) -> Fact | None:
        return self.store.by_id(fact_id)

    def citation(self, fact: Fact, n: int) -> Citation:
        entry = self.catalog.get(fact.doc_id)
        return Citation(
            n=n,
            doc_id=fact.doc_id,
            chunk_id=fact.chunk_id,
            title=entry.title if entry else fact.doc_id,
            number=entry.number if entry else None,
            section=fact.section,
            quote=fact.quote,
        )

    def source_name(self, doc_id: str) -> str:
        entry = self.catalog.get(doc_id)
        if entry is None:
            return doc_id
        name = entry.display_name
        if not entry.number:  # a plan without a number: "Kế hoạch (Đồng Nai, 2019-2020)"
            name = f"{entry.kind.capitalize()} ({', '.join(p for p in (entry.province, entry.period) if p)})"
        elif entry.province and strip_diacritics(entry.province) not in strip_diacritics(name):
            name += f" ({entry.province})"
        return name

    # ------------------------------------------------------------------ documents
    def doc_info(self, number_or_id: str) -> dict[str, Any]:
        """What a document is, its status and successors, and which documents of the base cite it."""
        text = number_or_id.strip()
        entry = self.catalog.get(text)
        if entry is None:
            found = self.catalog.by_number(text)
            entry = found[0] if found else None
        refs = parse_doc_numbers(entry.number if entry and entry.number else text)
        citing = self.store.cited_by(refs[0].key) if refs else []
        if entry is None and not citing:
            raise NotFoundError(
                f"Không tìm thấy văn bản “{text}” trong danh mục và không tài liệu nào trong kho trích dẫn nó. "
                "Hãy kiểm tra lại số, ký hiệu (ví dụ: 19/2014/QĐ-TTg) hoặc mã văn bản."
            )
        cited_by = []
        for f in citing:
            if entry is not None and f.doc_id == entry.id:
                continue
            cited_by.append(
                {
                    "doc_id": f.doc_id,
                    "name": self.source_name(f.doc_id),
                    "section": f.section,
                    "chunk_id": f.chunk_id,
                    "quote": f.quote,
                    "ref_number": f.ref_number,
                }
            )
        info: dict[str, Any] = {"query": text, "found_in_catalog": entry is not None, "cited_by": cited_by}
        if entry is None:
            info.update({"number": refs[0].raw if refs else text, "held": False, "warnings": []})
            return info
        successors = self.catalog.successors(entry.id)
        info.update(
            {
                "id": entry.id,
                "kind": entry.kind,
                "number": entry.number,
                "title": entry.title,
                "display_name": entry.display_name,
                "issuer": entry.issuer,
                "province": entry.province,
                "issued": entry.issued.isoformat() if entry.issued else None,
                "effective": entry.effective.isoformat() if entry.effective else None,
                "period": entry.period,
                "iso_version": entry.iso_version,
                "status": entry.status.value,
                "replaces": [_entry_brief(e) for i in entry.replaces if (e := self.catalog.get(i))],
                "replaced_by": [_entry_brief(e) for i in entry.replaced_by if (e := self.catalog.get(i))],
                "successors": [_entry_brief(e) for e in successors],
                "current_successor": _entry_brief(successors[-1]) if successors else None,
                "held": bool(entry.files),
                "files": list(entry.files),
                "restructuring": [n.message for n in entry.restructuring],
                "unconfirmed": list(entry.unconfirmed),
                "notes": entry.notes,
                "warnings": [w.model_dump() for w in self.currency.entry_warnings(entry, entry.id)],
            }
        )
        return info

    # ------------------------------------------------------------------ warnings
    def warnings_for(self, fact: Fact, entry: CatalogEntry | None) -> list[CurrencyWarning]:
        """Currency warnings for one fact: its source (superseded, period ended, old ISO version, merged
        province), bodies it names that were abolished or renamed in 2025, and a superseded cited document."""
        entry = entry or self.catalog.get(fact.doc_id)
        out = list(self.currency.entry_warnings(entry, fact.doc_id))
        named = " ".join([fact.quote, fact.lead or "", *fact.cooperating])
        out += self.currency.passage_warnings(named, entry, fact.doc_id)
        if fact.kind == "legal_ref" and fact.ref_key:
            for ref in parse_doc_numbers(fact.ref_number or fact.ref_key)[:1]:
                for cited in self.catalog.by_ref(ref):
                    for w in self.currency.entry_warnings(cited, cited.id):
                        if w.code == "superseded":
                            out.append(w)
        cite = entry.id if entry else fact.doc_id
        return [
            w
            if cite in w.message
            else w.model_copy(update={"message": f"{w.message} [danh mục: {w.doc_id or cite}]"})
            for w in CurrencyChecker.dedupe(out)
        ]

    # ------------------------------------------------------------------ answers
    def answer(self, question: str, filters: Filters | None = None) -> Answer | None:
        """An answer from facts for deadline / agency / amount / target questions; ``None`` otherwise."""
        q = read_question(question)
        if not q.intents:
            return None
        asked = list(q.provinces) or list(filters.provinces if filters else ())
        province = None
        if asked:
            known = [p for a in asked if (p := self.catalog.find_province(a))]
            if not known:
                return None  # a province the base does not hold: the passage pipeline refuses
            province = known[0]
        doc_ids = set(filters.doc_ids) if filters and filters.doc_ids else None
        years = {int(y) for y in _YEAR.findall(q.topic)}
        topic = _YEAR.sub(" ", q.topic)
        picked: list[tuple[str, Fact]] = []
        for intent in q.intents:
            scored = self.store.search(_KIND_OF_INTENT[intent], topic, province)
            scored = [(s, f) for s, f in scored if doc_ids is None or f.doc_id in doc_ids]
            if years:
                scored = [(s, f) for s, f in scored if _mentions_year(f, years)]
            scored.sort(key=lambda sf: (-sf[0], 0 if sf[1].deadline and is_recurring(sf[1].deadline) else 1))
            if scored and scored[0][0] > 0:  # at least half the topic must match; keep the best matches
                scored = [(s, f) for s, f in scored if s >= max(MIN_SCORE, 0.6 * scored[0][0])]
            seen: set[str] = set()
            for _, f in scored:
                if len([1 for i, _ in picked if i == intent]) >= _PER_INTENT[intent]:
                    break
                key = f"{f.doc_id}|{_line(intent, f)}"
                if key not in seen:
                    seen.add(key)
                    picked.append((intent, f))
        if not picked:
            return None
        lines, citations, warnings = [], [], []
        for n, (intent, f) in enumerate(picked, start=1):
            line = _line(intent, f)
            lines.append(f"- {line} — {self.source_name(f.doc_id)}, mục {f.section or 'mở đầu'} [{n}]")
            quote = " ".join(f.quote.split())
            if quote and quote not in line:  # the summary line is ours; the source's own words follow it
                lines.append(f"  Nguyên văn: “{quote}”")
            citations.append(self.citation(f, n))
            warnings.extend(self.warnings_for(f, None))
        text = "Theo các tài liệu trong kho:\n" + "\n".join(lines)
        return Answer(
            answer=text,
            citations=tuple(citations),
            warnings=tuple(CurrencyChecker.dedupe(warnings)),
            route="facts",
        )


def _mentions_year(f: Fact, years: set[int]) -> bool:
    own = {
        f.target_year,
        f.deadline.year if f.deadline else None,
        f.deadline.year_end if f.deadline else None,
    }
    return bool(own & years) or any(str(y) in f.quote for y in years)


def _written_amount(f: Fact) -> str:
    for a in find_amounts(f.quote):
        if a.vnd == f.amount_vnd:
            return f.quote[a.start : a.end].strip()
    return f"{f.amount_vnd:,}".replace(",", ".") + " đồng"


def _agencies(f: Fact) -> str:
    parts = []
    if f.lead:
        parts.append(f"chủ trì: {f.lead}")
    if f.cooperating:
        parts.append(f"phối hợp: {'; '.join(f.cooperating)}")
    return "; ".join(parts)


def _short(text: str | None, limit: int = 140) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def _line(intent: str, f: Fact) -> str:
    if intent == "deadline" and f.deadline:
        who = f" ({_agencies(f)})" if _agencies(f) else ""
        return f"Thời hạn “{f.deadline.raw}”: {_short(f.task)}{who}"
    if intent == "agency":
        when = f"; thời hạn: {f.deadline.raw}" if f.deadline else ""
        return f"{_short(f.task)} — {_agencies(f)}{when}"
    if intent == "amount" and f.amount_vnd is not None:
        return f"{_written_amount(f)}: {_short(f.amount_purpose)}"
    if intent == "target" and f.target_value is not None:
        value = f"{f.target_value:g}".replace(".", ",") + ("%" if f.target_unit == "percent" else "")
        year = f" (năm {f.target_year})" if f.target_year else ""
        unit = f" {f.unit_type}" if f.unit_type else ""
        return f"{value}{unit}{year}: {_short(f.task)}"
    return _short(f.task or f.quote)


def ics_for(service: FactsService, facts: Sequence[Fact]) -> bytes:
    """``.ics`` of deadline facts with document names from the catalog."""
    from .ics import to_ics

    return to_ics(facts, service.source_name)
