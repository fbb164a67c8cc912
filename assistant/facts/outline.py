"""Walk the lines of a chunk with their section path and the agency the section assigns work to.

Chunks may pack several small sections ("IV > 2–3") or continue a section without its heading; this
walker refines the section per line (``IV > 3 > a``) and carries the section owner ("Sở Tài chính")
across chunks of one document.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from ..domain.models import Chunk
from .agencies import agency_at, owner_of_heading

_ROMAN = re.compile(r"^\s*([IVX]{1,5})\s*[.\-–]\s*\S")
_NUM = re.compile(r"^\s*(\d{1,2})\s*\.(?!\d)\s*\S")
_LETTER = re.compile(r"^\s*([a-zđ])\)\s*\S")
_DIEU = re.compile(r"^\s*Điều\s+(\d+[a-z]?)\s*[.:]")
_SUB_OWNER = re.compile(r"^\s*[-–]\s*Chỉ đạo\s+", re.IGNORECASE)


@dataclass
class Line:
    text: str
    start: int  # offset in chunk.text
    section: str
    owner: str | None  # agency responsible for the enclosing section
    heading_label: str | None  # "1", "a", "II" when the line is a heading
    heading_text: str  # title of the nearest heading ("Công tác đào tạo, tập huấn")
    titles: tuple[str, ...]  # titles of the enclosing headings, outermost first
    trail: str  # heading trail of the line (for context checks)


@dataclass
class OutlineState:
    """Per-document state carried from chunk to chunk."""

    owners: dict[int, str | None] = field(default_factory=dict)  # depth → owner
    titles: dict[int, str] = field(default_factory=dict)  # depth → heading text
    sub_owner: str | None = None  # "- Chỉ đạo Chi cục … thực hiện các nhiệm vụ sau:" for the "+" bullets


def _depth(label: str) -> int:
    if label.startswith("Điều") or re.fullmatch(r"[IVX]{1,5}", label):
        return 0
    if label.startswith("khoản") or label.isdigit():
        return 1
    return 2


def _base_path(section: str) -> list[str]:
    parts = [p for p in section.split(" > ") if p] if section else []
    if parts and "–" in parts[-1]:
        parts = parts[:-1]
    return parts


def _classify(line: str, legal: bool) -> str | None:
    if m := _DIEU.match(line):
        return f"Điều {m.group(1)}"
    if m := _ROMAN.match(line):
        return m.group(1)
    if m := _NUM.match(line):
        return f"khoản {m.group(1)}" if legal else m.group(1)
    if m := _LETTER.match(line):
        return f"điểm {m.group(1)}" if legal else m.group(1)
    return None


def _heading_title(line: str) -> str:
    body = re.sub(r"^\s*(?:Điều\s+\d+[a-z]?|[IVX]{1,5}|\d{1,2}|[a-zđ])\s*[.):\-–]\s*", "", line).strip()
    return body.rstrip(":").strip()


def is_letter(line: Line) -> bool:
    """Whether the line's innermost section is a letter point ("a", "điểm b")."""
    last = line.section.split(" > ")[-1] if line.section else ""
    return bool(re.fullmatch(r"[a-zđ]|điểm [a-zđ]", last))


def walk_lines(chunk: Chunk, state: OutlineState) -> Iterator[Line]:
    path = _base_path(chunk.section)
    appendix = bool(path) and path[0].startswith("Phụ lục")
    legal = bool(path) and path[0].startswith("Điều")
    # owners and titles from the heading trail when the chunk continues a section
    trail = [t for t in chunk.heading.split(" > ") if t] if chunk.heading else []
    for seg in trail if not appendix else []:
        seg_label = _classify(seg, legal)
        if seg_label is None:
            continue
        depth = _depth(seg_label)
        state.owners = {d: o for d, o in state.owners.items() if d < depth}
        state.titles = {d: t for d, t in state.titles.items() if d < depth}
        state.titles[depth] = _heading_title(seg)
        state.owners[depth] = owner_of_heading(seg)
    offset = 0
    for raw in chunk.text.split("\n"):
        start = offset
        offset += len(raw) + 1
        label = None if appendix else _classify(raw, legal or bool(path and path[0].startswith("Điều")))
        if label:
            depth = _depth(label)
            path = [p for p in path if _depth(p) < depth] + [label]
            state.owners = {d: o for d, o in state.owners.items() if d < depth}
            state.titles = {d: t for d, t in state.titles.items() if d < depth}
            title = _heading_title(raw)
            state.titles[depth] = title
            owner = owner_of_heading(raw)
            if owner:
                state.owners[depth] = owner
            state.sub_owner = None
        elif _SUB_OWNER.match(raw) and raw.rstrip().endswith(":"):
            m = agency_at(raw, _SUB_OWNER.match(raw).end())  # type: ignore[union-attr]
            state.sub_owner = m.group(0) if m else None
        elif re.match(r"^\s*[-–]\s", raw):
            state.sub_owner = None
        sub = state.sub_owner
        owner = sub if (sub and re.match(r"^\s*\+", raw)) else _current_owner(state)
        titles = [state.titles[d] for d in sorted(state.titles)]
        yield Line(
            text=raw,
            start=start,
            section=" > ".join(path),
            owner=owner,
            heading_label=label,
            heading_text=titles[-1] if titles else "",
            titles=tuple(titles),
            trail=" > ".join([chunk.heading, *titles]),
        )


def _current_owner(state: OutlineState) -> str | None:
    for d in sorted(state.owners, reverse=True):
        if state.owners[d]:
            return state.owners[d]
    return None
