"""Hybrid retriever: BM25 (pyvi words, and accent-free syllables) + dense, fused by weighted RRF.

Document numbers in the question route to that document; a province in the question restricts the
provincial documents to that province (legal texts stay); a year boosts plans whose period holds it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from ..config import RetrievalSettings
from ..domain.catalog import Catalog
from ..domain.models import Chunk, Document, Filters, SearchHit
from ..domain.vntext import DocRef, parse_doc_numbers
from .query import QueryAnalysis, analyze
from .reader import IndexReader, IndexSnapshot


@dataclass
class Scored:
    chunk: Chunk
    doc: Document
    score: float
    signals: dict[str, float] = field(default_factory=dict)


@dataclass
class Retrieval:
    analysis: QueryAnalysis
    hits: list[Scored]
    routed_docs: tuple[str, ...] = ()  # documents a number in the question routed to
    unheld_refs: tuple[DocRef, ...] = ()  # numbers named in the question that the base does not hold
    # chunks citing a number named in the question: one not held, or the decision that issued a held plan
    mentioned: tuple[str, ...] = ()
    unknown_provinces: tuple[str, ...] = ()  # provinces named that no document covers
    snapshot: IndexSnapshot | None = None


@dataclass(frozen=True)
class _DocIndex:
    numbers: dict[str, DocRef]  # doc_id -> its own number
    title_refs: dict[str, list[DocRef]]  # numbers named in the title of a document without its own number
    searchable: frozenset[str]  # one file per document (see _without_copies)


def _without_copies(snap: IndexSnapshot) -> set[str]:
    """One file per document: when the same catalogued document is held in several formats (the .doc and
    the .docx of one appendix), search the richest one."""
    pref = {"docx": 0, "pdf": 1, "html": 2, "htm": 2, "md": 3, "txt": 4, "doc": 5}
    best: dict[tuple, str] = {}
    for d in snap.documents.values():
        if d.catalog_id is None:  # only catalogued documents are known to be the same text
            best[(d.doc_id,)] = d.doc_id
            continue
        key = (d.title, d.number, d.kind)
        cur = best.get(key)
        if cur is None or pref.get(d.format, 9) < pref.get(snap.documents[cur].format, 9):
            best[key] = d.doc_id
    return set(best.values())


def _period(doc: Document, catalog: Catalog) -> tuple[int, int] | None:
    entry = catalog.get(doc.catalog_id) if doc.catalog_id else None
    if entry and entry.period:
        years = [int(y) for y in re.findall(r"(?:19|20)\d\d", entry.period)]
        if years:
            return min(years), max(years)
    return None


class Retriever:
    def __init__(
        self,
        reader: IndexReader,
        embedder,
        catalog: Catalog,
        settings: RetrievalSettings,
        expander=None,
        modes: tuple[str, ...] = ("bm25", "dense"),
        reranker=None,
    ) -> None:
        """``reranker(analysis, hits, snapshot) -> hits`` reorders the first ``rerank_depth`` fused hits
        (the answering layer's sentence scorer, injected by the bootstrap); ``None`` keeps fused order."""
        self.reader = reader
        self.reranker = reranker
        self.embedder = embedder
        self.catalog = catalog
        self.settings = settings
        self.expander = expander
        self.modes = modes
        self._doc_index: tuple[str, _DocIndex] | None = None

    # ------------------------------------------------------------------ helpers
    def _docs(self, snap: IndexSnapshot) -> _DocIndex:
        """Per-version facts about the documents, computed once per index version (not per query)."""
        cached = self._doc_index
        if cached is not None and cached[0] == snap.version:
            return cached[1]
        numbers: dict[str, DocRef] = {}
        for d in snap.documents.values():
            refs = parse_doc_numbers(d.number) if d.number else []
            if refs:
                numbers[d.doc_id] = refs[0]
        titles = {
            d.doc_id: parse_doc_numbers(d.title) for d in snap.documents.values() if d.doc_id not in numbers
        }
        idx = _DocIndex(numbers=numbers, title_refs=titles, searchable=frozenset(_without_copies(snap)))
        self._doc_index = (snap.version, idx)
        return idx

    def _allowed(self, snap: IndexSnapshot, filters: Filters | None) -> set[str]:
        if filters and filters.doc_ids:
            allowed = set(snap.documents)
        else:
            allowed = set(self._docs(snap).searchable)
        if not filters:
            return allowed
        if filters.doc_ids:
            allowed &= set(filters.doc_ids)
        if filters.kinds:
            kinds = {k.lower() for k in filters.kinds}
            allowed = {d for d in allowed if (snap.documents[d].kind or "").lower() in kinds}
        if filters.provinces:
            provs = {self.catalog.find_province(p) or p for p in filters.provinces}
            allowed = {d for d in allowed if snap.documents[d].province in provs}
        if filters.in_force_only:
            allowed = {
                d
                for d in allowed
                if snap.documents[d].catalog_id and self.catalog.is_current(snap.documents[d].catalog_id)
            }
        return allowed

    # ------------------------------------------------------------------ search
    def retrieve(
        self,
        question: str,
        k: int | None = None,
        filters: Filters | None = None,
        history=None,
        analysis: QueryAnalysis | None = None,
    ) -> Retrieval:
        from ..adapters.pyvi_tokenizer import accent_tokens, plain_tokens

        k = k or self.settings.k
        snap = self.reader.snapshot()
        qa = analysis or analyze(question, history, self.expander)
        allowed = self._allowed(snap, filters)

        # document numbers → route
        routed: list[str] = []
        unheld: list[DocRef] = []
        issuing: list[DocRef] = []
        docs = self._docs(snap)
        doc_refs, title_refs = docs.numbers, docs.title_refs
        for ref in qa.refs:
            hit = [d for d, r in doc_refs.items() if r.matches(ref) and (ref.type or ref.issuer)]
            if hit:  # and the appendices held as their own files ("Phụ lục I … Nghị định 30/2020/NĐ-CP")
                hit += [d for d, refs in title_refs.items() if any(r.matches(ref) for r in refs)]
            elif ref.type or ref.issuer:  # the decision that issued a held plan: "QĐ 618/2008 Tiền Giang"
                plans = {e.id for e in self.catalog.issued_under(ref)}
                hit = [d for d, doc in snap.documents.items() if doc.catalog_id in plans]
                if hit:
                    issuing.append(ref)  # the plan's lines that cite it ("Ban hành kèm theo …") still count
            if hit:
                routed.extend(hit)
            else:
                unheld.append(ref)
        if routed:
            allowed &= set(routed) or allowed
        mentioned = {
            cid
            for cid, ref in snap.chunk_refs
            for q in (*unheld, *issuing)
            if ref.matches(q) and (q.type or q.issuer)
        }

        # provinces → restrict provincial documents to the named ones
        held_provs = {d.province for d in snap.documents.values() if d.province}
        named_held = [p for p in qa.provinces if p in held_provs]
        unknown = tuple(p for p in qa.provinces if p not in held_provs)
        if named_held:
            allowed = {d for d in allowed if snap.documents[d].province in (None, *named_held)}

        ids = snap.bm25_accent.ids
        rank_lists: list[tuple[str, float, list[str]]] = []
        n_cand = self.settings.candidates
        mask = np.array([snap.chunks[c].doc_id in allowed for c in ids], dtype=bool)
        if "bm25" in self.modes:
            plain = snap.bm25_plain.scores(plain_tokens(qa.expanded))
            plain = np.where(mask, plain, -1.0)
            order = [ids[i] for i in np.argsort(-plain)[:n_cand] if plain[i] > 0]
            rank_lists.append(
                (
                    "bm25_plain",
                    self.settings.bm25_weight * (self.settings.plain_weight if qa.accented else 1.0),
                    order,
                )
            )
            if qa.accented:
                acc = snap.bm25_accent.scores(accent_tokens(qa.expanded))
                acc = np.where(mask, acc, -1.0)
                order = [ids[i] for i in np.argsort(-acc)[:n_cand] if acc[i] > 0]
                rank_lists.append(("bm25_accent", self.settings.bm25_weight, order))
        dense_sim: dict[str, float] = {}
        if "dense" in self.modes and allowed:
            vec = self.embedder.embed_query(qa.expanded)
            where = None if len(allowed) == len(snap.documents) else {"doc_id": {"$in": sorted(allowed)}}
            dense = snap.vectors.query(vec, n_cand, where)
            rank_lists.append(("dense", self.settings.dense_weight, [cid for cid, _ in dense]))
            dense_sim = dict(dense)

        fused: dict[str, float] = {}
        signals: dict[str, dict[str, float]] = {}
        for name, weight, order in rank_lists:
            for rank, cid in enumerate(order):
                fused[cid] = fused.get(cid, 0.0) + weight / (self.settings.rrf_k + rank + 1)
                signals.setdefault(cid, {})[name] = rank + 1
        for cid, sim in dense_sim.items():  # cosine similarity, for the reranker
            signals[cid]["dense_sim"] = round(sim, 4)
        # chunks citing a document the base does not hold (e.g. "QĐ 144/2006 còn hiệu lực không?")
        for cid in sorted(mentioned):
            if snap.chunks[cid].doc_id in allowed:
                fused[cid] = fused.get(cid, 0.0) * 1.5 + 1.0 / (self.settings.rrf_k + 1)
                signals.setdefault(cid, {})["mentions"] = 1
        # year boost
        if qa.years:
            for cid in fused:
                per = _period(snap.documents[snap.chunks[cid].doc_id], self.catalog)
                if per and any(per[0] <= y <= per[1] for y in qa.years):
                    fused[cid] *= 1.15
        # a general question (no province, no document named) is first about the national rules
        if not qa.provinces and not routed:
            for cid in fused:
                if snap.documents[snap.chunks[cid].doc_id].province:
                    fused[cid] *= self.settings.provincial_weight
        # province boost: the named province's own documents before the general legal texts
        if named_held:
            for cid in fused:
                if snap.documents[snap.chunks[cid].doc_id].province in named_held:
                    fused[cid] *= 1.25

        ranked = sorted(fused.items(), key=lambda x: (-x[1], x[0]))  # ties: the same order every run
        depth = self.settings.rerank_depth if self.reranker is not None else 0
        hits: list[Scored] = []
        seen_text: set[str] = set()
        for cid, score in ranked:
            chunk = snap.chunks[cid]
            key = chunk.text.strip()
            if key in seen_text:  # the same text from a duplicate file (.doc and .docx of one appendix)
                continue
            seen_text.add(key)
            hits.append(
                Scored(chunk=chunk, doc=snap.documents[chunk.doc_id], score=score, signals=signals[cid])
            )
            if len(hits) >= max(k, depth):
                break
        if self.reranker is not None and depth:
            hits = self.reranker(qa, hits[:depth], snap) + hits[depth:]
        hits = hits[:k]
        return Retrieval(
            analysis=qa,
            hits=hits,
            routed_docs=tuple(dict.fromkeys(routed)),
            unheld_refs=tuple(unheld),
            mentioned=tuple(sorted(mentioned)),
            unknown_provinces=unknown,
            snapshot=snap,
        )

    def search(self, query: str, k: int = 10, filters: Filters | None = None) -> list[SearchHit]:
        r = self.retrieve(query, k=k, filters=filters)
        return [
            SearchHit(
                chunk_id=h.chunk.chunk_id,
                doc_id=h.doc.doc_id,
                title=h.doc.title,
                number=h.doc.number,
                section=h.chunk.section,
                text=h.chunk.text,
                score=round(h.score, 6),
            )
            for h in r.hits
        ]
