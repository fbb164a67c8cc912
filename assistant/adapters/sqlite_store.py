"""SQLite store of one index version: documents, chunks and their BM25 tokens."""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterable
from pathlib import Path

from ..domain.models import Chunk, Citation, Document
from ..domain.vntext import collapse_ws, fold

_SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
  doc_id TEXT PRIMARY KEY, source_path TEXT, content_hash TEXT, json TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS chunks (
  chunk_id TEXT PRIMARY KEY, doc_id TEXT NOT NULL, ordinal INT, section TEXT, json TEXT NOT NULL,
  accent_tokens TEXT, plain_tokens TEXT
);
CREATE INDEX IF NOT EXISTS chunks_doc ON chunks(doc_id, ordinal);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
"""


class MetaStore:
    """Documents and chunks of one version (read-mostly; written once by the indexer)."""

    def __init__(self, path: Path, readonly: bool = False) -> None:
        self.path = path
        if readonly:
            uri = f"file:{path}?mode=ro"
            self._db = sqlite3.connect(uri, uri=True, check_same_thread=False)
        else:
            self._db = sqlite3.connect(str(path), check_same_thread=False)
            self._db.executescript(_SCHEMA)
        self._lock = threading.Lock()
        self._chunk_cache: dict[str, Chunk] | None = None

    def close(self) -> None:
        self._db.close()

    # ------------------------------------------------------------------ writing
    def write(self, docs: Iterable[Document], chunks: Iterable[tuple[Chunk, list[str], list[str]]]) -> None:
        with self._lock, self._db:
            self._db.executemany(
                "INSERT OR REPLACE INTO documents VALUES (?,?,?,?)",
                [(d.doc_id, d.source_path, d.content_hash, d.model_dump_json()) for d in docs],
            )
            self._db.executemany(
                "INSERT OR REPLACE INTO chunks VALUES (?,?,?,?,?,?,?)",
                [
                    (
                        c.chunk_id,
                        c.doc_id,
                        c.ordinal,
                        c.section,
                        c.model_dump_json(),
                        json.dumps(a),
                        json.dumps(p),
                    )
                    for c, a, p in chunks
                ],
            )

    def set_meta(self, key: str, value: str) -> None:
        with self._lock, self._db:
            self._db.execute("INSERT OR REPLACE INTO meta VALUES (?,?)", (key, value))

    # ------------------------------------------------------------------ reading
    def meta(self, key: str) -> str | None:
        row = self._db.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return row[0] if row else None

    def documents(self) -> list[Document]:
        with self._lock:
            rows = self._db.execute("SELECT json FROM documents ORDER BY doc_id").fetchall()
        return [Document.model_validate_json(r[0]) for r in rows]

    def _all(self) -> dict[str, Chunk]:
        if self._chunk_cache is None:
            with self._lock:
                rows = self._db.execute("SELECT json FROM chunks ORDER BY doc_id, ordinal").fetchall()
            chunks = [Chunk.model_validate_json(r[0]) for r in rows]
            self._chunk_cache = {c.chunk_id: c for c in chunks}
        return self._chunk_cache

    def chunks(self) -> list[Chunk]:
        return list(self._all().values())

    def chunk(self, chunk_id: str) -> Chunk | None:
        return self._all().get(chunk_id)

    def chunks_of(self, doc_id: str) -> list[Chunk]:
        return [c for c in self._all().values() if c.doc_id == doc_id]

    def chunks_with_tokens(self, doc_id: str) -> list[tuple[Chunk, list[str], list[str]]]:
        with self._lock:
            rows = self._db.execute(
                "SELECT json, accent_tokens, plain_tokens FROM chunks WHERE doc_id=? ORDER BY ordinal",
                (doc_id,),
            ).fetchall()
        return [(Chunk.model_validate_json(j), json.loads(a), json.loads(p)) for j, a, p in rows]

    # ------------------------------------------------------------------ evidence lookup (drafting port)
    def find(self, doc_id: str, phrase: str) -> Citation | None:
        """A citation whose quote is the sentence of ``doc_id`` that contains ``phrase`` (folded match)."""
        from ..answering.quotes import sentence_containing

        docs = {d.doc_id: d for d in self.documents()}
        doc = docs.get(doc_id)
        if doc is None:
            return None
        needle = fold(collapse_ws(phrase))
        for c in self.chunks_of(doc_id):
            if needle in fold(collapse_ws(c.text)):
                quote = sentence_containing(c.text, phrase)
                if quote:
                    return Citation(
                        n=0,
                        doc_id=doc_id,
                        chunk_id=c.chunk_id,
                        title=doc.title,
                        number=doc.number,
                        section=c.section,
                        quote=quote,
                    )
        return None
