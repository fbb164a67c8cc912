"""Questions, follow-ups and sources: plain messages, ``/nguon N`` and the "Nguồn n" buttons."""

from __future__ import annotations

from collections import OrderedDict

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import ContextTypes

from assistant.domain.models import Answer, Citation, Turn

from .common import deps, run_sync, send_html, typing
from .render import render_answer, render_passage

KEEP_ANSWERS = 10
MAX_SOURCE_BUTTONS = 8


def _remember(chat_data: dict, answer: Answer) -> int:
    """Keep the citations of the last few answers so older "Nguồn n" buttons still work."""
    answers: OrderedDict[int, tuple[Citation, ...]] = chat_data.setdefault("answers", OrderedDict())
    aid = chat_data.get("answer_seq", 0) + 1
    chat_data["answer_seq"] = aid
    answers[aid] = answer.citations
    while len(answers) > KEEP_ANSWERS:
        answers.popitem(last=False)
    chat_data["last_answer"] = aid
    return aid


def _source_buttons(aid: int, citations: tuple[Citation, ...]) -> InlineKeyboardMarkup | None:
    buttons = [
        InlineKeyboardButton(f"Nguồn {c.n}", callback_data=f"src:{aid}:{c.n}")
        for c in citations[:MAX_SOURCE_BUTTONS]
    ]
    if not buttons:
        return None
    return InlineKeyboardMarkup([buttons[i : i + 4] for i in range(0, len(buttons), 4)])


async def on_question(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    if message is None or not message.text:
        return
    d = deps(context)
    chat_id = message.chat_id
    history: list[Turn] = context.chat_data.setdefault("history", [])
    async with typing(context, chat_id):
        answer = await run_sync(d.assistant.ask, message.text, history=list(history))
        markup = render_answer(answer, d.label)
    aid = _remember(context.chat_data, answer)
    if not answer.refused:
        history.append(Turn(question=message.text, answer=answer.answer))
        del history[: -d.history_turns]
    await send_html(context, chat_id, markup, reply_markup=_source_buttons(aid, answer.citations))


async def _show_source(context: ContextTypes.DEFAULT_TYPE, chat_id: int, aid: int | None, n: int) -> None:
    answers = context.chat_data.get("answers") or {}
    citations = answers.get(aid) if aid is not None else None
    if citations is None:
        await send_html(context, chat_id, "Chưa có câu trả lời nào để xem nguồn. Hãy đặt câu hỏi trước.")
        return
    by_n = {c.n: c for c in citations}
    if n not in by_n:
        if by_n:
            listed = ", ".join(str(k) for k in sorted(by_n))
            text = f"Câu trả lời này có các nguồn: {listed}. Ví dụ: /nguon {min(by_n)}"
        else:
            text = "Câu trả lời này không có nguồn trích dẫn."
        await send_html(context, chat_id, text)
        return
    citation = by_n[n]
    d = deps(context)
    chunk = await run_sync(d.assistant.chunk, citation.chunk_id)
    markup = render_passage(citation, chunk, d.label(citation.doc_id, citation.number, citation.title))
    await send_html(context, chat_id, markup)


async def on_source_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """``/nguon N`` — nguyên văn đoạn được trích dẫn [N] của câu trả lời gần nhất."""
    message = update.effective_message
    if message is None:
        return
    args = context.args or []
    if len(args) != 1 or not args[0].strip("[]").isdigit():
        await send_html(context, message.chat_id, "Cách dùng: /nguon 1 (số thứ tự nguồn trong câu trả lời).")
        return
    await _show_source(
        context, message.chat_id, context.chat_data.get("last_answer"), int(args[0].strip("[]"))
    )


async def on_source_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    if query is None or query.data is None:
        return
    await query.answer()
    _, aid, n = query.data.split(":")
    chat_id = update.effective_chat.id if update.effective_chat else query.from_user.id
    await _show_source(context, chat_id, int(aid), int(n))
