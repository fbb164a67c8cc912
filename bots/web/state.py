"""Per-app state: settings, the (lazily built) ``Assistant``, access control and the audit log."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from fastapi import Depends, Request

from assistant.adapters.audit_sqlite import SqliteAuditLog
from assistant.config import Settings

from .security import AccessControl, Principal

if TYPE_CHECKING:
    from assistant.service import Assistant


class WebState:
    def __init__(self, settings: Settings, assistant: Assistant | None = None) -> None:
        self.settings = settings
        self.access = AccessControl(settings.web)
        self._assistant = assistant
        self._lock = threading.Lock()
        self._audit: SqliteAuditLog | None = None

    def assistant(self) -> Assistant:
        """The facade; built with ``build_assistant(settings)`` on first need (errors reach the handler)."""
        if self._assistant is None:
            with self._lock:
                if self._assistant is None:
                    from assistant.bootstrap import build_assistant

                    self._assistant = build_assistant(self.settings)
        return self._assistant

    @property
    def audit(self) -> SqliteAuditLog:
        if self._audit is None:
            with self._lock:
                if self._audit is None:
                    self._audit = SqliteAuditLog.in_store(self.settings.store.path)
        return self._audit


def web_state(request: Request) -> WebState:
    return request.app.state.web


def get_assistant(request: Request) -> Assistant:
    return web_state(request).assistant()


def _require(role: str):
    def dependency(request: Request) -> Principal:
        return web_state(request).access.require(request, role)

    return dependency


require_reader = _require("reader")
require_admin = _require("admin")

Reader = Depends(require_reader)
Admin = Depends(require_admin)
AssistantDep = Depends(get_assistant)
