"""``isoassist bot`` — run the Telegram bot (long polling, or webhook when configured)."""

from __future__ import annotations

import logging
from pathlib import Path

import typer

from .common import StoreOption, assistant_from, console, fail, run_guarded, settings_from


def register(app: typer.Typer) -> None:
    @app.command("bot")
    @run_guarded
    def bot(store: Path | None = StoreOption) -> None:
        """Chạy bot Telegram (mã bot: ISOASSIST_TELEGRAM__TOKEN; webhook: ISOASSIST_TELEGRAM__WEBHOOK_URL)."""
        settings = settings_from(store)
        if settings.telegram.token is None or not settings.telegram.token.get_secret_value().strip():
            fail("Chưa cấu hình mã bot Telegram. Đặt biến môi trường ISOASSIST_TELEGRAM__TOKEN rồi chạy lại.")
        if not settings.telegram.allowed_ids and not settings.telegram.admin_ids:
            console.print(
                "[yellow]Chưa có người dùng nào được phép (ISOASSIST_TELEGRAM__ALLOWED_IDS, "
                "ISOASSIST_TELEGRAM__ADMIN_IDS): mọi người sẽ nhận mã ghép nối nhưng không ai duyệt được.[/yellow]"
            )
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
        from bots.telegram.app import run_bot

        mode = "webhook" if settings.telegram.webhook_url else "long polling"
        console.print(f"Bot Telegram đang chạy ({mode}). Nhấn Ctrl+C để dừng.")
        run_bot(settings, assistant_from(settings))
