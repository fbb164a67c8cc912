"""Glue between index versions and the facts store: extraction at index time, per-version reading."""

from __future__ import annotations

import threading
from pathlib import Path

from ..domain.catalog import Catalog
from ..domain.models import Chunk, Citation, Document


def write_facts(version_dir: Path, docs: list[Document], chunks: list[Chunk], catalog: Catalog) -> None:
    """Extract the facts of every document of a new version into ``facts.sqlite``."""
    from ..adapters.facts_sqlite import FactStore
    from ..facts.extract import extract_facts

    by_doc: dict[str, list[Chunk]] = {}
    for c in chunks:
        by_doc.setdefault(c.doc_id, []).append(c)
    facts = []
    for d in docs:
        entry = catalog.get(d.catalog_id) if d.catalog_id else None
        facts.extend(extract_facts(d, by_doc.get(d.doc_id, []), entry))
    store = FactStore(version_dir / "facts.sqlite")
    store.write(facts)
    close = getattr(store, "close", None)
    if close:
        close()


class VersionedFacts:
    """A ``FactsService`` over the served version; re-opened when the indexer switches versions."""

    def __init__(self, reader, catalog: Catalog) -> None:
        self._reader = reader
        self._catalog = catalog
        self._version: str | None = None
        self._svc = None
        self._lock = threading.Lock()

    def service(self):
        from ..adapters.facts_sqlite import FactStore
        from ..facts.service import FactsService

        snap = self._reader.snapshot()
        if self._svc is None or self._version != snap.version:
            with self._lock:
                if self._svc is None or self._version != snap.version:
                    path = self._reader.layout.version_dir(snap.version) / "facts.sqlite"
                    self._svc = FactsService(FactStore(path), self._catalog)
                    self._version = snap.version
        return self._svc

    def __getattr__(self, name: str):
        return getattr(self.service(), name)


class ReaderEvidence:
    """``EvidenceLookup`` for drafting: a verbatim sentence of an indexed document containing a phrase."""

    def __init__(self, reader) -> None:
        self._reader = reader

    def find(self, doc_id: str, phrase: str) -> Citation | None:
        return self._reader.snapshot().meta.find(doc_id, phrase)
