"""Access gate, pairing (``/xinphep``, ``/duyet``, ``/tuchoi``), ``/start`` and the error handler."""

from __future__ import annotations

import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import ApplicationHandlerStop, ContextTypes

from assistant.domain.errors import AssistantError

from .common import deps, send_html
from .htmlsplit import esc

log = logging.getLogger(__name__)

START_TEXT = """<b>Trợ lý ISO</b> — hỗ trợ cán bộ xây dựng, áp dụng và duy trì HTQLCL theo TCVN ISO 9001:2015 \
trong cơ quan hành chính nhà nước. Mọi câu trả lời đều lấy từ tài liệu trong kho và có trích dẫn.

Bạn có thể:
• Gửi câu hỏi, ví dụ: <i>Hạn nộp báo cáo ISO hằng năm là khi nào?</i> Câu trả lời có dấu [1], [2]…; \
bấm “Nguồn 1” hoặc gửi /nguon 1 để xem nguyên văn đoạn trích. Có thể hỏi tiếp nối câu trước.
• /hanchot [tỉnh] — các thời hạn sắp tới, tải về lịch .ics
• /coquan &lt;việc&gt; — cơ quan chủ trì, cơ quan phối hợp
• /tailieu &lt;số&gt; — văn bản còn hiệu lực không, thay thế / bị thay thế bởi, được trích dẫn bởi
• /soan — soạn dự thảo văn bản ISO (tệp .docx)
• /huy — hủy thao tác đang làm dở

<b>Quyền riêng tư:</b> bot chạy trên máy chủ của cơ quan, không gửi câu hỏi ra ngoài. Bot lưu mã số \
Telegram, tên hiển thị và trạng thái cấp quyền của người xin dùng bot. Vài lượt hỏi đáp gần nhất được giữ \
trong bộ nhớ để hiểu câu hỏi tiếp nối và mất đi khi bot khởi động lại; câu hỏi có thể được ghi vào nhật ký \
hỏi đáp của hệ thống để quản trị viên kiểm tra chất lượng."""

APOLOGY = (
    "Xin lỗi, đã có lỗi khi xử lý yêu cầu. Vui lòng thử lại sau ít phút; nếu vẫn lỗi, hãy báo quản trị viên."
)


def _display_name(update: Update) -> str:
    user = update.effective_user
    if user is None:
        return ""
    name = user.full_name or ""
    return f"{name} (@{user.username})" if user.username else name


async def gate(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Runs before every handler (group -1): allowlist / pairing, then the per-user rate limit."""
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None:
        raise ApplicationHandlerStop
    d = deps(context)
    allowed = d.policy.is_allowed(user.id, chat.id)
    if not d.policy.is_admin(user.id):
        wait = d.limiter.hit(user.id)
        if wait:
            if update.callback_query is not None:
                await update.callback_query.answer(f"Bạn gửi quá nhanh, thử lại sau {wait:.0f} giây.")
            elif allowed:
                await send_html(
                    context,
                    chat.id,
                    f"Bạn gửi quá nhiều yêu cầu. Vui lòng thử lại sau {wait:.0f} giây.",
                )
            raise ApplicationHandlerStop
    if allowed:
        return
    message = update.effective_message
    if message is not None and message.text and message.text.split()[0].split("@")[0] == "/xinphep":
        return  # the request handler below deals with it
    rec = d.policy.pairing.code_for(user.id, chat.id, _display_name(update))
    if update.callback_query is not None:
        await update.callback_query.answer("Bạn chưa được cấp quyền dùng bot.", show_alert=True)
    elif rec.status == "requested":
        await send_html(context, chat.id, "Yêu cầu dùng bot của bạn đang chờ quản trị viên duyệt.")
    elif rec.status == "rejected":
        await send_html(
            context, chat.id, "Yêu cầu dùng bot của bạn đã bị từ chối. Hãy liên hệ quản trị viên."
        )
    else:
        await send_html(
            context,
            chat.id,
            "Xin chào! Bot này chỉ phục vụ cán bộ được cấp quyền.\n"
            f"Mã ghép nối của bạn: <code>{esc(rec.code)}</code>\n"
            "Gửi /xinphep để gửi yêu cầu tới quản trị viên; bạn sẽ nhận được thông báo khi được duyệt.",
        )
    raise ApplicationHandlerStop


async def on_start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if update.effective_chat is not None:
        await send_html(context, update.effective_chat.id, START_TEXT)


async def on_request(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """``/xinphep`` — xin quyền dùng bot; quản trị viên được báo."""
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None:
        return
    d = deps(context)
    if d.policy.is_allowed(user.id, chat.id):
        await send_html(context, chat.id, "Bạn đã có quyền dùng bot. Gửi /start để xem hướng dẫn.")
        return
    name = _display_name(update)
    rec, new = d.policy.pairing.request(user.id, chat.id, name)
    if rec.status == "rejected":
        await send_html(
            context, chat.id, "Yêu cầu dùng bot của bạn đã bị từ chối. Hãy liên hệ quản trị viên."
        )
        return
    if new:
        text = (
            f"<b>Yêu cầu dùng bot</b>: {esc(name or 'không tên')} — mã số <code>{user.id}</code>, "
            f"mã ghép nối <code>{esc(rec.code)}</code>.\n"
            f"Duyệt: /duyet {user.id} — Từ chối: /tuchoi {user.id}"
        )
        buttons = InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton("Duyệt", callback_data=f"pair:ok:{user.id}"),
                    InlineKeyboardButton("Từ chối", callback_data=f"pair:no:{user.id}"),
                ]
            ]
        )
        for admin_id in sorted(d.policy.admin_ids):
            try:
                await send_html(context, admin_id, text, reply_markup=buttons)
            except Exception:  # one unreachable admin must not stop the others
                log.warning("không gửi được thông báo xin phép tới quản trị viên %s", admin_id, exc_info=True)
    await send_html(
        context,
        chat.id,
        "Đã gửi yêu cầu tới quản trị viên. "
        f"Mã ghép nối của bạn: <code>{esc(rec.code)}</code> — hãy đọc mã này nếu quản trị viên hỏi.",
    )


async def _decide(
    context: ContextTypes.DEFAULT_TYPE, admin_chat: int, admin_id: int, target: str, ok: bool
) -> None:
    d = deps(context)
    pairing = d.policy.pairing
    rec = pairing.get(int(target)) if target.isdigit() else pairing.by_code(target)
    if rec is None:
        await send_html(context, admin_chat, f"Không có yêu cầu nào của “{esc(target)}”.")
        return
    pairing.decide(rec.user_id, ok, admin_id)
    who = f"{esc(rec.display_name or 'không tên')} (mã số {rec.user_id})"
    if ok:
        await send_html(context, admin_chat, f"Đã cấp quyền cho {who}.")
        await send_html(context, rec.chat_id, "Quản trị viên đã cấp quyền cho bạn. Gửi /start để bắt đầu.")
    else:
        await send_html(context, admin_chat, f"Đã từ chối {who}.")
        await send_html(context, rec.chat_id, "Yêu cầu dùng bot của bạn đã bị từ chối.")


async def on_decide(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """``/duyet <mã số|mã ghép nối>`` and ``/tuchoi …`` (admins only)."""
    user, message = update.effective_user, update.effective_message
    if user is None or message is None or message.text is None:
        return
    d = deps(context)
    if not d.policy.is_admin(user.id):
        await send_html(context, message.chat_id, "Chỉ quản trị viên mới dùng được lệnh này.")
        return
    command = message.text.split()[0].split("@")[0]
    args = context.args or []
    if len(args) != 1:
        await send_html(
            context, message.chat_id, f"Cách dùng: {command} &lt;mã số người dùng hoặc mã ghép nối&gt;"
        )
        return
    await _decide(context, message.chat_id, user.id, args[0], command == "/duyet")


async def on_decide_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query, user = update.callback_query, update.effective_user
    if query is None or query.data is None or user is None:
        return
    if not deps(context).policy.is_admin(user.id):
        await query.answer("Chỉ quản trị viên mới duyệt được.", show_alert=True)
        return
    await query.answer()
    _, verdict, target = query.data.split(":")
    chat_id = update.effective_chat.id if update.effective_chat else user.id
    await _decide(context, chat_id, user.id, target, verdict == "ok")


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The one error handler: full trace to the log, a short Vietnamese message to the user."""
    error = context.error
    log.error("lỗi khi xử lý cập nhật Telegram", exc_info=error)
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    text = f"⚠️ {esc(error.message)}" if isinstance(error, AssistantError) else APOLOGY
    try:
        await send_html(context, update.effective_chat.id, text)
    except Exception:  # the network may be what failed; the log already has the cause
        log.warning("không gửi được thông báo lỗi tới người dùng", exc_info=True)
