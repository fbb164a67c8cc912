"""Appendix tables with tab-separated rows (Hà Tĩnh's "Nhiệm vụ cụ thể và lộ trình chi tiết").

The header row names the columns (Nhiệm vụ, Cơ quan chủ trì, Cơ quan phối hợp, Thời gian hoàn thành, Kinh
phí); a row of years names the target columns. Rows numbered "2" with sub-rows "-" form a group.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .agencies import agency_list_at, split_agency_cell

_HEADERS = {
    "task": re.compile(r"^(?:Nhiệm vụ|Nội dung)", re.I),
    "lead": re.compile(r"^(?:Cơ quan|Đơn vị)\s+chủ trì", re.I),
    "coop": re.compile(r"^(?:Cơ quan|Đơn vị)\s+phối hợp", re.I),
    "time": re.compile(r"^(?:Thời gian|Thời hạn)", re.I),
    "money": re.compile(r"^Kinh phí", re.I),
}


@dataclass
class TableState:
    cols: dict[str, int] = field(default_factory=dict)
    years: dict[int, int] = field(default_factory=dict)  # column → year
    parent: str | None = None


@dataclass(frozen=True)
class Row:
    task: str
    sub: str | None  # sub-row name ("Bệnh viện công lập") = unit type of its targets
    lead: tuple[str, ...]
    coop: tuple[str, ...]
    time: str
    year_cells: tuple[tuple[int, str], ...]  # (year, cell text)


def agencies_in_cell(cell: str) -> list[str]:
    out: list[str] = []
    for part in split_agency_cell(cell):
        names, _end = agency_list_at(part, 0)
        if names:
            out.extend(names)
        elif re.match(r"(?-i:[A-ZĐ])", part) and len(part.split()) <= 8:
            out.append(part)
    return out


def read_row(line: str, state: TableState) -> Row | None:
    """Update ``state`` with header rows; return a data row, or ``None``."""
    if "\t" not in line:
        return None
    cells = [c.strip() for c in line.split("\t")]
    if any(_HEADERS["lead"].match(c) for c in cells):
        state.cols = {}
        for i, c in enumerate(cells):
            for key, rx in _HEADERS.items():
                if rx.match(c) and key not in state.cols:
                    state.cols[key] = i
        return None
    if not state.cols:
        return None
    years = {i: int(c) for i, c in enumerate(cells) if re.fullmatch(r"(?:19|20)\d\d", c)}
    if len(years) >= 2:
        state.years = years
        return None
    if len(cells) < 2 or not cells[1] or not re.fullmatch(r"\d{1,2}|-|", cells[0]):
        return None

    def cell(key: str) -> str:
        i = state.cols.get(key)
        return cells[i] if i is not None and i < len(cells) else ""

    if cells[0].isdigit():
        state.parent = cells[1]
    if cells[0] == "-" and state.parent:
        task, sub = f"{state.parent.rstrip(':')}: {cells[1]}", cells[1].rstrip(".")
    else:
        task, sub = cells[1], None
    lead, coop, money = agencies_in_cell(cell("lead")), agencies_in_cell(cell("coop")), cell("money")
    if not coop and money and not re.search(r"\d", money):  # a shifted cell: agencies under "Kinh phí"
        coop = agencies_in_cell(money)
    year_cells = tuple((y, cells[i]) for i, y in sorted(state.years.items()) if i < len(cells) and cells[i])
    return Row(
        task=task.rstrip(" ,;."),
        sub=sub,
        lead=tuple(lead),
        coop=tuple(coop),
        time=cell("time"),
        year_cells=year_cells,
    )
