"""Citations and placeholders of one draft.

Obligations written into drafts carry ``[n]`` pointing to the passage that states them (found through
``EvidenceLookup``); deadlines come from ``DeadlineSource`` facts. Whatever cannot be backed by a passage
becomes a visible placeholder for the officer — nothing is invented.
"""

from __future__ import annotations

from ..domain.catalog import Catalog
from ..domain.models import Citation, Fact
from ..domain.vntext import fold, nfc
from .ports import DeadlineSource, EvidenceLookup

# key → (catalog id, phrase stated verbatim in that document, what the placeholder asks for)
OBLIGATIONS: dict[str, tuple[str, str, str]] = {
    "audit_review": (
        "qd-19-2014-qd-ttg",
        "Thực hiện đánh giá nội bộ và xem xét của Lãnh đạo tối thiểu một năm một lần",
        "căn cứ đánh giá nội bộ, xem xét của lãnh đạo hằng năm",
    ),
    "update_3_months": (
        "qd-19-2014-qd-ttg",
        "chậm nhất là ba tháng kể từ khi văn bản quy phạm pháp luật có hiệu lực thi hành",
        "căn cứ thời hạn cập nhật văn bản pháp luật",
    ),
    "reannounce": (
        "qd-19-2014-qd-ttg",
        "Thực hiện công bố lại theo quy định tại Khoản 3 Điều này",
        "căn cứ công bố lại",
    ),
    "announce": (
        "qd-19-2014-qd-ttg",
        "thông báo bằng văn bản đến đơn vị chủ trì",
        "căn cứ công bố và thông báo",
    ),
    "no_certification": (
        "qd-19-2014-qd-ttg",
        "không thuê các tổ chức chứng nhận độc lập đánh giá",
        "căn cứ không thuê tổ chức chứng nhận",
    ),
    "head_confirms": (
        "qd-19-2014-qd-ttg",
        "Người đứng đầu cơ quan xác nhận hiệu lực của Hệ thống quản lý chất lượng",
        "căn cứ xác nhận hiệu lực",
    ),
    "build": (
        "qd-19-2014-qd-ttg",
        "xây dựng hệ thống văn bản, tài liệu và các quy trình xử lý công việc",
        "căn cứ xây dựng hệ thống tài liệu",
    ),
    "apply": (
        "qd-19-2014-qd-ttg",
        "Thực hiện đánh giá nội bộ, khắc phục các điểm không phù hợp",
        "căn cứ đánh giá nội bộ khi áp dụng",
    ),
    "iso_revision": (
        "qd-19-2014-qd-ttg",
        "được soát xét, thay đổi và được Bộ Khoa học và Công nghệ công bố",
        "căn cứ áp dụng phiên bản tiêu chuẩn mới",
    ),
    "head_duty": (
        "qd-19-2014-qd-ttg",
        "Xây dựng, áp dụng, duy trì và cải tiến Hệ thống quản lý chất lượng trong hoạt động của cơ quan",
        "căn cứ trách nhiệm người đứng đầu",
    ),
    "training": (
        "qd-19-2014-qd-ttg",
        "Tổ chức đào tạo cán bộ, công chức, viên chức, người lao động",
        "căn cứ đào tạo",
    ),
    "provincial_report": (
        "qd-19-2014-qd-ttg",
        "Định kỳ tháng 12 hằng năm hoặc đột xuất khi có yêu cầu, báo cáo Bộ Khoa học và Công nghệ",
        "căn cứ báo cáo hằng năm",
    ),
    "funding_sources": (
        "tt-116-2015-tt-btc",
        "Nguồn ngân sách nhà nước hàng năm",
        "nguồn kinh phí",
    ),
    "maintenance_ceiling": (
        "tt-116-2015-tt-btc",
        "mức chi tối đa 15 triệu đồng/01 năm",
        "mức chi duy trì, cải tiến",
    ),
}


def window(quote: str, phrase: str, limit: int = 320) -> str:
    """A shorter verbatim span of ``quote`` around ``phrase`` (whole words), when the quote is long."""
    if len(quote) <= limit:
        return quote
    pos = nfc(quote).lower().find(nfc(phrase).lower())
    if pos < 0:
        return quote
    spare = max(limit - len(phrase), 0)
    start = max(pos - spare // 3, 0)
    end = min(pos + len(phrase) + spare - (pos - start), len(quote))
    if start > 0:
        nxt = quote.find(" ", start, pos + 1)
        start = nxt + 1 if nxt >= 0 else start
    if end < len(quote):
        prev = quote.rfind(" ", pos + len(phrase), end)
        end = prev if prev >= 0 else end
    return quote[start:end].strip()


def placeholder(what: str) -> str:
    """The visible gap the officer fills: ``[… cán bộ điền: thời hạn báo cáo …]``."""
    return f"[… cán bộ điền: {what} …]"


class CitationBook:
    """Numbers citations in the order the draft uses them; records placeholders."""

    def __init__(self, catalog: Catalog, evidence: EvidenceLookup | None) -> None:
        self._catalog = catalog
        self._evidence = evidence
        self._cache: dict[str, Citation | None] = {}
        self.citations: list[Citation] = []
        self.placeholders: list[str] = []

    def _number(self, citation: Citation) -> int:
        for c in self.citations:
            if c.chunk_id == citation.chunk_id and c.quote == citation.quote:
                return c.n
        numbered = citation.model_copy(update={"n": len(self.citations) + 1})
        self.citations.append(numbered)
        return numbered.n

    def lookup(self, key: str) -> Citation | None:
        if key not in self._cache:
            doc_id, phrase, _ = OBLIGATIONS[key]
            found = None
            entry = self._catalog.get(doc_id)
            usable = entry is None or self._catalog.is_current(doc_id)  # never cite a superseded text
            if self._evidence is not None and usable:
                found = self._evidence.find(doc_id, phrase)
                if found is not None and fold(phrase) not in fold(found.quote):
                    found = None  # the port promises a span containing the phrase; do not trust otherwise
                elif found is not None:
                    found = found.model_copy(update={"quote": window(found.quote, phrase)})
            self._cache[key] = found
        return self._cache[key]

    def cite(self, key: str) -> str:
        """`` [n]`` for an obligation, or a placeholder asking the officer for its basis."""
        found = self.lookup(key)
        if found is None:
            return " " + self.hole(OBLIGATIONS[key][2])
        return f" [{self._number(found)}]"

    def cite_fact(self, fact: Fact) -> str:
        entry = self._catalog.get(fact.doc_id)
        citation = Citation(
            n=0,
            doc_id=fact.doc_id,
            chunk_id=fact.chunk_id,
            title=entry.title if entry else fact.doc_id,
            number=entry.number if entry else None,
            section=fact.section,
            quote=fact.quote,
        )
        return f" [{self._number(citation)}]"

    def hole(self, what: str) -> str:
        text = placeholder(what)
        if text not in self.placeholders:
            self.placeholders.append(text)
        return text


_REPORT_WORDS = ("báo cáo",)
_QMS_WORDS = ("iso", "hệ thống quản lý chất lượng", "htqlcl", "quản lý chất lượng")


def report_deadline(source: DeadlineSource | None, province: str | None) -> Fact | None:
    """The yearly ISO report deadline for the province, from the knowledge base's facts."""
    if source is None:
        return None
    best: tuple[int, Fact] | None = None
    for fact in source.deadlines(province):
        if fact.kind != "deadline" or fact.deadline is None:
            continue
        text = fold(" ".join(p for p in (fact.task or "", fact.quote) if p))
        if not any(w in text for w in _REPORT_WORDS):
            continue
        score = 2 if any(w in text for w in _QMS_WORDS) else 0
        score += 1 if fact.deadline.kind in ("yearly", "month") else 0
        if province and fact.province and fold(fact.province) == fold(province):
            score += 2
        if best is None or score > best[0]:
            best = (score, fact)
    return best[1] if best else None
