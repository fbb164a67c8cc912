"""Orchestration of ``isoassist eval``: domain suite (system + baselines + facts), BEIR sets, report files."""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from . import baselines as bl
from .domain import (
    by_group,
    failures,
    pooled_summary,
    results_json,
    run_ranker,
    run_system,
    summarize,
    system_universe,
)
from .gate import beir_checks, domain_checks, load_thresholds
from .gold import DOMAIN_GOLD, FACTS_GOLD, HOLDOUT_GOLD, Judge, load_domain_gold, smoke_subset
from .metrics import bootstrap_ci

ROOT = Path(__file__).resolve().parents[1]
KNOWLEDGE_DOCS = ROOT / "knowledge" / "documents"
LEGAL = ROOT.parent / "shared" / "corpus" / "legal"
ALQAC = ROOT.parent / "shared" / "benchmarks" / "alqac-dev"
EVAL_STORE = ROOT / "data" / "eval-store"
SMOKE_PER_CATEGORY = 6
BEIR_SMOKE = (40, 400)  # queries, corpus articles (a prefix: whole laws)

Progress = Callable[[str], None]


def _quiet(_msg: str) -> None:
    pass


def facts_section(assistant, gold_path: Path = FACTS_GOLD) -> dict:
    """Fact extraction precision/recall over the served version's facts (``evals.facts_eval``)."""
    if not gold_path.exists():
        return {"skipped": f"không có {gold_path.name}"}
    from assistant.adapters.facts_sqlite import FactStore

    from .facts_eval import evaluate_facts

    snap = assistant.reader.snapshot()
    path = assistant.reader.layout.version_dir(snap.version) / "facts.sqlite"
    if not path.exists():
        return {"skipped": "phiên bản chỉ mục không có facts.sqlite"}
    store = FactStore(path)
    try:
        facts = store.all()
    finally:
        close = getattr(store, "close", None)
        if close:
            close()
    return evaluate_facts(facts, gold_path)


def evaluate_domain(
    assistant,
    *,
    smoke: bool = False,
    baselines: Sequence[str] | None = None,
    gold_path: Path = DOMAIN_GOLD,
    with_facts: bool = True,
    progress: Progress = _quiet,
) -> dict:
    """The domain section of a report: system and baseline metrics, groups, failures, timings."""
    questions = load_domain_gold(gold_path)
    if smoke:
        questions = smoke_subset(questions, SMOKE_PER_CATEGORY)
    judge = Judge(questions, system_universe(assistant))
    section: dict = {
        "gold": str(gold_path.relative_to(ROOT) if gold_path.is_relative_to(ROOT) else gold_path),
        "smoke": smoke,
        "n_questions": len(questions),
        "durations_s": {},
    }
    progress(f"Bộ câu hỏi miền: {len(questions)} câu ({'smoke' if smoke else 'đầy đủ'}), hệ thống…")
    t0 = time.perf_counter()
    results = run_system(assistant, questions, judge, progress)
    section["durations_s"]["system"] = time.perf_counter() - t0
    section["system"] = summarize(results, system=True)
    section["by_category"] = by_group(results, "category")
    section["by_style"] = by_group(results, "style")
    section["failures"] = failures(results, questions)
    section["results"] = results_json(results)
    section["baselines"] = {}
    section["split_quotes"] = judge.split_quotes()
    for name in bl.names(baselines):
        progress(f"Đường cơ sở {name}…")
        t1 = time.perf_counter()
        if name == "bm25-syllable":
            rank, bjudge = bl.bm25_syllable(assistant), judge
        elif name == "dense":
            rank, bjudge = bl.dense_only(assistant), judge
        else:
            rank, universe = bl.langchain_chroma(assistant, progress)
            bjudge = Judge(questions, universe)
            section[f"split_quotes_{name}"] = bjudge.split_quotes()
        section["baselines"][name] = summarize(run_ranker(rank, questions, bjudge), system=False)
        section["durations_s"][name] = time.perf_counter() - t1
    if with_facts:
        t2 = time.perf_counter()
        section["facts"] = facts_section(assistant)
        section["durations_s"]["facts"] = time.perf_counter() - t2
    return section


def held_out_sections(
    assistant, paths: Sequence[Path] = HOLDOUT_GOLD, progress: Progress = _quiet
) -> list[dict]:
    """The system alone (no baselines, no fact extraction) on each held-out question set: what the tuning
    set's numbers become on questions the rules were not fitted to."""
    return [
        evaluate_domain(assistant, baselines=[], gold_path=path, with_facts=False, progress=progress)
        for path in paths
    ]


def domain_assistant(settings=None, progress: Progress = _quiet):
    """The Assistant over ``settings.store`` used as is, or (no settings) over ``data/eval-store`` refreshed
    from the seeds + legal corpus (incremental: nothing is rebuilt when nothing changed).
    Returns (assistant, index seconds)."""
    from assistant.bootstrap import build_assistant
    from assistant.config import Settings, StoreSettings

    if settings is not None:
        asst = build_assistant(settings)
        asst.reader.snapshot()  # fails now, in Vietnamese, when the store has no index
        return asst, 0.0
    from .beir import DEFAULT_CACHE

    settings = Settings(store=StoreSettings(path=EVAL_STORE, embedding_cache=DEFAULT_CACHE))
    asst = build_assistant(settings)
    progress(f"Lập chỉ mục (tăng dần) {KNOWLEDGE_DOCS} + {LEGAL} vào {EVAL_STORE}…")
    t0 = time.perf_counter()
    report = asst.index([KNOWLEDGE_DOCS, LEGAL])
    if report.failed:
        progress(f"Tệp lỗi khi lập chỉ mục: {report.failed}")
    return asst, time.perf_counter() - t0


def evaluate_beir(path: Path, *, smoke: bool, progress: Progress = _quiet) -> dict:
    from .beir import load_beir, run_beir, subset

    data = load_beir(path)
    if smoke:
        data = subset(data, *BEIR_SMOKE)
    r = run_beir(data, progress=progress)
    worst = sorted(r.per_query, key=lambda q: (q["mrr@10"], q["recall@10"]))
    ci95 = {
        key: bootstrap_ci(r.per_query, lambda qs, key=key: sum(q[key] for q in qs) / len(qs))
        for key in ("recall@5", "mrr@10", "ndcg@10")
    }
    return {
        "name": r.name,
        "path": str(path),
        "subset": r.subset,
        "corpus": r.n_corpus,
        "queries": r.n_queries,
        "chunks": r.chunks,
        "metrics": r.metrics,
        "ci95": ci95,
        "durations_s": {"index": r.index_seconds, "embed": r.embed_seconds, "queries": r.query_seconds},
        "misses": [q for q in worst if q["mrr@10"] == 0.0],
        "per_query": r.per_query,
    }


def run_eval(
    *,
    suite: str = "all",
    beir_path: Path | None = None,
    smoke: bool = False,
    settings=None,
    out: Path | None = None,
    baselines: Sequence[str] | None = None,
    gold_path: Path | None = None,
    held_out: bool = True,
    progress: Progress = _quiet,
) -> tuple[dict, dict[str, Path]]:
    """Run the selected suites and write ``<out>/<timestamp>.{md,json,png}``; returns (report, paths).

    ``settings``: the domain suite uses its store as it is; ``None``: ``data/eval-store`` (see
    ``domain_assistant``). ``gold_path``: the domain questions (default ``evals/gold/domain_v1.yaml``;
    ``evals/gold/holdout_v*.yaml`` are held-out sets, never used for tuning). ``held_out``: a full run with
    the default questions also scores the system on every held-out set (``report["held_out"]``); they are
    reported beside the tuning set, not gated."""
    from .report import write_report

    os.environ.setdefault("OMP_WAIT_POLICY", "passive")
    thresholds = load_thresholds()
    started = dt.datetime.now().astimezone()
    t0 = time.perf_counter()
    report: dict = {
        "started": started.isoformat(timespec="seconds"),
        "suite": suite,
        "smoke": smoke,
        "checks": [],
        "durations_s": {},
    }
    if suite in ("domain", "all"):
        asst, index_s = domain_assistant(settings, progress)
        report["durations_s"]["domain_index"] = index_s
        section = evaluate_domain(
            asst, smoke=smoke, baselines=baselines, gold_path=gold_path or DOMAIN_GOLD, progress=progress
        )
        report["domain"] = section
        report["checks"] += [c.__dict__ for c in domain_checks(section, thresholds, smoke)]
        if held_out and not smoke and gold_path is None:
            t1 = time.perf_counter()
            report["held_out"] = held_out_sections(asst, progress=progress)
            if len(report["held_out"]) > 1:
                report["held_out_pooled"] = pooled_summary(report["held_out"])
            report["durations_s"]["held_out"] = time.perf_counter() - t1
    if suite in ("beir", "all"):
        path = beir_path or ALQAC
        progress(f"BEIR: {path}")
        section = evaluate_beir(path, smoke=smoke, progress=progress)
        report["beir"] = [section]
        report["checks"] += [
            c.__dict__ for c in beir_checks(section["name"], section["metrics"], thresholds, smoke)
        ]
    report["finished"] = dt.datetime.now().astimezone().isoformat(timespec="seconds")
    report["durations_s"]["total"] = time.perf_counter() - t0
    report["passed"] = all(c["passed"] for c in report["checks"])
    report["thresholds"] = thresholds["smoke" if smoke else "targets"]
    paths = write_report(report, out or ROOT / "evals" / "reports", started)
    return report, paths
