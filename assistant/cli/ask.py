"""``isoassist ask``."""

from __future__ import annotations

from pathlib import Path

import typer

from ..domain.errors import AssistantError
from ..domain.models import Filters
from .common import StoreOption, assistant_from, console, fail, settings_from


def ask(
    question: str = typer.Argument(..., help="Câu hỏi."),
    json_out: bool = typer.Option(False, "--json", help="In câu trả lời dạng JSON."),
    province: list[str] = typer.Option(None, "--province", help="Chỉ dùng tài liệu của tỉnh này."),
    kind: list[str] = typer.Option(None, "--kind", help="Chỉ dùng loại văn bản này (kế hoạch, quyết định…)."),
    in_force: bool = typer.Option(False, "--in-force", help="Chỉ dùng văn bản còn hiệu lực."),
    store: Path = StoreOption,
) -> None:
    """Hỏi trợ lý; câu trả lời có trích dẫn nguồn."""
    filters = Filters(provinces=tuple(province or ()), kinds=tuple(kind or ()), in_force_only=in_force)
    try:
        answer = assistant_from(settings_from(store)).ask(question, filters=filters)
    except AssistantError as exc:
        fail(exc.message)
    if json_out:
        data = answer.model_dump(mode="json")
        print(__import__("json").dumps(data, ensure_ascii=False, indent=1))
        return
    for w in answer.warnings:
        console.print(f"[yellow]⚠ {w.message}[/yellow]", highlight=False)
    console.print(answer.answer, highlight=False)
    if answer.citations:
        console.print("\n[bold]Nguồn:[/bold]")
        for c in answer.citations:
            console.print(
                f"[{c.n}] {c.number or c.title} — mục {c.section or 'phần đầu'}",
                highlight=False,
                markup=False,
            )


def register(app: typer.Typer) -> None:
    app.command("ask")(ask)
