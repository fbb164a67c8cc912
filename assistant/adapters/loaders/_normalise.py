"""Normalisation shared by every format, and the one-line form of a table row."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from ...domain.vntext import collapse_ws, nfc
from ._detect import _CONTROL_RE

_LINE_BREAKS = re.compile(r"\r\n?|[\f\v\x85\u2028\u2029]")
_BLANK_RUNS = re.compile(r"\n{3,}")


def normalise_text(text: str, fmt: str = "txt") -> str:
    """NFC, ``\\n`` line endings, no control characters, stripped lines, single blank lines."""
    text = _LINE_BREAKS.sub("\n", nfc(text))
    text = _CONTROL_RE.sub("", text)
    if fmt == "txt":
        text = join_cell_rows(text)
    strip: Callable[[str], str] = str.rstrip if fmt == "md" else _strip_line
    text = "\n".join(strip(line) for line in text.split("\n"))
    return _BLANK_RUNS.sub("\n\n", text).strip("\n")


_SEPARATOR = re.compile(r"^ *$")  # a blank line between rows; an empty cell is a lone tab, not this
MIN_TABLE_ROWS = 3
MAX_CELL_CHARS = 120


def _cells(block: list[str]) -> list[str] | None:
    """The cells of a table row written one cell a line, each cell's first line starting with a tab (a lone tab
    is an empty cell; a line without one continues the cell above); ``None`` when the block is not such a row."""
    if len(block) < 2 or not block[0].startswith("\t"):
        return None
    cells: list[str] = []
    for line in block:
        if line.startswith("\t"):
            cells.append(line.strip())
        else:
            cells[-1] = f"{cells[-1]} {line.strip()}".strip()
    if len(cells) < 2 or any(len(c) > MAX_CELL_CHARS for c in cells):
        return None
    return cells


def join_cell_rows(text: str) -> str:
    """A table a text extraction wrote one cell a line, rows parted by blank lines (the Ninh Thuận appendix:
    "\t15", "\tSở Văn hóa …", "\t", "\tX") → one tab-separated line a row ("15\tSở Văn hóa …\t\tX"), so
    an empty cell keeps the columns aligned instead of vanishing with the blank lines. Only runs of at least
    ``MIN_TABLE_ROWS`` such rows with the same number of cells are joined; the words are unchanged."""
    lines = text.split("\n")
    blocks: list[tuple[int, int]] = []  # [start, end) of each run of non-separator lines
    i = 0
    while i < len(lines):
        if _SEPARATOR.match(lines[i]):
            i += 1
            continue
        j = i
        while j < len(lines) and not _SEPARATOR.match(lines[j]):
            j += 1
        blocks.append((i, j))
        i = j
    rows = [_cells(lines[a:b]) for a, b in blocks]
    joined: dict[int, str] = {}
    k = 0
    while k < len(blocks):
        m = k
        while m < len(blocks) and rows[m] is not None and len(rows[m] or ()) == len(rows[k] or ()):
            m += 1
        # the header row may have continuation lines but has the same number of cells
        if rows[k] is not None and m - k >= MIN_TABLE_ROWS:
            for n in range(k, m):
                joined[blocks[n][0]] = "\t".join(rows[n] or ())
        k = max(m, k + 1)
    if not joined:
        return text
    out: list[str] = []
    skip = {n for a, b in blocks if a in joined for n in range(a + 1, b)}
    for n, line in enumerate(lines):
        if n in joined:
            out.append(joined[n])
        elif n not in skip:
            out.append(line)
    return "\n".join(out)


def _strip_line(line: str) -> str:
    """Strip a line, but keep the leading tabs of a tab-separated table row (empty first cells), so its
    columns stay aligned with the header row."""
    if "\t" in line.strip():
        return line.rstrip().lstrip(" ")
    return line.strip()


def _row_line(cells: Iterable[str], sep: str = " | ") -> str:
    """One table row → ``a | b | c``: empty cells dropped, adjacent duplicates (merged cells) once."""
    out: list[str] = []
    for cell in cells:
        cell = collapse_ws(cell)
        if cell and (not out or out[-1] != cell):
            out.append(cell)
    return sep.join(out)
