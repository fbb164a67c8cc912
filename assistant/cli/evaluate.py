"""``isoassist eval``: the evaluation suites (domain gold set, BEIR sets) and their reports."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.markup import escape

from ..domain.errors import AssistantError
from .common import console, fail, settings_from

SUITES = ("domain", "beir", "all")


def evaluate(
    suite: str = typer.Option(
        "all", "--suite", help="domain | beir | all; hoặc beir:THƯ_MỤC / THƯ_MỤC (một bộ BEIR)."
    ),
    beir: Path = typer.Option(
        None,
        "--beir",
        help="Thư mục BEIR (corpus.jsonl, queries.jsonl, qrels.tsv); "
        "mặc định ../shared/benchmarks/alqac-dev.",
    ),
    smoke: bool = typer.Option(False, "--smoke", help="Bộ rút gọn và ngưỡng smoke (dùng cho CI)."),
    baselines: list[str] = typer.Option(
        None,
        "--baseline",
        help="Chỉ chạy các đường cơ sở này (bm25-syllable, dense, langchain-chroma); mặc định: tất cả.",
    ),
    no_baselines: bool = typer.Option(False, "--no-baselines", help="Không chạy đường cơ sở."),
    store: Path = typer.Option(
        None,
        "--store",
        help="Dùng chỉ mục có sẵn này cho bộ miền (phải chứa "
        "knowledge/documents + corpus pháp lý); mặc định: data/eval-store, tự lập chỉ mục.",
    ),
    no_held_out: bool = typer.Option(
        False, "--no-held-out", help="Không chấm các bộ câu hỏi giữ lại (evals/gold/holdout_v*.yaml)."
    ),
    out: Path = typer.Option(None, "--out", help="Thư mục ghi báo cáo (mặc định evals/reports)."),
    gold: Path = typer.Option(
        None,
        "--gold",
        help="Bộ câu hỏi miền (mặc định evals/gold/domain_v1.yaml, và khi chạy đầy đủ, cả các bộ giữ lại "
        "evals/gold/holdout_v*.yaml; chỉ định tệp nào thì chỉ chấm tệp đó).",
    ),
) -> None:
    """Đánh giá hệ thống: ghi báo cáo .md/.json/.png; mã thoát 1 khi có mục tiêu không đạt."""
    from evals import baselines as bl
    from evals.run import run_eval

    if suite.lower().startswith("beir:") or (suite.lower() not in SUITES and Path(suite).is_dir()):
        beir = Path(
            suite.split(":", 1)[1] if suite.lower().startswith("beir:") else suite
        )  # --suite beir:PATH
        suite = "beir"
    suite = suite.lower()
    if suite not in SUITES:
        fail(f"Bộ đánh giá không hợp lệ: “{suite}”. Chọn một trong: {', '.join(SUITES)}.")
    if beir is not None and not (beir / "corpus.jsonl").exists():
        fail(f"Thư mục {beir} không có corpus.jsonl (định dạng BEIR).")
    unknown = [b for b in baselines or [] if b not in bl.BASELINES]
    if unknown:
        fail(f"Không có đường cơ sở: {', '.join(unknown)}. Có: {', '.join(bl.BASELINES)}.")
    chosen = [] if no_baselines else (baselines or None)
    if smoke and baselines is None and not no_baselines:
        chosen = ["bm25-syllable", "dense"]  # the LangChain baseline embeds its own passages: full runs only
    if gold is not None and not gold.is_file():
        fail(f"Không tìm thấy bộ câu hỏi {gold}.")
    settings = settings_from(store) if store is not None else None
    try:
        report, paths = run_eval(
            suite=suite,
            beir_path=beir,
            smoke=smoke,
            settings=settings,
            out=out,
            baselines=chosen,
            gold_path=gold.resolve() if gold is not None else None,
            held_out=not no_held_out,
            progress=lambda m: console.print(m, highlight=False, markup=False),
        )
    except AssistantError as exc:
        fail(exc.message)
    for c in report["checks"]:
        mark = "[green]ĐẠT[/green]" if c["passed"] else "[red]KHÔNG ĐẠT[/red]"
        target = f"≥ {c['target']:.2f}" if c["target"] is not None else c["detail"]
        value = "—" if c["value"] is None else f"{c['value']:.3f}"
        console.print(f"{mark} {escape(c['name'])}: {value} ({escape(target)})", highlight=False)
    for kind, p in paths.items():
        console.print(f"Báo cáo {kind}: {p}", highlight=False)
    if not report["passed"]:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command("eval")(evaluate)
