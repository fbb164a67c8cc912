"""Table rows read with their column headers (pure). A row quoted alone ("6	Sở Y tế	-	X") does not say what
its "X" means; the table's header row ("STT	Tên cơ quan thực hiện	Mở rộng phạm vi áp dụng	Duy trì, cải tiến")
does, so the answer shows each cell under its column's name. The quote itself stays verbatim."""

from __future__ import annotations

from collections.abc import Iterable
from itertools import zip_longest

MAX_HEADER_CELL = 60


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.split("\t")]


def header_row(texts: Iterable[str]) -> list[str] | None:
    """The first tab-separated line of ``texts`` (a table's chunks, in document order) that reads as a header:
    every cell filled, short, and none a bare number. ``None`` when a table has a header on several rows (a
    first row with empty, merged cells) or no tab-separated line."""
    for text in texts:
        for line in text.split("\n"):
            if "\t" not in line.strip():
                continue
            cells = _cells(line)
            if all(cells) and all(len(c) <= MAX_HEADER_CELL and not c.rstrip(".").isdigit() for c in cells):
                return cells
            return None  # the table's first row is not a one-row header
    return None


def with_columns(quote: str, header: list[str]) -> str:
    """``quote`` with each of its table rows written as "column: cell; …" (an empty cell as "(trống)"); lines
    that are not rows of this table (other cell counts, no tab) are kept as they are."""
    out: list[str] = []
    for line in quote.split("\n"):
        cells = _cells(line) if "\t" in line.strip() else []
        if cells == header:
            out.append(" | ".join(cells))
            continue
        if len(cells) < 2 or len(cells) > len(header):
            out.append(line)
            continue
        # a row's trailing empty cells are lost with the line's trailing tabs: they are the last columns
        out.append("; ".join(f"{h}: {c or '(trống)'}" for h, c in zip_longest(header, cells, fillvalue="")))
    return "\n".join(out)
