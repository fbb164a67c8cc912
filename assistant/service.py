"""The ``Assistant``: the one object every front end (CLI, web, Telegram) calls.

It holds no vendor code; ``assistant.bootstrap.build_assistant(settings)`` wires the adapters.
Methods raise ``AssistantError`` subclasses; "no evidence" is an ``Answer`` with ``refused=True``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from .domain.models import (
    Answer,
    Chunk,
    Draft,
    DraftKindSpec,
    DocumentInfo,
    Fact,
    Filters,
    IndexReport,
    SearchHit,
    Section,
    Turn,
)


class Assistant:
    """Facade over retrieval, answering, facts, drafting, onboarding and indexing.

    Collaborators are given by ``build_assistant``; see that function for the wiring.
    """

    def __init__(self, **components: Any) -> None:
        self._c = components

    # ------------------------------------------------------------------ answers
    def ask(self, question: str, history: Sequence[Turn] | None = None, filters: Filters | None = None) -> Answer:
        """Trả lời câu hỏi có trích dẫn (hoặc từ chối khi tài liệu không nói)."""
        raise NotImplementedError

    def ask_stream(
        self, question: str, history: Sequence[Turn] | None = None, filters: Filters | None = None
    ) -> Iterator[str | Answer]:
        """Yields answer text pieces as they are composed, then the final ``Answer`` last."""
        raise NotImplementedError

    def search(self, query: str, k: int = 10, filters: Filters | None = None) -> list[SearchHit]:
        raise NotImplementedError

    # ------------------------------------------------------------------ documents
    def documents(self) -> list[DocumentInfo]:
        """Catalog entries (held or only cited) with the indexed files of each."""
        raise NotImplementedError

    def document_sections(self, doc_id: str) -> list[Section]:
        """Full text of one indexed document, by section. Raises ``NotFoundError``."""
        raise NotImplementedError

    def chunk(self, chunk_id: str) -> Chunk:
        raise NotImplementedError

    def doc_info(self, number_or_id: str) -> dict:
        """Status, dates, replaces / replaced_by and cited_by of a document number or catalog id."""
        raise NotImplementedError

    # ------------------------------------------------------------------ facts
    def deadlines(
        self,
        province: str | None = None,
        agency: str | None = None,
        date_from: dt.date | None = None,
        date_to: dt.date | None = None,
    ) -> list[Fact]:
        raise NotImplementedError

    def deadlines_ics(self, facts: Sequence[Fact]) -> bytes:
        raise NotImplementedError

    def agencies(self, task_words: str, province: str | None = None) -> list[Fact]:
        raise NotImplementedError

    # ------------------------------------------------------------------ drafting
    def draft_kinds(self) -> list[DraftKindSpec]:
        raise NotImplementedError

    def draft(self, kind: str, fields: dict[str, Any]) -> Draft:
        """Raises ``InvalidInputError`` with a Vietnamese message listing missing/invalid fields."""
        raise NotImplementedError

    # ------------------------------------------------------------------ indexing
    def index(self, sources: Sequence[Path]) -> IndexReport:
        raise NotImplementedError

    def upload(self, file_name: str, data: bytes) -> IndexReport:
        """Save an uploaded file (type checked by content) and index it incrementally.

        Raises ``UnsupportedDocumentError`` / ``DocumentParseError`` before touching the index when the
        file is not a readable document.
        """
        raise NotImplementedError

    def reindex(self) -> IndexReport:
        """Re-index the sources of the last index run (knowledge/ and uploads by default)."""
        raise NotImplementedError

    def health(self) -> dict:
        raise NotImplementedError
