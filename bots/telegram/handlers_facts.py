"""Structured look-ups: ``/hanchot [tỉnh]`` (+ .ics), ``/coquan <việc>``, ``/tailieu <số>``."""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Update
from telegram.ext import ContextTypes

from assistant.domain.models import Fact

from .common import deps, run_sync, send_html, typing
from .htmlsplit import esc
from .render import render_agencies, render_deadlines, render_doc_info

KEEP_ICS = 5


async def on_deadlines(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Upcoming deadlines, filtered by a province (or, failing that, an agency)."""
    message = update.effective_message
    if message is None:
        return
    d = deps(context)
    arg = " ".join(context.args or []).strip() or None
    today = dt.date.today()
    async with typing(context, message.chat_id):
        facts, note = await run_sync(_find_deadlines, d.assistant, arg, today)
        warnings = await run_sync(fact_warnings, d.assistant, facts[:15])
    if not facts:
        where = f" cho “{esc(arg)}”" if arg else ""
        await send_html(
            context,
            message.chat_id,
            f"Không tìm thấy thời hạn nào{where} trong tài liệu. Thử tên tỉnh khác, ví dụ: /hanchot Hà Tĩnh",
        )
        return
    title = "Thời hạn sắp tới" + (f" — {arg}" if arg else "")
    markup = render_deadlines(facts, d.label, title, warnings)
    if note:
        markup = f"<i>{esc(note)}</i>\n\n{markup}"
    store: OrderedDict[int, list[Fact]] = context.chat_data.setdefault("ics", OrderedDict())
    key = context.chat_data.get("ics_seq", 0) + 1
    context.chat_data["ics_seq"] = key
    store[key] = facts
    while len(store) > KEEP_ICS:
        store.popitem(last=False)
    buttons = InlineKeyboardMarkup([[InlineKeyboardButton("Tải lịch .ics", callback_data=f"ics:{key}")]])
    await send_html(context, message.chat_id, markup, reply_markup=buttons)


def fact_warnings(assistant, facts: list[Fact]) -> list[str]:
    """Currency warnings of the shown facts (district abolished, merged province, period ended…)."""
    check = getattr(assistant, "fact_warnings", None)  # optional on the facade
    if check is None:
        return []
    return [w.message for f in facts for w in check(f)]


def _find_deadlines(assistant, arg: str | None, today: dt.date) -> tuple[list[Fact], str | None]:
    attempts = [{"province": arg}, {"agency": arg}] if arg else [{}]
    for kwargs in attempts:
        facts = assistant.deadlines(date_from=today, **kwargs)
        if facts:
            return facts, None
    for kwargs in attempts:
        facts = assistant.deadlines(**kwargs)
        if facts:
            return (
                facts,
                "Không có thời hạn nào sắp tới; dưới đây là các thời hạn ghi trong tài liệu (có thể đã qua).",
            )
    return [], None


async def on_ics_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    if query is None or query.data is None:
        return
    facts = (context.chat_data.get("ics") or {}).get(int(query.data.split(":", 1)[1]))
    if facts is None:
        await query.answer("Danh sách này đã cũ, hãy gửi lại /hanchot.", show_alert=True)
        return
    await query.answer()
    data = await run_sync(deps(context).assistant.deadlines_ics, facts)
    chat_id = update.effective_chat.id if update.effective_chat else query.from_user.id
    await context.bot.send_document(
        chat_id=chat_id,
        document=InputFile(data, filename="han-chot-iso.ics"),
        caption="Lịch thời hạn ISO — mở bằng Outlook hoặc Google Calendar.",
    )


async def on_agencies(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """``/coquan <việc>`` — cơ quan chủ trì / phối hợp."""
    message = update.effective_message
    if message is None:
        return
    words = " ".join(context.args or []).strip()
    if not words:
        await send_html(
            context, message.chat_id, "Cách dùng: /coquan &lt;việc&gt;, ví dụ: /coquan kiểm tra ISO"
        )
        return
    d = deps(context)
    async with typing(context, message.chat_id):
        facts = await run_sync(d.assistant.agencies, words)
        warnings = await run_sync(fact_warnings, d.assistant, facts[:10])
    if not facts:
        await send_html(context, message.chat_id, f"Không tìm thấy việc “{esc(words)}” trong các kế hoạch.")
        return
    await send_html(context, message.chat_id, render_agencies(facts, d.label, words, warnings))


async def on_document(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """``/tailieu <số>`` — tình trạng hiệu lực, thay thế / bị thay thế, được trích dẫn bởi."""
    message = update.effective_message
    if message is None:
        return
    number = " ".join(context.args or []).strip()
    if not number:
        await send_html(
            context, message.chat_id, "Cách dùng: /tailieu &lt;số&gt;, ví dụ: /tailieu 19/2014/QĐ-TTg"
        )
        return
    info = await run_sync(deps(context).assistant.doc_info, number)
    await send_html(context, message.chat_id, render_doc_info(info))
