"""The project's document id → source file table and the helpers that read a source document's text.

Shared by the index-free data tests (gold sets, onboarding lessons, glossary): seed plans live in
``knowledge/documents``, legal texts in ``../shared/corpus/legal``. A ``.txt`` file is read as UTF-8 text,
a ``.docx`` file as its paragraphs followed by every table cell (row by row) with python-docx. Quotes are
compared in the :func:`norm` form (NFC, whitespace collapsed).
"""

from __future__ import annotations

import functools
import unicodedata
from pathlib import Path

from conftest import KNOWLEDGE_DOCS, LEGAL

SEEDS = KNOWLEDGE_DOCS

# document id -> source file (the id/file table of the project)
DOC_FILES: dict[str, Path] = {
    "kh-dong-nai-2019": SEEDS / "000_a5180ff903824546.txt",
    "qd-37-2012-nghe-an": SEEDS / "001_e90ca5f9138f3124.txt",
    "kh-ninh-thuan-2022": SEEDS / "002_4d03c45630b33bb7.txt",
    "kh-310-2022-ha-tinh": SEEDS / "003_b3603c36b7cc60a7.txt",
    "kh-tien-giang-2008": SEEDS / "004_992f1e8524a3d073.txt",
    "qd-19-2014-qd-ttg": LEGAL / "qd-19-2014-qd-ttg.txt",
    "tt-26-2014-tt-bkhcn": LEGAL / "tt-26-2014-tt-bkhcn.txt",
    "tt-116-2015-tt-btc": LEGAL / "tt-116-2015-tt-btc.txt",
    "nd-30-2020-nd-cp": LEGAL / "nd-30-2020-nd-cp.docx",
    "nd-30-2020-nd-cp-phu-luc-i": LEGAL / "nd-30-2020-nd-cp-phu-luc-I.docx",
}


def norm(text: str) -> str:
    """NFC, whitespace collapsed (tabs and newlines of flattened tables become one space)."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def nfc_lines(text: str) -> list[str]:
    """The text's lines, each NFC-normalised and stripped."""
    return [unicodedata.normalize("NFC", line).strip() for line in text.splitlines()]


def _docx_text(path: Path) -> str:
    import docx  # python-docx

    document = docx.Document(str(path))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def raw_text(path: Path) -> str:
    """A source file's text as read (``.docx``: paragraphs, then table cells; one per line)."""
    return _docx_text(path) if path.suffix == ".docx" else path.read_text(encoding="utf-8")


@functools.cache
def document_text(doc_id: str) -> str:
    """The whole document in :func:`norm` form."""
    return norm(raw_text(DOC_FILES[doc_id]))


@functools.cache
def document_lines(doc_id: str) -> tuple[str, ...]:
    """The document's lines (NFC, stripped), for locating headings."""
    path = DOC_FILES[doc_id]
    assert path.exists(), f"missing source file for {doc_id}: {path}"
    return tuple(nfc_lines(raw_text(path)))
