"""Word .docx (WordprocessingML): paragraphs, tables, text boxes and content controls in order."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from typing import Any

from ._detect import _parse_error
from ._normalise import _row_line

MAX_UNCOMPRESSED_BYTES = 256 * 1024 * 1024  # zip-bomb guard for .docx

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_NS = {"w": _W[1:-1], "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006"}
_RUN_CHARS = {_W + "tab": "\t", _W + "br": "\n", _W + "cr": "\n", _W + "noBreakHyphen": "-"}  # + w:t text
_XP: dict[str, Any] = {}


def _xpath(expr: str) -> Any:  # compiled lazily: lxml comes with python-docx
    if expr not in _XP:
        from lxml import etree

        _XP[expr] = etree.XPath(expr, namespaces=_NS)
    return _XP[expr]


def _box_depth(element) -> int:
    return len(_xpath("ancestor::w:txbxContent")(element))


def _docx_paragraph(p) -> str:
    """Run text of a paragraph (also inside hyperlinks, smart tags, insertions), not of its text boxes."""
    nodes = _xpath(
        ".//w:r/*[self::w:t or self::w:tab or self::w:br or self::w:cr or self::w:noBreakHyphen]"
        "[not(ancestor::mc:Fallback)][count(ancestor::w:txbxContent) = $d]"
    )(p, d=_box_depth(p))
    return "".join(_RUN_CHARS.get(n.tag) or n.text or "" for n in nodes)


def _docx_table_rows(tbl, sep: str = " | ") -> list[str]:
    """Rows in order; a vertically merged cell repeats its text in every row it spans."""
    rows: list[str] = []
    above: dict[int, str] = {}  # grid column → text of the cell that starts a vertical merge
    for tr in tbl.iterchildren(_W + "tr"):
        before = tr.find(f"{_W}trPr/{_W}gridBefore")
        col = int(before.get(_W + "val", "0")) if before is not None else 0
        cells: list[str] = []
        for tc in _xpath("./w:tc | ./w:sdt/w:sdtContent/w:tc | ./w:customXml/w:tc")(tr):
            span = tc.find(f"{_W}tcPr/{_W}gridSpan")
            vmerge = tc.find(f"{_W}tcPr/{_W}vMerge")
            if vmerge is not None and vmerge.get(_W + "val") != "restart":
                text = above.get(col, "")
            else:
                text = above[col] = " ".join(_docx_blocks(tc, nested_sep=" ; "))
            cells.append(text)
            col += int(span.get(_W + "val", "1")) if span is not None else 1
        line = _row_line(cells, sep)
        if line:
            rows.append(line)
    return rows


def _docx_blocks(container, nested_sep: str | None = None) -> Iterator[str]:
    """Texts of the blocks of a body, cell, text box or content control, in document order."""
    for child in container.iterchildren():
        if child.tag == _W + "p":
            text = _docx_paragraph(child)
            if text.strip():
                yield text
            for box in _xpath(
                ".//w:txbxContent[not(ancestor::mc:Fallback)][count(ancestor::w:txbxContent) = $d]"
            )(child, d=_box_depth(child)):
                yield from _docx_blocks(box, nested_sep)
        elif child.tag == _W + "tbl":
            rows = _docx_table_rows(child, nested_sep or " | ")
            if rows:
                yield ("; " if nested_sep else "\n").join(rows)
        elif child.tag == _W + "sdt":
            content = child.find(_W + "sdtContent")
            if content is not None:
                yield from _docx_blocks(content, nested_sep)
        elif child.tag == _W + "customXml":
            yield from _docx_blocks(child, nested_sep)


def _load_docx(data: bytes, name: str) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        if sum(info.file_size for info in zf.infolist()) > MAX_UNCOMPRESSED_BYTES:
            raise _parse_error(name, "tệp .docx giải nén quá lớn")
    import docx  # python-docx

    document = docx.Document(io.BytesIO(data))
    return "\n\n".join(_docx_blocks(document.element.body))
