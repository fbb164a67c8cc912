"""Verbatim quote spans (pure): sentences and clauses of a chunk, located by character offsets."""

from __future__ import annotations

import re

from ..domain.vntext import collapse_ws, fold

# a line break, or spaces after a sentence's end; not a tab: "Đào tạo nghiệp vụ … ISO 9001.<TAB>Dự kiến 01
# cuộc/năm" is one table row, and its cells answer together
_BOUNDARY = re.compile(r"\n+|(?<=[.;!?])[^\S\t\n]+(?=\S)")


def sentence_spans(text: str, max_chars: int = 600) -> list[tuple[int, int]]:
    """(start, end) offsets of sentences/lines in ``text``; long ones are cut at ``; `` or ``, ``."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for m in _BOUNDARY.finditer(text):
        spans.append((pos, m.start()))
        pos = m.end()
    spans.append((pos, len(text)))
    # "1." / "II." / "a)" at the start of a line is a list marker, not a sentence: keep it with what follows
    merged: list[tuple[int, int]] = []
    for a, b in spans:
        if merged and re.fullmatch(
            r"\s*((Điều|Mục|Chương)\s+\d+[a-z]?|\d{1,2}|[IVX]{1,5}|[a-zđ])[.)]\s*",
            text[merged[-1][0] : merged[-1][1]],
        ):
            merged[-1] = (merged[-1][0], b)
        else:
            merged.append((a, b))
    spans = merged
    out: list[tuple[int, int]] = []
    for a, b in spans:
        # trim whitespace
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if b - a < 3:
            continue
        if b - a <= max_chars:
            out.append((a, b))
            continue
        start = a
        for m in re.finditer(r"[;,]\s+", text[a:b]):
            cut = a + m.end()
            if cut - start >= max_chars // 2:
                out.append((start, a + m.start() + 1))
                start = cut
        out.append((start, b))
    return out


def sentence_containing(text: str, phrase: str) -> str | None:
    """The first sentence of ``text`` containing ``phrase`` (case/tone/whitespace-insensitive), verbatim."""
    needle = fold(collapse_ws(phrase))
    for a, b in sentence_spans(text, max_chars=100_000):
        if needle in fold(collapse_ws(text[a:b])):
            return text[a:b]
    return None
