"""The Telegram bot: a python-telegram-bot v22 ``Application`` over the ``Assistant`` facade.

``build_application(settings, assistant)`` wires handlers; ``run_bot`` runs it by long polling, or
by webhook when ``settings.telegram.webhook_url`` is set. The token is never logged.
"""

from __future__ import annotations

import hashlib
import logging
from typing import Any
from urllib.parse import urlparse

from telegram import BotCommand, Update
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from assistant.adapters.telegram_sqlite import PairingStore
from assistant.config import Settings
from assistant.domain.errors import ConfigError
from assistant.service import Assistant

from . import handlers_access as acc
from . import handlers_ask as ask
from . import handlers_facts as facts
from .access import AccessPolicy, RateLimiter
from .common import DEPS_KEY, BotDeps
from .handlers_draft import draft_conversation, on_cancel
from .handlers_learn import learn_conversation
from .logsafe import protect

log = logging.getLogger(__name__)

PAIRING_FILE = "telegram.sqlite"

COMMANDS = [
    BotCommand("start", "Giới thiệu, cách dùng và quyền riêng tư"),
    BotCommand("hanchot", "Thời hạn sắp tới (theo tỉnh hoặc cơ quan), tải lịch .ics"),
    BotCommand("coquan", "Cơ quan chủ trì / phối hợp một việc"),
    BotCommand("tailieu", "Tình trạng hiệu lực của một văn bản"),
    BotCommand("soan", "Soạn dự thảo văn bản ISO (.docx)"),
    BotCommand("hoc", "Học ISO: lộ trình cho cán bộ mới, có bài kiểm tra"),
    BotCommand("nguon", "Xem nguyên văn nguồn N của câu trả lời gần nhất"),
    BotCommand("huy", "Hủy thao tác đang làm"),
    BotCommand("xinphep", "Xin quyền dùng bot"),
]


def _token(settings: Settings) -> str:
    secret = settings.telegram.token
    token = secret.get_secret_value().strip() if secret is not None else ""
    if not token:
        raise ConfigError(
            "Chưa cấu hình mã bot Telegram. Đặt biến môi trường ISOASSIST_TELEGRAM__TOKEN rồi chạy lại."
        )
    return token


async def _post_init(application: Application) -> None:
    await application.bot.set_my_commands(COMMANDS)


async def _post_shutdown(application: Application) -> None:
    deps: BotDeps | None = application.bot_data.get(DEPS_KEY)
    if deps is not None:
        deps.policy.pairing.close()


def api_urls(base_url: str) -> tuple[str, str]:
    """``http://host:8081`` or ``http://host:8081/bot`` → (``…/bot``, ``…/file/bot``)."""
    base = base_url.rstrip("/")
    if "{token}" in base:
        return base, base.replace("/bot{token}", "/file/bot{token}")
    if base.endswith("/bot"):
        base = base[: -len("/bot")]
    return f"{base}/bot", f"{base}/file/bot"


def build_application(settings: Settings, assistant: Assistant) -> Application:
    """A ready-to-run ``Application`` (not initialised): handlers, commands, error handler."""
    token = _token(settings)
    protect(token)
    tg = settings.telegram
    builder = ApplicationBuilder().token(token).post_init(_post_init).post_shutdown(_post_shutdown)
    if tg.base_url:
        api_url, file_url = api_urls(tg.base_url)
        builder = builder.base_url(api_url).base_file_url(file_url)
    application = builder.build()

    pairing = PairingStore(settings.store.path / PAIRING_FILE)
    application.bot_data[DEPS_KEY] = BotDeps(
        assistant=assistant,
        policy=AccessPolicy(tg.allowed_ids, tg.admin_ids, pairing),
        limiter=RateLimiter(tg.rate_limit_per_minute),
    )

    application.add_handler(TypeHandler(Update, acc.gate), group=-1)
    application.add_handler(CommandHandler("start", acc.on_start))
    application.add_handler(CommandHandler("xinphep", acc.on_request))
    application.add_handler(CommandHandler(["duyet", "tuchoi"], acc.on_decide))
    application.add_handler(CallbackQueryHandler(acc.on_decide_button, pattern=r"^pair:(ok|no):\d+$"))
    application.add_handler(draft_conversation())
    application.add_handler(learn_conversation())
    application.add_handler(CommandHandler("huy", on_cancel))
    application.add_handler(CommandHandler("nguon", ask.on_source_command))
    application.add_handler(CallbackQueryHandler(ask.on_source_button, pattern=r"^src:\d+:\d+$"))
    application.add_handler(CommandHandler("hanchot", facts.on_deadlines))
    application.add_handler(CommandHandler("coquan", facts.on_agencies))
    application.add_handler(CommandHandler("tailieu", facts.on_document))
    application.add_handler(CallbackQueryHandler(facts.on_ics_button, pattern=r"^ics:\d+$"))
    application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, ask.on_question))
    application.add_error_handler(acc.on_error)
    return application


def webhook_secret(token: str) -> str:
    """Deterministic secret for Telegram's ``X-Telegram-Bot-Api-Secret-Token`` header."""
    return hashlib.sha256(("isoassist-webhook:" + token).encode()).hexdigest()[:48]


def run_bot(settings: Settings, assistant: Assistant) -> None:
    """Run until interrupted (Ctrl+C / SIGTERM): webhook when ``telegram.webhook_url`` is set, else polling."""
    # httpx logs every request URL — which contains the token — at INFO; keep it quiet as well.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    run_application(build_application(settings, assistant), settings)


def run_application(application: Application, settings: Settings, **options: Any) -> None:
    """Blocking run of a built application; ``options`` go to ``run_polling`` / ``run_webhook``
    (tests pass ``stop_signals=None, close_loop=False`` to run it in a thread)."""
    tg = settings.telegram
    if tg.webhook_url:
        try:
            import tornado  # noqa: F401  (python-telegram-bot[webhooks])
        except ImportError as exc:
            raise ConfigError(
                "Chế độ webhook cần gói python-telegram-bot[webhooks]; cài gói đó hoặc bỏ "
                "ISOASSIST_TELEGRAM__WEBHOOK_URL để chạy long polling."
            ) from exc
        path = urlparse(tg.webhook_url).path.strip("/")
        log.info("bot Telegram chạy webhook trên %s:%s/%s", tg.webhook_listen, tg.webhook_port, path)
        application.run_webhook(
            listen=tg.webhook_listen,
            port=tg.webhook_port,
            url_path=path,
            webhook_url=tg.webhook_url,
            secret_token=webhook_secret(_token(settings)),
            allowed_updates=Update.ALL_TYPES,
            **options,
        )
    else:
        log.info("bot Telegram chạy long polling")
        application.run_polling(allowed_updates=Update.ALL_TYPES, **options)
