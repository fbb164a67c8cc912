"""Access control for the web app: API keys with roles, open mode, rate limits, body size limits.

- Keys come from ``settings.web.api_keys`` ({key: "reader" | "admin"}), sent as ``X-API-Key`` or
  ``Authorization: Bearer``. A key is never stored: it is named by a short fingerprint.
- Open mode (``settings.web.open_mode``; ``None`` = open iff bound to a loopback host): requests
  without a key are readers; admin endpoints still need an admin key, except from a loopback client
  in open mode.
- Rate limits: an in-memory sliding window per key or client IP (per worker process).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import math
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from fastapi import HTTPException, Request

from assistant.config import WebSettings

LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
ROLE_RANK = {"reader": 1, "admin": 2}


def is_loopback(host: str | None) -> bool:
    return bool(host) and (host in LOOPBACK_HOSTS or host.startswith("127."))


def is_open_mode(web: WebSettings) -> bool:
    """Open mode as configured, or — when not configured — only when bound to a loopback host."""
    if web.open_mode is not None:
        return web.open_mode
    return is_loopback(web.host)


def key_fingerprint(key: str) -> str:
    return "key:" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:10]


@dataclass(frozen=True)
class Principal:
    """Người gọi API: tên (dấu vân tay khóa hoặc IP) và vai trò."""

    who: str
    role: str  # reader | admin

    def can(self, role: str) -> bool:
        return ROLE_RANK[self.role] >= ROLE_RANK[role]


class RateLimiter:
    """Sliding-window limiter: at most ``limit`` hits per ``window_s`` for each identity."""

    def __init__(
        self, limit: int, window_s: float = 60.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limit = limit
        self.window_s = window_s
        self._clock = clock
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def hit(self, identity: str) -> float | None:
        """Record a hit; ``None`` when allowed, else the seconds to wait before retrying."""
        if self.limit <= 0:
            return None
        now = self._clock()
        with self._lock:
            q = self._hits.setdefault(identity, deque())
            while q and q[0] <= now - self.window_s:
                q.popleft()
            if len(q) >= self.limit:
                return max(q[0] + self.window_s - now, 0.001)
            q.append(now)
            if len(self._hits) > 10_000:  # forget idle identities
                for ident in [i for i, d in self._hits.items() if not d or d[-1] <= now - self.window_s]:
                    del self._hits[ident]
            return None


class AccessControl:
    """Resolves the caller of a request and enforces roles and rate limits."""

    def __init__(self, web: WebSettings, clock: Callable[[], float] = time.monotonic) -> None:
        self._keys = dict(web.api_keys)
        self.open_mode = is_open_mode(web)
        self.limiter = RateLimiter(web.rate_limit_per_minute, 60.0, clock)

    @staticmethod
    def _presented_key(request: Request) -> str | None:
        key = request.headers.get("x-api-key")
        if not key:
            auth = request.headers.get("authorization", "")
            if auth[:7].lower() == "bearer ":
                key = auth[7:]
        key = (key or "").strip()
        return key or None

    def _role_of(self, key: str) -> str | None:
        found = None
        for known, role in self._keys.items():
            if hmac.compare_digest(known.encode("utf-8"), key.encode("utf-8")):
                found = role
        return found

    def authenticate(self, request: Request) -> Principal:
        """Who is calling, or 401 when a key is required or wrong."""
        ip = request.client.host if request.client else "unknown"
        key = self._presented_key(request)
        if key is not None:
            role = self._role_of(key)
            if role is None:
                self._limit(f"ip:{ip}")
                raise HTTPException(401, "Khóa API không hợp lệ. Kiểm tra lại khóa được cấp.")
            return Principal(key_fingerprint(key), role)
        if not self.open_mode:
            self._limit(f"ip:{ip}")
            raise HTTPException(
                401,
                "Cần khóa API để dùng dịch vụ này. Gửi khóa qua tiêu đề X-API-Key hoặc Authorization: Bearer.",
            )
        return Principal(f"ip:{ip}", "admin" if is_loopback(ip) else "reader")

    def _limit(self, identity: str) -> None:
        wait = self.limiter.hit(identity)
        if wait is not None:
            secs = max(1, math.ceil(wait))
            raise HTTPException(
                429,
                f"Bạn gửi quá nhiều yêu cầu. Vui lòng thử lại sau {secs} giây.",
                headers={"Retry-After": str(secs)},
            )

    def require(self, request: Request, role: str) -> Principal:
        principal = self.authenticate(request)
        self._limit(principal.who)
        if not principal.can(role):
            raise HTTPException(403, "Chức năng này chỉ dành cho quản trị viên (cần khóa API quản trị).")
        return principal


class _BodyTooLarge(Exception):
    pass


class BodyLimitMiddleware:
    """Rejects request bodies over the limit with 413 (checked on Content-Length and while reading)."""

    def __init__(self, app, json_limit: int, upload_limit: int, upload_paths: frozenset[str]) -> None:
        self.app = app
        self.json_limit = json_limit
        self.upload_limit = upload_limit
        self.upload_paths = upload_paths

    def _message(self, upload: bool) -> str:
        if upload:
            return f"Tệp tải lên quá lớn: tối đa {self.upload_limit // (1024 * 1024)} MB."
        return f"Dữ liệu gửi lên quá lớn: tối đa {self.json_limit // 1024} KB."

    @staticmethod
    async def _send_413(send, message: str) -> None:
        body = json.dumps({"error": message}, ensure_ascii=False).encode("utf-8")
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        upload = scope["path"] in self.upload_paths
        limit = self.upload_limit if upload else self.json_limit
        for name, value in scope.get("headers", ()):
            if name == b"content-length":
                try:
                    too_big = int(value) > limit
                except ValueError:
                    too_big = False
                if too_big:
                    await self._send_413(send, self._message(upload))
                    return
        received = 0
        started = False

        async def limited_receive():
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise _BodyTooLarge
            return message

        async def tracking_send(message):
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except _BodyTooLarge:
            if started:
                raise
            await self._send_413(send, self._message(upload))
