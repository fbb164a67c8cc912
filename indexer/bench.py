"""Benchmarks with reports: indexing throughput and ``ask`` latency (commands, not timed tests).

``isoassist bench index`` indexes knowledge/ + ../shared/corpus/legal into a fresh temporary store with a
cold embedding cache, then re-indexes with nothing changed, and writes
``evals/reports/bench-index-<timestamp>.md`` and ``.json``.
``isoassist bench ask`` runs the evaluation questions through ``Assistant.ask`` in a warm process and
reports p50/p95 of retrieval, composition and total.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from assistant.bootstrap import build_assistant
from assistant.config import PROJECT_ROOT, Settings, StoreSettings

REPORTS = PROJECT_ROOT / "evals" / "reports"


def _dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def _commit() -> str:
    try:
        return (
            subprocess.run(
                ["git", "rev-parse", "--short", "HEAD"],
                cwd=PROJECT_ROOT,
                capture_output=True,
                text=True,
                timeout=5,
            ).stdout.strip()
            or "?"
        )
    except OSError:
        return "?"


def _write(name: str, data: dict, lines: list[str]) -> Path:
    REPORTS.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    md = REPORTS / f"{name}-{stamp}.md"
    md.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (REPORTS / f"{name}-{stamp}.json").write_text(
        json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    return md


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    s = sorted(values)
    k = (len(s) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


def bench_index(sources: list[Path]) -> Path:
    with tempfile.TemporaryDirectory() as tmp:
        store = Path(tmp) / "index"
        asst = build_assistant(Settings(store=StoreSettings(path=store)))
        t0 = time.perf_counter()
        cold = asst.index(sources)
        cold_s = time.perf_counter() - t0
        t1 = time.perf_counter()
        warm = asst.index(sources)
        warm_s = time.perf_counter() - t1
        # the no-change re-index as a user runs it: a fresh process
        t2 = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                "-m",
                "assistant.cli",
                "index",
                "--json",
                "--store",
                str(store),
                *sum((["--source", str(s)] for s in sources), []),
            ],
            check=True,
            capture_output=True,
            cwd=PROJECT_ROOT,
            env={**os.environ, "OMP_WAIT_POLICY": "passive"},
        )
        warm_cli_s = time.perf_counter() - t2
        version_dir = store / "versions" / (store / "CURRENT").read_text().strip()
        size = _dir_size(store)
        vsize = _dir_size(version_dir)
        cache = _dir_size(store / "cache")
    n_docs = len(cold.added)
    data = {
        "commit": _commit(),
        "machine": f"{platform.machine()} {os.cpu_count()} cores",
        "date": dt.datetime.now().isoformat(),
        "documents": n_docs,
        "chunks": cold.chunks,
        "failed": [list(f) for f in cold.failed],
        "cold_seconds": round(cold_s, 2),
        "embed_seconds": round(cold.embed_seconds, 2),
        "embed_share": round(cold.embed_seconds / cold_s, 3) if cold_s else 0,
        "documents_per_s": round(n_docs / cold_s, 3),
        "chunks_per_s": round(cold.chunks / cold_s, 2),
        "nochange_reindex_seconds_in_process": round(warm_s, 3),
        "nochange_reindex_seconds_cli": round(warm_cli_s, 2),
        "nochange_unchanged": len(warm.unchanged),
        "store_bytes": size,
        "version_bytes": vsize,
        "cache_bytes": cache,
        "target_nochange_reindex_s": 2.0,
    }
    lines = [
        "# Benchmark: indexing",
        "",
        f"- Commit `{data['commit']}`, {data['machine']}, {data['date']}",
        f"- Sources: {', '.join(str(s) for s in sources)}",
        "",
        "| metric | value |",
        "|---|---|",
        f"| documents | {n_docs} |",
        f"| chunks | {cold.chunks} |",
        f"| cold index (empty embedding cache) | {cold_s:.1f} s |",
        f"| time in embedding | {cold.embed_seconds:.1f} s ({data['embed_share']:.0%}) |",
        f"| documents/s | {data['documents_per_s']} |",
        f"| chunks/s | {data['chunks_per_s']} |",
        f"| no-change re-index, same process | {warm_s:.3f} s |",
        f"| no-change re-index, `isoassist index` in a new process (target ≤ 2 s) | {warm_cli_s:.2f} s |",
        f"| store size | {size / 1e6:.1f} MB (version {vsize / 1e6:.1f} MB, embedding cache {cache / 1e6:.1f} MB) |",
    ]
    return _write("bench-index", data, lines)


def bench_ask(store: Path, questions_file: Path, repeat: int = 1) -> Path:
    import yaml

    from assistant.domain.models import Turn

    asst = build_assistant(Settings(store=StoreSettings(path=store)))
    gold = yaml.safe_load(questions_file.read_text(encoding="utf-8"))["questions"]
    asst.ask("khởi động")  # warm: load the index and the model
    ret, comp, total, route = [], [], [], {}
    for _ in range(repeat):
        for q in gold:
            hist = [Turn(question=h) for h in q.get("history") or []]
            t = time.perf_counter()
            a = asst.ask(q["question"], history=hist)
            wall = (time.perf_counter() - t) * 1000
            ret.append(a.timings_ms.get("retrieval", 0.0))
            comp.append(a.timings_ms.get("composition", 0.0))
            total.append(wall)
            route[a.route] = route.get(a.route, 0) + 1
    stats = {
        name: {
            "p50": round(_percentile(v, 0.5), 1),
            "p95": round(_percentile(v, 0.95), 1),
            "mean": round(statistics.fmean(v), 1) if v else 0,
        }
        for name, v in (("retrieval_ms", ret), ("composition_ms", comp), ("total_ms", total))
    }
    data = {
        "commit": _commit(),
        "machine": f"{platform.machine()} {os.cpu_count()} cores",
        "date": dt.datetime.now().isoformat(),
        "questions": len(total),
        "routes": route,
        **stats,
        "targets": {"total_p50_ms": 150, "total_p95_ms": 400},
    }
    lines = [
        "# Benchmark: ask latency (offline composer, warm process)",
        "",
        f"- Commit `{data['commit']}`, {data['machine']}, {data['date']}",
        f"- {len(total)} questions from `{questions_file.name}`; routes: {route}",
        "",
        "| stage | p50 ms | p95 ms | mean ms |",
        "|---|---|---|---|",
        *[f"| {k.replace('_ms', '')} | {v['p50']} | {v['p95']} | {v['mean']} |" for k, v in stats.items()],
        "",
        f"Targets: total p50 ≤ 150 ms, p95 ≤ 400 ms → "
        f"{'đạt' if stats['total_ms']['p50'] <= 150 and stats['total_ms']['p95'] <= 400 else 'chưa đạt'}.",
    ]
    return _write("bench-ask", data, lines)
