"""The interface in headless Chromium (Debian's, launched by path) on a 375 px phone screen."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from test_web_api import QUESTION, LiveServer, web_settings

from bots.web import create_app

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SHOTS = Path(__file__).resolve().parent / "web_screenshots"
PHONE = {"width": 375, "height": 780}
EVIL = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2"> Điều 4 trình tự'

if not CHROMIUM.exists():
    pytest.skip("/usr/bin/chromium is missing (apt-get install chromium)", allow_module_level=True)


@pytest.fixture(scope="module")
def base_url(assistant, built_store, make_settings):
    with LiveServer(create_app(web_settings(make_settings, built_store), assistant)) as client:
        yield str(client.base_url).rstrip("/")


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport=PHONE, accept_downloads=True, locale="vi-VN")
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.errors = errors
    yield pg
    context.close()


def test_chat_streams_answer_and_citation_opens_highlighted_passage(page, base_url):
    # Count text pieces appended while the answer streams in (before the final rendering).
    page.add_init_script(
        "window.__deltas = 0; new MutationObserver((ms) => { for (const m of ms) "
        "if (m.target.classList && m.target.classList.contains('streaming')) window.__deltas += m.addedNodes.length; })"
        ".observe(document, {subtree: true, childList: true});"
    )
    page.goto(base_url + "/")
    page.fill("#ask-input", QUESTION)
    page.click("#ask-send")
    chip = page.locator(".msg.bot .answer-text .chip").first
    chip.wait_for()
    assert page.evaluate("window.__deltas") >= 1
    assert page.locator(".msg.bot .sources li").count() >= 1
    page.screenshot(path=SHOTS / "chat-375.png", full_page=True)
    chip.click()
    mark = page.locator("#source-body mark.quote")
    mark.wait_for()
    assert mark.is_visible() and mark.inner_text().strip()
    assert page.locator("#source-body .badge").inner_text().strip()
    assert page.locator("#source-body .source-section").inner_text().startswith("Mục:")
    page.screenshot(path=SHOTS / "source-375.png")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"page overflows horizontally: {width}px"

    page.click("#source-close")
    page.locator(".msg.bot .fb-up").click()
    page.fill(".msg.bot .fb-comment", "Rõ ràng, có nguồn")
    page.click(".msg.bot .fb-send")
    page.locator(".msg.bot .fb-status", has_text="Cảm ơn").wait_for()
    assert not page.errors


def test_follow_up_sends_history(page, base_url):
    page.goto(base_url + "/")
    sent: list[dict] = []
    page.on(
        "request",
        lambda r: sent.append(json.loads(r.post_data)) if r.url.endswith("/api/ask/stream") else None,
    )
    for q in (QUESTION, "Ai chủ trì kiểm tra?"):
        page.fill("#ask-input", q)
        page.click("#ask-send")
        page.locator(".msg.bot .feedback").nth(len(sent) - 1).wait_for()
    assert sent[0]["history"] == [] and sent[1]["history"][0]["question"] == QUESTION


def test_refused_answer_is_shown_plainly_with_nearest_sources(page, base_url):
    page.goto(base_url + "/")
    page.fill("#ask-input", "Giá vé máy bay đi Đà Nẵng tháng này bao nhiêu?")
    page.click("#ask-send")
    page.locator(".msg.bot.refused .nearest li").first.wait_for()
    assert "không" in page.locator(".msg.bot.refused .answer-text").inner_text().lower()


def test_deadline_calendar_download(page, base_url):
    page.goto(base_url + "/deadlines")
    page.locator("table.deadlines tbody tr").first.wait_for()
    page.select_option("#dl-province", "Hà Tĩnh")
    page.locator("#dl-message", has_text="thời hạn").wait_for()
    page.screenshot(path=SHOTS / "deadlines-375.png", full_page=True)
    with page.expect_download() as info:
        page.click("#dl-ics")
    data = Path(info.value.path()).read_bytes()
    assert info.value.suggested_filename.endswith(".ics")
    assert data.startswith(b"BEGIN:VCALENDAR") and b"BEGIN:VEVENT" in data


def test_draft_form_validation_preview_and_docx(page, base_url):
    import docx

    page.goto(base_url + "/drafts")
    page.locator("#f-agency").wait_for()
    page.select_option("#draft-kind", "chinh-sach-chat-luong")
    page.click("#draft-preview")
    message = page.locator("#draft-message")
    message.wait_for()
    assert "Thiếu" in message.inner_text()
    for field in page.locator("#draft-form [required]").all():
        if not field.input_value():
            field.fill(
                "Ủy ban nhân dân xã Tân Phú" if field.get_attribute("name") == "agency" else "Nguyễn Văn A"
            )
    page.click("#draft-preview")
    page.locator("#draft-output .markdown").wait_for()
    assert "Tân Phú" in page.locator("#draft-output").inner_text()
    page.screenshot(path=SHOTS / "drafts-375.png", full_page=True)
    with page.expect_download() as info:
        page.click("#draft-download")
    data = Path(info.value.path()).read_bytes()
    assert info.value.suggested_filename.endswith(".docx") and data.startswith(b"PK")
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)
    assert "Tân Phú" in text


def test_library_chunk_anchor_highlights_the_chunk(page, base_url, api_client):
    sections = api_client.get("/api/documents/qd-19-2014-qd-ttg").json()["sections"]
    chunk_id = sections[len(sections) // 2]["chunks"][0]["chunk_id"]
    page.goto(f"{base_url}/documents/qd-19-2014-qd-ttg#chunk-{chunk_id}")
    target = page.locator(".chunk.highlight")
    target.wait_for()
    assert target.get_attribute("data-chunk") == chunk_id and target.is_visible()
    assert page.evaluate(
        "(() => { const r = document.querySelector('.chunk.highlight').getBoundingClientRect();"
        " return r.top >= 0 && r.top < window.innerHeight; })()"
    )
    page.screenshot(path=SHOTS / "document-375.png")
    page.goto(base_url + "/documents")
    page.locator(".doc-card").first.wait_for()
    assert page.locator(".doc-card .badge", has_text="Còn hiệu lực").count() >= 1
    page.screenshot(path=SHOTS / "library-375.png", full_page=True)


def test_document_text_with_script_is_rendered_inert(page, base_url, api_client):
    real = api_client.get("/api/documents/qd-19-2014-qd-ttg").json()
    chunk = real["sections"][0]["chunks"][0]
    real["sections"][0]["chunks"][0] = {**chunk, "text": EVIL}
    page.route("**/api/documents/qd-19-2014-qd-ttg", lambda route: route.fulfill(json=real))
    page.route(
        "**/api/chunks/**",
        lambda route: route.fulfill(json={**chunk, "text": EVIL, "document": real["info"]}),
    )
    page.goto(f"{base_url}/documents/qd-19-2014-qd-ttg?chunk={chunk['chunk_id']}")
    node = page.locator(".chunk.highlight")
    node.wait_for()
    assert node.inner_text() == EVIL  # shown as text, not markup
    assert page.locator(".doc-text script, .doc-text img").count() == 0
    assert page.evaluate("window.__pwned") is None


@pytest.fixture(scope="module")
def api_client(base_url):
    import httpx

    with httpx.Client(base_url=base_url, timeout=60) as c:
        yield c
