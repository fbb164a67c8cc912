"""Format detection by content, text decoding, and the error messages every loader raises."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from ...domain.errors import DocumentParseError, UnsupportedDocumentError

SUPPORTED_EXTENSIONS = {".txt", ".md", ".docx", ".pdf", ".html", ".htm", ".doc"}
_SUPPORTED_TEXT = ".txt, .md, .docx, .pdf, .html/.htm, .doc (Word 97-2003)"

_KIND = {"txt": "text", "md": "text", "html": "text", "docx": "word", "doc": "word", "pdf": "pdf"}
_EXT_KIND = {ext: _KIND["html" if ext.startswith(".htm") else ext[1:]] for ext in SUPPORTED_EXTENSIONS}

_FORMAT_NAMES = dict(txt="văn bản", md="Markdown", html="HTML", docx="Word", doc="Word 97-2003", pdf="PDF")
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_WORD_STREAM = "WordDocument".encode("utf-16-le")


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


def _load_text(data: bytes, name: str) -> str:
    text = _decode_text(data, allow_legacy=True)
    if text is None:
        raise _parse_error(name, "không giải mã được bảng mã ký tự (cần UTF-8, UTF-16 hoặc Windows-1258)")
    return text
