"""Sentence-level helpers for prose lines: sentence spans, bullet marks, short titles, targets, amounts.

Pure functions of the text of one line; the extractor turns what they find into facts.
"""

from __future__ import annotations

import re

from .patterns import AmountSpan

_SENT = re.compile(r"(?<=[.;!?])\s+(?=[A-ZĐÀ-Ỹ\-–+(“\"])")
BULLET = re.compile(r"^\s*(?:[-–+•*]\s*|[a-zđ]\)\s*|\d{1,2}\.\s+|[IVX]{1,5}\.\s+)*")
NO_TARGET = re.compile(r"mức chi|mức thuê|tối đa|không quá|kinh phí|ít nhất", re.IGNORECASE)
PAST = re.compile(r"KẾT QUẢ ĐẠT ĐƯỢC|THỜI GIAN QUA", re.IGNORECASE)
_TARGET_YEAR = re.compile(
    r"(?:đến|trong|năm)\s+(?:hết\s+)?(?:năm\s+)?((?:19|20)\d\d)(?:\s+và\s+((?:19|20)\d\d))?", re.IGNORECASE
)
_NOUN_END = re.compile(
    r"[,;:(]|\s(?:trên địa bàn|được|xây dựng|áp dụng|đạt|theo|thực hiện|về|cho|nhằm|tại)\s", re.IGNORECASE
)
MAX_TASK = 220


def short(text: str, limit: int = MAX_TASK) -> str:
    text = " ".join(text.split()).strip(" ,;:.-")
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def sentences(text: str) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    pos = 0
    for piece in _SENT.split(text):
        start = text.find(piece, pos)
        end = start + len(piece)
        pos = end
        stripped_l = len(piece) - len(piece.lstrip())
        stripped_r = len(piece) - len(piece.rstrip())
        if piece.strip():
            out.append((start + stripped_l, end - stripped_r))
    return out


def target_year_of(text: str, trail: str) -> int | None:
    for source in (text, trail):
        years = [int(y) for m in _TARGET_YEAR.finditer(source) for y in m.groups() if y]
        if years:
            return years[-1] if source is trail else years[0]
    return None


def noun_at(text: str, start: int) -> str | None:
    rest = text[start:].strip()
    m = _NOUN_END.search(rest)
    noun = (rest[: m.start()] if m else rest).strip(" .;,")
    return short(noun, 80) or None


def amount_purpose(text: str, amt: AmountSpan, dash_context: str) -> str:
    """What an amount is for: the clause before it, under the "-" heading of a "+" bullet ("" if none)."""
    before = text[: amt.start]
    clause = re.split(r"[:;]\s*(?=\S)", before.rstrip(" :"))[-1] if before.strip() else ""
    clause = re.sub(r"^\s*(?:mức chi tối đa|mức chi)\s*(?:cho\s+)?", "", BULLET.sub("", clause), flags=re.I)
    clause = re.sub(r"\s+(?:là|tối đa|mức chi tối đa|từ)\s*:?\s*$", "", clause.strip(), flags=re.I)
    if text.lstrip().startswith("+") and dash_context:
        clause = f"{dash_context} – {clause}"
    if len(clause.split()) < 4:
        head = re.split(r":\s*", BULLET.sub("", before))[0]
        clause = head if len(head.split()) >= len(clause.split()) else clause
    return short(f"{clause} ({amt.per})" if amt.per else clause, 200)
