"""Pairing / allowlist store of the Telegram bot (SQLite, ``<store>/telegram.sqlite``).

A user not on the configured allowlist gets a pairing code; ``/xinphep`` records a request that an
admin approves (``/duyet``) or rejects (``/tuchoi``). Only ids, names and decision times are stored —
never message contents.
"""

from __future__ import annotations

import secrets
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path

_SCHEMA = """
CREATE TABLE IF NOT EXISTS pairing (
    user_id      INTEGER PRIMARY KEY,
    chat_id      INTEGER NOT NULL,
    display_name TEXT NOT NULL DEFAULT '',
    code         TEXT NOT NULL UNIQUE,
    status       TEXT NOT NULL DEFAULT 'new',  -- new | requested | approved | rejected
    created_at   REAL NOT NULL,
    requested_at REAL,
    decided_at   REAL,
    decided_by   INTEGER
);
"""

_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I


@dataclass(frozen=True)
class PairingRecord:
    """Một yêu cầu cấp quyền dùng bot."""

    user_id: int
    chat_id: int
    display_name: str
    code: str
    status: str
    created_at: float
    requested_at: float | None
    decided_at: float | None
    decided_by: int | None


class PairingStore:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.executescript(_SCHEMA)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    # ---------------------------------------------------------------- queries
    def get(self, user_id: int) -> PairingRecord | None:
        with self._lock:
            row = self._db.execute("SELECT * FROM pairing WHERE user_id = ?", (user_id,)).fetchone()
        return PairingRecord(*row) if row else None

    def by_code(self, code: str) -> PairingRecord | None:
        with self._lock:
            row = self._db.execute("SELECT * FROM pairing WHERE code = ?", (code.strip().upper(),)).fetchone()
        return PairingRecord(*row) if row else None

    def is_approved(self, user_id: int) -> bool:
        rec = self.get(user_id)
        return rec is not None and rec.status == "approved"

    def pending(self) -> list[PairingRecord]:
        with self._lock:
            rows = self._db.execute(
                "SELECT * FROM pairing WHERE status = 'requested' ORDER BY requested_at"
            ).fetchall()
        return [PairingRecord(*r) for r in rows]

    # ---------------------------------------------------------------- changes
    def code_for(self, user_id: int, chat_id: int, display_name: str = "") -> PairingRecord:
        """The user's pairing record, created with a fresh code on first contact."""
        rec = self.get(user_id)
        if rec is not None:
            return rec
        with self._lock:
            for _ in range(10):
                code = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(6))
                try:
                    self._db.execute(
                        "INSERT INTO pairing (user_id, chat_id, display_name, code, created_at)"
                        " VALUES (?, ?, ?, ?, ?)",
                        (user_id, chat_id, display_name, code, time.time()),
                    )
                    break
                except sqlite3.IntegrityError:
                    row = self._db.execute("SELECT 1 FROM pairing WHERE user_id = ?", (user_id,)).fetchone()
                    if row:  # created concurrently
                        break
        rec = self.get(user_id)
        assert rec is not None
        return rec

    def request(self, user_id: int, chat_id: int, display_name: str = "") -> tuple[PairingRecord, bool]:
        """Record a request (``/xinphep``). Returns the record and whether it is a new request.

        Only a user in state ``new`` becomes ``requested``: approved users stay approved, a pending
        request is not repeated (admins are notified once) and a rejected user cannot re-ask.
        """
        rec = self.code_for(user_id, chat_id, display_name)
        if rec.status != "new":
            return rec, False
        with self._lock:
            self._db.execute(
                "UPDATE pairing SET status = 'requested', requested_at = ?, chat_id = ?, display_name = ?"
                " WHERE user_id = ? AND status = 'new'",
                (time.time(), chat_id, display_name or rec.display_name, user_id),
            )
        return self.get(user_id), True  # type: ignore[return-value]

    def decide(self, user_id: int, approved: bool, by: int) -> PairingRecord | None:
        """Approve or reject a known user. Returns None when the user never contacted the bot."""
        if self.get(user_id) is None:
            return None
        with self._lock:
            self._db.execute(
                "UPDATE pairing SET status = ?, decided_at = ?, decided_by = ? WHERE user_id = ?",
                ("approved" if approved else "rejected", time.time(), by, user_id),
            )
        return self.get(user_id)
