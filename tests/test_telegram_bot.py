"""The Telegram bot end to end: the real PTB ``Application`` polls a fake Bot API server over HTTP.

Most tests use a hand-written ``FakeAssistant``; the ``e2e`` ones use the real ``assistant``
fixture (index of knowledge/ + the legal corpus) from ``tests/conftest.py``.
"""

from __future__ import annotations

import asyncio
import io
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import docx
import httpx
import pytest
from fake_telegram import FakeTelegram, html_error

from assistant.config import Settings, StoreSettings, TelegramSettings
from assistant.domain.errors import InvalidInputError
from assistant.domain.models import (
    Answer,
    CatalogEntry,
    Chunk,
    Citation,
    CurrencyWarning,
    Deadline,
    DocumentInfo,
    Draft,
    DraftField,
    DraftKindSpec,
    Fact,
    Turn,
)
from bots.telegram.app import COMMANDS, build_application, run_application, webhook_secret
from bots.telegram.htmlsplit import TELEGRAM_LIMIT, strip_tags, u16len

TOKEN = "123456:TEST-token-Secr3t_value"
ADMIN = 900
ALLOWED = 100
STRANGER = 555

CHUNK_TEXT = (
    "3. Chế độ báo cáo: Các cơ quan, đơn vị báo cáo tình hình áp dụng HTQLCL gửi Sở Khoa học và "
    "Công nghệ trước ngày 15/11 hàng năm để tổng hợp."
)


class FakeAssistant:
    """Implements the ``Assistant`` methods the bot calls; records what it was asked."""

    def __init__(self, answer_text: str | None = None) -> None:
        self.answer_text = answer_text
        self.asked: list[tuple[str, list[Turn]]] = []
        self.drafted: list[tuple[str, dict]] = []

    def ask(self, question, history=None, filters=None) -> Answer:
        self.asked.append((question, list(history or [])))
        citation = Citation(
            n=1,
            doc_id="kh-310-2022-ha-tinh",
            chunk_id="chunk-1",
            title="Kế hoạch triển khai ISO Hà Tĩnh",
            number="310/KH-UBND",
            section="II > 3",
            quote="trước ngày 15/11 hàng năm",
        )
        return Answer(
            answer=self.answer_text or "Báo cáo gửi Sở Khoa học và Công nghệ trước ngày 15/11 hàng năm [1].",
            citations=(citation,),
            warnings=(CurrencyWarning(code="period_ended", message="Kế hoạch đã hết giai đoạn <2022>."),),
        )

    def chunk(self, chunk_id: str) -> Chunk:
        return Chunk(
            chunk_id=chunk_id,
            doc_id="kh-310-2022-ha-tinh",
            ordinal=1,
            section="II > 3",
            heading="3. Chế độ báo cáo",
            text=CHUNK_TEXT,
            index_text=CHUNK_TEXT,
        )

    def documents(self) -> list[DocumentInfo]:
        entry = CatalogEntry(
            id="kh-310-2022-ha-tinh",
            kind="kế hoạch",
            number="310/KH-UBND",
            title="Kế hoạch",
            province="Hà Tĩnh",
        )
        return [DocumentInfo(entry=entry)]

    def deadlines(self, province=None, agency=None, date_from=None, date_to=None) -> list[Fact]:
        if province not in (None, "Hà Tĩnh") or agency not in (None, "Sở Khoa học và Công nghệ"):
            return []
        fact = Fact(
            fact_id="f1",
            kind="deadline",
            doc_id="kh-310-2022-ha-tinh",
            chunk_id="chunk-1",
            section="II > 3",
            quote="trước ngày 15/11 hàng năm",
            province="Hà Tĩnh",
            task="Báo cáo tình hình áp dụng HTQLCL",
            lead="Sở Khoa học và Công nghệ",
            deadline=Deadline(raw="trước ngày 15/11 hàng năm", kind="yearly", day=15, month=11),
        )
        return [fact]

    def fact_warnings(self, fact: Fact) -> list[CurrencyWarning]:
        return [CurrencyWarning(code="district_abolished", message="Từ 01/07/2025 không còn cấp huyện.")]

    def deadlines_ics(self, facts) -> bytes:
        return ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n" + f"X-COUNT:{len(facts)}\r\nEND:VCALENDAR\r\n").encode()

    def agencies(self, task_words, province=None) -> list[Fact]:
        return []

    def doc_info(self, number_or_id: str) -> dict:
        return {"number": "144/2006/QĐ-TTg", "status": "bị thay thế", "replaced_by": ["19/2014/QĐ-TTg"]}

    def draft_kinds(self) -> list[DraftKindSpec]:
        fields = (
            DraftField(name="agency", label="Tên cơ quan"),
            DraftField(name="year", label="Năm ban hành", type="int"),
            DraftField(name="steps", label="Các bước thực hiện", type="steps"),
            DraftField(name="note", label="Ghi chú", required=False),
        )
        return [DraftKindSpec(kind="quy-trinh-noi-bo", title="Quy trình nội bộ", fields=fields)]

    def draft(self, kind: str, fields: dict) -> Draft:
        self.drafted.append((kind, fields))
        if not fields.get("agency"):
            raise InvalidInputError("Thiếu trường bắt buộc: Tên cơ quan (agency).")
        document = docx.Document()
        document.add_heading(f"QUY TRÌNH — {fields['agency']}", 1)
        for step in fields["steps"]:
            document.add_paragraph(step["content"])
        buf = io.BytesIO()
        document.save(buf)
        return Draft(
            kind=kind,
            title="Quy trình nội bộ",
            file_name="quy-trinh-noi-bo-2026.docx",
            docx=buf.getvalue(),
            markdown="",
        )


# ---------------------------------------------------------------------------------------- harness


@pytest.fixture
def tg() -> Iterator[FakeTelegram]:
    server = FakeTelegram(TOKEN).start()
    yield server
    server.stop()


@contextmanager
def running_bot(tg: FakeTelegram, assistant, store: Path, **telegram) -> Iterator[None]:
    """Run the real Application the way ``isoassist bot`` does (``run_application``), in a thread."""
    options = {"allowed_ids": [ALLOWED], "admin_ids": [ADMIN], "rate_limit_per_minute": 100, **telegram}
    settings = Settings(
        store=StoreSettings(path=store),
        telegram=TelegramSettings(token=TOKEN, base_url=tg.base_url, **options),
    )
    application = build_application(settings, assistant)
    run_options: dict = {"stop_signals": None, "close_loop": False}
    if not settings.telegram.webhook_url:
        run_options.update(poll_interval=0.0, timeout=1)
    loop = asyncio.new_event_loop()
    failure: list[BaseException] = []

    def run() -> None:
        asyncio.set_event_loop(loop)
        try:
            run_application(application, settings, **run_options)
        except BaseException as exc:  # surfaced in the test thread
            failure.append(exc)

    thread = threading.Thread(target=run, name="bot", daemon=True)
    thread.start()
    try:
        asyncio.run_coroutine_threadsafe(_until_running(application), loop).result(30)
        yield
    finally:
        asyncio.run_coroutine_threadsafe(_stop_when_running(application), loop)
        thread.join(20)
        loop.close()
    assert not thread.is_alive(), "bot did not stop"
    assert not failure, failure


async def _until_running(application) -> None:
    # `running` turns True in Application.start(), after polling / the webhook server has started
    while not application.running:
        await asyncio.sleep(0.01)


async def _stop_when_running(application) -> None:
    await _until_running(application)  # stop_running() is a no-op before start()
    application.stop_running()


def assert_valid_html(text: str) -> None:
    assert html_error(text) is None, html_error(text)


def ask(tg: FakeTelegram, user: int, text: str, count: int = 1):
    mark = tg.mark()
    tg.send_text(user, text)
    return tg.wait_messages(user, count=count, since=mark)


# ---------------------------------------------------------------------------------------- tests


def test_startup_registers_vietnamese_commands(tg, tmp_path):
    with running_bot(tg, FakeAssistant(), tmp_path):
        sets = tg.wait_for(lambda calls: any(c.method == "setMyCommands" for c in calls))
    commands = next(c for c in sets if c.method == "setMyCommands").params["commands"]
    names = {c["command"] for c in commands}
    assert {"start", "hanchot", "coquan", "tailieu", "soan", "nguon", "huy", "xinphep"} <= names
    assert len(commands) == len(COMMANDS)
    assert all(c["description"] for c in commands)
    assert any("Thời hạn" in c["description"] for c in commands)


def test_start_explains_and_states_privacy(tg, tmp_path):
    with running_bot(tg, FakeAssistant(), tmp_path):
        [reply] = ask(tg, ALLOWED, "/start")
    assert "Quyền riêng tư" in reply.text and "/soan" in reply.text
    assert reply.params["parse_mode"] == "HTML"
    assert_valid_html(reply.text)


def test_question_answer_sources_and_followup(tg, tmp_path):
    fake = FakeAssistant()
    with running_bot(tg, fake, tmp_path):
        mark = tg.mark()
        tg.send_text(ALLOWED, "Hạn nộp báo cáo ISO ở Hà Tĩnh?")
        [reply] = tg.wait_messages(ALLOWED, since=mark)
        typing = [c for c in tg.calls[mark:] if c.method == "sendChatAction"]
        [passage] = ask(tg, ALLOWED, "/nguon 1")
        mark = tg.mark()
        tg.press(ALLOWED, reply.params["reply_markup"]["inline_keyboard"][0][0]["callback_data"])
        [from_button] = tg.wait_messages(ALLOWED, since=mark)
        answered = tg.wait_for(
            lambda calls: any(c.method == "answerCallbackQuery" for c in calls), since=mark
        )
        ask(tg, ALLOWED, "Còn ai chủ trì?")
    assert typing and typing[0].params["action"] == "typing"
    assert answered
    text = reply.text
    assert text.startswith("⚠️ Kế hoạch đã hết giai đoạn &lt;2022&gt;.")
    assert "[1] Kế hoạch 310/KH-UBND Hà Tĩnh — mục II &gt; 3" in text
    assert reply.params["reply_markup"]["inline_keyboard"][0][0]["text"] == "Nguồn 1"
    assert "<b>trước ngày 15/11 hàng năm</b>" in passage.text
    assert strip_tags(passage.text).count(CHUNK_TEXT[:40]) == 1
    assert from_button.text == passage.text
    # the follow-up carries the previous turn as history
    question, history = fake.asked[-1]
    assert question == "Còn ai chủ trì?"
    assert history and history[-1].question == "Hạn nộp báo cáo ISO ở Hà Tĩnh?"


def test_long_answer_is_split_into_valid_messages(tg, tmp_path):
    para = "Cơ quan <chủ trì> & đơn vị phối hợp thực hiện theo 310/KH-UBND (sửa đổi), 19/2014/QĐ-TTg. "
    paragraphs, size = [], 0
    while size < 10_000:
        p = para * 6
        paragraphs.append(p.strip())
        size += len(p) + 2
    long_text = "\n\n".join(paragraphs)
    assert len(long_text) >= 10_000
    with running_bot(tg, FakeAssistant(answer_text=long_text), tmp_path):
        mark = tg.mark()
        tg.send_text(ALLOWED, "Câu hỏi dài")
        replies = tg.wait_for(
            lambda calls: any(c.method == "sendMessage" and "Nguồn:" in c.text for c in calls),
            since=mark,
        )
    parts = [c for c in replies if c.method == "sendMessage"]
    assert len(parts) >= 3
    for part in parts:
        assert u16len(part.text) <= TELEGRAM_LIMIT
        assert_valid_html(part.text)
    assert "reply_markup" in parts[-1].params and all("reply_markup" not in p.params for p in parts[:-1])
    seen = " ".join(strip_tags(p.text) for p in parts)
    assert seen.count("Cơ quan <chủ trì> & đơn vị") == long_text.count("Cơ quan <chủ trì> & đơn vị")


def test_unlisted_user_is_refused_then_paired_by_admin(tg, tmp_path):
    fake = FakeAssistant()
    with running_bot(tg, fake, tmp_path):
        [refusal] = ask(tg, STRANGER, "Cho tôi hỏi về ISO")
        assert "Mã ghép nối" in refusal.text and not fake.asked
        mark = tg.mark()
        tg.send_text(STRANGER, "/xinphep")
        msgs = tg.wait_for(
            lambda calls: {c.chat_id for c in calls if c.method == "sendMessage"} >= {STRANGER, ADMIN},
            since=mark,
        )
        to_admin = next(c for c in msgs if c.method == "sendMessage" and c.chat_id == ADMIN)
        to_user = next(c for c in msgs if c.method == "sendMessage" and c.chat_id == STRANGER)
        assert f"/duyet {STRANGER}" in to_admin.text
        code = refusal.text.split("<code>")[1].split("</code>")[0]
        assert code in to_user.text and code in to_admin.text
        [pending] = ask(tg, STRANGER, "Bây giờ được chưa?")
        assert "chờ quản trị viên duyệt" in pending.text
        [denied] = ask(tg, ALLOWED, f"/duyet {STRANGER}")  # not an admin
        assert "Chỉ quản trị viên" in denied.text
        mark = tg.mark()
        tg.send_text(ADMIN, f"/duyet {code}")
        msgs = tg.wait_for(
            lambda calls: {c.chat_id for c in calls if c.method == "sendMessage"} >= {STRANGER, ADMIN},
            since=mark,
        )
        assert any("đã cấp quyền" in c.text for c in msgs if c.chat_id == STRANGER)
        [answer] = ask(tg, STRANGER, "Hạn báo cáo?")
        assert "Nguồn:" in answer.text
    # approval is persisted in <store>/telegram.sqlite: a restarted bot still knows the user
    with running_bot(tg, fake, tmp_path):
        [answer] = ask(tg, STRANGER, "Hạn báo cáo lần nữa?")
        assert "Nguồn:" in answer.text
        mark = tg.mark()
        tg.send_text(ADMIN, f"/tuchoi {STRANGER}")
        [notice] = tg.wait_messages(STRANGER, since=mark)
        assert "bị từ chối" in notice.text
        [refused] = ask(tg, STRANGER, "Còn hỏi được không?")
        assert "từ chối" in refused.text


def test_rate_limit_per_user(tg, tmp_path):
    fake = FakeAssistant()
    with running_bot(tg, fake, tmp_path, rate_limit_per_minute=2):
        ask(tg, ALLOWED, "Câu 1")
        ask(tg, ALLOWED, "Câu 2")
        [limited] = ask(tg, ALLOWED, "Câu 3")
        [admin_ok] = ask(tg, ADMIN, "Câu của quản trị viên")
    assert "quá nhiều yêu cầu" in limited.text
    assert [q for q, _ in fake.asked] == ["Câu 1", "Câu 2", "Câu của quản trị viên"]
    assert "Nguồn:" in admin_ok.text


def test_deadlines_with_ics_button(tg, tmp_path):
    with running_bot(tg, FakeAssistant(), tmp_path):
        [reply] = ask(tg, ALLOWED, "/hanchot Hà Tĩnh")
        button = reply.params["reply_markup"]["inline_keyboard"][0][0]
        mark = tg.mark()
        tg.press(ALLOWED, button["callback_data"])
        [doc] = tg.wait_messages(ALLOWED, since=mark)
        [none] = ask(tg, ALLOWED, "/hanchot Sao Hỏa")
    assert reply.text.startswith("⚠️ Từ 01/07/2025 không còn cấp huyện.")
    assert "trước ngày 15/11 hàng năm" in reply.text and "Sở Khoa học và Công nghệ" in reply.text
    assert "[1] Kế hoạch 310/KH-UBND Hà Tĩnh — mục II &gt; 3" in reply.text
    assert button["text"] == "Tải lịch .ics"
    assert doc.method == "sendDocument"
    name, data = doc.files["document"]
    assert name.endswith(".ics") and data.startswith(b"BEGIN:VCALENDAR") and b"X-COUNT:1" in data
    assert "Không tìm thấy thời hạn" in none.text


def test_soan_walks_through_fields_and_sends_docx(tg, tmp_path):
    fake = FakeAssistant()
    with running_bot(tg, fake, tmp_path):
        [menu] = ask(tg, ALLOWED, "/soan")
        button = menu.params["reply_markup"]["inline_keyboard"][0][0]
        assert button["text"] == "Quy trình nội bộ"
        mark = tg.mark()
        tg.press(ALLOWED, button["callback_data"])
        [q1] = tg.wait_messages(ALLOWED, since=mark)
        assert "Tên cơ quan" in q1.text and "(1/3)" in q1.text
        [q2] = ask(tg, ALLOWED, "UBND xã Hòa Bình <thí điểm>")
        assert "Năm ban hành" in q2.text
        [bad] = ask(tg, ALLOWED, "năm nay")
        assert "số nguyên" in bad.text
        [q3] = ask(tg, ALLOWED, "2026")
        assert "nội dung; trách nhiệm; thời gian; biểu mẫu" in q3.text
        [doc] = ask(
            tg,
            ALLOWED,
            "Tiếp nhận hồ sơ; Bộ phận một cửa; 0,5 ngày; BM-01\nThẩm định; Công chức địa chính; 3 ngày",
        )
        # the conversation is over: a plain message is a question again
        ask(tg, ALLOWED, "Câu hỏi sau khi soạn")
    assert doc.method == "sendDocument"
    name, data = doc.files["document"]
    assert name == "quy-trinh-noi-bo-2026.docx"
    opened = docx.Document(io.BytesIO(data))
    assert "UBND xã Hòa Bình <thí điểm>" in opened.paragraphs[0].text
    kind, fields = fake.drafted[-1]
    assert kind == "quy-trinh-noi-bo" and fields["year"] == 2026
    assert fields["steps"][1] == {
        "content": "Thẩm định",
        "responsible": "Công chức địa chính",
        "time": "3 ngày",
        "form": "",
    }
    assert [q for q, _ in fake.asked] == ["Câu hỏi sau khi soạn"]


def test_huy_cancels_a_draft(tg, tmp_path):
    fake = FakeAssistant()
    with running_bot(tg, fake, tmp_path):
        [menu] = ask(tg, ALLOWED, "/soan")
        mark = tg.mark()
        tg.press(ALLOWED, menu.params["reply_markup"]["inline_keyboard"][0][0]["callback_data"])
        tg.wait_messages(ALLOWED, since=mark)
        [cancelled] = ask(tg, ALLOWED, "/huy")
        ask(tg, ALLOWED, "Câu hỏi thường")
    assert "Đã hủy" in cancelled.text
    assert not fake.drafted and [q for q, _ in fake.asked] == ["Câu hỏi thường"]


class ExplodingAssistant(FakeAssistant):
    def ask(self, question, history=None, filters=None) -> Answer:
        raise RuntimeError("boom: internal detail")


def test_errors_apologise_and_token_never_logged(tg, tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    with running_bot(tg, ExplodingAssistant(), tmp_path):
        [apology] = ask(tg, ALLOWED, "Câu hỏi gây lỗi")
        [info] = ask(tg, ALLOWED, "/tailieu 144/2006")
    assert apology.text.startswith("Xin lỗi") and "boom" not in apology.text
    assert "bị thay thế" in info.text and "19/2014/QĐ-TTg" in info.text
    assert "boom: internal detail" in caplog.text and "Traceback" in caplog.text  # full trace in the log
    assert "HTTP Request" in caplog.text  # httpx logged URLs — with the token masked
    assert TOKEN not in caplog.text
    assert TOKEN.split(":")[1] not in caplog.text


# ---------------------------------------------------------------------------------------- real stack


@pytest.mark.e2e
def test_assistant_answers_with_sources_and_passage(tg, tmp_path, assistant):
    with running_bot(tg, assistant, tmp_path):
        mark = tg.mark()
        tg.send_text(ALLOWED, "Hạn gửi báo cáo kết quả áp dụng ISO hằng năm ở Đồng Nai là khi nào?")
        replies = tg.wait_for(
            lambda calls: any(c.method == "sendMessage" and c.chat_id == ALLOWED for c in calls),
            since=mark,
            timeout=120,
        )
        reply = next(c for c in replies if c.method == "sendMessage")
        [passage] = ask(tg, ALLOWED, "/nguon 1")
    assert reply.text.startswith("⚠️")  # the 2019-2020 Đồng Nai plan is outdated: warnings come first
    assert "Nguồn:" in reply.text and "[1]" in reply.text and "Đồng Nai" in reply.text
    assert_valid_html(reply.text)
    assert passage.text.startswith("<b>[1]") and "15/11" in passage.text
    assert_valid_html(passage.text)


@pytest.mark.e2e
def test_assistant_draft_is_a_docx(tg, tmp_path, assistant):
    kinds = assistant.draft_kinds()
    spec = next(k for k in kinds if k.kind == "chinh-sach-chat-luong")
    answers = {
        "text": "UBND xã Hòa Bình",
        "longtext": "Phục vụ người dân tận tình, minh bạch.",
        "int": "2026",
        "date": "15/03/2026",
        "list": "Giải quyết 100% hồ sơ đúng hạn\nKhông để hồ sơ quá hạn",
        "steps": "Tiếp nhận hồ sơ; Bộ phận một cửa; 0,5 ngày; BM-01",
    }
    with running_bot(tg, assistant, tmp_path):
        [menu] = ask(tg, ALLOWED, "/soan")
        buttons = [b for row in menu.params["reply_markup"]["inline_keyboard"] for b in row]
        mark = tg.mark()
        tg.press(ALLOWED, next(b["callback_data"] for b in buttons if b["callback_data"].endswith(spec.kind)))
        [last] = tg.wait_messages(ALLOWED, since=mark, timeout=60)
        for field in [f for f in spec.fields if f.required]:
            assert field.label in strip_tags(last.text)
            [last] = ask(tg, ALLOWED, answers.get(field.type, "UBND xã Hòa Bình"))
    assert last.method == "sendDocument", last.text
    name, data = last.files["document"]
    assert name.endswith(".docx")
    opened = docx.Document(io.BytesIO(data))
    assert any(
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in p.text.upper()
        for t in opened.tables
        for row in t.rows
        for cell in row.cells
        for p in cell.paragraphs
    ) or any("CỘNG HÒA" in p.text.upper() for p in opened.paragraphs)


@pytest.mark.e2e
def test_isoassist_bot_command_polls_and_never_prints_the_token(tg, built_store):
    """The real entry point: ``isoassist bot --store …`` in a subprocess, stopped with Ctrl+C."""
    env = {
        **os.environ,
        "ISOASSIST_TELEGRAM__TOKEN": TOKEN,
        "ISOASSIST_TELEGRAM__BASE_URL": tg.base_url,
        "ISOASSIST_TELEGRAM__ALLOWED_IDS": f"[{ALLOWED}]",
        "OMP_WAIT_POLICY": "passive",
    }
    cmd = [sys.executable, "-c", "from assistant.cli import main; main()", "bot", "--store", str(built_store)]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        tg.wait_for(lambda calls: any(c.method == "setMyCommands" for c in calls), timeout=120)
        [reply] = ask(tg, ALLOWED, "/start")
    finally:
        proc.send_signal(signal.SIGINT)
        output, _ = proc.communicate(timeout=60)
    assert proc.returncode == 0, output
    assert "Quyền riêng tư" in reply.text
    assert "long polling" in output
    assert TOKEN not in output and TOKEN.split(":")[1] not in output


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_webhook_mode_sets_webhook_and_answers_posted_updates(tg, tmp_path):
    pytest.importorskip("tornado", reason="webhook mode needs python-telegram-bot[webhooks] (tornado)")
    port = _free_port()
    url = f"https://bot.example.gov.vn/telegram/hook-{port}"
    with running_bot(tg, FakeAssistant(), tmp_path, webhook_url=url, webhook_port=port):
        [hook] = tg.calls_of("setWebhook")
        assert hook.params["url"] == url and hook.params["secret_token"] == webhook_secret(TOKEN)
        update = {
            "update_id": 1,
            "message": {
                "message_id": 1,
                "date": 0,
                "chat": {"id": ALLOWED, "type": "private"},
                "from": {"id": ALLOWED, "is_bot": False, "first_name": "Cán bộ"},
                "text": "/start",
                "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
            },
        }
        endpoint = f"http://127.0.0.1:{port}/telegram/hook-{port}"
        forged = httpx.post(endpoint, json=update, timeout=10)
        mark = tg.mark()
        posted = httpx.post(
            endpoint,
            json=update,
            headers={"X-Telegram-Bot-Api-Secret-Token": webhook_secret(TOKEN)},
            timeout=10,
        )
        [reply] = tg.wait_messages(ALLOWED, since=mark)
    assert forged.status_code == 403  # no secret header: rejected
    assert posted.status_code == 200
    assert "Quyền riêng tư" in reply.text
    assert TOKEN not in webhook_secret(TOKEN)
