"""Document loaders: real corpus files, generated docx/pdf/html, and every failure path."""

from __future__ import annotations

import io
import shutil
import unicodedata
import zipfile
from pathlib import Path

import pytest

from assistant.adapters.loaders import (
    SUPPORTED_EXTENSIONS,
    LoadedText,
    detect_format,
    load_bytes,
    load_document,
)
from assistant.domain.errors import DocumentParseError, MissingToolError, UnsupportedDocumentError

REPO = Path(__file__).resolve().parents[1]
LEGAL = REPO.parent / "shared" / "corpus" / "legal"
SEEDS = REPO / "knowledge" / "documents"
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "loaders"
HAS_DOC_TOOL = bool(shutil.which("antiword") or shutil.which("catdoc"))
needs_doc_tool = pytest.mark.skipif(not HAS_DOC_TOOL, reason="cần antiword hoặc catdoc (make setup)")

LEGAL_FILES = {
    "qd-19-2014-qd-ttg.txt": ("txt", "Điều 4. Các bước xây dựng và áp dụng Hệ thống quản lý chất lượng"),
    "tt-26-2014-tt-bkhcn.txt": ("txt", "Điều 33. Nguyên tắc thực hiện hoạt động kiểm tra"),
    "tt-116-2015-tt-btc.txt": ("txt", "Điều 4. Khung mức chi"),
    "nd-30-2020-nd-cp.docx": ("docx", "Điều 1. Phạm vi điều chỉnh"),
    "nd-30-2020-nd-cp-phu-luc-I.docx": ("docx", "1. Khổ giấy: Khổ A4 (210 mm x 297 mm)."),
    "nd-30-2020-nd-cp-phu-luc-I.doc": ("doc", "1. Khổ giấy: Khổ A4 (210 mm x 297 mm)."),
}
SEED_FILES = {
    "000_a5180ff903824546.txt": "I. MỤC ĐÍCH, YÊU CẦU",
    "001_e90ca5f9138f3124.txt": "I. MỤC TIÊU, ĐỐI TƯỢNG, PHẠM VI ÁP DỤNG",
    "002_4d03c45630b33bb7.txt": "2. Nhiệm vụ trọng tâm năm 2022:",
    "003_b3603c36b7cc60a7.txt": "I. MỤC ĐÍCH, YÊU CẦU VÀ CHỈ TIÊU THỰC HIỆN",
    "004_992f1e8524a3d073.txt": "II. NỘI DUNG KẾ HOẠCH",
}


def assert_normalised(loaded: LoadedText) -> None:
    text = loaded.text
    assert text == unicodedata.normalize("NFC", text)
    assert "\r" not in text and "\n\n\n" not in text and "\ufeff" not in text
    # lines are stripped, except the leading tabs (empty first cells) of a tab-separated table row
    assert all(
        line == line.strip() or ("\t" in line.strip() and line == line.rstrip().lstrip(" "))
        for line in text.split("\n")
    )
    assert text == text.strip()


# --------------------------------------------------------------------------- real files


@pytest.mark.parametrize("name", sorted(LEGAL_FILES))
def test_every_legal_corpus_file_loads(name: str) -> None:
    fmt, line = LEGAL_FILES[name]
    if fmt == "doc" and not HAS_DOC_TOOL:
        pytest.skip("cần antiword hoặc catdoc")
    loaded = load_document(LEGAL / name)
    assert loaded.format == fmt
    assert line in loaded.text.split("\n")  # a heading line stays a line of its own
    assert_normalised(loaded)


@pytest.mark.parametrize("name", sorted(SEED_FILES))
def test_every_seed_plan_loads(name: str) -> None:
    loaded = load_document(SEEDS / name)
    assert loaded.format == "txt"
    assert SEED_FILES[name] in loaded.text.split("\n")
    assert_normalised(loaded)


def test_tab_separated_rows_keep_their_empty_first_cells() -> None:
    # Hà Tĩnh appendix: continuation rows start with an empty cell; stripping it would shift every column
    lines = load_document(SEEDS / "003_b3603c36b7cc60a7.txt").text.split("\n")
    assert any(line.startswith("\t") and line.count("\t") >= 5 for line in lines)


def test_nd30_docx_keeps_articles_and_table_rows_in_document_order() -> None:
    text = load_document(LEGAL / "nd-30-2020-nd-cp.docx").text
    lines = text.split("\n")
    # the header table (issuer | national motto) comes first, as one row with its cells joined by " | "
    assert lines[0].startswith("CHÍNH PHỦ")
    assert " | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc" in lines[0]
    assert "Số: 30/2020/NĐ-CP" in lines[0]
    assert lines.index("Điều 1. Phạm vi điều chỉnh") < lines.index("Điều 2. Đối tượng áp dụng")
    # the closing table: recipients | signature block
    assert any(line.startswith("Nơi nhận:") and " | TM. CHÍNH PHỦ" in line for line in lines)


def test_phu_luc_docx_table_merged_cells_and_text_boxes() -> None:
    lines = load_document(LEGAL / "nd-30-2020-nd-cp-phu-luc-I.docx").text.split("\n")
    assert "- Quốc hiệu | In hoa | 12 - 13 | Đứng, đậm | CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM | 12" in lines
    # second header row: the vertically merged "STT" cells repeat, the split "Cỡ chữ" header shows once
    assert (
        "STT | Thành phần thể thức và chi tiết trình bày | Loại chữ | Cỡ chữ | Kiểu chữ"
        " | Phông chữ Times New Roman | Cỡ chữ" in lines
    )
    # the layout diagram is made of text boxes: their labels are kept
    assert any(line.startswith("20 - 25 mm 30 - 35 mm 15 - 20 mm") for line in lines)


@needs_doc_tool
def test_phu_luc_doc_and_docx_share_their_text() -> None:
    doc = load_document(LEGAL / "nd-30-2020-nd-cp-phu-luc-I.doc").text
    docx_text = load_document(LEGAL / "nd-30-2020-nd-cp-phu-luc-I.docx").text
    sentence = (
        "b) Tiêu ngữ “Độc lập - Tự do - Hạnh phúc”: Được trình bày bằng chữ in thường, cỡ chữ từ 13 đến 14,"
        " kiểu chữ đứng, đậm và được canh giữa dưới Quốc hiệu;"
    )
    assert sentence in doc and sentence in docx_text
    assert "3. Định lề trang: Cách mép trên và mép dưới 20 - 25 mm, cách mép trái 30 - 35 mm" in doc
    doc_lines = set(doc.split("\n"))
    # a table row comes out the same from both converters
    assert "- Tiêu ngữ | In thường | 13 - 14 | Đứng, đậm | Độc lập - Tự do - Hạnh phúc | 13" in doc_lines
    long_lines = [line for line in docx_text.split("\n") if len(line) > 80]
    shared = [line for line in long_lines if line in doc_lines]
    # measured 98/120; the rest are table cells antiword wraps over several lines
    assert len(shared) / len(long_lines) > 0.75


def test_doc_content_saved_as_docx_is_read_as_doc(tmp_path: Path) -> None:
    if not HAS_DOC_TOOL:
        pytest.skip("cần antiword hoặc catdoc")
    renamed = tmp_path / "phu-luc.docx"
    renamed.write_bytes((LEGAL / "nd-30-2020-nd-cp-phu-luc-I.doc").read_bytes())
    assert load_document(renamed).format == "doc"


# --------------------------------------------------------------------------- text encodings


def test_nfd_crlf_file_comes_out_nfc_with_clean_lines() -> None:
    raw = (FIXTURES / "nfd.txt").read_bytes()
    assert unicodedata.normalize("NFD", raw.decode()) == raw.decode()  # the fixture really is NFD
    loaded = load_document(FIXTURES / "nfd.txt")
    assert loaded == LoadedText(
        "Điều 4. Xây dựng, áp dụng Hệ thống quản lý chất lượng\n\n1. Ủy ban nhân dân tỉnh\n"
        "a) Hoà nhập, thuỷ lợi",
        "txt",
    )


def _cp1258(text: str) -> bytes:
    """Windows-1258 encoding: base letter precomposed, tone mark as a combining character."""
    tones = "\u0300\u0301\u0303\u0309\u0323"
    out = bytearray()
    for ch in text:
        decomposed = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in tones))
        out += base.encode("cp1258") + "".join(c for c in decomposed if c in tones).encode("cp1258")
    return bytes(out)


@pytest.mark.parametrize(
    "encode",
    [
        lambda s: s.encode("utf-8"),
        lambda s: b"\xef\xbb\xbf" + s.encode("utf-8"),
        lambda s: s.encode("utf-16"),  # with BOM
        _cp1258,
    ],
    ids=["utf8", "utf8-bom", "utf16-bom", "cp1258"],
)
def test_text_encodings(tmp_path: Path, encode) -> None:
    text = "Quản lý chất lượng\nỦy ban nhân dân tỉnh Hà Tĩnh; kinh phí 725.960.000 đồng"
    path = tmp_path / "plan.txt"
    path.write_bytes(encode(text))
    assert load_document(path) == LoadedText(text, "txt")


def test_markdown_keeps_indentation_and_format(tmp_path: Path) -> None:
    path = tmp_path / "notes.md"
    path.write_text("# Ghi chú\n\n- Mục một   \n    - mục con\n", encoding="utf-8")
    assert load_document(path) == LoadedText("# Ghi chú\n\n- Mục một\n    - mục con", "md")


# --------------------------------------------------------------------------- docx built here

_TEXTBOX_PARAGRAPH = """
<w:p xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"
     xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"
     xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
     xmlns:v="urn:schemas-microsoft-com:vml">
  <w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr>
  <w:r><w:t xml:space="preserve">Giao Sở </w:t></w:r>
  <w:smartTag w:uri="urn:schemas-microsoft-com:office:smarttags" w:element="place">
    <w:r><w:t>Khoa học</w:t></w:r>
  </w:smartTag>
  <w:del w:id="1" w:author="x"><w:r><w:delText>ĐÃ_XÓA</w:delText></w:r></w:del>
  <w:ins w:id="2" w:author="x"><w:r><w:t xml:space="preserve"> chủ trì</w:t></w:r></w:ins>
  <w:r>
    <mc:AlternateContent>
      <mc:Choice Requires="wps"><w:drawing><wps:txbx><w:txbxContent>
        <w:p><w:r><w:t>Hộp văn bản: Ban chỉ đạo ISO</w:t></w:r></w:p>
      </w:txbxContent></wps:txbx></w:drawing></mc:Choice>
      <mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent>
        <w:p><w:r><w:t>Hộp văn bản: Ban chỉ đạo ISO</w:t></w:r></w:p>
      </w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback>
    </mc:AlternateContent>
  </w:r>
</w:p>
"""


def _make_docx() -> bytes:
    import docx
    from docx.oxml import parse_xml

    document = docx.Document()
    document.add_paragraph("KẾ HOẠCH")
    document.add_paragraph("")  # empty paragraphs are skipped
    document.add_paragraph("   ")
    p = document.add_paragraph("I. MỤC ĐÍCH")
    p.add_run().add_break()
    p.add_run("1. Mục đích")  # a line break inside a paragraph stays a line break
    table = document.add_table(rows=3, cols=3)
    table.cell(0, 1).merge(table.cell(0, 2))  # horizontal merge (gridSpan)
    table.cell(1, 1).merge(table.cell(2, 1))  # vertical merge (vMerge)
    table.cell(0, 0).text = "STT"
    table.cell(0, 1).text = "Nội dung"
    table.cell(1, 0).text = "1"
    table.cell(1, 1).text = "Sở Khoa học và Công nghệ"
    table.cell(1, 2).text = "Đào tạo"
    table.cell(2, 0).text = "2"
    table.cell(2, 2).text = "Kiểm tra"
    nested = table.cell(2, 2).add_table(rows=1, cols=2)
    nested.cell(0, 0).text = "lồng"
    nested.cell(0, 1).text = "nhau"
    document.add_paragraph("II. NỘI DUNG")
    body = document.element.body
    body.insert(len(body) - 1, parse_xml(_TEXTBOX_PARAGRAPH))  # before sectPr
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def test_docx_paragraphs_tables_and_text_boxes_in_document_order(tmp_path: Path) -> None:
    path = tmp_path / "ke-hoach.docx"
    path.write_bytes(_make_docx())
    loaded = load_document(path)
    assert loaded.format == "docx"
    assert loaded.text == (
        "KẾ HOẠCH\n\n"
        "I. MỤC ĐÍCH\n1. Mục đích\n\n"
        "STT | Nội dung\n"
        "1 | Sở Khoa học và Công nghệ | Đào tạo\n"
        "2 | Sở Khoa học và Công nghệ | Kiểm tra lồng ; nhau\n\n"
        "II. NỘI DUNG\n\n"
        "Giao Sở Khoa học chủ trì\n\n"
        "Hộp văn bản: Ban chỉ đạo ISO"
    )


def test_content_wins_docx_renamed_bin_is_read_as_docx(tmp_path: Path) -> None:
    data = _make_docx()
    assert detect_format(data, "tai-lieu.bin") == "docx"
    assert detect_format(data, "tai-lieu") == "docx"
    path = tmp_path / "tai-lieu.bin"
    path.write_bytes(data)
    assert load_document(path).text.startswith("KẾ HOẠCH")


# --------------------------------------------------------------------------- pdf


def _make_pdf(*lines: str) -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    with matplotlib.rc_context({"font.family": "DejaVu Sans", "pdf.fonttype": 42}):
        fig = plt.figure(figsize=(5, 2))
        for i, line in enumerate(lines):
            fig.text(0.05, 0.8 - 0.25 * i, line)
        if not lines:
            fig.add_artist(plt.Rectangle((0.1, 0.1), 0.5, 0.5))
        buf = io.BytesIO()
        fig.savefig(buf, format="pdf")
        plt.close(fig)
    return buf.getvalue()


def test_pdf_text_layer_with_vietnamese(tmp_path: Path) -> None:
    path = tmp_path / "quyet-dinh.pdf"
    path.write_bytes(_make_pdf("Điều 4. Quản lý chất lượng", "Ủy ban nhân dân tỉnh Hà Tĩnh"))
    assert load_document(path) == LoadedText(
        "Điều 4. Quản lý chất lượng\nỦy ban nhân dân tỉnh Hà Tĩnh", "pdf"
    )


def test_pdf_without_text_layer_is_reported_as_scan(tmp_path: Path) -> None:
    path = tmp_path / "ban-scan.pdf"
    path.write_bytes(_make_pdf())
    with pytest.raises(DocumentParseError, match="không có lớp văn bản") as info:
        load_document(path)
    assert "ban-scan.pdf" in info.value.message


def test_truncated_or_garbage_pdf_is_a_parse_error(tmp_path: Path) -> None:
    data = _make_pdf("Điều 4. Quản lý chất lượng")
    for name, blob in {
        "cut.pdf": data[: len(data) // 3],
        "junk.pdf": b"%PDF-1.7\n" + b"\x8f\x01garbage" * 50,
    }.items():
        path = tmp_path / name
        path.write_bytes(blob)
        with pytest.raises(DocumentParseError) as info:
            load_document(path)
        assert not isinstance(info.value, UnsupportedDocumentError)
        assert name in info.value.message


# --------------------------------------------------------------------------- html


def test_html_drops_script_style_nav_and_keeps_blocks_and_tables() -> None:
    loaded = load_document(FIXTURES / "page.html")
    assert loaded.format == "html"
    for hidden in ("MÃ_ĐỘC", "font-family", "THANH_ĐIỀU_HƯỚNG", "BÌNH_LUẬN_ẨN", "BẬT_JAVASCRIPT", "DOCTYPE"):
        assert hidden not in loaded.text
    lines = loaded.text.split("\n")
    assert lines[0] == "Kế hoạch ISO 2024"
    assert "Duy trì, cải tiến Hệ thống quản lý chất lượng theo TCVN ISO 9001:2015." in lines
    assert ["1. Mục đích", "a) Bảo đảm hiệu lực của HTQLCL;", "b) Cải cách hành chính."] == lines[
        lines.index("1. Mục đích") : lines.index("1. Mục đích") + 3
    ]
    table = loaded.text.split("Phụ lục: Phân công\n", 1)[1].split("\n\n", 1)[0]
    assert table.split("\n") == [
        "STT | Nhiệm vụ | Cơ quan chủ trì",
        "1 | Đào tạo, tập huấn | Sở Khoa học và Công nghệ",
        "2 | Kiểm tra lồng nhau | Chi cục TĐC",
    ]
    assert lines[-1] == "Hạn nộp báo cáo: trước ngày 15/11 hàng năm."
    assert_normalised(loaded)


def test_html_in_a_txt_file_is_read_as_html() -> None:
    data = b"<!doctype html><html><body><p>Xin ch\xc3\xa0o</p><script>x()</script></body></html>"
    assert detect_format(data, "trang.txt") == "html"
    assert load_bytes(data, "trang.txt") == LoadedText("Xin chào", "html")


def test_table_row_drops_empty_cells_and_repeats_of_a_merged_cell() -> None:
    # converters (and python-docx's row.cells) repeat a merged cell's text in every grid column it spans
    data = "<table><tr><td>3</td><td>Báo cáo năm</td><td>Báo cáo năm</td><td> </td><td>Tháng 12</td></tr></table>"
    assert load_bytes(data.encode(), "bang.html").text == "3 | Báo cáo năm | Tháng 12"


def test_deeply_nested_html_does_not_crash() -> None:
    data = ("<div>" * 5000 + "Nội dung sâu" + "</div>" * 5000).encode()
    assert load_bytes(data, "sau.html").text == "Nội dung sâu"


# --------------------------------------------------------------------------- rejection and errors

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
)


def _zip(entries: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return buf.getvalue()


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("anh.pdf", PNG),  # a PNG renamed .pdf
        ("anh.bin", PNG),
        ("bang-tinh.docx", _zip({"xl/workbook.xml": b"<workbook/>"})),  # an xlsx renamed .docx
        ("hong.docx", b"PK\x03\x04" + b"\x00garbage" * 20),  # zip header, no zip
        ("van-ban.docx", "Đây là văn bản thường".encode()),  # text where Word was promised
        ("loi.pdf", b"<!DOCTYPE html><html><body>404 Not Found</body></html>"),  # an error page saved as .pdf
        ("bang-tinh.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512),  # OLE2 without a Word stream
        ("du-lieu.txt", bytes(range(256)) * 4),
    ],
)
def test_detect_format_rejects_unknown_or_contradicting_content(name: str, data: bytes) -> None:
    with pytest.raises(UnsupportedDocumentError) as info:
        detect_format(data, name)
    assert name in info.value.message and ".docx" in info.value.message  # names the file and the types


def test_detect_format_accepts_each_supported_kind() -> None:
    assert detect_format(b"%PDF-1.4\n...", "a.pdf") == "pdf"
    assert detect_format("# Tiêu đề".encode(), "a.md") == "md"
    assert detect_format("Điều 1.".encode(), "a.txt") == "txt"
    assert detect_format("Điều 1.".encode(), "khong-duoi") == "txt"
    assert detect_format(b"<p>Xin chao</p>", "a.htm") == "html"
    assert (
        detect_format(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "WordDocument".encode("utf-16-le"), "a.doc")
        == "doc"
    )
    assert SUPPORTED_EXTENSIONS == {".txt", ".md", ".docx", ".pdf", ".html", ".htm", ".doc"}


def test_corrupt_docx_is_a_parse_error_with_the_cause_kept(tmp_path: Path) -> None:
    path = tmp_path / "hong.docx"
    path.write_bytes(_zip({"[Content_Types].xml": b"<Types", "word/document.xml": b"<w:document"}))
    with pytest.raises(DocumentParseError) as info:
        load_document(path)
    assert not isinstance(info.value, UnsupportedDocumentError)
    assert "hong.docx" in info.value.message
    assert info.value.__cause__ is not None  # vendor exception chained, not leaked


@needs_doc_tool
def test_corrupt_doc_is_a_parse_error(tmp_path: Path) -> None:
    path = tmp_path / "hong.doc"
    path.write_bytes(
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "WordDocument".encode("utf-16-le") + b"\x07junk" * 200
    )
    with pytest.raises(DocumentParseError) as info:
        load_document(path)
    assert not isinstance(info.value, (UnsupportedDocumentError, MissingToolError))
    assert "hong.doc" in info.value.message


def test_doc_without_converter_names_the_tool_to_install(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # neither antiword nor catdoc can be found
    with pytest.raises(MissingToolError) as info:
        load_document(LEGAL / "nd-30-2020-nd-cp-phu-luc-I.doc")
    assert "antiword" in info.value.message and "apt-get install antiword" in info.value.message


def test_empty_and_whitespace_only_files_have_no_text(tmp_path: Path) -> None:
    for name, data in {
        "rong.txt": b"",
        "trang.txt": b"  \r\n\t\n",
        "rong.html": b"<html><body> </body></html>",
    }.items():
        path = tmp_path / name
        path.write_bytes(data)
        with pytest.raises(DocumentParseError, match="không có nội dung văn bản"):
            load_document(path)


def test_missing_file_is_a_parse_error(tmp_path: Path) -> None:
    with pytest.raises(DocumentParseError, match="khong-co.txt"):
        load_document(tmp_path / "khong-co.txt")


def test_a_table_written_one_cell_a_line_keeps_its_empty_cells() -> None:
    from assistant.adapters.loaders import load_bytes

    rows = "\t1 \n\tVăn phòng Tỉnh ủy\n\t-\n\tX\n\n\t4 \n\tSở Khoa học và Công nghệ\n\tX\n\t\n\n"
    rows += "\t15 \n\tSở Văn hóa Thể thao và Du lịch\n\t\n\tX\n"
    raw = f"Phụ lục 1\n\n\tSTT\n\tTên cơ quan thực hiện\n\tMở rộng\nphạm vi áp dụng\n\tDuy trì,\ncải tiến\n\n{rows}"
    text = load_bytes(raw.encode("utf-8"), "plan.txt").text
    lines = [ln for ln in text.split("\n") if ln]
    assert lines == [
        "Phụ lục 1",
        "STT\tTên cơ quan thực hiện\tMở rộng phạm vi áp dụng\tDuy trì, cải tiến",
        "1\tVăn phòng Tỉnh ủy\t-\tX",
        "4\tSở Khoa học và Công nghệ\tX",  # the empty last cell goes with the line's trailing tab
        "15\tSở Văn hóa Thể thao và Du lịch\t\tX",  # the empty cell keeps "X" in the last column
    ]
    # two indented paragraphs are not a table: fewer than three rows of the same shape
    prose = "\tĐiều 1. Phạm vi\n\tĐiều 2. Đối tượng\n\nNội dung."
    assert (
        load_bytes(prose.encode("utf-8"), "prose.txt").text
        == "Điều 1. Phạm vi\nĐiều 2. Đối tượng\n\nNội dung."
    )
