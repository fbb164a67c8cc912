"""Table rows read with their column headers (pure). A row quoted alone ("6	Sở Y tế	-	X") does not say what
its "X" means; the table's header row ("STT	Tên cơ quan thực hiện	Mở rộng phạm vi áp dụng	Duy trì, cải tiến")
does, so the answer shows each cell under its column's name. The quote itself stays verbatim."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import zip_longest

from ..domain.vntext import strip_diacritics
from .terms import TOKEN

MAX_HEADER_CELL = 60


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.split("\t")]


def row_name(cells: Iterable[str]) -> str:
    """The name a table row is about: its longest cell that is not a number ("UBND Huyện Thuận Nam")."""
    named = [c for c in cells if c and not c.rstrip(".").isdigit()]
    return max(named, key=len) if named else ""


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


# ---------------------------------------------------------------------------------------------- rows of a kind
# "UBND huyện nào phải mở rộng phạm vi?", "có bao nhiêu UBND phường, là những phường nào?": a question about the
# rows of a list whose names share a kind of body is answered by those rows, each under its column names.
# Kinds, accent-free, the longer first ("thi xa" before "xa").
KINDS = (
    "thanh pho",
    "thi xa",
    "thi tran",
    "chi cuc",
    "benh vien",
    "trung tam",
    "huyen",
    "phuong",
    "xa",
    "so",
    "ban",
)
_KIND_RX = "|".join(k.replace(" ", r"\s") for k in KINDS)
# the kind asked: "huyện nào", "sở, ban nào", "bao nhiêu UBND phường", "những thị trấn nào"
_ASKED_KIND = re.compile(
    rf"\b(?:bao nhieu|may|nhung)\s+(?:(?:ubnd|uy ban nhan dan)\s+)?({_KIND_RX})\b"
    rf"|\b({_KIND_RX})((?:\s*(?:,|va)\s*(?:{_KIND_RX}))*)\s+nao\b"
)
MARKS = frozenset({"x"})  # a marked cell; "-", "–" and empty cells are not
MAX_ROWS = 20  # more rows of the kind than this: only those marked in the asked column


def asked_kinds(question: str) -> list[str]:
    """The kinds of body a question asks to list ("UBND huyện nào" → ["huyen"]; "những sở, ban nào" →
    ["so", "ban"]), accent-free; [] when it asks for no list of a kind."""
    plain = re.sub(r"\s*,\s*", " , ", strip_diacritics(question))
    plain = " ".join(re.findall(r"\w+|,", plain))
    out: list[str] = []
    for m in _ASKED_KIND.finditer(plain):
        found = [m.group(1)] if m.group(1) else [m.group(2), *re.findall(_KIND_RX, m.group(3) or "")]
        for k in found:
            k = " ".join(k.split())
            if k not in out:
                out.append(k)
    return out


def row_kind(name: str) -> str | None:
    """The kind of body a row names: "UBND Huyện Ninh Sơn" → "huyen", "Sở Y tế" → "so"."""
    words = TOKEN.findall(strip_diacritics(name))
    if words[:1] == ["ubnd"]:
        words = words[1:]
    elif words[:4] == ["uy", "ban", "nhan", "dan"]:
        words = words[4:]
    text = " ".join(words)
    return next((k for k in KINDS if text == k or text.startswith(k + " ")), None)


@dataclass(frozen=True)
class Row:
    chunk_index: int  # which of the table's chunks
    start: int  # the row's offsets in that chunk's text
    end: int
    cells: tuple[str, ...]  # aligned with the header (missing trailing cells are empty)

    @property
    def name(self) -> str:
        return row_name(self.cells)


def table_rows(texts: Sequence[str], header: list[str]) -> list[Row]:
    """The data rows of a table split over ``texts`` (its chunks in order): tab-separated lines with as many
    cells as the header or fewer, other than the header itself."""
    out: list[Row] = []
    for i, text in enumerate(texts):
        pos = 0
        for line in text.split("\n"):
            start, pos = pos, pos + len(line) + 1
            if "\t" not in line.strip():
                continue
            cells = _cells(line)
            if cells == header or len(cells) > len(header) or len(cells) < 2:
                continue
            lead = len(line) - len(line.lstrip())
            out.append(
                Row(
                    i,
                    start + lead,
                    start + len(line.rstrip()),
                    tuple(cells + [""] * (len(header) - len(cells))),
                )
            )
    return out


_NO_MARK = frozenset({"", "-", "–"})


def asked_column(question: str, header: list[str], rows: Sequence[Row]) -> int | None:
    """The column of marks a question names ("… phải mở rộng phạm vi áp dụng" → the "Mở rộng phạm vi áp
    dụng" column): its first three words, accent-free, in the question. A column of names or numbers ("Tên
    cơ quan thực hiện") is not one, whatever the question says."""
    plain = f" {' '.join(TOKEN.findall(strip_diacritics(question)))} "
    for i, h in enumerate(header):
        words = TOKEN.findall(strip_diacritics(h))[:3]
        marks_only = all(r.cells[i].lower() in MARKS | _NO_MARK for r in rows)
        if len(words) >= 2 and f" {' '.join(words)} " in plain and marks_only:
            return i
    return None


def rows_of_kinds(rows: Sequence[Row], kinds: Sequence[str], column: int | None) -> list[Row]:
    """The rows whose name is of one of ``kinds``; when there are more than ``MAX_ROWS`` and a column is asked,
    only those marked in it."""
    picked = [r for r in rows if row_kind(r.name) in kinds]
    if len(picked) > MAX_ROWS and column is not None:
        picked = [r for r in picked if r.cells[column].lower() in MARKS]
    return picked if len(picked) <= MAX_ROWS else []


def row_quotes(texts: Sequence[str], header: list[str], every: Sequence[Row], rows: Sequence[Row]):
    """(chunk index, verbatim quote, shown text) for ``rows``: one quote per run of consecutive rows of one
    chunk, shown under the column names without the blank lines between rows."""
    position = {id(r): n for n, r in enumerate(every)}
    runs: list[list[Row]] = []
    for row in rows:
        last = runs[-1][-1] if runs else None
        if last and last.chunk_index == row.chunk_index and position[id(last)] + 1 == position[id(row)]:
            runs[-1].append(row)
        else:
            runs.append([row])
    out: list[tuple[int, str, str]] = []
    for run in runs:
        quote = texts[run[0].chunk_index][run[0].start : run[-1].end]
        shown = "\n".join(x for x in with_columns(quote, header).split("\n") if x.strip())
        out.append((run[0].chunk_index, quote, shown))
    return out


def rows_summary(rows: Sequence[Row], header: list[str], column: int | None) -> str:
    """ "Tổng cộng 6 dòng như trên. Có đánh dấu ở cột “…”: …" (Vietnamese, for the answer)."""
    summary = f"Tổng cộng {len(rows)} dòng như trên."
    if column is None:
        return summary
    marked = [x.name for x in rows if x.cells[column].lower() in MARKS]
    if marked:
        return f"{summary} Có đánh dấu ở cột “{header[column]}”: {', '.join(marked)}."
    return f"{summary} Không dòng nào trong số đó có đánh dấu ở cột “{header[column]}”."
