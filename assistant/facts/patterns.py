"""Pure recognisers for deadlines (thời hạn) and money amounts (kinh phí, mức chi).

Every recogniser returns spans of the text it was given, so callers can keep quotes verbatim.
Input is expected in NFC (the indexer normalises documents before chunking).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..domain.models import Deadline

_YEAR = r"((?:19|20)\d\d)"
_EVERY_YEAR = r"(?:hàng|hằng)\s+năm"
_ROMAN_Q = {"I": 1, "II": 2, "III": 3, "IV": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_FLAGS = re.IGNORECASE | re.UNICODE


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    deadline: Deadline


def _valid_dm(day: int, month: int) -> bool:
    return 1 <= month <= 12 and 1 <= day <= 31


def _yearly_dm(m: re.Match) -> Deadline | None:
    d, mo = int(m.group("d")), int(m.group("m"))
    return Deadline(raw=m.group(0), kind="yearly", day=d, month=mo) if _valid_dm(d, mo) else None


def _yearly_month(m: re.Match) -> Deadline | None:
    mo = int(m.group("m"))
    return Deadline(raw=m.group(0), kind="yearly", month=mo) if 1 <= mo <= 12 else None


def _quarter(m: re.Match) -> Deadline | None:
    q = _ROMAN_Q.get(m.group("q").upper())
    year = m.groupdict().get("y")
    if q is None:
        return None
    return Deadline(raw=m.group(0), kind="quarter", quarter=q, year=int(year) if year else None)


def _month_year(m: re.Match) -> Deadline | None:
    if re.search(r"ngày\s*\d{1,2}\s*$", m.string[max(0, m.start() - 12) : m.start()], re.IGNORECASE):
        return None  # "ngày 26 tháng 11 năm 2003" is a date of issue, not a month
    mo = int(m.group("m"))
    return Deadline(raw=m.group(0), kind="month", month=mo, year=int(m.group("y"))) if 1 <= mo <= 12 else None


def _date(m: re.Match) -> Deadline | None:
    d, mo, y = int(m.group("d")), int(m.group("m")), int(m.group("y"))
    return Deadline(raw=m.group(0), kind="date", day=d, month=mo, year=y) if _valid_dm(d, mo) else None


def _year(m: re.Match) -> Deadline | None:
    return Deadline(raw=m.group(0), kind="year", year=int(m.group("y")))


def _period(m: re.Match) -> Deadline | None:
    a, b = int(m.group("y")), int(m.group("y2"))
    return Deadline(raw=m.group(0), kind="period", year=a, year_end=b) if a < b else None


def _years_pair(m: re.Match) -> list[Deadline]:
    """``Năm 2012 và 2013`` → a period; ``Năm 2011`` → one year."""
    a = int(m.group("y"))
    b = m.group("y2")
    if b and int(b) > a:
        return [Deadline(raw=m.group(0), kind="period", year=a, year_end=int(b))]
    return [Deadline(raw=m.group(0), kind="year", year=a)]


# (pattern, builder); earlier patterns win on overlap.
_ALWAYS: list[tuple[re.Pattern[str], object]] = [
    (
        re.compile(rf"(?:định kỳ\s+)?{_EVERY_YEAR}\s*\(\s*trong\s+tháng\s+(?P<m>\d{{1,2}})\s*\)", _FLAGS),
        _yearly_month,
    ),
    (
        re.compile(
            rf"(?:định kỳ\s+)?{_EVERY_YEAR}\s*\(\s*(?:ngày\s*)?(?P<d>\d{{1,2}})\s*/\s*(?P<m>\d{{1,2}})\s*\)",
            _FLAGS,
        ),
        _yearly_dm,
    ),
    (
        re.compile(
            r"(?:(?:trước|chậm nhất|vào|đến)\s+(?:ngày\s+)?|ngày\s+)?(?<![\d/])(?P<d>\d{1,2})\s*/\s*(?P<m>\d{1,2})"
            rf"\s+{_EVERY_YEAR}",
            _FLAGS,
        ),
        _yearly_dm,
    ),
    (
        re.compile(
            r"(?:(?:trước|chậm nhất|vào|đến)\s+)?ngày\s+(?P<d>\d{1,2})\s+tháng\s+(?P<m>\d{1,2})\s+"
            rf"{_EVERY_YEAR}",
            _FLAGS,
        ),
        _yearly_dm,
    ),
    (
        re.compile(rf"(?:định kỳ\s+)?(?:trong\s+)?tháng\s+(?P<m>\d{{1,2}})\s+{_EVERY_YEAR}", _FLAGS),
        _yearly_month,
    ),
    (re.compile(rf"quý\s+(?P<q>IV|III|II|I|[1-4])\s+{_EVERY_YEAR}", _FLAGS), _quarter),
    (re.compile(r"quý\s+(?P<q>IV|III|II|I|[1-4])\s*(?:/|năm)\s*(?P<y>(?:19|20)\d\d)", _FLAGS), _quarter),
    (
        re.compile(
            r"(?:trước|chậm nhất|đến|hạn)\s+(?:hết\s+)?ngày\s+(?P<d>\d{1,2})\s*(?:/|tháng)\s*(?P<m>\d{1,2})\s*"
            r"(?:/|năm)\s*(?P<y>(?:19|20)\d\d)",
            _FLAGS,
        ),
        _date,
    ),
    (
        re.compile(r"(?<!ngày )(?<![\d/])tháng\s+(?P<m>\d{1,2})\s*(?:/|năm)\s*(?P<y>(?:19|20)\d\d)", _FLAGS),
        _month_year,
    ),
    (
        re.compile(r"(?:phấn đấu\s+)?đến\s+(?:hết\s+)?năm\s+(?P<y>(?:19|20)\d\d)(?!\s*[-–]\s*\d)", _FLAGS),
        _year,
    ),
    (
        re.compile(
            r"(?:trong\s+giai đoạn|(?:trong\s+)?năm)\s+(?P<y>(?:19|20)\d\d)\s*[-–]\s*(?P<y2>(?:19|20)\d\d)",
            _FLAGS,
        ),
        _period,
    ),
]

# Only inside a stated time slot ("Thời gian thực hiện: …", a table's time column, a "Năm 2011" heading).
_IN_SLOT: list[tuple[re.Pattern[str], object]] = [
    (
        re.compile(
            r"(?:trong\s+)?(?:năm|giai đoạn)\s+(?P<y>(?:19|20)\d\d)\s*[-–]\s*(?P<y2>(?:19|20)\d\d)", _FLAGS
        ),
        _period,
    ),
    (
        re.compile(
            r"(?:trong\s+)?năm\s+(?P<y>(?:19|20)\d\d)(?:\s+và\s+(?:năm\s+)?(?P<y2>(?:19|20)\d\d))?", _FLAGS
        ),
        _years_pair,
    ),
]


def find_deadlines(text: str, in_slot: bool = False) -> list[Span]:
    """Deadlines written in ``text``, in order. ``in_slot``: the text is a time slot, so bare years count."""
    spans: list[Span] = []
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return all(b <= s or a >= e for s, e in taken)

    patterns = _ALWAYS + (_IN_SLOT if in_slot else [])
    for rx, build in patterns:
        for m in rx.finditer(text):
            if not free(m.start(), m.end()):
                continue
            built = build(m)  # type: ignore[operator]
            items = built if isinstance(built, list) else [built]
            for dl in items:
                if dl is not None:
                    spans.append(Span(m.start(), m.end(), dl))
                    taken.append((m.start(), m.end()))
    spans.sort(key=lambda s: s.start)
    return spans


# --------------------------------------------------------------------------- amounts

_UNIT = {"tỷ": 1_000_000_000, "triệu": 1_000_000, "nghìn": 1_000, "ngàn": 1_000}
_NUM = r"\d+(?:[.,]\d+)*"
_AMOUNT_WORDS = re.compile(
    rf"(?<![\d.,/])(?P<a>{_NUM})(?:\s*[-–]\s*(?P<b>{_NUM}))?\s*(?P<u>tỷ|triệu|nghìn|ngàn)\s*(?:đồng|VNĐ|VND)"
    r"(?P<per>\s*/\s*(?:0?1\s+)?[^\s.;,()/]+(?:\s+(?!và\b|để\b)[^\s.;,()/]+){0,2}(?:\s*/\s*[^\s.;,()/]+)?)?",
    _FLAGS,
)
_AMOUNT_DIGITS = re.compile(r"(?<![\d.,/])(?P<a>\d{1,3}(?:\.\d{3})+|\d{4,})\s*(?:đồng|VNĐ|VND)\b", _FLAGS)


@dataclass(frozen=True)
class AmountSpan:
    start: int
    end: int
    vnd: int
    per: str  # "/01 cơ quan", "/01 năm" or ""


def _decimal(num: str) -> float | None:
    """Vietnamese decimals: ``2,5`` = 2.5; ``1.500`` = 1500 (dot groups thousands)."""
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+", num):
        return float(num.replace(".", ""))
    try:
        return float(num.replace(",", "."))
    except ValueError:
        return None


def find_amounts(text: str) -> list[AmountSpan]:
    """Money amounts in VND. A range ``2,8-7,4 triệu đồng`` gives both ends."""
    out: list[AmountSpan] = []
    taken: list[tuple[int, int]] = []
    for m in _AMOUNT_WORDS.finditer(text):
        unit = _UNIT[m.group("u").lower()]
        per = (m.group("per") or "").strip()
        for key in ("a", "b"):
            if m.group(key) is None:
                continue
            val = _decimal(m.group(key))
            if val is not None:
                out.append(AmountSpan(m.start(), m.end(), int(round(val * unit)), per))
        taken.append(m.span())
    for m in _AMOUNT_DIGITS.finditer(text):
        if any(not (m.end() <= s or m.start() >= e) for s, e in taken):
            continue
        out.append(AmountSpan(m.start(), m.end(), int(m.group("a").replace(".", "")), ""))
    out.sort(key=lambda a: a.start)
    return out


# --------------------------------------------------------------------------- targets

_PERCENT = re.compile(r"(?<![\d,.])(?P<v>\d{1,3}(?:,\d+)?)\s*%")
_COUNT = re.compile(
    r"(?<![\d,./-])(?:\d{1,3}\s*[-–]\s*)?(?P<v>\d{1,3})[^\S\t\n]+(?P<noun>lớp|khóa|khoá|cuộc|mô hình|cơ quan|đơn vị|Ủy ban nhân dân|Uỷ ban nhân dân|UBND)\b",
    re.UNICODE,
)


@dataclass(frozen=True)
class TargetSpan:
    start: int
    end: int
    value: float
    unit: str  # percent | count
    noun_start: int  # where the counted/measured noun phrase starts


def find_targets(text: str) -> list[TargetSpan]:
    out: list[TargetSpan] = []
    for m in _PERCENT.finditer(text):
        out.append(TargetSpan(m.start(), m.end(), float(m.group("v").replace(",", ".")), "percent", m.end()))
    for m in _COUNT.finditer(text):
        out.append(TargetSpan(m.start(), m.end(), float(m.group("v")), "count", m.start("noun")))
    out.sort(key=lambda t: t.start)
    return out
