"""Sentence reranking of fused hits: a passage is as good as its best sentence for the question.

Fused RRF ranks say a passage shares words with the question somewhere; the composer's sentence score
says one of its sentences covers the question's (idf-weighted) terms and phrases together. Adding the
second to the first moves the passage that holds the answer up. The passage's cosine similarity to the
question (from the dense search; a passage outside the dense list gets the lowest similarity in it)
separates passages that share the same words. Weights are in ``RetrievalSettings`` (tuned on
``evals/gold/domain_v1.yaml``, checked on alqac-dev; see evals/README.md)."""

from __future__ import annotations

from dataclasses import replace

from ..config import RetrievalSettings
from .composer import OfflineComposer
from .terms import query_terms


class SentenceReranker:
    def __init__(self, composer: OfflineComposer, settings: RetrievalSettings) -> None:
        self.composer = composer
        self.settings = settings

    def __call__(self, analysis, hits: list, snapshot) -> list:
        if len(hits) < 2:
            return hits
        text = analysis.expanded
        for ref in analysis.refs:  # a document number is in the passage header, not in its sentences
            text = text.replace(ref.raw, " ")
        terms = query_terms(text)
        focus = frozenset(query_terms(analysis.focus)) if analysis.focus else frozenset()
        idf = snapshot.idf_plain if snapshot is not None else {}
        s = self.settings
        # a passage outside the dense top-N is at most as similar as the last one in it
        sims = [h.signals["dense_sim"] for h in hits if "dense_sim" in h.signals]
        floor = min(sims) if sims else 0.0
        scored = []
        for i, hit in enumerate(hits):
            cands = self.composer.candidates(
                terms,
                analysis.intents,
                [hit],
                idf,
                focus_terms=focus,
                question=analysis.expanded,
                for_ranking=True,
            )
            best = max((c.score for c in cands), default=0.0)
            cov = max((c.coverage for c in cands), default=0.0)
            value = (
                hit.score * s.rerank_fused_scale
                + s.rerank_sentence_weight * best
                + s.rerank_coverage_weight * cov
                + s.rerank_dense_weight * hit.signals.get("dense_sim", floor)
            )
            scored.append((value, i, hit))
        scored.sort(key=lambda x: (-x[0], x[1]))
        return [replace(h, signals={**h.signals, "rerank": round(v, 4)}) for v, _i, h in scored]
