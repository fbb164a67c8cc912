"""Currency warnings from the catalog: superseded or ended sources, old ISO versions, outdated bases,
and passages that name bodies abolished or renamed in the 2025 restructuring, or merged provinces.

Used by answers, facts and drafts alike, so the three never disagree.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..domain.catalog import Catalog
from ..domain.models import CatalogEntry, CurrencyWarning, DocStatus
from ..domain.vntext import fold, parse_doc_numbers

_DISTRICT = re.compile(
    r"(ủy ban nhân dân|ubnd)\s+(cấp huyện|các huyện|huyện)|cấp huyện|phòng chuyên môn (thuộc|cấp) huyện"
    r"|huyện, thành phố|huyện, thị xã|các huyện, thành phố"
)
_TTTT = re.compile(r"sở thông tin và truyền thông|sở tt&tt|sở tttt")
_TCTDC = re.compile(r"tổng cục tiêu chuẩn đo lường chất lượng|tổng cục tđc")
_OLD_ISO = {"9001:2000", "9001:2008"}

DEFAULT_MESSAGES = {
    "district_abolished": "Từ 01/07/2025 không còn cấp huyện (chính quyền địa phương hai cấp); nhiệm vụ giao cho "
    "UBND cấp huyện hoặc phòng chuyên môn cấp huyện trong đoạn này cần xác định lại cơ quan thực hiện.",
    "renamed_body_tttt": "Từ 01/03/2025 Sở Thông tin và Truyền thông đã hợp nhất vào Sở Khoa học và Công nghệ.",
    "renamed_body_tcdc": "Tổng cục Tiêu chuẩn Đo lường Chất lượng nay là Ủy ban Tiêu chuẩn Đo lường Chất lượng "
    "Quốc gia.",
}


class CurrencyChecker:
    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self._bases_cache: dict[tuple[str, int], list[CatalogEntry]] = {}

    def _name(self, e: CatalogEntry) -> str:
        return e.display_name

    def _successor_text(self, e: CatalogEntry) -> str:
        succ = self.catalog.successors(e.id)
        return f" bởi {self._name(succ[-1])}" if succ else ""

    def entry_warnings(self, entry: CatalogEntry | None, doc_id: str | None) -> list[CurrencyWarning]:
        """Warnings about a source as a whole."""
        if entry is None:
            return []
        out: list[CurrencyWarning] = []
        name = self._name(entry)
        if entry.status == DocStatus.REPLACED:
            out.append(
                CurrencyWarning(
                    code="superseded",
                    doc_id=doc_id or entry.id,
                    message=f"{name} đã bị thay thế{self._successor_text(entry)}.",
                )
            )
        elif entry.status == DocStatus.EXPIRED:
            out.append(
                CurrencyWarning(code="expired", doc_id=doc_id or entry.id, message=f"{name} đã hết hiệu lực.")
            )
        elif entry.status == DocStatus.PERIOD_ENDED:
            period = f" {entry.period}" if entry.period else ""
            out.append(
                CurrencyWarning(
                    code="period_ended",
                    doc_id=doc_id or entry.id,
                    message=f"{name} áp dụng cho giai đoạn{period}; giai đoạn này đã kết thúc.",
                )
            )
        if entry.iso_version in _OLD_ISO and entry.status != DocStatus.IN_FORCE:
            out.append(
                CurrencyWarning(
                    code="old_iso_version",
                    doc_id=doc_id or entry.id,
                    message=f"{name} xây dựng theo TCVN ISO {entry.iso_version}; phiên bản hiện hành là "
                    "TCVN ISO 9001:2015.",
                )
            )
        for note in entry.restructuring:
            if note.code == "merged_province":
                out.append(
                    CurrencyWarning(code="merged_province", doc_id=doc_id or entry.id, message=note.message)
                )
        return out

    def bases_warnings(
        self, doc_id: str, entry: CatalogEntry | None, texts: Iterable[str]
    ) -> list[CurrencyWarning]:
        """A source built on a superseded document (QĐ 144/2006, TT 159/2010, TT 27/2011…)."""
        texts = list(texts)
        key = (doc_id, hash(tuple(texts)))  # a re-indexed document with new text is read again
        if key not in self._bases_cache:
            olds: dict[str, CatalogEntry] = {}
            for t in texts:
                for ref in parse_doc_numbers(t):
                    if not ref.is_complete:
                        continue
                    for e in self.catalog.by_ref(ref):
                        if e.status == DocStatus.REPLACED and (entry is None or e.id != entry.id):
                            olds[e.id] = e
            self._bases_cache[key] = list(olds.values())
        name = self._name(entry) if entry else "Tài liệu này"
        return [
            CurrencyWarning(
                code="superseded_basis",
                doc_id=doc_id,
                message=f"{name} viện dẫn {self._name(e)}, văn bản này đã bị thay thế"
                f"{self._successor_text(e)}.",
            )
            for e in self._bases_cache[key]
        ]

    def passage_warnings(
        self, text: str, entry: CatalogEntry | None, doc_id: str | None
    ) -> list[CurrencyWarning]:
        """Bodies that no longer exist or were renamed, named in the cited passage."""
        f = fold(text)
        out: list[CurrencyWarning] = []
        notes = {n.code: n.message for n in (entry.restructuring if entry else ())}
        if _DISTRICT.search(f):
            out.append(
                CurrencyWarning(
                    code="district_abolished",
                    doc_id=doc_id,
                    message=notes.get("district_abolished", DEFAULT_MESSAGES["district_abolished"]),
                )
            )
        if _TTTT.search(f):
            out.append(
                CurrencyWarning(
                    code="renamed_body", doc_id=doc_id, message=DEFAULT_MESSAGES["renamed_body_tttt"]
                )
            )
        if _TCTDC.search(f):
            out.append(
                CurrencyWarning(
                    code="renamed_body", doc_id=doc_id, message=DEFAULT_MESSAGES["renamed_body_tcdc"]
                )
            )
        return out

    @staticmethod
    def dedupe(warnings: Iterable[CurrencyWarning]) -> list[CurrencyWarning]:
        seen: set[tuple[str, str | None, str]] = set()
        out: list[CurrencyWarning] = []
        for w in warnings:
            key = (w.code, w.doc_id, w.message)
            if key not in seen:
                seen.add(key)
                out.append(w)
        return out
