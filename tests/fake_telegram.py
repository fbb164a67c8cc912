"""A small fake Telegram Bot API server for tests (aiohttp on 127.0.0.1, in its own thread).

It serves ``/bot<TOKEN>/<method>`` like the real Bot API: updates injected by the test are handed
out by ``getUpdates`` (long poll), and every call is recorded (parameters decoded from JSON, files
kept as bytes) so tests can wait for and assert on what the bot sent. Real HTTP — PTB is not mocked.
"""

from __future__ import annotations

import asyncio
import html.parser
import itertools
import json
import re
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

BOT_ID = 7000001
MAX_TEXT = 4096
_ENTITY = re.compile(r"&(?:lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);")
TELEGRAM_TAGS = {
    "b",
    "strong",
    "i",
    "em",
    "u",
    "ins",
    "s",
    "strike",
    "del",
    "code",
    "pre",
    "a",
    "blockquote",
    "tg-spoiler",
    "span",
    "tg-emoji",
}


class _HtmlChecker(html.parser.HTMLParser):
    """Telegram's HTML rules: only its tags, properly nested, entities only &lt; &gt; &amp; &quot; or numeric."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.stack: list[str] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in TELEGRAM_TAGS:
            self.errors.append(f'unsupported start tag "{tag}"')
        self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f'unmatched end tag "{tag}"')
        else:
            self.stack.pop()

    def handle_data(self, data):
        if "<" in data or ">" in data:
            self.errors.append("unescaped < or >")

    def handle_entityref(self, name):
        if name not in {"lt", "gt", "amp", "quot"}:
            self.errors.append(f'unsupported entity "&{name};"')


def html_error(text: str) -> str | None:
    """What Telegram would answer for ``parse_mode=HTML`` text, or None when it parses."""
    if len(text.encode("utf-16-le")) // 2 > MAX_TEXT:
        return "Bad Request: message is too long"
    for m in re.finditer("&", text):
        if not _ENTITY.match(text, m.start()):
            return "Bad Request: can't parse entities: unescaped &"
    checker = _HtmlChecker()
    checker.feed(text)
    checker.close()
    if checker.rawdata:
        checker.errors.append("unclosed '<'")
    if checker.stack:
        checker.errors.append(f"unclosed tags {checker.stack}")
    if checker.errors:
        return "Bad Request: can't parse entities: " + "; ".join(checker.errors)
    return None


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)  # field -> (file name, bytes)

    @property
    def chat_id(self) -> int | None:
        value = self.params.get("chat_id")
        return int(value) if value is not None else None

    @property
    def text(self) -> str:
        return str(self.params.get("text", ""))


class FakeTelegram:
    def __init__(self, token: str) -> None:
        self.token = token
        self.calls: list[Call] = []
        self._cond = threading.Condition()
        self._updates: list[dict] = []
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1000)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._new_update: asyncio.Event | None = None
        self._runner: web.AppRunner | None = None
        self._thread: threading.Thread | None = None
        self.port = 0
        self.webhook_deleted = False
        self._closing = False

    # ------------------------------------------------------------------ lifecycle
    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> FakeTelegram:
        ready = threading.Event()

        def run() -> None:
            self._loop = asyncio.new_event_loop()
            asyncio.set_event_loop(self._loop)
            self._loop.run_until_complete(self._serve())
            ready.set()
            self._loop.run_forever()
            self._loop.close()

        self._thread = threading.Thread(target=run, name="fake-telegram", daemon=True)
        self._thread.start()
        if not ready.wait(10):
            raise RuntimeError("fake Telegram server did not start")
        return self

    def stop(self) -> None:
        if self._loop is not None:
            asyncio.run_coroutine_threadsafe(self._shutdown(), self._loop).result(10)
            self._loop.call_soon_threadsafe(self._loop.stop)
        if self._thread is not None:
            self._thread.join(10)

    async def _shutdown(self) -> None:
        self._closing = True
        self._new_update.set()  # type: ignore[union-attr]  # release pending long polls
        await self._runner.cleanup()  # type: ignore[union-attr]

    async def _serve(self) -> None:
        self._new_update = asyncio.Event()
        app = web.Application(client_max_size=50 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    # ------------------------------------------------------------------ injecting updates
    def _push(self, payload: dict) -> int:
        update_id = next(self._update_ids)
        update = {"update_id": update_id, **payload}
        assert self._loop is not None

        def add() -> None:
            self._updates.append(update)
            self._new_update.set()  # type: ignore[union-attr]

        self._loop.call_soon_threadsafe(add)
        return update_id

    @staticmethod
    def _user(user_id: int, name: str = "Cán bộ") -> dict:
        return {"id": user_id, "is_bot": False, "first_name": name, "language_code": "vi"}

    def send_text(self, user_id: int, text: str, chat_id: int | None = None, name: str = "Cán bộ") -> int:
        """A user writes ``text`` in a private chat (commands get their ``bot_command`` entity)."""
        chat_id = chat_id if chat_id is not None else user_id
        message: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private", "first_name": name},
            "from": self._user(user_id, name),
            "text": text,
        }
        if text.startswith("/"):
            length = len(text.split()[0].encode("utf-16-le")) // 2
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
        return self._push({"message": message})

    def press(self, user_id: int, data: str, chat_id: int | None = None, message_id: int = 1) -> int:
        """A user presses an inline button with callback ``data`` under a bot message."""
        chat_id = chat_id if chat_id is not None else user_id
        return self._push(
            {
                "callback_query": {
                    "id": str(next(self._message_ids)),
                    "from": self._user(user_id),
                    "chat_instance": f"ci{chat_id}",
                    "data": data,
                    "message": {
                        "message_id": message_id,
                        "date": int(time.time()),
                        "chat": {"id": chat_id, "type": "private"},
                        "from": {"id": BOT_ID, "is_bot": True, "first_name": "Trợ lý ISO"},
                        "text": "…",
                    },
                }
            }
        )

    # ------------------------------------------------------------------ waiting / asserting
    def calls_of(self, method: str, chat_id: int | None = None) -> list[Call]:
        with self._cond:
            return [c for c in self.calls if c.method == method and (chat_id is None or c.chat_id == chat_id)]

    def mark(self) -> int:
        """Index of the next call (to look only at what happens after this point)."""
        with self._cond:
            return len(self.calls)

    def wait_for(self, predicate, since: int = 0, timeout: float = 30.0) -> list[Call]:
        """Wait until ``predicate(calls since mark)`` is truthy; returns those calls."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                calls = self.calls[since:]
                if predicate(calls):
                    return list(calls)
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    summary = [(c.method, c.chat_id, c.text[:80]) for c in calls]
                    raise AssertionError(f"timed out waiting; calls since mark: {summary}")
                self._cond.wait(remaining)

    def wait_messages(
        self, chat_id: int, count: int = 1, since: int = 0, timeout: float = 30.0
    ) -> list[Call]:
        """Wait for ``count`` sendMessage/sendDocument calls to ``chat_id`` after ``since``."""
        kinds = ("sendMessage", "sendDocument")

        def enough(calls: list[Call]) -> bool:
            return sum(1 for c in calls if c.method in kinds and c.chat_id == chat_id) >= count

        calls = self.wait_for(enough, since, timeout)
        return [c for c in calls if c.method in kinds and c.chat_id == chat_id]

    def _record(self, call: Call) -> None:
        with self._cond:
            self.calls.append(call)
            self._cond.notify_all()

    # ------------------------------------------------------------------ the API
    async def _handle(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.json_response(
                {"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401
            )
        method = request.match_info["method"]
        params: dict[str, Any] = {}
        files: dict[str, tuple[str, bytes]] = {}
        if request.can_read_body:
            if request.content_type == "application/json":
                params = await request.json()
            else:
                form = await request.post()
                for key, value in form.items():
                    if isinstance(value, web.FileField):
                        files[key] = (value.filename or "", value.file.read())
                    else:
                        params[key] = _decode(str(value))
        params.update({k: _decode(v) for k, v in request.query.items()})
        if method == "getUpdates":
            return _ok(await self._get_updates(params))
        self._record(Call(method, params, files))
        if params.get("parse_mode") == "HTML":
            problem = html_error(str(params.get("text") or params.get("caption") or ""))
            if problem:
                return web.json_response({"ok": False, "error_code": 400, "description": problem}, status=400)
        handler = getattr(self, f"_m_{method}", None)
        return _ok(handler(params, files) if handler else True)

    async def _get_updates(self, params: dict) -> list[dict]:
        offset = int(params.get("offset") or 0)
        timeout = min(float(params.get("timeout") or 0), 1.0)
        self._updates = [u for u in self._updates if u["update_id"] >= offset]
        if not self._updates and timeout > 0 and not self._closing:
            self._new_update.clear()  # type: ignore[union-attr]
            try:
                await asyncio.wait_for(self._new_update.wait(), timeout)  # type: ignore[union-attr]
            except TimeoutError:
                pass
        return list(self._updates)

    def _message(self, params: dict, **extra: Any) -> dict:
        chat_id = int(params["chat_id"])
        return {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private"},
            "from": {"id": BOT_ID, "is_bot": True, "first_name": "Trợ lý ISO", "username": "troly_iso_bot"},
            **extra,
        }

    def _m_getMe(self, params: dict, files: dict) -> dict:
        return {
            "id": BOT_ID,
            "is_bot": True,
            "first_name": "Trợ lý ISO",
            "username": "troly_iso_bot",
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }

    def _m_sendMessage(self, params: dict, files: dict) -> dict:
        return self._message(params, text=params.get("text", ""))

    def _m_editMessageText(self, params: dict, files: dict) -> dict:
        return self._message(params, text=params.get("text", "")) if "chat_id" in params else True

    def _m_sendDocument(self, params: dict, files: dict) -> dict:
        name = files["document"][0] if "document" in files else "file"
        doc = {"file_id": f"f{len(self.calls)}", "file_unique_id": f"u{len(self.calls)}", "file_name": name}
        return self._message(params, document=doc, caption=params.get("caption", ""))

    def _m_getMyCommands(self, params: dict, files: dict) -> list:
        sets = self.calls_of("setMyCommands")
        return sets[-1].params.get("commands", []) if sets else []

    def _m_deleteWebhook(self, params: dict, files: dict) -> bool:
        self.webhook_deleted = True
        return True

    def _m_getWebhookInfo(self, params: dict, files: dict) -> dict:
        return {"url": "", "has_custom_certificate": False, "pending_update_count": 0}


def _decode(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in "[{":
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _ok(result: Any) -> web.Response:
    return web.json_response({"ok": True, "result": result})
