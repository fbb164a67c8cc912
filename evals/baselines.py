"""Baselines scored in the same run as the system (see ``domain.run_ranker``).

1. ``bm25-syllable``: bm25s over accent-free syllables of the plain chunk text (no header), the system's
   chunks; no query analysis, no routing, no fusion.
2. ``dense``: the system's own ``Retriever`` with ``modes=("dense",)`` (query analysis and routing kept).
3. ``langchain-chroma``: what a user assembles from defaults — LangChain ``RecursiveCharacterTextSplitter
   (chunk_size=1000, chunk_overlap=200)`` over the raw document texts, a Chroma collection (chromadb
   directly, cosine space) and dense top-k with the same embedder (``evals.lc_embeddings.E5Embeddings``).

Baselines that do not read history get the previous questions prepended to the question (generous to them).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from assistant.domain.vntext import strip_diacritics

from .domain import K, chunk_unit, turns
from .gold import GoldQuestion, Unit

_TOKEN = re.compile(r"\w+", re.UNICODE)


def syllables(text: str) -> list[str]:
    return _TOKEN.findall(strip_diacritics(text))


def _with_history(q: GoldQuestion) -> str:
    return " ".join([*q.history, q.question])


def bm25_syllable(assistant) -> Callable[[GoldQuestion], list[Unit]]:
    import bm25s

    snap = assistant.reader.snapshot()
    chunks = list(snap.chunks.values())
    units = [chunk_unit(c, snap.documents.get(c.doc_id)) for c in chunks]
    model = bm25s.BM25()
    model.index([syllables(c.text) or ["∅"] for c in chunks], show_progress=False)

    def rank(q: GoldQuestion) -> list[Unit]:
        toks = syllables(_with_history(q))
        if not toks:
            return []
        scores = np.asarray(model.get_scores(toks))
        order = np.argsort(-scores)[:K]
        return [units[i] for i in order if scores[i] > 0]

    return rank


def dense_only(assistant) -> Callable[[GoldQuestion], list[Unit]]:
    from assistant.retrieval.retriever import Retriever

    base = assistant.retriever
    retriever = Retriever(
        base.reader, base.embedder, base.catalog, base.settings, expander=base.expander, modes=("dense",)
    )

    def rank(q: GoldQuestion) -> list[Unit]:
        r = retriever.retrieve(q.question, k=K, history=turns(q))
        return [chunk_unit(h.chunk, h.doc) for h in r.hits]

    return rank


def langchain_chroma(
    assistant, progress: Callable[[str], None] | None = None
) -> tuple[Callable[[GoldQuestion], list[Unit]], list[Unit]]:
    """The default LangChain pipeline; also returns every passage (the judge's universe for it)."""
    import chromadb
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    from assistant.adapters.loaders import load_document

    from .lc_embeddings import E5Embeddings

    emb = E5Embeddings(assistant.retriever.embedder)
    splitter = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200)
    snap = assistant.reader.snapshot()
    passages: list[Unit] = []
    for d in sorted(snap.documents.values(), key=lambda d: d.doc_id):
        ids = frozenset({d.doc_id} | ({d.catalog_id} if d.catalog_id else set()))
        text = load_document(Path(d.source_path)).text
        for j, piece in enumerate(splitter.split_text(text)):
            passages.append(Unit(doc_ids=ids, text=piece, label=f"{d.doc_id} › đoạn {j + 1}"))
    if progress:
        progress(f"  LangChain: {len(passages)} đoạn 1000 ký tự, đang tính vector…")
    client = chromadb.EphemeralClient()
    name = f"lc-baseline-{id(passages)}"
    col = client.create_collection(name, metadata={"hnsw:space": "cosine"})
    vecs = np.asarray(emb.embed_documents([p.text for p in passages]), dtype=np.float32)
    for i in range(0, len(passages), 1000):
        col.add(
            ids=[str(j) for j in range(i, min(i + 1000, len(passages)))],
            embeddings=vecs[i : i + 1000],
            documents=[p.text for p in passages[i : i + 1000]],
        )

    def rank(q: GoldQuestion) -> list[Unit]:
        res = col.query(
            query_embeddings=np.asarray([emb.embed_query(_with_history(q))], dtype=np.float32), n_results=K
        )
        return [passages[int(i)] for i in res["ids"][0]]

    return rank, passages


BASELINES: dict[str, str] = {
    "bm25-syllable": "BM25 âm tiết không dấu (bm25s), văn bản đoạn thuần",
    "dense": "Chỉ vector (Retriever modes=dense)",
    "langchain-chroma": "LangChain RecursiveCharacterTextSplitter(1000/200) + Chroma + e5",
}


def names(selected: Sequence[str] | None = None) -> list[str]:
    return [n for n in BASELINES if selected is None or n in selected]
