"""Legal bases (Căn cứ …) of a draft, taken from the catalog and only when in force.

A basis the officer adds that the catalog knows to be superseded is replaced by its in-force successor,
with a warning saying what replaced it; one that is no longer in force with no successor is dropped.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..domain.catalog import Catalog
from ..domain.models import CatalogEntry, CurrencyWarning, DocStatus
from ..domain.vntext import fold, nfc, parse_doc_numbers

# key → document number as the catalog writes it (looked up by number, not by catalog id)
BASES: dict[str, str] = {
    "qd19": "19/2014/QĐ-TTg",
    "tt26": "26/2014/TT-BKHCN",
    "tt116": "116/2015/TT-BTC",
    "qd101": "101/QĐ-BKHCN",
    "nd30": "30/2020/NĐ-CP",
}


@dataclass(frozen=True)
class Basis:
    """Một căn cứ: the line written in the draft and the catalog entry it comes from (if any)."""

    line: str  # without the trailing ";" / "."
    entry: CatalogEntry | None


def _date_words(entry: CatalogEntry) -> str:
    d = entry.issued
    if d is None:
        return ""
    month = f"{d.month:02d}" if d.month < 3 else str(d.month)  # NĐ 30: months 1, 2 get a leading 0
    return f" ngày {d.day:02d} tháng {month} năm {d.year}"


def _summary(entry: CatalogEntry) -> str:
    """Trích yếu from the catalog title, without a repeated kind/number at its start."""
    title = nfc(entry.title).strip().rstrip(".;")
    low = fold(title)
    for prefix in (fold(entry.kind or ""), "số"):
        if prefix and low.startswith(prefix + " "):
            title = title[len(prefix) + 1 :].lstrip()
            low = fold(title)
    if entry.number and low.startswith(fold(entry.number)):
        title = title[len(entry.number) :].lstrip(" ,:-–")
    if not title:
        return ""
    first = title.split(" ", 1)[0]
    if not first.isupper():  # keep acronyms (TCVN, ISO) as written
        title = title[0].lower() + title[1:]
    return " " + title


def basis_line(entry: CatalogEntry) -> str:
    """``Căn cứ Quyết định số 19/2014/QĐ-TTg ngày 05 tháng 3 năm 2014 của Thủ tướng Chính phủ về việc …``."""
    kind = nfc(entry.kind or "văn bản").strip()
    kind = kind[0].upper() + kind[1:]
    head = f"Căn cứ {kind} số {entry.number}" if entry.number else f"Căn cứ {kind} {entry.title}"
    issuer = f" của {entry.issuer}" if entry.issuer else ""
    summary = _summary(entry) if entry.number else ""
    return f"{head}{_date_words(entry)}{issuer}{summary}"


def _current(catalog: Catalog, entry: CatalogEntry) -> tuple[CatalogEntry | None, CurrencyWarning | None]:
    """The entry itself when in force, else its in-force successor (with a warning), else None."""
    if entry.status == DocStatus.IN_FORCE:
        return entry, None
    successors = [e for e in catalog.successors(entry.id) if e.status == DocStatus.IN_FORCE]
    name = entry.display_name
    if successors:
        succ = successors[-1]
        return succ, CurrencyWarning(
            code="basis_replaced",
            message=(
                f"{name} không còn hiệu lực ({entry.status.value}) nên không dùng làm căn cứ; "
                f"đã thay bằng {succ.display_name}."
            ),
            doc_id=entry.id,
        )
    return None, CurrencyWarning(
        code="basis_dropped",
        message=(
            f"{name} không còn hiệu lực ({entry.status.value}) và danh mục không có văn bản thay thế; "
            "đã bỏ khỏi phần căn cứ."
        ),
        doc_id=entry.id,
    )


def _by_number(catalog: Catalog, number: str) -> CatalogEntry | None:
    found = catalog.by_number(number)
    return found[0] if found else None


def _shorten_repeats(out: list[Basis]) -> list[Basis]:
    """NĐ 30: a document cited in full once is named later by kind and number only."""
    shortened: list[Basis] = []
    for i, basis in enumerate(out):
        line = basis.line
        for earlier in out[:i]:
            number = earlier.entry.number if earlier.entry else None
            idx = line.find(number) if number else -1
            if number and idx > len("Căn cứ ") and line[idx + len(number) :].startswith(" ngày"):
                line = line[: idx + len(number)]
        shortened.append(Basis(line, basis.entry))
    return shortened


def _match_extra(catalog: Catalog, text: str) -> CatalogEntry | None:
    """The catalog entry an officer's basis names. Local administrative numbers (``3504/QĐ-UBND``)
    repeat across provinces, so they match only an entry whose province the text also names."""
    refs = parse_doc_numbers(text)
    if not refs:
        return None
    for entry in catalog.by_ref(refs[0]):
        if refs[0].year is None and (refs[0].issuer or "").split("-")[0] in ("ubnd", "hdnd", ""):
            if not entry.province or fold(entry.province) not in fold(text):
                continue
        return entry
    return None


_NOT_IN_FORCE = (DocStatus.REPLACED, DocStatus.EXPIRED, DocStatus.PERIOD_ENDED)


def build_bases(
    catalog: Catalog, keys: tuple[str, ...], extra: list[str]
) -> tuple[list[Basis], list[CurrencyWarning]]:
    """Căn cứ lines: the kind's standard bases, then the officer's extra ones, each at most once."""
    out: list[Basis] = []
    warnings: list[CurrencyWarning] = []
    seen: set[str] = set()

    def add_entry(entry: CatalogEntry) -> None:
        current, warning = _current(catalog, entry)
        if warning:
            warnings.append(warning)
        if current is not None and current.id not in seen:
            seen.add(current.id)
            out.append(Basis(basis_line(current), current))

    for key in keys:
        entry = _by_number(catalog, BASES[key])
        if entry is None:
            warnings.append(
                CurrencyWarning(
                    code="basis_missing",
                    message=f"Danh mục văn bản không có {BASES[key]}; chưa đưa vào phần căn cứ, cán bộ kiểm tra lại.",
                )
            )
            continue
        add_entry(entry)

    for raw in extra:
        text = nfc(raw).strip().rstrip(";.").strip()
        if not text:
            continue
        entry = _match_extra(catalog, text)
        if entry is not None and (entry.status in _NOT_IN_FORCE or entry.status == DocStatus.IN_FORCE):
            add_entry(entry)
            continue
        if entry is not None:  # status unknown: keep the officer's words, ask them to check
            warnings.append(
                CurrencyWarning(
                    code="basis_unverified",
                    message=f"Danh mục chưa xác định hiệu lực của {entry.display_name}; cán bộ kiểm tra trước khi dùng làm căn cứ.",
                    doc_id=entry.id,
                )
            )
        if not fold(text).startswith("căn cứ"):
            text = "Căn cứ " + text
        if text not in {b.line for b in out}:
            out.append(Basis(text, None))
    return _shorten_repeats(out), warnings


def punctuate(lines: list[str]) -> list[str]:
    """NĐ 30 Phụ lục I: each basis ends with ``;``, the last one with ``.``."""
    return [line + (";" if i < len(lines) - 1 else ".") for i, line in enumerate(lines)]
