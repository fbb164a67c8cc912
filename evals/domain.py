"""Domain suite: the real system (retriever + ``Assistant.ask``) scored against the domain gold set.

Definitions (also in evals/README.md):
- retrieval metrics: over answerable questions, on the top-10 chunks of ``Retriever.retrieve`` (the same
  analysis of the question and history as ``ask``); relevance units are the gold passages (see ``gold.Judge``).
- key-fact accuracy: over answerable questions, the share whose answer is not a refusal and whose text
  contains every key fact (NFC + whitespace collapse + case fold). For a baseline the "answer" is its top-1
  passage.
- citation precision: over answerable questions answered (not refused), the share of all citations given
  whose quote contains at least one key fact of the question (micro average; an answer with no citation
  contributes nothing, and is caught by key-fact accuracy). Strict: an extra citation that gives context
  without a key fact counts against it.
- fact citation support: over the key facts that an answered question's text states, the share that a
  cited quote of that answer contains (is every stated fact backed by its citation?).
- refusal precision / recall / F1: positive class "refused"; truth = ``answerable: false``.
- warning accuracy: over answerable questions answered, (any warning) == ``expect_warning``; precision and
  recall of "warned" are reported too.
- latency: p50 / p95 of ``Answer.timings_ms`` (retrieval, composition, facts, total) and of wall time.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field

from assistant.domain.models import Turn

from .gold import GoldQuestion, Judge, Unit
from .metrics import (
    bootstrap_ci,
    contains,
    first_rank,
    mean_scores,
    missing_key_facts,
    percentile,
    prf,
    ranking_scores,
    refusal_scores,
)

K = 10


@dataclass
class QuestionResult:
    id: str
    category: str
    style: str
    answerable: bool
    top: list[str] = field(default_factory=list)  # labels of the top-k units
    relevance: list[list[int]] = field(default_factory=list)  # gold passages each top unit satisfies
    scores: dict[str, float] = field(default_factory=dict)
    answer: str = ""
    refused: bool | None = None
    key_missing: list[str] = field(default_factory=list)
    facts_stated: int = 0  # key facts present in the answer text
    facts_supported: int = 0  # of those, contained in one of the answer's cited quotes
    citations: list[dict] = field(default_factory=list)  # {label, quote, correct}
    warnings: list[str] = field(default_factory=list)
    expect_warning: bool = False
    timings_ms: dict[str, float] = field(default_factory=dict)
    wall_ms: float = 0.0
    route: str = ""
    error: str = ""

    @property
    def key_ok(self) -> bool:
        return self.answerable and not self.refused and not self.key_missing


def chunk_unit(chunk, doc) -> Unit:
    ids = {chunk.doc_id} | ({doc.catalog_id} if doc is not None and doc.catalog_id else set())
    return Unit(
        doc_ids=frozenset(ids), text=chunk.text, label=f"{chunk.doc_id} › {chunk.section or 'phần đầu'}"
    )


def system_universe(assistant) -> list[Unit]:
    snap = assistant.reader.snapshot()
    return [chunk_unit(c, snap.documents.get(c.doc_id)) for c in snap.chunks.values()]


def turns(q: GoldQuestion) -> list[Turn]:
    return [Turn(question=h) for h in q.history]


def _retrieval_part(res: QuestionResult, q: GoldQuestion, units: Sequence[Unit], judge: Judge) -> None:
    res.top = [u.label for u in units[:K]]
    if q.answerable and q.gold:
        rel = judge.relevance(q, units[:K])
        res.relevance = [sorted(r) for r in rel]
        res.scores = ranking_scores(rel, len(q.gold), judge.ideal.get(q.id))


def run_system(
    assistant, questions: Sequence[GoldQuestion], judge: Judge, progress: Callable[[str], None] | None = None
) -> list[QuestionResult]:
    """Ask every question through the real ``Assistant`` (retrieval ranking + ``ask``)."""
    from assistant.domain.errors import AssistantError

    out: list[QuestionResult] = []
    for i, q in enumerate(questions):
        res = QuestionResult(
            id=q.id,
            category=q.category,
            style=q.style,
            answerable=q.answerable,
            expect_warning=q.expect_warning,
        )
        try:
            r = assistant.retriever.retrieve(q.question, k=K, history=turns(q))
            _retrieval_part(res, q, [chunk_unit(h.chunk, h.doc) for h in r.hits], judge)
            t0 = time.perf_counter()
            ans = assistant.ask(q.question, history=turns(q))
            res.wall_ms = (time.perf_counter() - t0) * 1000
        except AssistantError as exc:
            res.error = exc.message
            res.refused = True
            out.append(res)
            continue
        res.answer, res.refused, res.route = ans.answer, ans.refused, ans.route
        res.timings_ms = dict(ans.timings_ms)
        res.warnings = [w.code for w in ans.warnings]
        if q.answerable:
            res.key_missing = missing_key_facts(ans.answer, q.key_facts)
            res.citations = [
                {
                    "label": f"{c.doc_id} › {c.section or 'phần đầu'}",
                    "quote": c.quote,
                    "correct": any(contains(c.quote, kf) for kf in q.key_facts),
                }
                for c in ans.citations
            ]
            stated = [kf for kf in q.key_facts if contains(ans.answer, kf)]
            res.facts_stated = len(stated)
            res.facts_supported = sum(any(contains(c.quote, kf) for c in ans.citations) for kf in stated)
        out.append(res)
        if progress and (i + 1) % 25 == 0:
            progress(f"  {i + 1}/{len(questions)} câu hỏi")
    return out


def run_ranker(
    rank: Callable[[GoldQuestion], list[Unit]], questions: Sequence[GoldQuestion], judge: Judge
) -> list[QuestionResult]:
    """A baseline: its ranking gives the retrieval metrics; its top-1 passage is its answer."""
    out: list[QuestionResult] = []
    for q in questions:
        res = QuestionResult(
            id=q.id,
            category=q.category,
            style=q.style,
            answerable=q.answerable,
            expect_warning=q.expect_warning,
        )
        t0 = time.perf_counter()
        units = rank(q)
        res.wall_ms = (time.perf_counter() - t0) * 1000
        _retrieval_part(res, q, units, judge)
        res.answer = units[0].text if units else ""
        res.refused = False
        if q.answerable:
            res.key_missing = missing_key_facts(res.answer, q.key_facts) if units else list(q.key_facts)
        out.append(res)
    return out


def _ranking_mean(key: str) -> Callable[[Sequence[QuestionResult]], float]:
    def stat(results: Sequence[QuestionResult]) -> float:
        vals = [r.scores[key] for r in results if r.answerable and r.scores]
        return sum(vals) / len(vals) if vals else 0.0

    return stat


def _key_fact_accuracy(results: Sequence[QuestionResult]) -> float:
    answerable = [r for r in results if r.answerable]
    return sum(r.key_ok for r in answerable) / len(answerable) if answerable else 0.0


def _citation_precision(results: Sequence[QuestionResult]) -> float:
    cites = [c for r in results if r.answerable and not r.refused for c in r.citations]
    return sum(c["correct"] for c in cites) / len(cites) if cites else 0.0


def _refusal_f1(results: Sequence[QuestionResult]) -> float:
    return refusal_scores((bool(r.refused), r.answerable) for r in results)["f1"]


# Metrics given with a 95% bootstrap interval over questions (see ``bootstrap_ci``).
CI_METRICS: dict[str, Callable[[Sequence[QuestionResult]], float]] = {
    "recall@5": _ranking_mean("recall@5"),
    "mrr@10": _ranking_mean("mrr@10"),
    "key_fact_accuracy": _key_fact_accuracy,
}
CI_SYSTEM_METRICS: dict[str, Callable[[Sequence[QuestionResult]], float]] = {
    "citation_precision": _citation_precision,
    "refusal_f1": _refusal_f1,
}


def summarize(results: Sequence[QuestionResult], system: bool = True) -> dict:
    """Every metric of one run (a system run when ``system``; a baseline otherwise), and ``ci95``: the
    95% bootstrap interval of the headline metrics over the questions."""
    answerable = [r for r in results if r.answerable]
    ranked = [r for r in answerable if r.scores]
    out: dict = {
        "questions": len(results),
        "answerable": len(answerable),
        **mean_scores(r.scores for r in ranked),
        "key_fact_accuracy": _key_fact_accuracy(results),
        "wall_ms_p50": percentile([r.wall_ms for r in results], 50),
        "wall_ms_p95": percentile([r.wall_ms for r in results], 95),
    }
    stats = CI_METRICS | (CI_SYSTEM_METRICS if system else {})
    out["ci95"] = {name: bootstrap_ci(results, fn) for name, fn in stats.items()}
    if not system:
        return out
    cites = [c for r in answerable if not r.refused for c in r.citations]
    out["citation_precision"] = _citation_precision(results)
    out["citations"] = len(cites)
    stated = sum(r.facts_stated for r in answerable if not r.refused)
    out["fact_citation_support"] = (
        sum(r.facts_supported for r in answerable if not r.refused) / stated if stated else 0.0
    )
    ref = refusal_scores((bool(r.refused), r.answerable) for r in results)
    out.update({f"refusal_{k}": v for k, v in ref.items()})
    answered = [r for r in answerable if not r.refused]
    warn_ok = sum((bool(r.warnings) == r.expect_warning) for r in answered)
    out["warning_accuracy"] = warn_ok / len(answered) if answered else 0.0
    tp = sum(bool(r.warnings) and r.expect_warning for r in answered)
    fp = sum(bool(r.warnings) and not r.expect_warning for r in answered)
    fn = sum(not r.warnings and r.expect_warning for r in answered)
    w = prf(tp, fp, fn)
    out["warning_precision"], out["warning_recall"] = w["precision"], w["recall"]
    for part in ("retrieval", "composition", "facts", "total"):
        vals = [r.timings_ms[part] for r in results if part in r.timings_ms]
        if vals:
            out[f"{part}_ms_p50"] = percentile(vals, 50)
            out[f"{part}_ms_p95"] = percentile(vals, 95)
            out[f"{part}_n"] = len(vals)
    out["errors"] = sum(bool(r.error) for r in results)
    out["routes"] = {
        route: sum(r.route == route for r in results) for route in sorted({r.route for r in results})
    }
    return out


def by_group(results: Sequence[QuestionResult], attr: str) -> dict[str, dict]:
    """Retrieval MRR@10, Recall@5 and key-fact accuracy per category or style."""
    groups: dict[str, list[QuestionResult]] = {}
    for r in results:
        groups.setdefault(getattr(r, attr), []).append(r)
    out = {}
    for name, rs in sorted(groups.items()):
        ans = [r for r in rs if r.answerable]
        ranked = [r for r in ans if r.scores]
        m = mean_scores(r.scores for r in ranked)
        out[name] = {
            "n": len(rs),
            "answerable": len(ans),
            "mrr@10": m.get("mrr@10", 0.0),
            "recall@5": m.get("recall@5", 0.0),
            "key_fact_accuracy": sum(r.key_ok for r in ans) / len(ans) if ans else None,
            "refused": sum(bool(r.refused) for r in rs),
        }
    return out


def failures(results: Sequence[QuestionResult], questions: Sequence[GoldQuestion]) -> list[dict]:
    """What the team fixes: every question with a retrieval miss (no gold passage in the top 5), a missing
    key fact, a wrong refusal, an imprecise citation or a wrong warning — expected vs. what came back."""
    gold = {q.id: q for q in questions}
    out: list[dict] = []
    for r in results:
        q = gold[r.id]
        problems: list[str] = []
        if r.error:
            problems.append(f"lỗi: {r.error}")
        if q.answerable:
            if r.scores and r.scores["recall@5"] == 0.0:
                problems.append("truy hồi: không có đoạn chuẩn trong top 5")
            if r.refused:
                problems.append("từ chối câu hỏi có đáp án")
            elif r.key_missing:
                problems.append("thiếu dữ kiện: " + ", ".join(r.key_missing))
            bad = [c for c in r.citations if not c["correct"]]
            if bad and not r.refused:
                problems.append(f"trích dẫn không chứa dữ kiện: {len(bad)}/{len(r.citations)}")
            if not r.refused and bool(r.warnings) != q.expect_warning:
                problems.append(
                    "thiếu cảnh báo" if q.expect_warning else f"cảnh báo thừa ({', '.join(r.warnings)})"
                )
        elif not r.refused:
            problems.append("trả lời câu hỏi không có đáp án (phải từ chối)")
        if not problems:
            continue
        out.append(
            {
                "id": q.id,
                "category": q.category,
                "style": q.style,
                "question": q.question,
                "history": list(q.history),
                "problems": problems,
                "expected": {
                    "answerable": q.answerable,
                    "key_facts": list(q.key_facts),
                    "expect_warning": q.expect_warning,
                    "gold": [f"{g.doc_id} › {g.section or 'phần đầu'}: {g.quote[:160]}" for g in q.gold],
                },
                "got": {
                    "refused": r.refused,
                    "route": r.route,
                    "first_relevant_rank": first_rank(r.relevance),
                    "top3": r.top[:3],
                    "answer": r.answer[:400],
                    "warnings": r.warnings,
                    "citations": [c["label"] for c in r.citations],
                },
            }
        )
    return out


def results_json(results: Sequence[QuestionResult]) -> list[dict]:
    return [asdict(r) for r in results]


def pooled_summary(sections: Sequence[dict]) -> dict:
    """The system metrics (with intervals) over the questions of several domain sections together, from
    their ``results``: one number for "new questions" with a narrower interval than each set's own."""
    names = QuestionResult.__dataclass_fields__
    results = [
        QuestionResult(**{k: v for k, v in row.items() if k in names})
        for s in sections
        for row in s["results"]
    ]
    return summarize(results, system=True)
