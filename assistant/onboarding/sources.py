"""Locate a verbatim quote of a curriculum file in the served index: the chunk that contains it.

Quotes are compared NFC with whitespace collapsed, then tone-folded. A quote that straddles two chunks
resolves to the chunk holding its longest leading part. Results are cached per index version.
"""

from __future__ import annotations

import threading

from ..domain.models import Chunk, Citation
from ..domain.vntext import collapse_ws, fold, nfc


def _norm(text: str) -> str:
    return collapse_ws(nfc(text))


class SourceResolver:
    """``resolve(doc_id, quote, n)`` → ``Citation`` of the indexed chunk containing the quote, or ``None``."""

    MIN_PREFIX = 40  # characters of a straddling quote that must lie in one chunk

    def __init__(self, reader) -> None:
        self._reader = reader
        self._version: str | None = None
        self._chunks: dict[str, list[tuple[Chunk, str, str]]] = {}
        self._cache: dict[tuple[str, str], Citation | None] = {}
        self._lock = threading.Lock()

    def _doc_chunks(self, snap, doc_id: str) -> list[tuple[Chunk, str, str]]:
        if self._version != snap.version:
            self._version, self._chunks, self._cache = snap.version, {}, {}
        if doc_id not in self._chunks:
            chunks = sorted((c for c in snap.chunks.values() if c.doc_id == doc_id), key=lambda c: c.ordinal)
            self._chunks[doc_id] = [(c, _norm(c.text), fold(_norm(c.text))) for c in chunks]
        return self._chunks[doc_id]

    def resolve(self, doc_id: str, quote: str, n: int = 0) -> Citation | None:
        snap = self._reader.snapshot()
        with self._lock:
            chunks = self._doc_chunks(snap, doc_id)
            key = (doc_id, quote)
            if key not in self._cache:
                self._cache[key] = self._find(snap, doc_id, chunks, quote)
            found = self._cache[key]
        return found.model_copy(update={"n": n}) if found is not None else None

    def _find(self, snap, doc_id: str, chunks, quote: str) -> Citation | None:
        q = _norm(quote)
        qf = fold(q)
        chunk = next((c for c, t, _ in chunks if q in t), None)
        if chunk is None:
            chunk = next((c for c, _, f in chunks if qf in f), None)
        if chunk is None:  # straddles a chunk boundary: the chunk with the longest leading part
            best, best_len = None, 0
            for c, _, f in chunks:
                size = _prefix_in(qf, f)
                if size > best_len:
                    best, best_len = c, size
            if best is not None and best_len >= min(self.MIN_PREFIX, len(qf)):
                chunk = best
        if chunk is None:
            return None
        doc = snap.documents.get(doc_id)
        return Citation(
            n=0,
            doc_id=doc_id,
            chunk_id=chunk.chunk_id,
            title=doc.title if doc else doc_id,
            number=doc.number if doc else None,
            section=chunk.section,
            quote=q,
        )


def _prefix_in(needle: str, hay: str) -> int:
    """Length of the longest prefix of ``needle`` found in ``hay`` (binary search on word boundaries)."""
    cuts = [i for i, ch in enumerate(needle) if ch == " "] + [len(needle)]
    lo, hi, best = 0, len(cuts) - 1, 0
    while lo <= hi:
        mid = (lo + hi) // 2
        if needle[: cuts[mid]] in hay:
            best, lo = cuts[mid], mid + 1
        else:
            hi = mid - 1
    return best
