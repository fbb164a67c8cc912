"""``isoassist bench index|ask``: benchmarks that write reports under evals/reports/."""

from __future__ import annotations

from pathlib import Path

import typer

from ..config import PROJECT_ROOT
from .common import StoreOption, console, settings_from

bench_app = typer.Typer(help="Đo hiệu năng: lập chỉ mục và độ trễ trả lời (ghi báo cáo vào evals/reports/).")


@bench_app.command("index")
def index_cmd(
    source: list[Path] = typer.Option(
        None, "--source", "-s", help="Nguồn (mặc định: knowledge/ và ../shared/corpus/legal)."
    ),
) -> None:
    """Lập chỉ mục từ đầu vào kho tạm, rồi lập lại khi không có gì thay đổi."""
    from indexer.bench import bench_index

    sources = (
        list(source)
        if source
        else [PROJECT_ROOT / "knowledge", PROJECT_ROOT.parent / "shared" / "corpus" / "legal"]
    )
    path = bench_index([s for s in sources if s.exists()])
    console.print(path.read_text(encoding="utf-8"), markup=False, highlight=False)
    console.print(f"Báo cáo: {path}")


@bench_app.command("ask")
def ask_cmd(
    questions: Path = typer.Option(PROJECT_ROOT / "evals" / "gold" / "domain_v1.yaml", "--questions"),
    repeat: int = typer.Option(1, "--repeat"),
    store: Path = StoreOption,
) -> None:
    """Đo độ trễ của câu hỏi (p50/p95) trên bộ câu hỏi đánh giá."""
    from indexer.bench import bench_ask

    path = bench_ask(settings_from(store).store.path, questions, repeat)
    console.print(path.read_text(encoding="utf-8"), markup=False, highlight=False)


def register(app: typer.Typer) -> None:
    app.add_typer(bench_app, name="bench")
