"""Vietnamese text handling — the one pure module used by the indexer and the query path.

- ``nfc``: Unicode NFC (some files are NFD).
- ``fold``: NFC + lower case + one tone-mark placement (``hoà``/``hòa`` → ``hòa``, ``uỷ``/``ủy`` → ``ủy``).
- ``strip_diacritics``: the accent-free form, for queries typed without diacritics.
- ``parse_doc_numbers``: document numbers in any spelling → ``DocRef`` with one canonical ``key``.

The original text is always what users see; folded forms are for matching only.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_COMBINING = re.compile(r"[\u0300-\u036f]")

# Old-style placement (mark on the second vowel of oa/oe/uy at syllable end) → mark on the first.
# Both spellings are in use; folding makes them match. Applied only at the end of a syllable.
_TONE_PAIRS = {
    "oà": "òa",
    "oá": "óa",
    "oả": "ỏa",
    "oã": "õa",
    "oạ": "ọa",
    "oè": "òe",
    "oé": "óe",
    "oẻ": "ỏe",
    "oẽ": "õe",
    "oẹ": "ọe",
    "uỳ": "ùy",
    "uý": "úy",
    "uỷ": "ủy",
    "uỹ": "ũy",
    "uỵ": "ụy",
}
_TONE_RE = re.compile(r"(?<![qQ])(" + "|".join(_TONE_PAIRS) + r")(?![\w])")


def nfc(text: str) -> str:
    """Unicode NFC; also turns non-breaking spaces into spaces and drops zero-width/BOM characters."""
    text = unicodedata.normalize("NFC", text)
    return text.replace("\u00a0", " ").replace("\ufeff", "").replace("\u200b", "")


def fold(text: str) -> str:
    """NFC, lower case, one tone-mark placement. Keeps diacritics."""
    text = nfc(text).lower()
    return _TONE_RE.sub(lambda m: _TONE_PAIRS[m.group(1)], text)


def strip_diacritics(text: str) -> str:
    """Accent-free lower-case form: ``Quản lý chất lượng`` → ``quan ly chat luong``."""
    text = unicodedata.normalize("NFD", nfc(text).lower())
    text = _COMBINING.sub("", text)
    return text.replace("đ", "d")


def has_diacritics(text: str) -> bool:
    """True when the text carries any Vietnamese diacritic (including đ)."""
    low = nfc(text).lower()
    return strip_diacritics(low) != unicodedata.normalize("NFC", low)


_WORD_RE = re.compile(r"\w+(?:[&]\w+)?", re.UNICODE)


def syllables(text: str) -> list[str]:
    """Folded syllable tokens (``KH&CN`` stays one token)."""
    return _WORD_RE.findall(fold(text))


def collapse_ws(text: str) -> str:
    """Collapse runs of whitespace to one space (for quote matching)."""
    return re.sub(r"\s+", " ", text).strip()


# --------------------------------------------------------------------------- document numbers

_TYPE_CODES = {
    "qd": "QĐ",
    "tt": "TT",
    "nd": "NĐ",
    "nq": "NQ",
    "kh": "KH",
    "ct": "CT",
    "tb": "TB",
    "hd": "HD",
    "bc": "BC",
    "ttr": "TTr",
    "ttlt": "TTLT",
    "cv": "CV",
}
# words users type for a type, in accent-free form
_TYPE_WORDS = {
    "quyet dinh": "qd",
    "thong tu": "tt",
    "nghi dinh": "nd",
    "nghi quyet": "nq",
    "ke hoach": "kh",
    "chi thi": "ct",
    "thong bao": "tb",
    "huong dan": "hd",
    "cong van": "cv",
}


_DISPLAY = {"qd": "QĐ", "nd": "NĐ", "ttg": "TTg"}


@dataclass(frozen=True)
class DocRef:
    """Số/ký hiệu văn bản đã chuẩn hoá. Missing parts are ``None`` (loose spellings)."""

    number: str
    year: int | None = None
    type: str | None = None  # accent-free lower: qd, tt, nd, kh…; None for a công văn
    issuer: str | None = None  # accent-free lower: ttg, bkhcn, btc, ubnd, cp…
    raw: str = ""

    @property
    def key(self) -> str:
        """Canonical key: ``19/2014/qd-ttg``, ``310/kh-ubnd``, ``3003/bkhcn``, ``tt-26``."""
        parts = [self.number]
        if self.year:
            parts.append(str(self.year))
        tail = "-".join(p for p in (self.type, self.issuer) if p)
        if tail:
            if len(parts) == 1 and not self.issuer:
                return f"{tail}-{self.number}"
            parts.append(tail)
        return "/".join(parts)

    @property
    def display(self) -> str:
        """The number as documents write it (``01/2010/TT-BKHCN``, ``19/2014/QĐ-TTg``) when its type and issuer
        are known; else as the user typed it."""
        if not (self.type and self.issuer):
            return self.raw.strip() or self.key
        tail = "-".join(_DISPLAY.get(p, p.upper()) for p in (self.type, self.issuer))
        return "/".join([self.number, *([str(self.year)] if self.year else []), tail])

    @property
    def is_complete(self) -> bool:
        return bool(self.issuer)

    def matches(self, other: DocRef) -> bool:
        """Same number, and every part both sides know agrees."""
        if self.number.lstrip("0") != other.number.lstrip("0"):
            return False
        for a, b in ((self.year, other.year), (self.type, other.type), (self.issuer, other.issuer)):
            if a is not None and b is not None and a != b:
                return False
        return True


_L = r"[A-Za-zĐđ&]"
# 19/2014/QĐ-TTg, 30/2020/NĐ-CP, 116/2015/tt-btc, QĐ19/2014/QD-TTg
_FULL = re.compile(
    rf"(?<![\w/])(?:{_L}+\s*)?(\d{{1,5}}[a-z]?)\s*/\s*((?:19|20)\d\d)\s*/\s*({_L}+)\s*-\s*({_L}+(?:-{_L}+)?)"
)
# 202/2025/QH15 (Quốc hội: no dash)
_QH = re.compile(r"(?<![\w/])(\d{1,5})\s*/\s*((?:19|20)\d\d)\s*/\s*(QH\d{1,2})(?![\w/])", re.IGNORECASE)
# nđ-cp 30/2020, QĐ-TTg 19/2014 (type and issuer written before the number)
_PREFIXED = re.compile(
    rf"(?<![\w/])({_L}{{2,3}})\s*-\s*({_L}{{2,5}})\s+(?:số\s+)?(\d{{1,5}})\s*/\s*((?:19|20)\d\d)(?![\w/])"
)
# 310/KH-UBND, 37/QĐ-UBND, 101/QĐ-BKHCN, 8869/VPCP-KSTT
_ADMIN = re.compile(rf"(?<![\w/])(\d{{1,5}}[a-z]?)\s*/\s*({_L}{{2,}})\s*-\s*({_L}+(?:-{_L}+)?)(?![\w/])")
# 3003/BKHCN, 05/BNV-VP handled by _ADMIN when there is a dash
_CV = re.compile(r"(?<![\w/])(\d{1,5})\s*/\s*([A-ZĐ][A-ZĐa-z&]{2,})(?![\w/-])")
# qd 19/2014, QĐ19, TT26, nđ 30/2020, thông tư 26/2014
_LOOSE = re.compile(
    r"(?<![\w/])(qd|tt|nd|nq|kh|ct|quyet dinh|thong tu|nghi dinh|nghi quyet|ke hoach|chi thi)"
    r"[ \t]*(?:so[ \t]*)?[-.]?[ \t]*(\d{1,5})(?:[ \t]*/[ \t]*((?:19|20)\d\d))?(?![\w/])"
)


def _code(s: str) -> str:
    return strip_diacritics(s).replace(" ", "")


def parse_doc_numbers(text: str) -> list[DocRef]:
    """All document numbers in ``text``, in order of appearance, duplicates removed."""
    found: list[tuple[int, DocRef]] = []
    spans: list[tuple[int, int]] = []
    src = nfc(text)

    def free(a: int, b: int) -> bool:
        return all(b <= s or a >= e for s, e in spans)

    for m in _FULL.finditer(src):
        num, year, typ, iss = m.groups()
        found.append((m.start(), DocRef(num, int(year), _code(typ), _code(iss), m.group(0).strip())))
        spans.append(m.span())
    for m in _QH.finditer(src):
        num, year, iss = m.groups()
        found.append((m.start(), DocRef(num, int(year), None, _code(iss), m.group(0))))
        spans.append(m.span())
    for m in _PREFIXED.finditer(src):
        if not free(*m.span()):
            continue
        typ, iss, num, year = m.groups()
        if _code(typ) in _TYPE_CODES:
            found.append((m.start(), DocRef(num, int(year), _code(typ), _code(iss), m.group(0))))
            spans.append(m.span())
    for m in _ADMIN.finditer(src):
        if not free(*m.span()):
            continue
        num, typ, iss = m.groups()
        t = _code(typ)
        if t in _TYPE_CODES:
            ref = DocRef(num, None, t, _code(iss), m.group(0))
        else:  # "05/BNV-VP", "8869/VPCP-KSTT": a công văn whose issuer has a dash
            ref = DocRef(num, None, None, _code(typ) + "-" + _code(iss), m.group(0))
        found.append((m.start(), ref))
        spans.append(m.span())
    for m in _CV.finditer(src):
        if not free(*m.span()):
            continue
        num, iss = m.groups()
        found.append((m.start(), DocRef(num, None, None, _code(iss), m.group(0))))
        spans.append(m.span())
    plain = strip_diacritics(src)  # same length as src for Vietnamese text (NFC → 1 char each)
    if len(plain) == len(src):
        for m in _LOOSE.finditer(plain):
            if not free(*m.span()):
                continue
            word, num, year = m.groups()
            typ = _TYPE_WORDS.get(word, word)
            found.append(
                (m.start(), DocRef(num, int(year) if year else None, typ, None, src[m.start() : m.end()]))
            )
            spans.append(m.span())
    found.sort(key=lambda x: x[0])
    out: list[DocRef] = []
    seen: set[str] = set()
    for _, ref in found:
        if ref.key not in seen:
            seen.add(ref.key)
            out.append(ref)
    return out


def doc_key(number: str) -> str | None:
    """Canonical key of one number written alone (``"19/2014/QĐ-TTg"`` → ``"19/2014/qd-ttg"``)."""
    refs = parse_doc_numbers(number)
    return refs[0].key if refs else None
