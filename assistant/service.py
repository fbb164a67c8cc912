"""The ``Assistant``: the one object every front end (CLI, web, Telegram) calls.

It holds no vendor code; ``assistant.bootstrap.build_assistant(settings)`` wires the adapters.
Methods raise ``AssistantError`` subclasses; "no evidence" is an ``Answer`` with ``refused=True``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from .domain.errors import NotFoundError
from .domain.models import (
    Answer,
    Chunk,
    DocumentInfo,
    Draft,
    DraftKindSpec,
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

    def __init__(
        self,
        *,
        settings,
        catalog,
        reader,
        retriever,
        answering,
        currency,
        indexer_factory,
        drafter_factory,
        onboarding_factory,
    ) -> None:
        self.settings = settings
        self.catalog = catalog
        self.reader = reader
        self.retriever = retriever
        self.answering = answering
        self.currency = currency
        self._indexer_factory = indexer_factory
        self._drafter_factory = drafter_factory
        self._onboarding_factory = onboarding_factory
        self._drafter = None
        self._onboarding = None

    # ------------------------------------------------------------------ answers
    def ask(
        self, question: str, history: Sequence[Turn] | None = None, filters: Filters | None = None
    ) -> Answer:
        """Trả lời câu hỏi có trích dẫn (hoặc từ chối khi tài liệu không nói)."""
        onboarding = self._onboarding_answer(question, history)
        if onboarding is not None:
            return onboarding
        return self.answering.ask(question, history, filters)

    def ask_stream(
        self, question: str, history: Sequence[Turn] | None = None, filters: Filters | None = None
    ) -> Iterator[str | Answer]:
        """Yields answer text pieces as they are composed, then the final ``Answer`` last."""
        onboarding = self._onboarding_answer(question, history)
        if onboarding is not None:
            yield onboarding.answer
            yield onboarding
            return
        yield from self.answering.ask_stream(question, history, filters)

    def _onboarding_answer(self, question: str, history) -> Answer | None:
        try:
            svc = self.onboarding()
        except ImportError:
            return None
        route = getattr(svc, "route_question", None)
        return route(question) if route else None

    def search(self, query: str, k: int = 10, filters: Filters | None = None) -> list[SearchHit]:
        self.answering.validate_question(query)
        return self.retriever.search(query, k=k, filters=filters)

    # ------------------------------------------------------------------ documents
    def documents(self) -> list[DocumentInfo]:
        """Catalog entries (held or only cited) with the indexed files of each."""
        snap = self.reader.snapshot()
        by_entry: dict[str | None, list] = {}
        for d in snap.documents.values():
            by_entry.setdefault(d.catalog_id, []).append(d)
        out = [DocumentInfo(entry=e, documents=tuple(by_entry.get(e.id, ()))) for e in self.catalog]
        out.extend(DocumentInfo(entry=None, documents=(d,)) for d in by_entry.get(None, ()))
        return out

    def document_sections(self, doc_id: str) -> list[Section]:
        """Full text of one indexed document, by section. Raises ``NotFoundError``."""
        snap = self.reader.snapshot()
        if doc_id not in snap.documents:
            raise NotFoundError(f"Không có tài liệu mã “{doc_id}” trong chỉ mục.")
        sections: list[Section] = []
        for c in snap.meta.chunks_of(doc_id):
            if sections and sections[-1].section == c.section:
                last = sections[-1]
                sections[-1] = last.model_copy(update={"chunks": (*last.chunks, c)})
            else:
                sections.append(Section(section=c.section, heading=c.heading, chunks=(c,)))
        return sections

    def chunk(self, chunk_id: str) -> Chunk:
        c = self.reader.snapshot().chunks.get(chunk_id)
        if c is None:
            raise NotFoundError(f"Không tìm thấy đoạn “{chunk_id}” trong chỉ mục hiện tại.")
        return c

    def doc_info(self, number_or_id: str) -> dict:
        """Status, dates, replaces / replaced_by and cited_by of a document number or catalog id."""
        return self._facts().doc_info(number_or_id)

    # ------------------------------------------------------------------ facts
    def _facts(self):
        facts = self.answering.facts
        if facts is None:
            raise NotFoundError("Chức năng dữ kiện (hạn chót, cơ quan) chưa sẵn sàng trong bản cài đặt này.")
        return facts

    def deadlines(
        self,
        province: str | None = None,
        agency: str | None = None,
        date_from: dt.date | None = None,
        date_to: dt.date | None = None,
    ) -> list[Fact]:
        return self._facts().deadlines(province=province, agency=agency, date_from=date_from, date_to=date_to)

    def deadlines_ics(self, facts: Sequence[Fact]) -> bytes:
        from .facts.ics import to_ics

        return to_ics(list(facts))

    def agencies(self, task_words: str, province: str | None = None) -> list[Fact]:
        return self._facts().agencies(task_words, province=province)

    def fact_warnings(self, fact: Fact) -> list:
        svc = self._facts()
        snap = self.reader.snapshot()
        doc = snap.documents.get(fact.doc_id)
        entry = self.catalog.get(doc.catalog_id) if doc and doc.catalog_id else None
        return svc.warnings_for(fact, entry)

    # ------------------------------------------------------------------ drafting
    def drafter(self):
        if self._drafter is None:
            self._drafter = self._drafter_factory()
        return self._drafter

    def draft_kinds(self) -> list[DraftKindSpec]:
        return self.drafter().kinds()

    def draft(self, kind: str, fields: dict[str, Any]) -> Draft:
        """Raises ``InvalidInputError`` with a Vietnamese message listing missing/invalid fields."""
        return self.drafter().draft(kind, fields)

    # ------------------------------------------------------------------ onboarding
    def onboarding(self):
        if self._onboarding is None:
            self._onboarding = self._onboarding_factory()
        return self._onboarding

    # ------------------------------------------------------------------ indexing
    def index(self, sources: Sequence[Path], progress=None) -> IndexReport:
        return self._indexer_factory().run(list(sources), progress)

    def upload(self, file_name: str, data: bytes) -> IndexReport:
        """Save an uploaded file (type checked by content) and index it incrementally.

        Raises ``UnsupportedDocumentError`` / ``DocumentParseError`` before touching the index when the
        file is not a readable document.
        """
        import re as _re

        from .adapters.loaders import detect_format, load_bytes

        fmt = detect_format(data, file_name)
        load_bytes(data, file_name)  # parse before anything reaches the store: a corrupt file changes nothing
        safe = _re.sub(r"[^\w.\-]+", "_", Path(file_name).name).strip("._") or "tai-lieu"
        name = f"{Path(safe).stem}.{fmt}"
        uploads = self.reader.layout.uploads
        uploads.mkdir(parents=True, exist_ok=True)
        target = uploads / name
        tmp_target = uploads / f".{name}.part"
        tmp_target.write_bytes(data)
        tmp_target.replace(target)
        return self.reindex()

    def reindex(self) -> IndexReport:
        """Re-index the sources of the last index run (knowledge/ and uploads by default)."""
        layout = self.reader.layout
        sources = layout.read_sources() or [self.settings.knowledge_dir]
        if layout.uploads.exists() and layout.uploads.resolve() not in {p.resolve() for p in sources}:
            sources.append(layout.uploads)
        return self.index(sources)

    def health(self) -> dict:
        layout = self.reader.layout
        version = layout.current()
        info: dict[str, Any] = {"status": "ok" if version else "no_index", "index_version": version}
        if version:
            snap = self.reader.snapshot()
            info.update(
                documents=len(snap.documents),
                chunks=len(snap.chunks),
                embedding_model=snap.manifest.get("embedding_model"),
            )
        info["llm"] = bool(self.settings.llm.base_url)
        return info
