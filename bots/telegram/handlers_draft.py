"""``/soan``: choose a draft kind, answer its required fields one by one, receive the ``.docx``."""

from __future__ import annotations

import datetime as dt
import re
import warnings
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Update
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    ConversationHandler,
    MessageHandler,
    filters,
)

from assistant.domain.errors import InvalidInputError
from assistant.domain.models import DraftField, DraftKindSpec

from .common import deps, run_sync, send_html, typing
from .htmlsplit import esc

CHOOSE, FIELD = range(2)
_BULLET = re.compile(r"^\s*(?:[-•+*]|\d+[.)])\s+")
_DATE = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$")
STEP_KEYS = ("content", "responsible", "time", "form")

_HINTS = {
    "list": "Mỗi mục một dòng.",
    "steps": "Mỗi bước một dòng, dạng: nội dung; trách nhiệm; thời gian; biểu mẫu",
    "date": "Dạng ngày/tháng/năm, ví dụ 15/03/2026.",
    "int": "Một số nguyên, ví dụ 2026.",
}


def parse_field(field: DraftField, text: str) -> tuple[Any, str | None]:
    """Turn the user's reply into the field value; ``(None, message)`` when it is not valid."""
    text = text.strip()
    if not text:
        return None, f"“{field.label}” không được để trống."
    if text == "-" and field.default is not None:
        return field.default, None
    if field.type == "int":
        digits = text.replace(".", "").replace(" ", "")
        if not re.fullmatch(r"-?\d+", digits):
            return None, f"“{field.label}” phải là một số nguyên."
        return int(digits), None
    if field.type == "date":
        m = _DATE.match(text)
        if not m:
            return None, f"“{field.label}” phải có dạng ngày/tháng/năm, ví dụ 15/03/2026."
        try:
            return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1))).isoformat(), None
        except ValueError:
            return None, f"“{field.label}”: ngày không tồn tại."
    if field.type in ("list", "steps"):
        lines = [_BULLET.sub("", line).strip() for line in text.splitlines()]
        lines = [line for line in lines if line]
        if field.type == "list":
            return lines, None
        steps = []
        for i, line in enumerate(lines, 1):
            cells = [c.strip() for c in line.split(";")]
            if len(cells) > len(STEP_KEYS) or not cells[0]:
                return None, (
                    f"Bước {i} chưa đúng dạng. Mỗi dòng: nội dung; trách nhiệm; thời gian; biểu mẫu "
                    "(tối đa 4 phần, nội dung không để trống)."
                )
            cells += [""] * (len(STEP_KEYS) - len(cells))
            steps.append(dict(zip(STEP_KEYS, cells, strict=True)))
        return steps, None
    return text, None


def _kinds_keyboard(kinds: list[DraftKindSpec]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(k.title, callback_data=f"draft:{k.kind}")] for k in kinds]
    )


async def on_draft_start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    message = update.effective_message
    assert message is not None
    kinds = await run_sync(deps(context).assistant.draft_kinds)
    context.user_data["draft"] = {"kinds": {k.kind: k for k in kinds}}
    await send_html(
        context,
        message.chat_id,
        "<b>Soạn dự thảo</b> — chọn loại văn bản (gửi /huy để thôi):",
        reply_markup=_kinds_keyboard(kinds),
    )
    return CHOOSE


async def _ask(context: ContextTypes.DEFAULT_TYPE, chat_id: int) -> None:
    state = context.user_data["draft"]
    field: DraftField = state["fields"][state["i"]]
    lines = [f"<b>({state['i'] + 1}/{len(state['fields'])}) {esc(field.label)}</b>"]
    if field.help:
        lines.append(f"<i>{esc(field.help)}</i>")
    if field.type in _HINTS:
        lines.append(esc(_HINTS[field.type]))
    if field.default is not None:
        lines.append(f"Gửi - để dùng mặc định: {esc(field.default)}")
    await send_html(context, chat_id, "\n".join(lines))


async def on_kind_chosen(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    query = update.callback_query
    assert query is not None and query.data is not None
    await query.answer()
    state = context.user_data.get("draft") or {}
    spec: DraftKindSpec | None = (state.get("kinds") or {}).get(query.data.split(":", 1)[1])
    if spec is None:
        await query.edit_message_text("Lựa chọn này đã cũ. Gửi /soan để bắt đầu lại.")
        return ConversationHandler.END
    fields = [f for f in spec.fields if f.required]
    context.user_data["draft"] = {"spec": spec, "fields": fields, "i": 0, "values": {}}
    await query.edit_message_text(f"Soạn: <b>{esc(spec.title)}</b>", parse_mode="HTML")
    chat_id = update.effective_chat.id if update.effective_chat else query.from_user.id
    if not fields:
        return await _finish(context, chat_id)
    await _ask(context, chat_id)
    return FIELD


async def on_choose_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    if update.effective_message is not None:
        await send_html(
            context,
            update.effective_message.chat_id,
            "Hãy bấm một nút ở trên để chọn loại văn bản, hoặc /huy.",
        )
    return CHOOSE


async def on_field(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    message = update.effective_message
    assert message is not None and message.text is not None
    state = context.user_data["draft"]
    field: DraftField = state["fields"][state["i"]]
    value, problem = parse_field(field, message.text)
    if problem:
        await send_html(context, message.chat_id, f"⚠️ {esc(problem)} Hãy nhập lại.")
        return FIELD
    state["values"][field.name] = value
    state["i"] += 1
    if state["i"] < len(state["fields"]):
        await _ask(context, message.chat_id)
        return FIELD
    return await _finish(context, message.chat_id)


async def _finish(context: ContextTypes.DEFAULT_TYPE, chat_id: int) -> int:
    state = context.user_data.pop("draft")
    spec: DraftKindSpec = state["spec"]
    try:
        async with typing(context, chat_id):
            draft = await run_sync(deps(context).assistant.draft, spec.kind, state["values"])
    except InvalidInputError as exc:
        await send_html(
            context, chat_id, f"⚠️ Chưa tạo được dự thảo: {esc(exc.message)}\nGửi /soan để làm lại."
        )
        return ConversationHandler.END
    await context.bot.send_document(
        chat_id=chat_id,
        document=InputFile(draft.docx, filename=draft.file_name),
        caption=f"Dự thảo: {draft.title}"[:1000],
    )
    notes = [f"⚠️ {esc(w.message)}" for w in draft.warnings]
    if draft.placeholders:
        notes.append("<b>Các chỗ cần cán bộ điền:</b>")
        notes.extend(f"• {esc(p)}" for p in draft.placeholders)
    if notes:
        await send_html(context, chat_id, "\n".join(notes))
    return ConversationHandler.END


async def on_cancel(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    had = context.user_data.pop("draft", None) is not None
    if update.effective_chat is not None:
        text = "Đã hủy soạn dự thảo." if had else "Không có thao tác nào đang làm dở."
        await send_html(context, update.effective_chat.id, text)
    return ConversationHandler.END


def draft_conversation() -> ConversationHandler:
    cancel = CommandHandler("huy", on_cancel)
    with warnings.catch_warnings():
        # per_message=False is intended: the kind buttons are answered by the (chat, user) conversation
        warnings.filterwarnings("ignore", message=".*per_message=False.*")
        return _conversation(cancel)


def _conversation(cancel: CommandHandler) -> ConversationHandler:
    return ConversationHandler(
        entry_points=[CommandHandler("soan", on_draft_start)],
        states={
            CHOOSE: [
                CallbackQueryHandler(on_kind_chosen, pattern=r"^draft:"),
                MessageHandler(filters.TEXT & ~filters.COMMAND, on_choose_text),
            ],
            FIELD: [MessageHandler(filters.TEXT & ~filters.COMMAND, on_field)],
        },
        fallbacks=[cancel],
        allow_reentry=True,
        name="soan",
    )
