"""List outlines of official texts: which list level a line starts ("1.", "a)", "-", "+"), the items of a list,
the intro line that announces a list, and the parent line a list item belongs to. Pure functions."""

from __future__ import annotations

import re

_MARKERS = (
    ("chuong", re.compile(r"^\s*(Chương|Mục)\s+[IVX\d]+\b")),
    ("dieu", re.compile(r"^\s*Điều\s+\d+[a-z]?\.")),
    ("roman", re.compile(r"^\s*[IVX]{1,5}\.\s")),
    ("num", re.compile(r"^\s*\d{1,2}\.\s")),
    ("alpha", re.compile(r"^\s*[a-zđ]\)\s")),
    ("dash", re.compile(r"^\s*[-•]\s")),
    ("plus", re.compile(r"^\s*\+\s")),  # "+" items sit under "-" items in Vietnamese official texts
)
_RANK = {name: i for i, (name, _rx) in enumerate(_MARKERS)}


def marker_kind(line: str) -> str | None:
    """The list level a line starts: "dieu", "roman", "num" (1.), "alpha" (a)), "dash" (-) or ``None``."""
    for name, rx in _MARKERS:
        if rx.match(line):
            return name
    return None


def _lines(text: str, start: int = 0) -> list[tuple[int, int]]:
    out, pos = [], start
    while pos < len(text):
        nl = text.find("\n", pos)
        end = len(text) if nl == -1 else nl
        a, b = pos, end
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if b > a:
            out.append((a, b))
        pos = end + 1
    return out


def list_intro(text: str, start: int) -> int | None:
    """End offset of the intro line ("…như sau:", "2. Áp dụng …:") among the first lines from ``start``; or
    of a numbered line without its colon whose items follow at once ("4. Thủ trưởng …, Chủ tịch UBND các
    huyện … có trách nhiệm" and then "- Lập kế hoạch …", "- Phối hợp …")."""
    first = _lines(text, start)[:3]
    top = marker_kind(text[first[0][0] : first[0][1]]) if first else None
    for i, (a, b) in enumerate(first):
        kind = marker_kind(text[a:b])
        if i and top and kind and _RANK[kind] <= _RANK[top]:
            break  # the next item ("3. Sở Y tế: …" then "4. Sở Nội vụ:"): its intro is not this one's
        if text[a:b].rstrip().endswith(":"):
            # "2. Quy định về nội dung đào tạo:" then "Nội dung đào tạo gồm tối thiểu 04 chuyên đề …:" and
            # then the items: the list's intro is the second line
            nxt = _lines(text, b)[:1]
            if (
                nxt
                and not marker_kind(text[nxt[0][0] : nxt[0][1]])
                and text[: nxt[0][1]].rstrip().endswith(":")
            ):
                return nxt[0][1]
            return b
    lines = _lines(text, text.rfind("\n", 0, start) + 1)[:3]  # from the start of the sentence's line
    if len(lines) < 3:
        return None
    line = text[lines[0][0] : lines[0][1]].rstrip()
    items = {marker_kind(text[a:b]) for a, b in lines[1:]}
    numbered = marker_kind(line) in ("roman", "num", "alpha") and not line.endswith(".")
    return lines[0][1] if numbered and len(items) == 1 and items <= {"dash", "plus"} else None


def outline_items(text: str, start: int, kind: str | None = None) -> tuple[list[tuple[int, int]], str | None]:
    """The item lines of the list's top level from ``start`` on (sub-items and paragraphs skipped), and
    that level; stops at a heading of a higher level. ``kind`` continues a list begun in an earlier chunk
    (then the first line must be an item of that level)."""
    items: list[tuple[int, int]] = []
    continued = kind is not None
    for i, (a, b) in enumerate(_lines(text, start)):
        k = marker_kind(text[a:b])
        if k is None:
            if kind is None or continued and i == 0:  # no list follows the intro / this chunk
                return [], kind
            continue
        if kind is None:
            kind = k
        if i == 0 and k != kind:
            return [], kind
        if k == kind:
            items.append((a, b))
        elif _RANK[k] < _RANK[kind]:
            break
    return items, kind


def parent_line(text: str, start: int, reach: int = 800) -> tuple[int, int] | None:
    """The line a list item at ``start`` belongs to: the nearest earlier line of a higher list level
    ("4. Sở Nội vụ:" over "- Chủ trì …") or an intro ending with ":"; ``None`` when the sentence is not
    a list item or no such line is within ``reach`` characters."""
    line_start = text.rfind("\n", 0, start) + 1
    if text[line_start:start].strip():
        return None  # not at the start of a line
    kind = marker_kind(text[start : start + 12])
    if kind is None:
        # a paragraph right under a numbered heading ("2. Sở Nội vụ" / "Là cơ quan thường trực …"):
        # the heading says whose paragraph it is
        before = _lines(text[:line_start])
        if before:
            a, b = before[-1]
            head = text[a:b]
            if marker_kind(head) and len(head) < 120 and not head.endswith((".", ";", ",")):
                return a, b
        return None
    for a, b in reversed(_lines(text[:line_start])):
        if line_start - b > reach:
            return None
        k = marker_kind(text[a:b])
        if k is not None and _RANK[k] < _RANK[kind] or k is None and text[a:b].rstrip().endswith(":"):
            return a, b
    return None
