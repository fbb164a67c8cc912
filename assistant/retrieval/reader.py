"""Read side of a store: the served index version, reloaded when the indexer switches versions."""

from __future__ import annotations

import json
import math
import threading
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from ..config import StoreSettings
from ..domain.models import Chunk, Document
from ..indexing.layout import StoreLayout


@dataclass
class IndexSnapshot:
    """Everything needed to search one version (immutable once loaded)."""

    version: str
    meta: object  # MetaStore
    bm25_accent: object
    bm25_plain: object
    vectors: object  # ChromaVectorIndex
    documents: dict[str, Document]
    chunks: dict[str, Chunk]
    row_of: dict[str, int]  # chunk_id -> row in the BM25 arrays
    idf_plain: dict[str, float]
    manifest: dict
    chunk_refs: list  # (chunk_id, DocRef) for every document number written in a chunk
    preamble: dict[str, list[str]]  # doc_id -> texts before the first section (where "Căn cứ …" lines are)


def preambles(chunks) -> dict[str, list[str]]:
    """doc_id -> the texts before its first section (where the "Căn cứ …" lines are); a document without a
    preamble gets its first chunk. ``chunks`` are in document order."""
    out: dict[str, list[str]] = {}
    for c in chunks:
        texts = out.setdefault(c.doc_id, [])
        if not c.section or not texts:
            texts.append(c.text)
    return out


class IndexReader:
    """Holds the current snapshot; ``snapshot()`` reloads it when CURRENT names another version."""

    def __init__(self, settings: StoreSettings) -> None:
        self.settings = settings
        self.layout = StoreLayout(settings.path)
        self._snap: IndexSnapshot | None = None
        self._lock = threading.Lock()

    def snapshot(self) -> IndexSnapshot:
        version = self.layout.require_current()
        snap = self._snap
        if snap is not None and snap.version == version:
            return snap
        with self._lock:
            if self._snap is None or self._snap.version != version:
                self._snap = self._load(version)
            return self._snap

    def _load(self, version: str) -> IndexSnapshot:
        from ..adapters.bm25_index import BM25Index
        from ..adapters.chroma_store import ChromaVectorIndex
        from ..adapters.sqlite_store import MetaStore

        vdir: Path = self.layout.version_dir(version)
        meta = MetaStore(vdir / "meta.sqlite", readonly=True)
        accent = BM25Index.load(vdir / "bm25_accent")
        plain = BM25Index.load(vdir / "bm25_plain")
        vectors = ChromaVectorIndex(self.settings, vdir, version)
        docs = {d.doc_id: d for d in meta.documents()}
        chunks = {c.chunk_id: c for c in meta.chunks()}
        # document frequencies of accent-free syllables and syllable bigrams ("cong_bo"), for sentence
        # scoring
        df: Counter[str] = Counter()
        for doc_id in docs:
            for _c, _a, p in meta.chunks_with_tokens(doc_id):
                df.update(set(p))
        n = max(len(chunks), 1)
        idf = {t: math.log(1 + (n - f + 0.5) / (f + 0.5)) for t, f in df.items()}
        manifest = json.loads((vdir / "manifest.json").read_text(encoding="utf-8"))
        from ..domain.vntext import parse_doc_numbers

        chunk_refs = [(c.chunk_id, ref) for c in chunks.values() for ref in parse_doc_numbers(c.text)]
        return IndexSnapshot(
            version=version,
            meta=meta,
            bm25_accent=accent,
            bm25_plain=plain,
            vectors=vectors,
            documents=docs,
            chunks=chunks,
            row_of={cid: i for i, cid in enumerate(accent.ids)},
            idf_plain=idf,
            manifest=manifest,
            chunk_refs=chunk_refs,
            preamble=preambles(chunks.values()),
        )
