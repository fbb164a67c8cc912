"""Web API: the real app served by uvicorn on 127.0.0.1, over the real ``assistant`` fixture."""

from __future__ import annotations

import io
import json
import os
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
import uvicorn
from starlette.requests import Request
from typer.testing import CliRunner

from assistant.adapters.audit_sqlite import SqliteAuditLog
from assistant.config import Settings, WebSettings
from assistant.domain import errors as E
from bots.web import create_app
from bots.web.errors import status_and_message
from bots.web.security import AccessControl, RateLimiter, is_open_mode

REPO = Path(__file__).resolve().parents[1]
QUESTION = "Các bước xây dựng hệ thống quản lý chất lượng theo Quyết định 19/2014?"
KEYS = {"khoa-doc-123": "reader", "khoa-qt-456": "admin"}


# ---------------------------------------------------------------------------------------- servers
class LiveServer:
    """A uvicorn server in a thread, on a socket bound to a free port of 127.0.0.1."""

    def __init__(self, app) -> None:
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._sock.getsockname()[1]}"
        self._server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._sock]}, daemon=True
        )

    def __enter__(self) -> httpx.Client:
        self._thread.start()
        deadline = time.monotonic() + 30
        while not self._server.started:  # readiness condition, polled
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.02)
        self.client = httpx.Client(base_url=self.url, timeout=120)
        return self.client

    def __exit__(self, *exc) -> None:
        self.client.close()
        self._server.should_exit = True
        self._thread.join(timeout=30)
        self._sock.close()


def web_settings(make_settings, store: Path, **web) -> Settings:
    settings = make_settings(store)
    return settings.model_copy(update={"web": WebSettings(**{"rate_limit_per_minute": 100_000, **web})})


@pytest.fixture(scope="module")
def api(assistant, built_store, make_settings):
    """Open mode on loopback (the default): everyone local may read and administer."""
    with LiveServer(create_app(web_settings(make_settings, built_store), assistant)) as client:
        yield client


@pytest.fixture(scope="module")
def keyed(assistant, built_store, make_settings):
    """API keys required; small body limits."""
    settings = web_settings(
        make_settings, built_store, api_keys=KEYS, open_mode=False, max_body_kb=4, max_upload_mb=1
    )
    with LiveServer(create_app(settings, assistant)) as client:
        yield client


@pytest.fixture(scope="module")
def audit(built_store) -> SqliteAuditLog:
    return SqliteAuditLog.in_store(built_store)


def sse_events(text: str) -> list[tuple[str, str]]:
    events = []
    for block in text.replace("\r\n", "\n").split("\n\n"):
        name, data = "message", []
        for line in block.split("\n"):
            if line.startswith("event:"):
                name = line[6:].strip()
            elif line.startswith("data:"):
                data.append(line[5:].removeprefix(" "))
        if data:
            events.append((name, "\n".join(data)))
    return events


# ---------------------------------------------------------------------------------------- answers
def test_ask_cites_sources_and_is_audited(api, audit):
    question = QUESTION
    last_id = max((q.id for q in audit.questions(1)), default=0)
    r = api.post(
        "/api/ask", json={"question": question, "history": [{"question": "ISO là gì?", "answer": "…"}]}
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert set(body) >= {"answer", "refused", "citations", "warnings", "nearest", "timings_ms", "route"}
    assert body["refused"] is False and body["citations"], body["answer"]
    assert "qd-19-2014-qd-ttg" in {c["doc_id"] for c in body["citations"]}
    for c in body["citations"]:
        assert set(c) == {"n", "doc_id", "chunk_id", "title", "number", "section", "quote"}
        assert f"[{c['n']}]" in body["answer"]
        chunk = api.get(f"/api/chunks/{c['chunk_id']}").json()
        assert chunk["doc_id"] == c["doc_id"] and c["quote"] in chunk["text"]
    row = next(q for q in audit.questions(50) if q.question == question and q.id > last_id)
    assert row.who == "ip:127.0.0.1" and row.refused is False
    assert row.doc_ids == list(dict.fromkeys(c["doc_id"] for c in body["citations"]))
    assert {f"{c['doc_id']}#{c['section']}" for c in body["citations"]} == set(row.sections)


def test_off_topic_question_is_refused_with_nearest_sources(api):
    r = api.post("/api/ask", json={"question": "Giá vé máy bay đi Đà Nẵng tháng này bao nhiêu?"})
    body = r.json()
    assert r.status_code == 200 and body["refused"] is True
    assert body["citations"] == [] and body["nearest"]
    assert {"chunk_id", "doc_id", "title", "section", "text"} <= set(body["nearest"][0])


def test_invalid_questions_get_vietnamese_errors(api, audit):
    r = api.post("/api/ask", json={"question": "   "})
    assert r.status_code == 422 and "Câu hỏi" in r.json()["error"]
    assert audit.questions(5)[0].error == "InvalidInputError"
    r = api.post("/api/ask", json={"cau_hoi": "x"})
    assert r.status_code == 422 and "thiếu trường bắt buộc" in r.json()["error"]
    r = api.post("/api/ask", content=b"{not json", headers={"content-type": "application/json"})
    assert r.status_code == 422 and "không hợp lệ" in r.json()["error"]


def test_stream_sends_deltas_then_the_full_answer(api):
    with api.stream("POST", "/api/ask/stream", json={"question": QUESTION}) as r:
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/event-stream")
        events = sse_events(r.read().decode("utf-8"))
    names = [n for n, _ in events]
    assert names[-1] == "answer" and names.count("answer") == 1 and "delta" in names
    assert set(names) <= {"delta", "answer"}
    answer = json.loads(events[-1][1])
    streamed = "".join(json.loads(d)["text"] for n, d in events if n == "delta")
    assert streamed.strip() == answer["answer"].strip()
    assert answer["citations"] and not answer["refused"]


def test_stream_reports_errors_as_an_event(api):
    with api.stream("POST", "/api/ask/stream", json={"question": ""}) as r:
        events = sse_events(r.read().decode("utf-8"))
    assert [n for n, _ in events] == ["error"]
    err = json.loads(events[0][1])
    assert err["status"] == 422 and "Câu hỏi" in err["error"]


def test_search_finds_the_funding_circular(api):
    r = api.get("/api/search", params={"q": "mức chi tối đa duy trì hệ thống quản lý chất lượng", "k": 5})
    hits = r.json()["hits"]
    assert r.status_code == 200 and 0 < len(hits) <= 5
    assert "tt-116-2015-tt-btc" in {h["doc_id"] for h in hits}
    assert api.get("/api/search", params={"q": "", "k": 5}).status_code == 422


# ---------------------------------------------------------------------------------------- library
def test_documents_list_status_and_holdings(api):
    docs = {d["id"]: d for d in api.get("/api/documents").json()}
    for doc_id in ("qd-19-2014-qd-ttg", "tt-26-2014-tt-bkhcn", "kh-310-2022-ha-tinh", "kh-tien-giang-2008"):
        assert docs[doc_id]["held"] is True and doc_id in docs[doc_id]["doc_ids"]
    assert docs["qd-19-2014-qd-ttg"]["status"] == "còn hiệu lực"
    assert "source_path" not in json.dumps(list(docs.values()))


def test_document_text_by_section_with_chunk_ids(api):
    r = api.get("/api/documents/qd-19-2014-qd-ttg")
    body = r.json()
    assert r.status_code == 200 and body["info"]["number"] == "19/2014/QĐ-TTg"
    sections = {s["section"] for s in body["sections"]}
    assert any(s.startswith("Điều 4") for s in sections)
    chunk = body["sections"][0]["chunks"][0]
    assert api.get(f"/api/chunks/{chunk['chunk_id']}").json()["text"] == chunk["text"]
    missing = api.get("/api/documents/khong-co-tai-lieu-nay")
    assert missing.status_code == 404 and missing.json()["error"]
    assert api.get("/api/chunks/khong-co:doan-nay").status_code == 404


def test_interface_pages_are_served_with_a_strict_policy(api):
    for path in ("/", "/deadlines", "/documents/qd-19-2014-qd-ttg", "/learn", "/learn/htqlcl-la-gi"):
        r = api.get(path)
        assert r.status_code == 200 and "Trợ lý ISO" in r.text
        assert "script-src 'self'" in r.headers["content-security-policy"]
    assert api.get("/static/js/main.js").status_code == 200
    assert 'id="lesson-list"' in api.get("/").text and "Sắp có" not in api.get("/").text
    assert api.get("/openapi.json").json()["paths"]["/api/ask"]


def test_openapi_docs_work_offline(api):
    page = api.get("/docs")
    assert page.status_code == 200 and "/docs-static/swagger-ui-bundle.js" in page.text
    assert "cdn" not in page.text.lower()
    for asset in ("/docs-static/swagger-ui-bundle.js", "/docs-static/swagger-ui.css"):
        assert api.get(asset).status_code == 200


# ---------------------------------------------------------------------------------------- facts, drafts
def test_deadlines_table_and_calendar(api):
    r = api.get("/api/deadlines", params={"province": "Hà Tĩnh"})
    facts = r.json()
    assert r.status_code == 200 and facts
    for f in facts:
        assert f["doc_id"] == "kh-310-2022-ha-tinh" and f["chunk_id"] and f["quote"] and f["title"]
        assert f["deadline"]["raw"]
    ics = api.get("/api/deadlines.ics", params={"province": "Hà Tĩnh"})
    assert ics.status_code == 200 and ics.headers["content-type"].startswith("text/calendar")
    assert "attachment" in ics.headers["content-disposition"]
    assert ics.content.startswith(b"BEGIN:VCALENDAR") and b"BEGIN:VEVENT" in ics.content
    assert api.get("/api/deadlines", params={"from": "31/12/2024"}).status_code == 422


def _sample_fields(spec: dict) -> dict:
    samples = {
        "int": 2026,
        "date": "2026-03-15",
        "list": ["Mục một"],
        "steps": ["Tiếp nhận hồ sơ | Bộ phận một cửa | 0,5 ngày | BM.01"],
    }
    return {
        f["name"]: samples.get(f["type"], f"Giá trị {f['label']}") for f in spec["fields"] if f["required"]
    }


def test_drafts_preview_and_docx_download(api):
    import docx

    r = api.get("/api/draft-kinds")
    if r.status_code == 501:
        pytest.skip("Soạn thảo chưa được nối vào Assistant")
    kinds = r.json()
    spec = next(k for k in kinds if k["kind"] == "chinh-sach-chat-luong")
    fields = _sample_fields(spec) | {"agency": "Ủy ban nhân dân xã Tân Phú"}
    preview = api.post("/api/drafts/preview", json={"kind": spec["kind"], "fields": fields})
    assert preview.status_code == 200 and "Ủy ban nhân dân xã Tân Phú" in preview.json()["markdown"].replace(
        "\n", " "
    )
    r = api.post("/api/drafts", json={"kind": spec["kind"], "fields": fields})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert (
        r.headers["content-disposition"].startswith("attachment;")
        and ".docx" in r.headers["content-disposition"]
    )
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(r.content)).paragraphs)
    assert "CHÍNH SÁCH CHẤT LƯỢNG" in text.upper() and "Tân Phú" in text
    bad = api.post("/api/drafts", json={"kind": spec["kind"], "fields": {}})
    assert bad.status_code == 422 and "Thiếu" in bad.json()["error"]


# ---------------------------------------------------------------------------------------- access
def test_keys_and_roles(keyed):
    assert keyed.get("/api/documents").status_code == 401
    assert "khóa API" in keyed.get("/api/documents").json()["error"]
    assert keyed.get("/api/documents", headers={"X-API-Key": "sai"}).status_code == 401
    assert keyed.get("/api/documents", headers={"X-API-Key": "khoa-doc-123"}).status_code == 200
    me = keyed.get("/api/me", headers={"Authorization": "Bearer khoa-doc-123"}).json()
    assert me["role"] == "reader" and me["who"].startswith("key:") and "khoa" not in me["who"]
    reader_reindex = keyed.post("/api/reindex", headers={"X-API-Key": "khoa-doc-123"})
    assert reader_reindex.status_code == 403 and "quản trị" in reader_reindex.json()["error"]
    assert keyed.get("/api/me", headers={"X-API-Key": "khoa-qt-456"}).json()["role"] == "admin"
    assert keyed.get("/api/health").status_code == 200  # health needs no key


def test_open_mode_only_on_loopback():
    assert is_open_mode(WebSettings()) is True
    assert is_open_mode(WebSettings(host="0.0.0.0")) is False
    assert is_open_mode(WebSettings(host="::1")) is True
    assert is_open_mode(WebSettings(host="0.0.0.0", open_mode=True)) is True

    def request(ip: str, headers: dict | None = None) -> Request:
        raw = [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
        return Request(
            {"type": "http", "method": "GET", "path": "/api/x", "headers": raw, "client": (ip, 5000)}
        )

    open_ = AccessControl(WebSettings(host="0.0.0.0", open_mode=True, api_keys=KEYS))
    assert open_.authenticate(request("127.0.0.1")).role == "admin"
    remote = open_.authenticate(request("10.1.2.3"))
    assert remote.role == "reader" and remote.who == "ip:10.1.2.3"
    assert open_.authenticate(request("10.1.2.3", {"X-API-Key": "khoa-qt-456"})).role == "admin"
    closed = AccessControl(WebSettings(host="0.0.0.0", api_keys=KEYS))
    with pytest.raises(Exception) as exc:
        closed.authenticate(request("127.0.0.1"))
    assert exc.value.status_code == 401


def test_serve_refuses_open_mode_on_a_public_host(monkeypatch):
    from assistant.cli import app

    monkeypatch.setenv("ISOASSIST_WEB__OPEN_MODE", "true")
    monkeypatch.delenv("ISOASSIST_WEB__API_KEYS", raising=False)
    result = CliRunner().invoke(app, ["serve", "--host", "0.0.0.0", "--port", "1"])
    assert result.exit_code == 1 and "chế độ mở" in result.output


def test_rate_limit_answers_429_with_retry_after(assistant, built_store, make_settings):
    settings = web_settings(make_settings, built_store)
    settings = settings.model_copy(
        update={"web": settings.web.model_copy(update={"rate_limit_per_minute": 3})}
    )
    with LiveServer(create_app(settings, assistant)) as client:
        codes = [client.get("/api/documents").status_code for _ in range(3)]
        limited = client.get("/api/documents")
    assert codes == [200, 200, 200] and limited.status_code == 429
    assert 1 <= int(limited.headers["retry-after"]) <= 60 and "thử lại sau" in limited.json()["error"]


def test_sliding_window_frees_slots_as_time_passes():
    now = [1000.0]
    limiter = RateLimiter(2, 60.0, clock=lambda: now[0])
    assert limiter.hit("a") is None and limiter.hit("a") is None
    assert limiter.hit("a") == pytest.approx(60.0) and limiter.hit("b") is None
    now[0] += 30
    assert limiter.hit("a") == pytest.approx(30.0)
    now[0] += 30.5
    assert limiter.hit("a") is None


def test_body_size_limits(keyed):
    admin = {"X-API-Key": "khoa-qt-456"}
    big = keyed.post("/api/ask", json={"question": "x" * 6000}, headers=admin)
    assert big.status_code == 413 and "quá lớn" in big.json()["error"] and "4 KB" in big.json()["error"]
    huge = keyed.post("/api/documents", files={"file": ("a.txt", b"a" * (2 * 1024 * 1024))}, headers=admin)
    assert huge.status_code == 413 and "1 MB" in huge.json()["error"]


def test_corrupt_upload_is_rejected_and_index_untouched(keyed):
    admin = {"X-API-Key": "khoa-qt-456"}
    before = keyed.get("/api/health").json()
    docs_before = keyed.get("/api/documents", headers=admin).json()
    r = keyed.post(
        "/api/documents",
        files={"file": ("ke-hoach.docx", b"PK\x03\x04 khong phai docx " * 50)},
        headers=admin,
    )
    assert r.status_code in (415, 422), r.text
    assert r.json()["error"] and "Traceback" not in r.text
    after = keyed.get("/api/health").json()
    assert after["index_version"] == before["index_version"] and after["chunks"] == before["chunks"]
    assert keyed.get("/api/documents", headers=admin).json() == docs_before
    reader = keyed.post(
        "/api/documents", files={"file": ("a.txt", b"abc")}, headers={"X-API-Key": "khoa-doc-123"}
    )
    assert reader.status_code == 403


def test_feedback_is_stored_with_question_and_sources(api, audit):
    cite = {
        "n": 1,
        "doc_id": "qd-19-2014-qd-ttg",
        "chunk_id": "c1",
        "title": "QĐ 19",
        "number": None,
        "section": "Điều 4",
        "quote": "q",
    }
    comment = f"Thiếu hạn của Hà Tĩnh {time.time_ns()}"
    r = api.post(
        "/api/feedback",
        json={"question": QUESTION, "answer": "…", "citations": [cite], "useful": False, "comment": comment},
    )
    assert r.status_code == 200 and r.json()["ok"] is True
    row = next(f for f in audit.feedback(20) if f.comment == comment)
    assert (
        row.question == QUESTION
        and row.useful is False
        and row.citations == [cite]
        and row.who == "ip:127.0.0.1"
    )
    assert api.post("/api/feedback", json={"question": QUESTION}).status_code == 422


# ---------------------------------------------------------------------------------------- errors, audit
def test_error_mapping():
    assert status_and_message(E.InvalidInputError("Sai."))[0] == 422
    assert status_and_message(E.NotFoundError("Không có."))[0] == 404
    assert status_and_message(E.UnsupportedDocumentError("Không hỗ trợ."))[0] == 415
    assert status_and_message(E.DocumentParseError("Hỏng."))[0] == 422
    assert status_and_message(E.ModelUnavailableError("Mô hình tắt."))[0] == 503
    status, message = status_and_message(E.IndexNotBuiltError("Chưa có chỉ mục."))
    assert status == 503 and "isoassist index" in message
    status, message = status_and_message(E.ConfigError("/etc/secret sai"))
    assert status == 500 and "/etc/secret" not in message
    assert status_and_message(KeyError("x"))[0] == 500


def test_missing_index_answers_503(tmp_path, make_settings):
    with LiveServer(create_app(web_settings(make_settings, tmp_path / "trong"))) as client:
        r = client.post("/api/ask", json={"question": QUESTION})
    assert r.status_code == 503 and "isoassist index" in r.json()["error"]


def test_audit_log_survives_concurrent_writers(tmp_path):
    log = SqliteAuditLog(tmp_path / "audit.sqlite")
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda i: log.record_question(f"ip:{i}", f"câu {i}"), range(80)))
    assert len(log.questions(200)) == 80 and log.integrity_ok()
    with sqlite3.connect(tmp_path / "audit.sqlite") as con:
        assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


@pytest.mark.e2e
def test_two_workers_share_one_store(built_store, make_settings):
    """``uvicorn --factory --workers 2`` against one store: concurrent asks + feedback, no corruption."""
    settings = make_settings(built_store)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {
        **os.environ,
        "OMP_WAIT_POLICY": "passive",
        "ISOASSIST_STORE": settings.store.model_dump_json(),
        "ISOASSIST_CATALOG_PATH": str(settings.catalog_path),
        "ISOASSIST_KNOWLEDGE_DIR": str(settings.knowledge_dir),
        "ISOASSIST_WEB__RATE_LIMIT_PER_MINUTE": "100000",
    }
    cmd = [
        sys.executable,
        "-m",
        "uvicorn",
        "--factory",
        "bots.web:app_factory",
        "--workers",
        "2",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--log-level",
        "warning",
    ]
    proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 180
        while True:  # readiness: health answers once a worker has built its assistant
            try:
                if httpx.get(f"{url}/api/health", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert proc.poll() is None, proc.stdout.read().decode(errors="replace")
            assert time.monotonic() < deadline, "workers did not start"
            time.sleep(0.2)
        tag = f"đa tiến trình {time.time_ns()}"
        questions = [f"{QUESTION} ({tag} #{i})" for i in range(12)]

        def ask(q: str) -> int:
            return httpx.post(f"{url}/api/ask", json={"question": q}, timeout=120).status_code

        with ThreadPoolExecutor(6) as pool:
            futures = [pool.submit(ask, q) for q in questions]
            fb = httpx.post(
                f"{url}/api/feedback", json={"question": tag, "answer": "a", "useful": True}, timeout=60
            )
            codes = [f.result() for f in futures]
        assert codes == [200] * len(questions) and fb.status_code == 200
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    log = SqliteAuditLog.in_store(built_store)
    assert sorted(q.question for q in log.questions(500) if tag in q.question) == sorted(questions)
    assert any(f.question == tag for f in log.feedback(50)) and log.integrity_ok()
