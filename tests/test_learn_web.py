"""Học ISO in the web app: ``/api/learn/…`` on the real app over uvicorn, and a newcomer's path in Chromium."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from test_web_api import LiveServer, web_settings

from bots.web import create_app

CHROMIUM = Path("/usr/bin/chromium")
SHOTS = Path(__file__).resolve().parent / "web_screenshots"
PHONE = {"width": 375, "height": 780}

# Fresh keys per run: each key is its own learner (``web:key:<fingerprint>``), so progress starts empty.
KEY_A = f"hoc-a-{uuid.uuid4().hex[:8]}"
KEY_B = f"hoc-b-{uuid.uuid4().hex[:8]}"
KEY_UI = f"hoc-ui-{uuid.uuid4().hex[:8]}"
A = {"X-API-Key": KEY_A}
B = {"X-API-Key": KEY_B}


@pytest.fixture(scope="module")
def learn(assistant, built_store, make_settings):
    keys = {KEY_A: "reader", KEY_B: "reader", KEY_UI: "reader"}
    settings = web_settings(make_settings, built_store, api_keys=keys, open_mode=False)
    with LiveServer(create_app(settings, assistant)) as client:
        yield client


@pytest.fixture(scope="module")
def first_lesson(assistant):
    return assistant.onboarding().lessons()[0]


def test_lessons_list_in_order_with_empty_progress(learn, assistant):
    r = learn.get("/api/learn/lessons", headers=A)
    assert r.status_code == 200, r.text
    body = r.json()
    ids = [s.id for s in assistant.onboarding().lessons()]
    assert [item["id"] for item in body["lessons"]] == ids and len(ids) >= 10
    first = body["lessons"][0]
    assert {"id", "order", "title", "summary", "minutes", "quiz_count", "done", "score"} <= set(first)
    assert not any(item["done"] for item in body["lessons"])
    progress = body["progress"]
    assert progress["completed"] == [] and progress["total_lessons"] == len(ids)
    assert progress["next_lesson"]["id"] == ids[0]
    assert learn.get("/api/learn/lessons").status_code == 401  # the bot's access rules apply here too


def test_lesson_has_citations_with_chunks_and_no_answers(learn, first_lesson):
    r = learn.get(f"/api/learn/lessons/{first_lesson.id}", headers=A)
    assert r.status_code == 200, r.text
    lesson = r.json()
    assert lesson["title"] == first_lesson.title and "[1]" in lesson["markdown"]
    assert lesson["citations"] and lesson["quiz"]
    for c in lesson["citations"]:
        assert f"[{c['n']}]" in lesson["markdown"]
        if c["chunk_id"]:  # the source panel opens it, the quote is in the passage
            chunk = learn.get(f"/api/chunks/{c['chunk_id']}", headers=A).json()
            assert chunk["doc_id"] == c["doc_id"] and c["quote"] in chunk["text"]
    assert all(c["chunk_id"] for c in lesson["citations"]), "lesson 1 cites only indexed documents"
    for q in lesson["quiz"]:
        assert set(q) == {"id", "type", "question", "choices"}  # no answer, accept list or explanation
    missing = learn.get("/api/learn/lessons/khong-co-bai-nay", headers=A)
    assert missing.status_code == 404 and "Không có bài học" in missing.json()["error"]


def test_province_tailoring_adds_a_block_with_sources(learn, assistant):
    spec = next(
        s for s in assistant.onboarding().lessons() if assistant.onboarding().lesson(s.id, "Hà Tĩnh").province
    )
    plain = learn.get(f"/api/learn/lessons/{spec.id}", headers=A).json()
    tailored = learn.get(f"/api/learn/lessons/{spec.id}", params={"province": "ha tinh"}, headers=A).json()
    assert plain["province"] is None and tailored["province"] == "ha tinh"
    assert len(tailored["markdown"]) > len(plain["markdown"])
    assert len(tailored["citations"]) > len(plain["citations"])
    assert "kh-310-2022-ha-tinh" in {c["doc_id"] for c in tailored["citations"]}


def test_quiz_feedback_scores_and_progress_are_per_learner(learn, assistant, first_lesson):
    spec = assistant.onboarding().lesson(first_lesson.id)
    q = next(q for q in spec.quiz if q.type == "choice")
    wrong = next(i for i in range(len(q.choices)) if i != q.answer)
    url = f"/api/learn/lessons/{first_lesson.id}/quiz"

    bad = learn.post(url, json={"question_id": q.id, "answer": wrong}, headers=A).json()
    assert bad["correct"] is False and bad["explanation"] == q.explanation
    assert bad["correct_answer"] == q.choices[q.answer] and bad["citation"]["chunk_id"]
    good = learn.post(url, json={"question_id": q.id, "answer": q.answer}, headers=A).json()
    assert good["correct"] is True and good["given"] == q.choices[q.answer]
    assert good["score"] == {"correct": 1, "answered": 1, "total": len(spec.quiz)}  # the latest answer counts

    out_of_range = learn.post(url, json={"question_id": q.id, "answer": 99}, headers=A)
    assert out_of_range.status_code == 422 and out_of_range.json()["error"]
    unknown = learn.post(url, json={"question_id": "khong-co", "answer": 0}, headers=A)
    assert unknown.status_code == 404

    done = learn.post(f"/api/learn/lessons/{first_lesson.id}/done", headers=A)
    assert done.status_code == 200 and done.json()["completed"] == [first_lesson.id]
    again = learn.post(f"/api/learn/lessons/{first_lesson.id}/done", headers=A).json()
    assert again["completed"] == [first_lesson.id]  # idempotent
    listed = learn.get("/api/learn/lessons", headers=A).json()["lessons"]
    assert listed[0]["done"] is True and listed[0]["score"]["correct"] == 1
    assert learn.get(f"/api/learn/lessons/{first_lesson.id}", headers=A).json()["done"] is True

    other = learn.get("/api/learn/progress", headers=B).json()  # another key, another learner
    assert other["completed"] == [] and other["scores"] == {}
    mine = learn.get("/api/learn/progress", headers=A).json()
    assert mine["user_id"].startswith("web:key:") and KEY_A not in mine["user_id"]
    assert mine["next_lesson"]["id"] != first_lesson.id and mine["done_count"] == 1


def test_short_answer_question_is_scored_leniently(learn, assistant):
    svc = assistant.onboarding()
    lesson_id, q = next((s.id, q) for s in svc.lessons() for q in svc.lesson(s.id).quiz if q.type == "short")
    typed = str(q.answer).upper()  # case is ignored
    r = learn.post(
        f"/api/learn/lessons/{lesson_id}/quiz", json={"question_id": q.id, "answer": typed}, headers=B
    )
    assert r.status_code == 200 and r.json()["correct"] is True, r.text
    empty = learn.post(
        f"/api/learn/lessons/{lesson_id}/quiz", json={"question_id": q.id, "answer": " "}, headers=B
    )
    assert empty.status_code == 422 and "trống" in empty.json()["error"]


def test_glossary_search_ignores_diacritics_and_case(learn):
    everything = learn.get("/api/learn/glossary", headers=A).json()
    assert everything["total"] >= 10 and everything["terms"][0]["definition"]
    found = learn.get("/api/learn/glossary", params={"q": "htqlcl"}, headers=A).json()
    assert found["terms"][0]["term"] == "hệ thống quản lý chất lượng"
    assert found["terms"][0]["source"]["label"] == "19/2014/QĐ-TTg"  # the document, named for a reader
    loose = learn.get("/api/learn/glossary", params={"q": "thu tuc hanh chinh"}, headers=A).json()
    assert loose["terms"] and loose["terms"][0]["abbreviations"] == ["TTHC"]
    none = learn.get("/api/learn/glossary", params={"q": "vé máy bay Đà Nẵng"}, headers=A).json()
    assert none == {"query": "vé máy bay Đà Nẵng", "total": 0, "terms": []}


def test_open_mode_learner_is_named_by_client_ip(assistant, built_store, make_settings):
    with LiveServer(create_app(web_settings(make_settings, built_store), assistant)) as client:
        progress = client.get("/api/learn/progress").json()
    assert progress["user_id"] == "web:ip:127.0.0.1"


# ---------------------------------------------------------------------------------------- browser
@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is missing (apt-get install chromium)")
def test_newcomer_path_in_the_browser(learn, first_lesson):
    from playwright.sync_api import sync_playwright
    from test_web_browser import ARGS

    SHOTS.mkdir(exist_ok=True)
    base = str(learn.base_url).rstrip("/")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        context = browser.new_context(viewport=PHONE, locale="vi-VN")
        # a learner of its own: the page sends this key (as the key box would have stored it)
        context.add_init_script(f"localStorage.setItem('isoassist.apiKey', '{KEY_UI}')")
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        try:
            page.goto(base + "/")  # the newcomer asks in the chat and is pointed to the path
            page.fill("#ask-input", "Tôi mới được giao làm ISO, bắt đầu từ đâu?")
            page.click("#ask-send")
            start = page.locator(".msg.bot .learn-cta a")
            start.wait_for()
            assert start.inner_text().strip() == "📘 Bắt đầu học ISO"
            start.click()
            page.locator(".tabs a[data-view=learn][aria-current=page]").wait_for()
            first = page.locator(f".lesson-item[data-id='{first_lesson.id}']")
            first.wait_for()
            assert first.locator(".tick").inner_text() == "1"  # not done yet
            assert "Đã học 0/" in page.locator("#learn-progress").inner_text()
            page.screenshot(path=SHOTS / "learn-list-375.png", full_page=True)

            first.locator("a").click()
            chip = page.locator(".lesson-body button.chip").first
            chip.wait_for()
            assert page.url.endswith(f"/learn/{first_lesson.id}")
            assert first_lesson.title in page.locator("#lesson-view h1").inner_text()
            assert page.locator(".lesson-body h3").count() >= 2  # Markdown headings became elements
            chip.click()
            mark = page.locator("#source-body mark.quote")
            mark.wait_for()
            assert mark.is_visible() and mark.inner_text().strip()
            page.screenshot(path=SHOTS / "learn-source-375.png")
            page.click("#source-close")

            question = page.locator(".quiz-q").first
            question.locator("button.choice").first.click()
            feedback = question.locator(".quiz-feedback")
            feedback.wait_for()
            assert feedback.inner_text().startswith(("✓ Đúng rồi!", "✗ Chưa đúng."))
            assert feedback.locator(".chip").count() == 1
            assert "Đã trả lời 1/" in page.locator(".quiz-score").inner_text()

            page.click("#lesson-done")
            page.locator(".lesson-actions", has_text="Đã lưu tiến độ: 1/").wait_for()
            page.screenshot(path=SHOTS / "learn-lesson-375.png", full_page=True)
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= PHONE["width"], f"page overflows horizontally: {width}px"

            page.click("#lesson-view a.back")
            done_tick = page.locator(f".lesson-item.done[data-id='{first_lesson.id}'] .tick")
            done_tick.wait_for()
            assert done_tick.inner_text() == "✓" and done_tick.is_visible()

            page.click("#glossary-box summary")
            page.fill("#glossary-q", "htqlcl")
            page.locator("#glossary-list .term dt", has_text="hệ thống quản lý chất lượng").first.wait_for()
            page.screenshot(path=SHOTS / "learn-done-375.png", full_page=True)
            assert not errors, errors
        finally:
            context.close()
            browser.close()
