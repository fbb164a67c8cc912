"""Blocks → ``.docx`` laid out per Nghị định 30/2020/NĐ-CP, Phụ lục I (thể thức văn bản hành chính).

A4 portrait; margins 20/20/30/15 mm; Times New Roman everywhere (ascii, hAnsi, East-Asian and complex
script slots, so Word shows it for Vietnamese); page numbers centred in the header from page 2.
"""

from __future__ import annotations

import io

from docx import Document as new_document
from docx.document import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from .markup import Block, spans

FONT = "Times New Roman"
BODY_PT = 14
TEXT_WIDTH_MM = 210 - 30 - 16
HEADER_LEFT_MM = 72.0
HEADER_RIGHT_MM = TEXT_WIDTH_MM - HEADER_LEFT_MM
INDENT = Cm(1)


# --------------------------------------------------------------------------- low-level helpers


def _fonts(rpr) -> None:
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(slot), FONT)


def _run(
    par: Paragraph,
    text: str,
    size: float = BODY_PT,
    bold: bool = False,
    italic: bool = False,
    underline: bool = False,
):
    run = par.add_run(text)
    run.font.name = FONT
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.italic = italic
    run.font.underline = underline
    rpr = run._element.get_or_add_rPr()
    _fonts(rpr)
    szcs = OxmlElement("w:szCs")
    szcs.set(qn("w:val"), str(int(size * 2)))
    rpr.append(szcs)
    return run


def _rich(par: Paragraph, text: str, size: float = BODY_PT, bold: bool = False, italic: bool = False) -> None:
    """Runs for a line with ``**bold**`` pieces and ``<br>`` line breaks."""
    lines = text.split("<br>")
    for i, line in enumerate(lines):
        for piece, strong in spans(line):
            _run(par, piece, size, bold or strong, italic)
        if i < len(lines) - 1:
            _run(par, "", size).add_break(WD_BREAK.LINE)


def _fmt(
    par: Paragraph,
    align=WD_ALIGN_PARAGRAPH.JUSTIFY,
    first_line=None,
    before: float = 0,
    after: float = 6,
    keep_next: bool = False,
    line_spacing: float = 1.15,
) -> Paragraph:
    pf = par.paragraph_format
    pf.alignment = align
    pf.first_line_indent = first_line
    pf.space_before = Pt(before)
    pf.space_after = Pt(after)
    pf.line_spacing = line_spacing
    pf.keep_with_next = keep_next
    return par


def _rule(par: Paragraph, width_mm: float, cell_mm: float) -> None:
    """A short centred horizontal line: an empty paragraph with a bottom border, indented both sides."""
    side = max((cell_mm - width_mm) / 2, 0)
    pf = par.paragraph_format
    pf.left_indent = Mm(side)
    pf.right_indent = Mm(side)
    pf.space_before = Pt(0)
    pf.space_after = Pt(6)
    pf.line_spacing = 1.0
    _run(par, "", 2)
    ppr = par._p.get_or_add_pPr()
    bdr = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for k, v in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(k), v)
    bdr.append(bottom)
    ppr.append(bdr)


def _text_mm(text: str, size: float, bold: bool = True) -> float:
    """Rough printed width of a line (Times New Roman capitals ≈ 0.68 em, bold a little wider)."""
    em = size * 0.3528  # pt → mm
    factor = 0.70 if bold else 0.62
    return len(text) * em * factor


def _no_borders(table: Table) -> None:
    tblpr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    tblpr.append(borders)


def _cell_margins(table: Table, mm: float) -> None:
    mar = OxmlElement("w:tblCellMar")
    for edge in ("left", "right"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:w"), str(int(mm / 25.4 * 1440)))
        el.set(qn("w:type"), "dxa")
        mar.append(el)
    table._tbl.tblPr.append(mar)


def _fixed(table: Table, widths_mm: list[float]) -> None:
    table.autofit = False
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    table._tbl.tblPr.append(layout)
    grid = table._tbl.tblGrid
    for col, w in zip(grid.findall(qn("w:gridCol")), widths_mm, strict=False):
        col.set(qn("w:w"), str(int(w / 25.4 * 1440)))
    for row in table.rows:
        for cell, w in zip(row.cells, widths_mm, strict=False):
            cell.width = Mm(w)


def _shade(cell: _Cell, fill: str = "E7E6E6") -> None:
    tcpr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tcpr.append(shd)


def _repeat_header(row) -> None:
    trpr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    trpr.append(el)


def _cell_par(cell: _Cell, first: bool) -> Paragraph:
    return cell.paragraphs[0] if first else cell.add_paragraph()


# --------------------------------------------------------------------------- document set-up


def _setup(doc: Document, title: str, author: str) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(16)  # 15 mm rounds below 15 in twips
    section.header_distance = Mm(10)
    section.footer_distance = Mm(10)
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_PT)
    rpr = normal.element.get_or_add_rPr()
    _fonts(rpr)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "vi-VN")
    lang.set(qn("w:eastAsia"), "vi-VN")
    rpr.append(lang)
    table_style = doc.styles["Table Grid"]
    table_style.font.name = FONT
    _fonts(table_style.element.get_or_add_rPr())
    # page number: centred in the top margin, not on the first page (NĐ 30 Phụ lục I, I.7)
    section.different_first_page_header_footer = True
    par = section.header.paragraphs[0]
    _fmt(par, WD_ALIGN_PARAGRAPH.CENTER, after=0)
    run = _run(par, "", 14)
    for tag, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if tag:
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), tag)
            run._element.append(fld)
        else:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._element.append(instr)
    props = doc.core_properties
    props.title = title
    props.author = author
    props.language = "vi-VN"


# --------------------------------------------------------------------------- blocks


def _header(doc: Document, block: Block) -> None:
    h = block.header
    table = doc.add_table(rows=2, cols=2)
    _no_borders(table)
    _cell_margins(table, 0.5)  # the Quốc hiệu line needs the whole right column
    _fixed(table, [HEADER_LEFT_MM, HEADER_RIGHT_MM])
    left, right = table.cell(0, 0), table.cell(0, 1)
    first = True
    if h.get("parent"):
        par = _fmt(_cell_par(left, first), WD_ALIGN_PARAGRAPH.CENTER, after=0, line_spacing=1.0)
        _rich(par, h["parent"].upper(), 12)
        first = False
    issuer = h.get("issuer", "").upper()
    par = _fmt(_cell_par(left, first), WD_ALIGN_PARAGRAPH.CENTER, after=0, line_spacing=1.0)
    _rich(par, issuer, 12, bold=True)
    longest = max((len(x) for x in issuer.split("<br>")), default=0)
    _rule(left.add_paragraph(), min(max(_text_mm("x" * longest, 12) * 0.4, 15), 35), HEADER_LEFT_MM)

    par = _fmt(right.paragraphs[0], WD_ALIGN_PARAGRAPH.CENTER, after=0, line_spacing=1.0)
    _run(par, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 12, bold=True)
    par = _fmt(right.add_paragraph(), WD_ALIGN_PARAGRAPH.CENTER, after=0, line_spacing=1.0)
    _run(par, "Độc lập - Tự do - Hạnh phúc", 13, bold=True, underline=True)

    if h.get("number"):
        par = _fmt(table.cell(1, 0).paragraphs[0], WD_ALIGN_PARAGRAPH.CENTER, before=6, after=0)
        _run(par, h["number"], 13)
    if h.get("placedate"):
        par = _fmt(table.cell(1, 1).paragraphs[0], WD_ALIGN_PARAGRAPH.CENTER, before=6, after=0)
        _run(par, h["placedate"], 14, italic=True)


def _table(doc: Document, block: Block, size: float = 12) -> None:
    ncols = max(len(r) for r in block.rows)
    rows = [r + [""] * (ncols - len(r)) for r in block.rows]
    table = doc.add_table(rows=len(rows), cols=ncols)
    table.style = doc.styles["Table Grid"]
    rel = block.widths if len(block.widths) == ncols else [1.0] * ncols
    total = sum(rel)
    _fixed(table, [TEXT_WIDTH_MM * w / total for w in rel])
    for i, row in enumerate(rows):
        header = block.has_header and i == 0
        if header:
            _repeat_header(table.rows[i])
        for j, text in enumerate(row):
            cell = table.cell(i, j)
            if header:
                _shade(cell)
            align = (
                WD_ALIGN_PARAGRAPH.CENTER
                if header or (ncols > 1 and j == 0 and len(text) <= 4)
                else (WD_ALIGN_PARAGRAPH.LEFT)
            )
            par = _fmt(cell.paragraphs[0], align, before=2, after=2, line_spacing=1.0)
            _rich(par, text, size, bold=header)
    doc.add_paragraph().paragraph_format.space_after = Pt(0)


def _signature(doc: Document, block: Block) -> None:
    table = doc.add_table(rows=1, cols=2)
    _no_borders(table)
    _fixed(table, [78.0, TEXT_WIDTH_MM - 78.0])
    left, right = table.cell(0, 0), table.cell(0, 1)
    if block.recipients:
        par = _fmt(left.paragraphs[0], WD_ALIGN_PARAGRAPH.LEFT, before=6, after=0, line_spacing=1.0)
        _run(par, "Nơi nhận:", 12, bold=True, italic=True)
        for line in block.recipients:
            par = _fmt(left.add_paragraph(), WD_ALIGN_PARAGRAPH.LEFT, after=0, line_spacing=1.0)
            _run(par, line, 11)
    first = True
    for line in block.sign:
        par = _fmt(
            _cell_par(right, first),
            WD_ALIGN_PARAGRAPH.CENTER,
            before=6 if first else 0,
            after=0,
            line_spacing=1.0,
        )
        _run(par, line.upper(), 14, bold=True)
        first = False
    for _ in range(4):  # room for the signature and the seal
        _fmt(right.add_paragraph(), after=0, line_spacing=1.0)
    par = _fmt(right.add_paragraph(), WD_ALIGN_PARAGRAPH.CENTER, after=0, line_spacing=1.0)
    _run(par, block.sign_name, 14, bold=True)


def _block(doc: Document, block: Block) -> None:
    k = block.kind
    if k == "header":
        _header(doc, block)
    elif k == "title":
        _rich(
            _fmt(doc.add_paragraph(), WD_ALIGN_PARAGRAPH.CENTER, before=18, after=0, keep_next=True),
            block.text.upper(),
            14,
            bold=True,
        )
    elif k == "subject":
        _rich(
            _fmt(doc.add_paragraph(), WD_ALIGN_PARAGRAPH.CENTER, after=0, keep_next=True),
            block.text,
            14,
            bold=True,
        )
        _rule(doc.add_paragraph(), min(max(_text_mm(block.text, 14) * 0.4, 25), 60), TEXT_WIDTH_MM)
    elif k == "authority":
        _rich(
            _fmt(doc.add_paragraph(), WD_ALIGN_PARAGRAPH.CENTER, before=6, after=12, keep_next=True),
            block.text.upper(),
            14,
            bold=True,
        )
    elif k == "to":
        par = _fmt(doc.add_paragraph(), WD_ALIGN_PARAGRAPH.CENTER, before=6, after=12)
        _run(par, "Kính gửi: ", 14)
        _rich(par, block.text, 14)
    elif k == "basis":
        _rich(_fmt(doc.add_paragraph(), first_line=INDENT), block.text, 14, italic=True)
    elif k == "center":
        _rich(
            _fmt(doc.add_paragraph(), WD_ALIGN_PARAGRAPH.CENTER, before=6, after=6, keep_next=True),
            block.text,
            14,
            bold=True,
        )
    elif k == "note":
        _rich(_fmt(doc.add_paragraph(), first_line=INDENT), block.text, 13, italic=True)
    elif k in ("h1", "h2", "h3"):
        _rich(
            _fmt(doc.add_paragraph(), first_line=INDENT, before=6 if k == "h1" else 0, keep_next=True),
            block.text,
            14,
            bold=True,
            italic=k == "h3",
        )
    elif k in ("bullet", "subbullet"):
        mark = "- " if k == "bullet" else "+ "
        _rich(_fmt(doc.add_paragraph(), first_line=INDENT), mark + block.text, 14)
    elif k == "para":
        _rich(_fmt(doc.add_paragraph(), first_line=INDENT), block.text, 14)
    elif k == "table":
        _table(doc, block)
    elif k == "pagebreak":
        doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    elif k == "signature":
        _signature(doc, block)
    elif k == "sources":
        par = _fmt(doc.add_paragraph(), WD_ALIGN_PARAGRAPH.LEFT, before=18, after=3, keep_next=True)
        _rich(par, block.text, 12, bold=True)
    elif k == "source":
        par = _fmt(doc.add_paragraph(), WD_ALIGN_PARAGRAPH.JUSTIFY, after=3, line_spacing=1.0)
        _rich(par, block.text, 11)


def render_docx(blocks: list[Block], title: str, author: str) -> bytes:
    """The ``.docx`` bytes of a parsed draft."""
    doc = new_document()
    _setup(doc, title, author)
    body = doc.element.body
    for p in list(body.iterchildren(qn("w:p"))):  # the template's empty first paragraph
        body.remove(p)
    for block in blocks:
        _block(doc, block)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
