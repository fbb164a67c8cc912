"""``isoassist run``: serve the web app and, when a Telegram token is configured, the bot too."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import typer

from .common import StoreOption, console, settings_from


def run(
    host: str = typer.Option(None, "--host", help="Địa chỉ lắng nghe (mặc định 127.0.0.1)."),
    port: int = typer.Option(None, "--port", help="Cổng (mặc định 8000)."),
    store: Path = StoreOption,
) -> None:
    """Chạy ứng dụng web (và bot Telegram nếu đã cấu hình token)."""
    settings = settings_from(store)
    bot = None
    if settings.telegram.token is not None and settings.telegram.token.get_secret_value():
        args = [sys.executable, "-m", "assistant.cli", "bot"]
        if store is not None:
            args += ["--store", str(store)]
        bot = subprocess.Popen(args)
        console.print("Đã khởi động bot Telegram.")
    else:
        console.print("Chưa cấu hình token Telegram (ISOASSIST_TELEGRAM__TOKEN): chỉ chạy ứng dụng web.")
    serve_args = [sys.executable, "-m", "assistant.cli", "serve"]
    if host:
        serve_args += ["--host", host]
    if port:
        serve_args += ["--port", str(port)]
    if store is not None:
        serve_args += ["--store", str(store)]
    try:
        code = subprocess.call(serve_args)
    except KeyboardInterrupt:
        code = 0
    finally:
        if bot is not None:
            bot.terminate()
            bot.wait(timeout=10)
    raise typer.Exit(code)


def register(app: typer.Typer) -> None:
    app.command("run")(run)
