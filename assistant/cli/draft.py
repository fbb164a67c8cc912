"""``isoassist draft``: soạn dự thảo văn bản ISO (Word theo NĐ 30/2020) từ một tệp dữ liệu YAML."""

from __future__ import annotations

from pathlib import Path

import typer
import yaml
from rich.table import Table

from ..domain.models import DraftKindSpec
from ..drafting.kinds import kind_specs
from .common import StoreOption, assistant_from, console, fail, run_guarded, settings_from

SAMPLES = "evals/samples/drafts/<loại>.yaml"


def _default_text(value: object) -> str:
    if value in (None, "", []):
        return ""
    if isinstance(value, list):
        return "; ".join(
            str(v) if not isinstance(v, dict) else " | ".join(map(str, v.values())) for v in value
        )
    return str(value)


def _fields_help(spec: DraftKindSpec) -> str:
    """The kind's fields for ``--help`` (one paragraph per field so the help formatter keeps the lines)."""
    lines = [f"Soạn “{spec.title}”. Tệp --input là YAML với các trường sau (mẫu: {SAMPLES}):"]
    for f in spec.fields:
        mark = "bắt buộc" if f.required else "không bắt buộc"
        line = f"• {f.name} — {f.label} ({mark}, kiểu {f.type})"
        default = _default_text(f.default)
        if default:
            line += f"; mặc định: {default}"
        if f.help:
            line += f". {f.help}"
        lines.append(line)
    return "\n\n".join(lines)


def _read_fields(path: Path) -> dict:
    if not path.is_file():
        fail(f"Không tìm thấy tệp dữ liệu {path}. Xem tệp mẫu trong {SAMPLES}.")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        fail(f"Tệp {path} không phải YAML hợp lệ (UTF-8): {exc}")
    if data is None:
        return {}
    if not isinstance(data, dict):
        fail(f"Tệp {path} phải là một bảng “tên trường: giá trị”.")
    return data


def _make_command(kind: str):
    @run_guarded
    def command(
        input_file: Path = typer.Option(..., "--input", "-i", help="Tệp YAML chứa các trường của dự thảo."),
        out: Path = typer.Option(
            None,
            "--out",
            "-o",
            help="Tệp .docx cần ghi (mặc định: tên gợi ý, ví dụ quy-trinh-noi-bo-2026.docx).",
        ),
        markdown: Path = typer.Option(None, "--markdown", help="Ghi thêm bản xem trước dạng Markdown."),
        store: Path = StoreOption,
    ) -> None:
        fields = _read_fields(input_file)
        draft = assistant_from(settings_from(store)).draft(kind, fields)
        target = out or Path(draft.file_name)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(draft.docx)
        if markdown is not None:
            markdown.parent.mkdir(parents=True, exist_ok=True)
            markdown.write_text(draft.markdown, encoding="utf-8")
        console.print(f"Đã ghi dự thảo “{draft.title}” vào [bold]{target}[/bold].")
        if markdown is not None:
            console.print(f"Bản xem trước Markdown: {markdown}")
        console.print(f"Trích dẫn: {len(draft.citations)}.")
        for w in draft.warnings:
            console.print(f"[yellow]Lưu ý:[/yellow] {w.message}")
        if draft.placeholders:
            console.print(f"Còn {len(draft.placeholders)} chỗ cần cán bộ điền:")
            for p in draft.placeholders:
                console.print(f"  {p}", markup=False)

    return command


def _print_kinds() -> None:
    table = Table(title="Các loại dự thảo")
    table.add_column("Loại (KIND)")
    table.add_column("Tên")
    table.add_column("Trường bắt buộc")
    for spec in kind_specs():
        table.add_row(spec.kind, spec.title, ", ".join(f.name for f in spec.fields if f.required))
    console.print(table)
    console.print("Xem các trường của một loại: isoassist draft <loại> --help")


def register(app: typer.Typer) -> None:
    draft_app = typer.Typer(
        help="Soạn dự thảo văn bản ISO (Word theo NĐ 30/2020/NĐ-CP): isoassist draft <loại> --input dữ-liệu.yaml --out tệp.docx",
        invoke_without_command=True,
        no_args_is_help=False,
    )

    @draft_app.callback()
    def draft_root(
        ctx: typer.Context,
        list_kinds: bool = typer.Option(False, "--list", help="Liệt kê các loại dự thảo."),
    ) -> None:
        if ctx.invoked_subcommand is not None:
            return
        if list_kinds:
            _print_kinds()
            raise typer.Exit(0)
        console.print(ctx.get_help())
        raise typer.Exit(0)

    for spec in kind_specs():
        draft_app.command(spec.kind, help=_fields_help(spec), short_help=spec.title)(_make_command(spec.kind))

    app.add_typer(draft_app, name="draft")
