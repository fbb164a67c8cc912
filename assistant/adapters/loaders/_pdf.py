"""PDF: the text layer of every page (scans without one are rejected)."""

from __future__ import annotations

import io

from ...domain.errors import DocumentParseError
from ._detect import _label, _parse_error


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
