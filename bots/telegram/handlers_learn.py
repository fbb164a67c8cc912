"""``/hoc``: the Học ISO path — lesson list, a lesson as HTML with its sources, then its quiz one question at a
time (choices as buttons, short answers as the next text message), progress per user (``tg:<user id>``).

``/hoc`` lists the lessons (✅ for those done); ``/hoc 3`` or ``/hoc <mã bài>`` opens one, ``/hoc 10 Hà Tĩnh``
adds the province's deadlines and lead agencies; ``/hoc tiendo`` shows progress.
"""

from __future__ import annotations

import re
import warnings

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    ConversationHandler,
    MessageHandler,
    filters,
)

from assistant.domain.errors import InvalidInputError
from assistant.domain.models import Answer, Citation
from assistant.domain.vntext import strip_diacritics

from .common import deps, run_sync, send_html
from .handlers_ask import _remember, _source_buttons
from .htmlsplit import esc
from .render import Labeler, _shorten, source_line

SHORT = 0  # waiting for the text answer of a short question
STATE_KEY = "learn"
PROGRESS_WORDS = {"tiendo", "tien do", "tien-do"}
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_ITALIC = re.compile(r"(?<![\w*])\*([^*\s][^*]*?)\*(?!\w)")
_HEADING = re.compile(r"^#{1,6}\s+(.*)$")
_BULLET = re.compile(r"^\s*[-*+]\s+")


def learner(update: Update) -> str:
    user = update.effective_user
    return f"tg:{user.id}" if user is not None else ""


# ------------------------------------------------------------------------------------------ rendering
def _inline(text: str) -> str:
    """One line of lesson Markdown as Telegram HTML: escaped first, then **bold** and *italic*."""
    out = _BOLD.sub(r"<b>\1</b>", esc(text))
    return _ITALIC.sub(r"<i>\1</i>", out)


def markdown_html(md: str) -> str:
    """Lesson Markdown (headings, bullets, numbered lists, bold, italic) as compact Telegram HTML."""
    lines: list[str] = []
    for raw in md.replace("\r\n", "\n").split("\n"):
        line = raw.strip()
        heading = _HEADING.match(line)
        if heading:
            if lines and lines[-1]:
                lines.append("")
            lines.append(f"<b>{_inline(heading.group(1).replace('**', ''))}</b>")
        elif _BULLET.match(raw):
            lines.append("• " + _inline(_BULLET.sub("", raw)))
        else:
            lines.append(_inline(line))
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def lesson_html(lesson, label: Labeler, total: int) -> str:
    """Warnings, title, body and province block, then the sources block (like answers)."""
    lines = []
    for message in dict.fromkeys(w.message for w in lesson.warnings):
        lines.append(f"⚠️ {esc(message)}")
    if lines:
        lines.append("")
    lines.append(f"<b>📘 Bài {lesson.order}/{total}: {esc(lesson.title)}</b>")
    lines.append(f"<i>Khoảng {lesson.minutes} phút đọc.</i>")
    lines.append("")
    lines.append(markdown_html(lesson.markdown))
    if lesson.citations:
        lines += ["", "<b>Nguồn:</b>"]
        lines += [source_line(c.n, label(c.doc_id, c.number, c.title), c.section) for c in lesson.citations]
    return "\n".join(lines)


def question_html(lesson, i: int) -> str:
    q = lesson.quiz[i]
    lines = [f"<b>📝 Câu {i + 1}/{len(lesson.quiz)} — bài {lesson.order}</b>", esc(q.question)]
    if q.type == "choice":
        lines += [""] + [f"{chr(65 + k)}. {esc(choice)}" for k, choice in enumerate(q.choices)]
        lines += ["", "<i>Bấm nút đáp án bên dưới.</i>"]
    else:
        lines += ["", "<i>Gõ câu trả lời ngắn rồi gửi (hoặc /huy để dừng).</i>"]
    return "\n".join(lines)


def _choice_keyboard(lesson, i: int) -> InlineKeyboardMarkup | None:
    q = lesson.quiz[i]
    if q.type != "choice":
        return None
    buttons = [
        InlineKeyboardButton(chr(65 + k), callback_data=f"learn:ans:{lesson.id}:{i}:{k}")
        for k in range(len(q.choices))
    ]
    return InlineKeyboardMarkup([buttons[j : j + 4] for j in range(0, len(buttons), 4)])


def feedback_html(result, label: Labeler) -> str:
    c: Citation = result.citation
    head = "✅ <b>Đúng rồi!</b>" if result.correct else "❌ <b>Chưa đúng.</b>"
    lines = [head]
    if not result.correct:
        lines.append(f"Đáp án đúng: <b>{esc(result.correct_answer)}</b>")
    lines += [esc(result.explanation), ""]
    lines.append(f"<b>Nguồn:</b> {source_line(c.n, label(c.doc_id, c.number, c.title), c.section)}")
    if c.quote:
        lines.append(f"<i>“{esc(_shorten(c.quote, 300))}”</i>")
    return "\n".join(lines)


def lessons_keyboard(lessons, progress) -> InlineKeyboardMarkup:
    done = set(progress.completed)
    rows = [
        [
            InlineKeyboardButton(
                f"{'✅ ' if s.id in done else ''}{s.order}. {s.title}", callback_data=f"learn:open:{s.id}"
            )
        ]
        for s in lessons
    ]
    return InlineKeyboardMarkup(rows)


def progress_html(lessons, progress) -> str:
    done = set(progress.completed)
    lines = [f"<b>Tiến độ Học ISO: {len(done)}/{progress.total_lessons} bài</b>", ""]
    for s in lessons:
        mark = "✅" if s.id in done else "▫️"
        score = progress.scores.get(s.id)
        extra = f" — kiểm tra {score.correct}/{score.total}" if score is not None else ""
        lines.append(f"{mark} {s.order}. {esc(s.title)}{extra}")
    if progress.next_lesson is not None:
        lines += [
            "",
            f"Bài nên học tiếp: <b>{progress.next_lesson.order}. {esc(progress.next_lesson.title)}</b>",
        ]
    else:
        lines += ["", "🎉 Bạn đã học xong toàn bộ lộ trình."]
    return "\n".join(lines)


def _next_keyboard(progress) -> InlineKeyboardMarkup:
    row = []
    if progress.next_lesson is not None:
        nxt = progress.next_lesson
        row.append(InlineKeyboardButton(f"▶️ Bài {nxt.order}", callback_data=f"learn:open:{nxt.id}"))
    row.append(InlineKeyboardButton("📋 Danh sách bài", callback_data="learn:list"))
    return InlineKeyboardMarkup([row])


# ------------------------------------------------------------------------------------------ handlers
def _chat_id(update: Update) -> int:
    if update.effective_chat is not None:
        return update.effective_chat.id
    return update.effective_user.id  # type: ignore[union-attr]


async def _send_list(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    svc = deps(context).assistant.onboarding()
    lessons = await run_sync(svc.lessons)
    progress = await run_sync(svc.progress, learner(update))
    text = (
        "<b>Học ISO</b> — lộ trình ngắn cho cán bộ mới được giao làm ISO, mỗi bài có câu hỏi kiểm tra.\n"
        f"Đã học {len(progress.completed)}/{progress.total_lessons} bài. Chọn một bài để bắt đầu "
        "(/hoc tiendo để xem tiến độ):"
    )
    await send_html(context, _chat_id(update), text, reply_markup=lessons_keyboard(lessons, progress))
    return ConversationHandler.END


async def _ask_question(update: Update, context: ContextTypes.DEFAULT_TYPE, lesson, i: int) -> int:
    """Send question ``i`` of ``lesson``; the state waits for text only for short questions."""
    context.user_data[STATE_KEY] = {"lesson": lesson.id, "i": i, "province": lesson.province}
    await send_html(
        context, _chat_id(update), question_html(lesson, i), reply_markup=_choice_keyboard(lesson, i)
    )
    return SHORT if lesson.quiz[i].type == "short" else ConversationHandler.END


def _remember_sources(context: ContextTypes.DEFAULT_TYPE, citations) -> InlineKeyboardMarkup | None:
    """Lesson sources join the chat's answers, so "Nguồn n" buttons and /nguon n show the passage."""
    openable = tuple(c for c in citations if c.chunk_id)
    if not openable:
        return None
    aid = _remember(context.chat_data, Answer(answer="", citations=openable))
    return _source_buttons(aid, openable)


async def _open_lesson(
    update: Update, context: ContextTypes.DEFAULT_TYPE, lesson_id: str, province=None
) -> int:
    d = deps(context)
    svc = d.assistant.onboarding()
    lesson = await run_sync(svc.lesson, lesson_id, province)
    total = len(await run_sync(svc.lessons))
    markup = lesson_html(lesson, d.label, total)
    await send_html(
        context, _chat_id(update), markup, reply_markup=_remember_sources(context, lesson.citations)
    )
    if lesson.quiz:
        return await _ask_question(update, context, lesson, 0)
    return await _finish(update, context, lesson)


async def _finish(update: Update, context: ContextTypes.DEFAULT_TYPE, lesson) -> int:
    context.user_data.pop(STATE_KEY, None)
    svc = deps(context).assistant.onboarding()
    progress = await run_sync(svc.complete_lesson, learner(update), lesson.id)
    score = progress.scores.get(lesson.id)
    lines = [f"🎓 <b>Đã hoàn thành bài {lesson.order}: {esc(lesson.title)}</b>"]
    if score is not None:
        lines.append(f"Kết quả kiểm tra: {score.correct}/{score.total} câu đúng.")
    lines.append(f"Tiến độ: {len(progress.completed)}/{progress.total_lessons} bài (đã lưu).")
    await send_html(context, _chat_id(update), "\n".join(lines), reply_markup=_next_keyboard(progress))
    return ConversationHandler.END


async def _after_answer(update: Update, context: ContextTypes.DEFAULT_TYPE, lesson, i: int, answer) -> int:
    d = deps(context)
    svc = d.assistant.onboarding()
    result = await run_sync(svc.answer_quiz, learner(update), lesson.id, lesson.quiz[i].id, answer)
    buttons = _remember_sources(context, (result.citation,))
    await send_html(context, _chat_id(update), feedback_html(result, d.label), reply_markup=buttons)
    if i + 1 < len(lesson.quiz):
        return await _ask_question(update, context, lesson, i + 1)
    return await _finish(update, context, lesson)


def _lesson_ref(lessons, word: str) -> str | None:
    """``3`` → the third lesson's id; an id → itself; ``None`` when neither."""
    if word.isdigit():
        return next((s.id for s in lessons if s.order == int(word)), None)
    return next((s.id for s in lessons if s.id == word.lower()), None)


async def on_hoc(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """``/hoc`` — danh sách bài; ``/hoc <số bài|mã bài> [tỉnh]``; ``/hoc tiendo``."""
    args = context.args or []
    if not args:
        return await _send_list(update, context)
    words = " ".join(args)
    svc = deps(context).assistant.onboarding()
    if strip_diacritics(words).lower() in PROGRESS_WORDS:
        lessons = await run_sync(svc.lessons)
        progress = await run_sync(svc.progress, learner(update))
        await send_html(
            context, _chat_id(update), progress_html(lessons, progress), reply_markup=_next_keyboard(progress)
        )
        return ConversationHandler.END
    lessons = await run_sync(svc.lessons)
    lesson_id = _lesson_ref(lessons, args[0])
    if lesson_id is None:
        await send_html(
            context,
            _chat_id(update),
            f"Không có bài “{esc(args[0])}”. Gửi /hoc để xem danh sách, ví dụ: /hoc 1 hoặc /hoc 10 Hà Tĩnh.",
        )
        return ConversationHandler.END
    return await _open_lesson(update, context, lesson_id, " ".join(args[1:]).strip() or None)


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    query = update.callback_query
    if query is None or query.data is None:
        return ConversationHandler.END
    await query.answer()
    parts = query.data.split(":")
    if parts[1] == "list":
        return await _send_list(update, context)
    if parts[1] == "open" and len(parts) == 3:
        return await _open_lesson(update, context, parts[2])
    if parts[1] == "ans" and len(parts) == 5 and parts[3].isdigit() and parts[4].isdigit():
        state = context.user_data.get(STATE_KEY) or {}
        province = state.get("province") if state.get("lesson") == parts[2] else None
        lesson = await run_sync(deps(context).assistant.onboarding().lesson, parts[2], province)
        i = int(parts[3])
        if i >= len(lesson.quiz):
            return ConversationHandler.END
        return await _after_answer(update, context, lesson, i, int(parts[4]))
    return ConversationHandler.END


async def on_short_answer(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    message = update.effective_message
    state = context.user_data.get(STATE_KEY)
    if message is None or not message.text or not state:
        return ConversationHandler.END
    lesson = await run_sync(
        deps(context).assistant.onboarding().lesson, state["lesson"], state.get("province")
    )
    try:
        return await _after_answer(update, context, lesson, state["i"], message.text)
    except InvalidInputError as exc:
        await send_html(context, message.chat_id, f"⚠️ {esc(exc.message)} Hãy nhập lại.")
        return SHORT


async def on_learn_cancel(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    context.user_data.pop(STATE_KEY, None)
    await send_html(context, _chat_id(update), "Đã dừng bài kiểm tra. Gửi /hoc để học tiếp khi bạn muốn.")
    return ConversationHandler.END


def learn_conversation() -> ConversationHandler:
    with warnings.catch_warnings():
        # per_message=False is intended: quiz buttons are answered by the (chat, user) conversation
        warnings.filterwarnings("ignore", message=".*per_message=False.*")
        return ConversationHandler(
            entry_points=[
                CommandHandler("hoc", on_hoc),
                CallbackQueryHandler(on_button, pattern=r"^learn:"),
            ],
            states={SHORT: [MessageHandler(filters.TEXT & ~filters.COMMAND, on_short_answer)]},
            fallbacks=[CommandHandler("huy", on_learn_cancel)],
            allow_reentry=True,
            name="hoc",
        )
