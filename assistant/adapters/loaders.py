"""Document loaders: bytes of a .txt/.md/.docx/.pdf/.html/.doc file → normalised plain text.

The output keeps the line structure the chunker depends on (``Điều 4.``, ``II.``, ``1.``, ``a)``,
``-`` bullets each start a line). Normalisation, the same for every format:

- Unicode NFC (``vntext.nfc``), line endings ``\\n``, control characters dropped;
- every line stripped of surrounding whitespace (Markdown: trailing only, indentation is syntax);
- runs of blank lines collapsed to one; paragraphs/blocks are separated by one blank line,
  as in the plain-text corpus; a table row is one line with its cells joined by ``" | "``.

Format detection is **by content** (``detect_format``) — the web upload uses it too:
the file name only separates ``md`` from ``txt`` and catches contradictions. A file whose
extension is a supported one must hold content of the same kind (Word, PDF or text), so an
HTML error page saved as ``.pdf`` or a PNG renamed ``.pdf`` is rejected; a ``.doc`` saved as
``.docx`` (both Word) is read as what it is. An unknown extension (``.bin``, none) is accepted
when the content is a supported format: content wins.

Every failure is a ``DocumentParseError`` (or its subclasses ``UnsupportedDocumentError``,
``MissingToolError``) with a Vietnamese message naming the file; vendor exceptions never escape.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..domain.errors import AssistantError, DocumentParseError, MissingToolError, UnsupportedDocumentError
from ..domain.vntext import collapse_ws, nfc

SUPPORTED_EXTENSIONS = {".txt", ".md", ".docx", ".pdf", ".html", ".htm", ".doc"}
_SUPPORTED_TEXT = ".txt, .md, .docx, .pdf, .html/.htm, .doc (Word 97-2003)"

_KIND = {"txt": "text", "md": "text", "html": "text", "docx": "word", "doc": "word", "pdf": "pdf"}
_EXT_KIND = {ext: _KIND["html" if ext.startswith(".htm") else ext[1:]] for ext in SUPPORTED_EXTENSIONS}

_FORMAT_NAMES = dict(txt="văn bản", md="Markdown", html="HTML", docx="Word", doc="Word 97-2003", pdf="PDF")
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_WORD_STREAM = "WordDocument".encode("utf-16-le")
MAX_UNCOMPRESSED_BYTES = 256 * 1024 * 1024  # zip-bomb guard for .docx
CONVERTER_TIMEOUT_S = 60


@dataclass(frozen=True)
class LoadedText:
    """Văn bản đã trích từ một tệp, kèm định dạng thật của tệp."""

    text: str
    format: str  # "txt" | "md" | "docx" | "pdf" | "html" | "doc"


# --------------------------------------------------------------------------- detection


def _label(file_name: str) -> str:
    name = Path(file_name).name or file_name
    return name if len(name) <= 200 else name[:197] + "…"


def _unsupported(file_name: str, reason: str) -> UnsupportedDocumentError:
    return UnsupportedDocumentError(
        f"Tệp “{_label(file_name)}” không đọc được: {reason}. "
        f"Chỉ hỗ trợ các định dạng {_SUPPORTED_TEXT}; hãy lưu lại tệp ở một trong các định dạng này."
    )


def _parse_error(file_name: str, reason: str) -> DocumentParseError:
    return DocumentParseError(
        f"Không đọc được tệp “{_label(file_name)}”: {reason}. "
        "Hãy kiểm tra tệp mở được bình thường, hoặc lưu lại dưới dạng .docx hay .txt rồi thử lại."
    )


_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def _decode_text(data: bytes, allow_legacy: bool) -> str | None:
    """UTF-8 (BOM optional), UTF-16 with BOM, or — when allowed — windows-1258. None = not text."""
    try:
        if data.startswith(b"\xef\xbb\xbf"):
            text = data[3:].decode("utf-8")
        elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
            text = data.decode("utf-16")
        elif b"\x00" in data:
            return None
        else:
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                if not allow_legacy:
                    return None
                text = data.decode("cp1258")
    except UnicodeDecodeError:
        return None
    # binary that happens to decode: too many control characters
    if len(_CONTROL_RE.findall(text)) > max(1, len(text) // 1000):
        return None
    return text


_HTML_STRONG = ("<!doctype html", "<html")
_HTML_WEAK = ("<body", "<head", "<p>", "<p ", "<div", "<table", "<meta", "<title", "<br")


def _looks_like_html(text: str) -> bool:
    start = text[:2048].lstrip().lower()
    if any(marker in start for marker in _HTML_STRONG):
        return True
    return start.startswith("<") and any(marker in start for marker in _HTML_WEAK)


def _sniff(data: bytes, ext: str) -> tuple[str | None, str]:
    """(format, reason when None)."""
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                names = set(zf.namelist())
        except (zipfile.BadZipFile, ValueError, OSError):
            return None, "tệp nén ZIP bị hỏng"
        if "word/document.xml" in names:
            return "docx", ""
        return None, "tệp nén ZIP không phải văn bản Word .docx"
    if data.startswith(OLE2_MAGIC):
        if _WORD_STREAM in data:
            return "doc", ""
        return None, "tệp Office cũ không phải văn bản Word (có thể là Excel/PowerPoint)"
    if b"%PDF-" in data[:1024]:
        return "pdf", ""
    text = _decode_text(data, allow_legacy=_EXT_KIND.get(ext) == "text")
    if text is None:
        return None, "nội dung là dữ liệu nhị phân không nhận dạng được"
    if _looks_like_html(text):
        return "html", ""
    return ("md" if ext == ".md" else "txt"), ""


def detect_format(data: bytes, file_name: str) -> str:
    """Định dạng thật của tệp, xét theo nội dung: "txt", "md", "docx", "pdf", "html" hoặc "doc".

    Raises ``UnsupportedDocumentError`` when the content is none of these, or when a supported
    extension contradicts the content kind (e.g. ``.pdf`` holding a PNG, ``.docx`` holding text).
    """
    ext = Path(file_name).suffix.lower()
    fmt, reason = _sniff(data, ext)
    if fmt is None:
        raise _unsupported(file_name, reason)
    expected = _EXT_KIND.get(ext)
    if expected is not None and expected != _KIND[fmt]:
        raise _unsupported(file_name, f"phần mở rộng {ext} không khớp với nội dung thật (định dạng {fmt})")
    return fmt


# --------------------------------------------------------------------------- normalisation

_LINE_BREAKS = re.compile(r"\r\n?|[\f\v\x85\u2028\u2029]")
_BLANK_RUNS = re.compile(r"\n{3,}")


def normalise_text(text: str, fmt: str = "txt") -> str:
    """NFC, ``\\n`` line endings, no control characters, stripped lines, single blank lines."""
    text = _LINE_BREAKS.sub("\n", nfc(text))
    text = _CONTROL_RE.sub("", text)
    strip: Callable[[str], str] = str.rstrip if fmt == "md" else str.strip
    text = "\n".join(strip(line) for line in text.split("\n"))
    return _BLANK_RUNS.sub("\n\n", text).strip("\n")


def _row_line(cells: Iterable[str], sep: str = " | ") -> str:
    """One table row → ``a | b | c``: empty cells dropped, adjacent duplicates (merged cells) once."""
    out: list[str] = []
    for cell in cells:
        cell = collapse_ws(cell)
        if cell and (not out or out[-1] != cell):
            out.append(cell)
    return sep.join(out)


# --------------------------------------------------------------------------- docx (WordprocessingML)

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


# --------------------------------------------------------------------------- html

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


# --------------------------------------------------------------------------- formats


def _load_text(data: bytes, name: str) -> str:
    text = _decode_text(data, allow_legacy=True)
    if text is None:
        raise _parse_error(name, "không giải mã được bảng mã ký tự (cần UTF-8, UTF-16 hoặc Windows-1258)")
    return text


def _load_docx(data: bytes, name: str) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        if sum(info.file_size for info in zf.infolist()) > MAX_UNCOMPRESSED_BYTES:
            raise _parse_error(name, "tệp .docx giải nén quá lớn")
    import docx  # python-docx

    document = docx.Document(io.BytesIO(data))
    return "\n\n".join(_docx_blocks(document.element.body))


def _load_pdf(data: bytes, name: str) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted and not reader.decrypt(""):
        raise _parse_error(name, "tệp PDF được bảo vệ bằng mật khẩu")
    pages = [(page.extract_text() or "").strip() for page in reader.pages]
    if not any(pages):
        raise DocumentParseError(
            f"Tệp “{_label(name)}” không có lớp văn bản (có thể là bản scan). "
            "Hãy nhận dạng chữ (OCR) cho tệp hoặc dùng bản .docx/.txt gốc."
        )
    return "\n\n".join(p for p in pages if p)


_ANTIWORD_TABLE_ROW = re.compile(r"^\s*\|(.*)\|\s*$")


def _antiword_tables(text: str) -> str:
    """antiword draws table rows as ``|cell   |cell  |``; make them ``cell | cell``."""
    lines = []
    for line in text.split("\n"):
        m = _ANTIWORD_TABLE_ROW.match(line)
        lines.append(_row_line(m.group(1).split("|")) if m else line)
    return "\n".join(lines)


def _run_converter(cmd: list[str], name: str) -> str:
    tool, target = Path(cmd[0]).name, cmd[-1]
    try:
        proc = subprocess.run(cmd, capture_output=True, timeout=CONVERTER_TIMEOUT_S, check=False)
    except subprocess.TimeoutExpired as exc:
        raise _parse_error(name, f"{tool} chạy quá {CONVERTER_TIMEOUT_S} giây") from exc
    except OSError as exc:
        raise _parse_error(name, f"không chạy được {tool} ({exc.strerror})") from exc
    if proc.returncode != 0:
        detail = collapse_ws(proc.stderr.decode("utf-8", "replace").replace(target, _label(name))).rstrip(".")
        raise _parse_error(name, f"{tool} báo lỗi: {detail[:200] or f'mã lỗi {proc.returncode}'}")
    return proc.stdout.decode("utf-8", "replace")


def _load_doc(data: bytes, name: str, path: Path | None) -> str:
    """Word 97-2003 via antiword (preferred: keeps paragraphs and table rows) or else catdoc."""
    antiword, catdoc = shutil.which("antiword"), shutil.which("catdoc")
    if not antiword and not catdoc:
        raise MissingToolError(
            f"Cần công cụ antiword để đọc tệp Word 97-2003 “{_label(name)}”. "
            "Cài bằng lệnh: sudo apt-get install antiword — hoặc mở tệp bằng Word và lưu lại dưới dạng .docx."
        )
    with tempfile.TemporaryDirectory(prefix="isoassist-doc-") as tmp:
        if path is None:
            path = Path(tmp) / "input.doc"
            path.write_bytes(data)
        target = str(Path(path).absolute())  # never starts with "-"
        first_error: DocumentParseError | None = None
        if antiword:
            try:
                return _antiword_tables(
                    _run_converter([antiword, "-m", "UTF-8.txt", "-w", "0", target], name)
                )
            except DocumentParseError as exc:
                first_error = exc
        if catdoc:
            try:
                out = _run_converter([catdoc, "-d", "utf-8", "-w", target], name)
            except DocumentParseError:
                if first_error is None:
                    raise
            else:
                return "\n".join(_row_line(ln.split("\t")) if "\t" in ln else ln for ln in out.split("\n"))
        assert first_error is not None
        raise first_error


# --------------------------------------------------------------------------- public API


def load_bytes(data: bytes, file_name: str, *, path: Path | None = None) -> LoadedText:
    """Detect the format of ``data`` and extract its normalised text (``file_name`` for messages)."""
    fmt = detect_format(data, file_name)
    try:
        if fmt in ("txt", "md"):
            raw = _load_text(data, file_name)
        elif fmt == "docx":
            raw = _load_docx(data, file_name)
        elif fmt == "pdf":
            raw = _load_pdf(data, file_name)
        elif fmt == "html":
            raw = _html_to_text(_load_text(data, file_name))
        else:
            raw = _load_doc(data, file_name, path)
    except AssistantError:
        raise
    except RecursionError as exc:
        raise _parse_error(file_name, "cấu trúc lồng nhau quá sâu") from exc
    except Exception as exc:  # vendor parsers raise anything; map every failure to our tree
        reason = f"tệp {_FORMAT_NAMES[fmt]} bị hỏng hoặc không đúng chuẩn ({type(exc).__name__})"
        raise _parse_error(file_name, reason) from exc
    text = normalise_text(raw, fmt)
    if not text:
        raise DocumentParseError(f"Tệp “{_label(file_name)}” không có nội dung văn bản.")
    return LoadedText(text=text, format=fmt)


def load_document(path: Path) -> LoadedText:
    """Read a file, detect its format by content and return its normalised text."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise _parse_error(path.name, f"không mở được tệp ({exc.strerror or type(exc).__name__})") from exc
    return load_bytes(data, path.name, path=path)
