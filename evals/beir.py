"""BEIR runner: index a BEIR-format directory with the real indexer and score the real retriever.

A BEIR directory holds ``corpus.jsonl`` (``{"_id", "title", "text"}``), ``queries.jsonl`` (``{"_id", "text"}``)
and ``qrels.tsv`` (``query-id corpus-id score`` with a header line). Each corpus article is written to a
temporary ``.txt`` file whose first line is the title (the file stem is the key of an id map), indexed into
a temporary store, and every query is run through ``Retriever.retrieve``. Scores are document-level: a
document's rank is the rank of its best chunk.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .metrics import doc_level, mean_scores, ranking_scores

DEFAULT_CACHE = Path(__file__).resolve().parents[1] / "data" / "eval-cache" / "embeddings.sqlite"


@dataclass
class BeirSet:
    name: str
    corpus: dict[str, tuple[str, str]]  # id -> (title, text)
    queries: dict[str, str]
    qrels: dict[str, dict[str, int]]  # query id -> {corpus id: score}


@dataclass
class BeirResult:
    name: str
    n_corpus: int
    n_queries: int
    metrics: dict[str, float]
    index_seconds: float
    embed_seconds: float
    chunks: int
    query_seconds: float
    per_query: list[dict] = field(default_factory=list)
    subset: str = "full"


def load_beir(path: Path) -> BeirSet:
    path = Path(path)
    corpus: dict[str, tuple[str, str]] = {}
    with (path / "corpus.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                d = json.loads(line)
                corpus[str(d["_id"])] = (d.get("title") or "", d.get("text") or "")
    queries: dict[str, str] = {}
    with (path / "queries.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                d = json.loads(line)
                queries[str(d["_id"])] = d["text"]
    qrels: dict[str, dict[str, int]] = {}
    lines = (path / "qrels.tsv").read_text(encoding="utf-8").splitlines()
    for line in lines[1:]:  # header line
        parts = line.split("\t")
        if len(parts) >= 3 and int(parts[2]) > 0:
            qrels.setdefault(parts[0], {})[parts[1]] = int(parts[2])
    queries = {q: t for q, t in queries.items() if q in qrels}
    return BeirSet(name=path.name, corpus=corpus, queries=queries, qrels=qrels)


def subset(data: BeirSet, n_queries: int, max_corpus: int) -> BeirSet:
    """The first ``max_corpus`` articles in file order and up to ``n_queries`` queries answered inside them.

    BEIR corpora of laws are stored law by law, so a prefix holds whole laws: every other article of the
    same law is a hard distractor. Deterministic (smoke numbers compare between runs), and a prefix of the
    full run, so the embedding cache of one serves the other.
    """
    keep = list(data.corpus)[:max_corpus]
    inside = set(keep)
    qids = [q for q in data.queries if all(c in inside for c in data.qrels[q])][:n_queries]
    return BeirSet(
        name=f"{data.name}[smoke]",
        corpus={c: data.corpus[c] for c in keep},
        queries={q: data.queries[q] for q in qids},
        qrels={q: data.qrels[q] for q in qids},
    )


def _write_corpus(data: BeirSet, folder: Path) -> dict[str, str]:
    """One ``.txt`` per article (first line = title); returns file stem → corpus id."""
    folder.mkdir(parents=True, exist_ok=True)
    id_map: dict[str, str] = {}
    for i, (cid, (title, text)) in enumerate(data.corpus.items()):
        stem = f"a{i:05d}"
        (folder / f"{stem}.txt").write_text(f"{title.strip()}\n\n{text.strip()}\n", encoding="utf-8")
        id_map[stem] = cid
    return id_map


def run_beir(
    data: BeirSet,
    *,
    cache: Path | None = None,
    workdir: Path | None = None,
    k_chunks: int = 50,
    progress: Callable[[str], None] | None = None,
) -> BeirResult:
    """Index ``data`` into a temporary store with the default stack and score the hybrid retriever."""
    os.environ.setdefault("OMP_WAIT_POLICY", "passive")
    from assistant.adapters.loaders import load_document
    from assistant.answering.composer import OfflineComposer
    from assistant.answering.rerank import SentenceReranker
    from assistant.bootstrap import build_embedder, load_glossary_pairs
    from assistant.config import Settings, StoreSettings
    from assistant.domain.catalog import Catalog
    from assistant.domain.models import Filters
    from assistant.indexing.pipeline import Indexer
    from assistant.retrieval.query import Expander
    from assistant.retrieval.reader import IndexReader
    from assistant.retrieval.retriever import Retriever

    say = progress or (lambda _m: None)
    cache = cache or DEFAULT_CACHE
    with tempfile.TemporaryDirectory(dir=workdir) as tmp:
        root = Path(tmp)
        id_map = _write_corpus(data, root / "corpus")
        # a search breadth above the chunk count keeps dense search exact: a rerun gives the same scores
        store = StoreSettings(
            path=root / "store", embedding_cache=cache, hnsw_ef_search=max(1000, 2 * len(data.corpus))
        )
        settings = Settings(store=store)
        catalog = Catalog([])  # a foreign corpus: no catalog entries, ids come from the file stems
        embedder = build_embedder(settings)
        indexer = Indexer(settings.store, embedder, catalog, load_document)
        say(f"Lập chỉ mục {len(data.corpus)} điều luật của {data.name}…")
        t0 = time.perf_counter()
        report = indexer.run([root / "corpus"])
        index_seconds = time.perf_counter() - t0
        if report.failed:
            say(f"{len(report.failed)} tệp lỗi, ví dụ: {report.failed[0]}")
        reader = IndexReader(settings.store)
        retriever = Retriever(
            reader,
            embedder,
            catalog,
            settings.retrieval,
            expander=Expander(load_glossary_pairs(settings.knowledge_dir)),
            # the same sentence reranking as the assistant (assistant/bootstrap.py)
            reranker=SentenceReranker(OfflineComposer(), settings.retrieval),
        )
        snap = reader.snapshot()
        stem_of_doc = {d.doc_id: Path(d.file_name).stem for d in snap.documents.values()}
        # Every article is its own document: name them all, so that a rule merging copies of one document
        # (same title held in several formats) can never merge the articles of one law, which share a title.
        every_doc = Filters(doc_ids=tuple(sorted(snap.documents)))
        per_query: list[dict] = []
        t1 = time.perf_counter()
        for qid, text in data.queries.items():
            r = retriever.retrieve(text, k=k_chunks, filters=every_doc)
            docs = doc_level([id_map.get(stem_of_doc.get(h.doc.doc_id, ""), h.doc.doc_id) for h in r.hits])
            gold = data.qrels[qid]
            rel = [cid if cid in gold else None for cid in docs]
            scores = ranking_scores(rel, len(gold))
            per_query.append({"id": qid, "query": text, "gold": sorted(gold), "top": docs[:5], **scores})
        query_seconds = time.perf_counter() - t1
        close = getattr(snap.vectors, "close", None)
        if close:
            close()
    return BeirResult(
        name=data.name,
        n_corpus=len(data.corpus),
        n_queries=len(data.queries),
        metrics=mean_scores({k: v for k, v in q.items() if "@" in k} for q in per_query),
        index_seconds=index_seconds,
        embed_seconds=report.embed_seconds,
        chunks=report.chunks,
        query_seconds=query_seconds,
        per_query=per_query,
        subset="smoke" if data.name.endswith("[smoke]") else "full",
    )
