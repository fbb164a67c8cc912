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

from dataclasses import dataclass
from pathlib import Path

from ...domain.errors import AssistantError, DocumentParseError
from ._detect import (
    _FORMAT_NAMES,
    OLE2_MAGIC,
    SUPPORTED_EXTENSIONS,
    _label,
    _load_text,
    _parse_error,
    detect_format,
)
from ._docx import MAX_UNCOMPRESSED_BYTES, _load_docx
from ._html import _html_to_text
from ._legacy_doc import CONVERTER_TIMEOUT_S, _load_doc
from ._normalise import normalise_text
from ._pdf import _load_pdf

__all__ = [
    "CONVERTER_TIMEOUT_S",
    "MAX_UNCOMPRESSED_BYTES",
    "OLE2_MAGIC",
    "SUPPORTED_EXTENSIONS",
    "LoadedText",
    "detect_format",
    "load_bytes",
    "load_document",
    "normalise_text",
]


@dataclass(frozen=True)
class LoadedText:
    """Văn bản đã trích từ một tệp, kèm định dạng thật của tệp."""

    text: str
    format: str  # "txt" | "md" | "docx" | "pdf" | "html" | "doc"


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
