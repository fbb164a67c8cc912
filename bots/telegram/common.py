"""What every handler shares: the dependencies, sending split HTML, the typing indicator."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from telegram import InlineKeyboardMarkup, LinkPreviewOptions, Message
from telegram.constants import ChatAction, ParseMode
from telegram.ext import ContextTypes

from assistant.domain.models import CatalogEntry
from assistant.domain.vntext import fold
from assistant.service import Assistant

from .access import AccessPolicy, RateLimiter
from .htmlsplit import split_html
from .render import default_label

log = logging.getLogger(__name__)

DEPS_KEY = "iso_deps"
T = TypeVar("T")


@dataclass
class BotDeps:
    """Collaborators of the handlers (stored in ``application.bot_data``)."""

    assistant: Assistant
    policy: AccessPolicy
    limiter: RateLimiter
    history_turns: int = 4
    _entries: dict[str, CatalogEntry] | None = field(default=None, repr=False)

    def label(self, doc_id: str, number: str | None = None, title: str | None = None) -> str:
        """Human name of a document: "Kế hoạch 310/KH-UBND Hà Tĩnh" (catalog), else title/number."""
        if self._entries is None:
            self._entries = self._load_entries()
        entry = self._entries.get(doc_id)
        if entry is None:
            return default_label(doc_id, number, title)
        name = entry.display_name
        if entry.province and fold(entry.province) not in fold(name):
            name = f"{name} {entry.province}"
        return name

    def _load_entries(self) -> dict[str, CatalogEntry]:
        entries: dict[str, CatalogEntry] = {}
        try:
            infos = self.assistant.documents()
        except Exception:  # labels fall back to titles; the cause is logged, answering goes on
            log.warning("không đọc được danh mục văn bản cho nhãn nguồn", exc_info=True)
            return entries
        for info in infos:
            if info.entry is None:
                continue
            entries[info.entry.id] = info.entry
            for doc in info.documents:
                entries.setdefault(doc.doc_id, info.entry)
        return entries


def deps(context: ContextTypes.DEFAULT_TYPE) -> BotDeps:
    return context.application.bot_data[DEPS_KEY]


async def run_sync(func: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Call a blocking ``Assistant`` method without blocking the event loop."""
    return await asyncio.to_thread(func, *args, **kwargs)


@contextlib.asynccontextmanager
async def typing(context: ContextTypes.DEFAULT_TYPE, chat_id: int) -> AsyncIterator[None]:
    """Show "đang soạn…" (typing) until the block ends; Telegram clears it after ~5 s, so repeat."""

    async def send() -> None:
        try:
            await context.bot.send_chat_action(chat_id=chat_id, action=ChatAction.TYPING)
        except Exception:  # the indicator is cosmetic; never fail the answer for it
            log.debug("send_chat_action thất bại", exc_info=True)

    async def keep() -> None:
        while True:
            await asyncio.sleep(4.0)
            await send()

    await send()
    task = asyncio.create_task(keep())
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def send_html(
    context: ContextTypes.DEFAULT_TYPE,
    chat_id: int,
    markup: str,
    reply_markup: InlineKeyboardMarkup | None = None,
) -> list[Message]:
    """Send HTML split into ≤ 4096-character parts; the buttons go on the last part."""
    parts = split_html(markup) or ["…"]
    sent = []
    for i, part in enumerate(parts):
        sent.append(
            await context.bot.send_message(
                chat_id=chat_id,
                text=part,
                parse_mode=ParseMode.HTML,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
                reply_markup=reply_markup if i == len(parts) - 1 else None,
            )
        )
    return sent
