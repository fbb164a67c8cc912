"""A small OpenAI-compatible chat server for tests, run for real on 127.0.0.1 (FastAPI + uvicorn in a thread).

- ``replies``: a queue of scripted replies; each is a string or a callable ``(request_json) -> str``
  (so a reply can be built from the passages the prompt carried). An empty queue replies ``default``.
- ``mode``: ``"ok"``, ``"slow"`` (sleeps ``slow_s`` before answering, past the client timeout) or
  ``"error500"``.
- ``requests``: every request body received (JSON) with its Authorization header, for assertions.

The listening socket is bound before the server thread starts, so a client can connect at once (the kernel
queues the connection until uvicorn accepts it): no readiness polling.
"""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Any

import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, StreamingResponse

Reply = str | Callable[[dict[str, Any]], str]


class FakeOpenAI:
    def __init__(self, default: str = "Tài liệu không nêu.", slow_s: float = 3.0) -> None:
        self.replies: deque[Reply] = deque()
        self.default = default
        self.mode = "ok"
        self.slow_s = slow_s
        self.requests: list[dict[str, Any]] = []
        self._sock: socket.socket | None = None
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self.app = self._build_app()

    # ------------------------------------------------------------------ control
    @property
    def base_url(self) -> str:
        assert self._sock is not None, "server not started"
        host, port = self._sock.getsockname()[:2]
        return f"http://{host}:{port}/v1"

    def queue(self, *replies: Reply) -> None:
        self.replies.extend(replies)

    def reset(self) -> None:
        self.replies.clear()
        self.requests.clear()
        self.mode = "ok"

    def last_user_prompt(self) -> str:
        msgs = self.requests[-1]["json"]["messages"]
        return next(m["content"] for m in reversed(msgs) if m["role"] == "user")

    def start(self) -> FakeOpenAI:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        sock.listen(64)
        self._sock = sock
        config = uvicorn.Config(self.app, log_level="warning", lifespan="off", timeout_graceful_shutdown=1)
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, kwargs={"sockets": [sock]}, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)
        if self._sock is not None:
            self._sock.close()

    def __enter__(self) -> FakeOpenAI:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ------------------------------------------------------------------ app
    def _next_reply(self, body: dict[str, Any]) -> str:
        reply = self.replies.popleft() if self.replies else self.default
        return reply(body) if callable(reply) else reply

    def _build_app(self) -> FastAPI:
        app = FastAPI()

        @app.post("/v1/chat/completions")
        async def chat(request: Request):
            body = await request.json()
            self.requests.append({"json": body, "authorization": request.headers.get("authorization", "")})
            if self.mode == "error500":
                return JSONResponse(
                    {"error": {"message": "internal error", "type": "server_error"}}, status_code=500
                )
            if self.mode == "slow":  # answer late, or never if the client gives up first
                deadline = time.monotonic() + self.slow_s
                while time.monotonic() < deadline:
                    if await request.is_disconnected():
                        return JSONResponse({"error": {"message": "client gone"}}, status_code=499)
                    await asyncio.sleep(0.05)
            text = self._next_reply(body)
            model = body.get("model", "fake")
            created = int(time.time())
            if body.get("stream"):
                return StreamingResponse(self._sse(text, model, created), media_type="text/event-stream")
            return JSONResponse(
                {
                    "id": "chatcmpl-fake",
                    "object": "chat.completion",
                    "created": created,
                    "model": model,
                    "choices": [
                        {
                            "index": 0,
                            "message": {"role": "assistant", "content": text},
                            "finish_reason": "stop",
                        }
                    ],
                    "usage": {"prompt_tokens": 10, "completion_tokens": 10, "total_tokens": 20},
                }
            )

        return app

    @staticmethod
    async def _sse(text: str, model: str, created: int):
        def chunk(delta: dict[str, Any], finish: str | None = None) -> str:
            obj = {
                "id": "chatcmpl-fake",
                "object": "chat.completion.chunk",
                "created": created,
                "model": model,
                "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
            }
            return f"data: {json.dumps(obj, ensure_ascii=False)}\n\n"

        yield chunk({"role": "assistant", "content": ""})
        words = text.split(" ")
        for i, w in enumerate(words):
            yield chunk({"content": w + (" " if i < len(words) - 1 else "")})
        yield chunk({}, "stop")
        yield "data: [DONE]\n\n"
