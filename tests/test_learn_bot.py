"""``/hoc`` through the fake Bot API server, over the real ``assistant`` (lessons, quiz, progress)."""

from __future__ import annotations

from fake_telegram import FakeTelegram
from test_telegram_bot import ALLOWED, STRANGER, ask, assert_valid_html, running_bot
from test_telegram_bot import tg as tg  # noqa: F401  (the fake Bot API server fixture)

from bots.telegram.handlers_learn import markdown_html
from bots.telegram.htmlsplit import TELEGRAM_LIMIT, u16len


def _buttons(call) -> list[dict]:
    return [b for row in call.params["reply_markup"]["inline_keyboard"] for b in row]


def _messages_until(
    tg: FakeTelegram,  # noqa: F811
    since: int,
    needle: str,
    chat: int = ALLOWED,
    timeout: float = 60,
) -> list:
    """Messages to ``chat`` after ``since``, up to the first whose text contains ``needle``."""
    calls = tg.wait_for(
        lambda cs: any(c.method == "sendMessage" and c.chat_id == chat and needle in c.text for c in cs),
        since=since,
        timeout=timeout,
    )
    return [c for c in calls if c.method == "sendMessage" and c.chat_id == chat]


def test_markdown_becomes_valid_telegram_html():
    md = "## Bước **1** <xây dựng>\n\nCơ quan *phải* làm [1] & báo cáo.\n\n- **Bắt buộc**: UBND\n1. Đọc QĐ 19"
    out = markdown_html(md)
    assert_valid_html(out)
    assert "<b>Bước <b>1</b> &lt;xây dựng&gt;</b>" not in out  # no nested bold in headings
    assert out.startswith("<b>Bước 1 &lt;xây dựng&gt;</b>")
    assert "<i>phải</i>" in out and "&amp; báo cáo" in out
    assert "• <b>Bắt buộc</b>: UBND" in out and "1. Đọc QĐ 19" in out


def test_hoc_lesson_quiz_and_progress(tg, tmp_path, assistant):  # noqa: F811
    svc = assistant.onboarding()
    first = svc.lessons()[0]
    lesson = svc.lesson(first.id)
    user = f"tg:{ALLOWED}"
    with running_bot(tg, assistant, tmp_path):
        [menu] = ask(tg, ALLOWED, "/hoc")
        buttons = _buttons(menu)
        assert len(buttons) == len(svc.lessons())
        assert (
            buttons[0]["text"] == f"1. {first.title}"
            and buttons[0]["callback_data"] == f"learn:open:{first.id}"
        )

        mark = tg.mark()
        tg.press(ALLOWED, buttons[0]["callback_data"])
        sent = _messages_until(tg, mark, "Câu 1/")
        *parts, question = sent
        for part in sent:
            assert_valid_html(part.text)
            assert u16len(part.text) <= TELEGRAM_LIMIT
        assert parts[0].text.startswith("⚠️") or f"Bài 1/{len(buttons)}" in parts[0].text
        assert f"Bài 1/{len(buttons)}: {first.title}" in parts[0].text
        assert "Nguồn:" in parts[-1].text and "[1] " in parts[-1].text
        source_buttons = _buttons(parts[-1])
        assert source_buttons[0]["text"] == "Nguồn 1"
        assert lesson.quiz[0].question in question.text

        # the lesson's sources open like an answer's
        mark = tg.mark()
        tg.press(ALLOWED, source_buttons[0]["callback_data"])
        [passage] = tg.wait_messages(ALLOWED, since=mark)
        assert passage.text.startswith("<b>[1]") and "<b>" in passage.text
        assert_valid_html(passage.text)

        wrong_given = False
        results = []
        for i, q in enumerate(lesson.quiz):
            mark = tg.mark()
            if q.type == "choice":
                pick = q.answer if wrong_given else next(k for k in range(len(q.choices)) if k != q.answer)
                wrong_given = True
                choice = _buttons(question)[pick]
                assert choice["text"] == chr(65 + pick)
                tg.press(ALLOWED, choice["callback_data"])
            else:
                assert "Gõ câu trả lời" in question.text and "reply_markup" not in question.params
                tg.send_text(ALLOWED, str(q.answer))
            needle = f"Câu {i + 2}/" if i + 1 < len(lesson.quiz) else "Đã hoàn thành bài"
            feedback, *rest = _messages_until(tg, mark, needle)
            assert_valid_html(feedback.text)
            assert "Nguồn:" in feedback.text and q.explanation[:30] in feedback.text
            results.append(feedback.text)
            question = rest[-1]
        assert results[0].startswith("❌") and "Đáp án đúng" in results[0]
        assert all(r.startswith("✅") for r in results[1:])
        done = question
        assert f"{len(lesson.quiz) - 1}/{len(lesson.quiz)} câu đúng" in done.text
        assert _buttons(done)[0]["callback_data"] == f"learn:open:{svc.lessons()[1].id}"

        # the quiz is over: a plain message is a question to the assistant again
        mark = tg.mark()
        tg.send_text(ALLOWED, "Tôi mới được giao làm ISO, bắt đầu từ đâu?")
        reply = "\n".join(c.text for c in _messages_until(tg, mark, "Nguồn:"))
        assert "/hoc" in reply and "Học ISO" in reply and not reply.startswith(("✅", "❌"))

        [menu] = ask(tg, ALLOWED, "/hoc")
        assert _buttons(menu)[0]["text"] == f"✅ 1. {first.title}"
        [report] = ask(tg, ALLOWED, "/hoc tiendo")
        assert (
            f"1/{len(buttons)} bài" in report.text
            and f"kiểm tra {len(lesson.quiz) - 1}/{len(lesson.quiz)}" in report.text
        )
        [unknown] = ask(tg, ALLOWED, "/hoc 99")
        assert "Không có bài" in unknown.text

        [refusal] = ask(tg, STRANGER, "/hoc")  # access control applies to /hoc as well
        assert "Mã ghép nối" in refusal.text and "reply_markup" not in refusal.params

    progress = svc.progress(user)  # stored through the service: survives the bot
    assert first.id in progress.completed
    assert progress.scores[first.id].correct == len(lesson.quiz) - 1


def test_huy_stops_waiting_for_a_short_answer(tg, tmp_path, assistant):  # noqa: F811
    svc = assistant.onboarding()
    lesson_id, index = next(
        (s.id, i) for s in svc.lessons() for i, q in enumerate(svc.lesson(s.id).quiz) if q.type == "short"
    )
    lesson = svc.lesson(lesson_id)
    user = ALLOWED + 1  # a learner with no progress yet
    with running_bot(tg, assistant, tmp_path, allowed_ids=[user]):
        mark = tg.mark()
        tg.send_text(user, f"/hoc {lesson.order}")
        _messages_until(tg, mark, chat=user, needle="Câu 1/")
        for i in range(index):  # answer the choice questions before the short one
            mark = tg.mark()
            tg.press(user, f"learn:ans:{lesson_id}:{i}:{lesson.quiz[i].answer}")
            _messages_until(tg, mark, chat=user, needle=f"Câu {i + 2}/")
        [cancel] = ask(tg, user, "/huy")
        mark = tg.mark()
        tg.send_text(user, "Tôi mới được giao làm ISO, bắt đầu từ đâu?")
        reply = "\n".join(c.text for c in _messages_until(tg, mark, chat=user, needle="Nguồn:"))
    assert "Đã dừng bài kiểm tra" in cancel.text
    assert not reply.startswith(("✅", "❌")) and "/hoc" in reply  # a question again, not an answer
    scores = svc.progress(f"tg:{user}").scores.get(lesson_id)
    assert scores is None or scores.answered <= index
