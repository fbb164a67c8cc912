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
    strip: Callable[[str], str] = str.rstrip if fmt == "md" else _strip_line
    text = "\n".join(strip(line) for line in text.split("\n"))
    return _BLANK_RUNS.sub("\n\n", text).strip("\n")


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
