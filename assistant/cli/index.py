"""``isoassist index`` and ``isoassist search``."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from ..domain.errors import AssistantError
from .common import StoreOption, assistant_from, console, fail, settings_from


def _print_report(report) -> None:
    console.print(
        f"[bold]Kết quả lập chỉ mục[/bold]: thêm {len(report.added)}, cập nhật {len(report.updated)}, "
        f"không đổi {len(report.unchanged)}, xoá {len(report.removed)}, lỗi {len(report.failed)}; "
        f"{report.chunks} đoạn, {report.embedded} đoạn mới tính vector; {report.seconds:.2f} giây"
        + (f" (tính vector {report.embed_seconds:.2f} giây)" if report.embedded else "")
    )
    for label, items in (
        ("Thêm", report.added),
        ("Cập nhật", report.updated),
        ("Xoá", report.removed),
        ("Không đổi", report.unchanged),
    ):
        for p in items:
            console.print(f"  {label}: {p}", highlight=False)
    for path, reason in report.failed:
        console.print(f"  [red]Lỗi[/red]: {path} — {reason}", highlight=False)
    if report.switched:
        console.print(f"Phiên bản chỉ mục mới: {report.version}")
    elif report.version:
        console.print(f"Giữ nguyên phiên bản chỉ mục: {report.version}")


def index(
    source: list[Path] = typer.Option(
        None, "--source", "-s", help="Thư mục hoặc tệp cần lập chỉ mục (lặp lại được)."
    ),
    store: Path = StoreOption,
    json_out: bool = typer.Option(False, "--json", help="In kết quả dạng JSON."),
) -> None:
    """Lập chỉ mục tài liệu (tăng dần, an toàn khi bị ngắt)."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    settings = settings_from(store)
    sources = list(source) if source else [settings.knowledge_dir]
    try:
        asst = assistant_from(settings)
        if json_out:
            report = asst.index(sources)
        else:
            with Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                TextColumn("{task.completed}/{task.total}"),
                TimeElapsedColumn(),
                console=console,
                transient=True,
            ) as bar:
                tasks: dict[str, int] = {}

                def on(stage: str, done: int, total: int) -> None:
                    if stage not in tasks:
                        tasks[stage] = bar.add_task(stage.capitalize(), total=total)
                    bar.update(tasks[stage], completed=done, total=total)

                report = asst.index(sources, progress=on)
    except AssistantError as exc:
        fail(exc.message)
    if json_out:
        console.print_json(report.model_dump_json())
    else:
        _print_report(report)


def search(
    query: str = typer.Argument(None, help="Câu truy vấn."),
    k: int = typer.Option(10, "-k", help="Số kết quả."),
    json_out: bool = typer.Option(False, "--json", help="In kết quả dạng JSON."),
    queries: Path = typer.Option(None, "--queries", help="Tệp JSONL {id, query} để tìm hàng loạt."),
    out: Path = typer.Option(None, "--out", help="Tệp JSONL kết quả cho --queries."),
    store: Path = StoreOption,
) -> None:
    """Tìm kiếm lai (BM25 + vector) trong chỉ mục."""
    settings = settings_from(store)
    try:
        asst = assistant_from(settings)
        if queries is not None:
            if out is None:
                fail("Cần --out FILE khi dùng --queries.")
            n = 0
            with open(queries, encoding="utf-8") as fin, open(out, "w", encoding="utf-8") as fout:
                for line in fin:
                    if not line.strip():
                        continue
                    item = json.loads(line)
                    hits = asst.search(item["query"], k=k)
                    fout.write(
                        json.dumps(
                            {"id": item.get("id"), "hits": [_hit(h) for h in hits]}, ensure_ascii=False
                        )
                        + "\n"
                    )
                    n += 1
            console.print(f"Đã tìm {n} truy vấn, kết quả ghi vào {out}")
            return
        if not query:
            fail('Hãy nhập câu truy vấn, ví dụ: isoassist search "hạn báo cáo ISO"')
        hits = asst.search(query, k=k)
    except AssistantError as exc:
        fail(exc.message)
    if json_out:
        print(json.dumps([_hit(h) for h in hits], ensure_ascii=False, indent=1))
        return
    for i, h in enumerate(hits, 1):
        console.print(
            f"[bold]{i}. {h.number or h.doc_id}[/bold] — mục {h.section or 'phần đầu'} (điểm {h.score:.4f})",
            highlight=False,
        )
        console.print("   " + h.text[:300].replace("\n", " "), highlight=False)


def _hit(h) -> dict:
    return {
        "doc_id": h.doc_id,
        "title": h.title,
        "number": h.number,
        "section": h.section,
        "text": h.text,
        "score": h.score,
        "chunk_id": h.chunk_id,
    }


def register(app: typer.Typer) -> None:
    app.command("index")(index)
    app.command("search")(search)
