"""Helpers shared by the CLI command modules."""

from __future__ import annotations

import functools
import os
from pathlib import Path
from typing import NoReturn

import typer
from rich.console import Console

from ..config import Settings
from ..domain.errors import AssistantError

console = Console()
err_console = Console(stderr=True)

os.environ.setdefault("OMP_WAIT_POLICY", "passive")

StoreOption = typer.Option(None, "--store", help="Thư mục chỉ mục (mặc định theo cấu hình: data/index).")


def settings_from(store: Path | None = None) -> Settings:
    """Settings from the environment, with ``--store`` overriding the store path."""
    settings = Settings()
    if store is not None:
        settings = settings.model_copy(update={"store": settings.store.model_copy(update={"path": store})})
    return settings


@functools.cache
def _build(settings_json: str):
    from ..bootstrap import build_assistant

    return build_assistant(Settings.model_validate_json(settings_json))


def assistant_from(settings: Settings):
    """The ``Assistant`` for these settings (built once per process)."""
    return _build(settings.model_dump_json())


def fail(message: str, code: int = 1) -> NoReturn:
    err_console.print(f"[bold red]Lỗi:[/bold red] {message}")
    raise typer.Exit(code)


def run_guarded(func):
    """Turn ``AssistantError`` into a Vietnamese message and exit code 1."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except AssistantError as exc:
            fail(exc.message)

    return wrapper
