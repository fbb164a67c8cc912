"""Structure-aware chunking (pure).

Legal texts: Chương → Điều → khoản ``1.`` → điểm ``a)``. Plans: ``I.`` → ``1.`` → ``a)`` → bullets.
Appendices (``Phụ lục``) are packed row-wise: a table row (one line, or one blank-line block of cells)
never straddles two chunks. Each chunk knows its section path (``Điều 4 > khoản 4 > điểm a``,
``II > 3 > a``) and fits the embedding window (counted with the embedder's own tokenizer).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

TokenCounter = Callable[[str], int]

_PHU_LUC = re.compile(r"^\s*(PHỤ LỤC|Phụ lục|PHU LUC)\b\s*([IVXLC0-9]+)?", re.UNICODE)
_CHUONG = re.compile(r"^\s*(Chương|CHƯƠNG)\s+([IVXLC0-9]+)\b")
_DIEU = re.compile(r"^\s*Điều\s+(\d+[a-z]?)\s*[.:]")
_ROMAN = re.compile(r"^\s*([IVX]{1,5})\s*[.\-–]\s*\S")
_NUM = re.compile(r"^\s*(\d{1,2})\s*\.(?!\d)\s*\S")
_SUBNUM = re.compile(r"^\s*(\d{1,2}\.\d{1,2})\.?\s+\S")
_LETTER = re.compile(r"^\s*([a-zđ])\)\s*\S")

# A line cut in two by the text extraction ("… 100% các TTHC thuộc thẩm" / blank line / "quyền giải quyết …"):
# a line that ends in a letter or digit, then a line that goes on with a lower-case word. Not a list marker
# ("a) …"), not a one-letter table cell ("x").
_BROKEN_LINE = re.compile(r"(?<=\w)[ \t]*\n(?:[ \t]*\n)*[ \t]*(?=([^\W\d_]+)(?![\w)]))")

# levels: 0 appendix, 1 chapter, 2 article / roman, 3 number, 4 letter / sub-number
LEVEL_APPENDIX, LEVEL_CHAPTER, LEVEL_ARTICLE, LEVEL_NUMBER, LEVEL_LETTER = range(5)


@dataclass
class _Node:
    level: int
    label: str  # path label: "Điều 4", "khoản 2", "điểm a", "II", "3", "a", "Phụ lục I"
    heading: str
    lines: list[str] = field(default_factory=list)
    children: list[_Node] = field(default_factory=list)
    parent: _Node | None = None

    def path(self) -> str:
        parts: list[str] = []
        node: _Node | None = self
        while node is not None and node.level >= 0:
            if node.level != LEVEL_CHAPTER:
                parts.append(node.label)
            node = node.parent
        return " > ".join(reversed(parts))

    def full_text(self) -> str:
        own = "\n".join(self.lines).strip("\n")
        kids = "\n".join(c.full_text() for c in self.children)
        return "\n".join(t for t in (own, kids) if t.strip())

    def headings(self) -> list[str]:
        out: list[str] = []
        node: _Node | None = self
        while node is not None and node.level >= 0:
            if node.heading:
                out.append(node.heading)
            node = node.parent
        return list(reversed(out))


@dataclass(frozen=True)
class ChunkDraft:
    """A chunk before ids and headers are attached."""

    section: str
    heading: str  # heading trail, e.g. "II. NỘI DUNG > 1. Công tác đào tạo"
    text: str


def _classify(line: str, in_article: bool) -> tuple[int, str] | None:
    if m := _PHU_LUC.match(line):
        return LEVEL_APPENDIX, ("Phụ lục " + m.group(2)) if m.group(2) else "Phụ lục"
    if m := _CHUONG.match(line):
        return LEVEL_CHAPTER, f"Chương {m.group(2)}"
    if m := _DIEU.match(line):
        return LEVEL_ARTICLE, f"Điều {m.group(1)}"
    if m := _ROMAN.match(line):
        return LEVEL_ARTICLE, m.group(1)
    if m := _SUBNUM.match(line):
        return LEVEL_LETTER, m.group(1)
    if m := _NUM.match(line):
        return LEVEL_NUMBER, (f"khoản {m.group(1)}" if in_article else m.group(1))
    if m := _LETTER.match(line):
        return LEVEL_LETTER, (f"điểm {m.group(1)}" if in_article else m.group(1))
    return None


def _short_heading(line: str, limit: int = 90) -> str:
    line = " ".join(line.split())
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def parse_outline(text: str) -> _Node:
    """Parse lines into a tree of sections."""
    root = _Node(level=-1, label="", heading="")
    current = root
    in_appendix = False
    for raw in text.split("\n"):
        line = raw.rstrip()
        # inside an appendix, numbered lines are table cells, not sections
        cls = None if (in_appendix and not _PHU_LUC.match(line)) else _classify(line, _in_article(current))
        if cls is None:
            current.lines.append(line)
            continue
        level, label = cls
        if level == LEVEL_APPENDIX:
            in_appendix = True
        parent = current
        while parent.level >= level:
            assert parent.parent is not None
            parent = parent.parent
        node = _Node(level=level, label=label, heading=_short_heading(line), lines=[line], parent=parent)
        parent.children.append(node)
        current = node
    return root


def _in_article(node: _Node) -> bool:
    while node is not None and node.level >= 0:
        if node.label.startswith("Điều "):
            return True
        node = node.parent  # type: ignore[assignment]
    return False


def _blocks(lines: list[str]) -> list[str]:
    """Group lines into packing units: a blank-line separated block of short cell lines is one unit
    (a flattened table row); otherwise each non-empty line is a unit."""
    units: list[str] = []
    block: list[str] = []

    def flush() -> None:
        if not block:
            return
        if len(block) > 1 and all(len(x.strip()) <= 80 for x in block):
            units.append("\n".join(block))
        else:
            units.extend(block)
        block.clear()

    for line in lines:
        if line.strip():
            block.append(line)
        else:
            flush()
    flush()
    return units


_SENT = re.compile(r"(?<=[.;:!?])\s+(?=[A-ZĐÀ-Ỹ0-9\-–+“\"(])")


def _split_long(unit: str, budget: int, count: TokenCounter) -> list[str]:
    """Split a unit longer than the budget at sentence boundaries, then hard-cut by words."""
    if count(unit) <= budget:
        return [unit]
    pieces: list[str] = []
    cur = ""
    for sent in _SENT.split(unit):
        cand = f"{cur} {sent}".strip() if cur else sent
        if count(cand) <= budget:
            cur = cand
            continue
        if cur:
            pieces.append(cur)
        if count(sent) <= budget:
            cur = sent
        else:  # a single very long sentence: cut by words
            words, cur = sent.split(" "), ""
            for w in words:
                cand = f"{cur} {w}".strip()
                if count(cand) > budget and cur:
                    pieces.append(cur)
                    cur = w
                else:
                    cur = cand
    if cur:
        pieces.append(cur)
    return pieces


def _pack(units: list[str], budget: int, count: TokenCounter) -> list[str]:
    out: list[str] = []
    cur: list[str] = []
    for unit in units:
        for piece in _split_long(unit, budget, count):
            cand = "\n".join([*cur, piece])
            if cur and count(cand) > budget:
                out.append("\n".join(cur))
                cur = [piece]
            else:
                cur.append(piece)
    if cur:
        out.append("\n".join(cur))
    return [t for t in out if t.strip()]


def _appendix_heading(node: _Node) -> str:
    """An appendix table's title and column headers, so every row chunk is indexed with what its cells
    mean (rows far down a table otherwise lose "Chủ trì", "Phối hợp", the years…)."""
    first = [" ".join(ln.split()) for ln in node.lines if ln.strip()][:6]
    return _short_heading(" ".join(first), 300)


def mend_broken_lines(text: str) -> str:
    """Join the lines a text extraction cut in the middle of a sentence, so that the sentence is quoted,
    chunked and read whole."""
    return _BROKEN_LINE.sub(lambda m: " " if len(m[1]) > 1 and m[1].islower() else m[0], text)


def chunk_text(text: str, count: TokenCounter, budget: int = 380) -> list[ChunkDraft]:
    """Chunk a whole document. ``budget`` is in the embedder's tokens, for the body (the header adds more)."""
    root = parse_outline(mend_broken_lines(text))
    drafts: list[ChunkDraft] = []

    def emit(node: _Node, body: str, path: str | None = None) -> None:
        if body.strip():
            drafts.append(
                ChunkDraft(
                    section=node.path() if path is None else path,
                    heading=_appendix_heading(node)
                    if node.level == LEVEL_APPENDIX
                    else " > ".join(node.headings()),
                    text=body.strip("\n"),
                )
            )

    def walk(node: _Node) -> None:
        whole = node.full_text()
        if not whole.strip():
            return
        if node.level >= 0 and count(whole) <= budget:
            emit(node, whole)
            return
        # own lines (title + intro) first
        own_units = _blocks(node.lines)
        for piece in _pack(own_units, budget, count):
            emit(node, piece)
        # then children: consecutive small children are packed together under this node's path
        group: list[_Node] = []
        group_tokens = 0

        def flush_group() -> None:
            nonlocal group, group_tokens
            if not group:
                return
            body = "\n".join(c.full_text() for c in group)
            if len(group) == 1:
                emit(group[0], body)
            else:
                emit(node, body, path=f"{node.path()} > {group[0].label}–{group[-1].label}".lstrip(" >"))
            group, group_tokens = [], 0

        for child in node.children:
            ct = count(child.full_text())
            if ct > budget or child.level <= LEVEL_ARTICLE:  # articles and roman sections stand alone
                flush_group()
                walk(child)
                continue
            if group and group_tokens + ct > budget:
                flush_group()
            group.append(child)
            group_tokens += ct
        flush_group()

    walk(root)
    return _merge_headings(drafts, count, budget)


def _merge_headings(drafts: list[ChunkDraft], count: TokenCounter, budget: int) -> list[ChunkDraft]:
    """Fold a heading-only chunk ("II. NỘI DUNG THỰC HIỆN") into the chunk that follows it."""
    out: list[ChunkDraft] = []
    pending: ChunkDraft | None = None
    for d in drafts:
        if pending is not None:
            merged = f"{pending.text}\n{d.text}"
            if d.section.startswith(pending.section) and count(merged) <= budget + 30:
                d = ChunkDraft(section=d.section, heading=d.heading, text=merged)
            else:
                out.append(pending)
            pending = None
        if count(d.text) < 60:
            pending = d
            continue
        out.append(d)
    if pending is not None:
        out.append(pending)
    return out
