"""HTML: the visible text of untrusted markup, in blocks, with table rows on one line."""

from __future__ import annotations

from ...domain.vntext import collapse_ws
from ._normalise import _row_line

_HTML_DROP = ["script", "style", "nav", "noscript", "template", "iframe", "svg", "object", "embed", "canvas"]
_HTML_BLOCKS = frozenset(
    "address article aside blockquote body caption center dd details div dl dt fieldset figcaption figure"
    " footer form h1 h2 h3 h4 h5 h6 header hr html li main ol p pre section summary title ul".split()
)


class _Blocks:
    """Accumulates HTML text into lines and blank-line separated blocks."""

    def __init__(self) -> None:
        self.blocks: list[str] = []
        self.lines: list[str] = []
        self.parts: list[str] = []

    def end_line(self) -> None:
        self.lines.append(collapse_ws("".join(self.parts)))
        self.parts = []

    def end_block(self) -> None:
        self.end_line()
        if any(self.lines):
            self.blocks.append("\n".join(self.lines))
        self.lines = []


def _html_table_rows(table) -> list[str]:
    rows = [
        collapse_ws(c.get_text(" ")) for c in table.find_all("caption") if c.find_parent("table") is table
    ]
    for tr in table.find_all("tr"):
        if tr.find_parent("table") is table:
            rows.append(_row_line(cell.get_text(" ") for cell in tr.find_all(["td", "th"], recursive=False)))
    return [r for r in rows if r]


def _html_to_text(markup: str) -> str:
    """Visible text of untrusted HTML: nothing is fetched or executed, only text is read."""
    from bs4 import BeautifulSoup, NavigableString, Tag
    from bs4.element import PreformattedString  # comments, doctype, CDATA, processing instructions

    soup = BeautifulSoup(markup, "html.parser")
    for tag in soup.find_all(_HTML_DROP):
        tag.decompose()
    out, end = _Blocks(), object()
    stack: list[object] = [soup]
    while stack:  # iterative walk: deeply nested markup cannot exhaust the Python stack
        node = stack.pop()
        if node is end:
            out.end_block()
        elif isinstance(node, NavigableString):
            if not isinstance(node, PreformattedString):
                out.parts.append(str(node))
        elif isinstance(node, Tag):
            if node.name == "br":
                out.end_line()
            elif node.name == "table":
                out.end_block()
                out.lines = _html_table_rows(node)
                out.end_block()
            else:
                if node.name in _HTML_BLOCKS:
                    out.end_block()
                    stack.append(end)
                stack.extend(reversed(node.contents))
    out.end_block()
    return "\n\n".join(out.blocks)
