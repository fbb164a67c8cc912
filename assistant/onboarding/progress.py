"""Learning progress in SQLite (``<store>/onboarding.sqlite``), shared by the web and bot processes.

WAL mode, one short connection per operation (safe across threads and processes). User ids are opaque
strings such as ``web:<key>`` or ``tg:<id>``.
"""

from __future__ import annotations

import sqlite3
import time
from contextlib import closing
from pathlib import Path

from ..domain.errors import KnowledgeBaseError

_SCHEMA = """
CREATE TABLE IF NOT EXISTS quiz_answers (
    user_id TEXT NOT NULL,
    lesson_id TEXT NOT NULL,
    question_id TEXT NOT NULL,
    correct INTEGER NOT NULL,
    answer TEXT NOT NULL,
    answered_at REAL NOT NULL,
    PRIMARY KEY (user_id, lesson_id, question_id)
);
CREATE TABLE IF NOT EXISTS completions (
    user_id TEXT NOT NULL,
    lesson_id TEXT NOT NULL,
    completed_at REAL NOT NULL,
    PRIMARY KEY (user_id, lesson_id)
);
"""


class ProgressStore:
    """Quiz answers (latest per question) and completed lessons per user."""

    FILE_NAME = "onboarding.sqlite"

    def __init__(self, store_path: Path) -> None:
        self.path = Path(store_path) / self.FILE_NAME
        self._ready = False

    def _connect(self) -> sqlite3.Connection:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=10.0)
            if not self._ready:
                conn.execute("PRAGMA journal_mode=WAL")
                conn.executescript(_SCHEMA)
                self._ready = True
            conn.execute("PRAGMA busy_timeout=10000")
            return conn
        except (OSError, sqlite3.Error) as exc:
            raise KnowledgeBaseError(
                f"Không mở được tệp tiến độ học “{self.path}” ({exc}). Hãy kiểm tra quyền ghi thư mục lưu trữ."
            ) from exc

    def record_answer(
        self, user_id: str, lesson_id: str, question_id: str, correct: bool, answer: str
    ) -> None:
        with closing(self._connect()) as conn, conn:
            conn.execute(
                "INSERT INTO quiz_answers VALUES (?, ?, ?, ?, ?, ?) "
                "ON CONFLICT(user_id, lesson_id, question_id) DO UPDATE SET "
                "correct=excluded.correct, answer=excluded.answer, answered_at=excluded.answered_at",
                (user_id, lesson_id, question_id, int(correct), answer, time.time()),
            )

    def complete(self, user_id: str, lesson_id: str) -> None:
        with closing(self._connect()) as conn, conn:
            conn.execute(
                "INSERT OR IGNORE INTO completions VALUES (?, ?, ?)", (user_id, lesson_id, time.time())
            )

    def completed(self, user_id: str) -> set[str]:
        with closing(self._connect()) as conn:
            rows = conn.execute("SELECT lesson_id FROM completions WHERE user_id=?", (user_id,)).fetchall()
        return {r[0] for r in rows}

    def answers(self, user_id: str) -> dict[str, dict[str, bool]]:
        """lesson id → question id → correct (latest answer)."""
        with closing(self._connect()) as conn:
            rows = conn.execute(
                "SELECT lesson_id, question_id, correct FROM quiz_answers WHERE user_id=?", (user_id,)
            ).fetchall()
        out: dict[str, dict[str, bool]] = {}
        for lesson_id, question_id, correct in rows:
            out.setdefault(lesson_id, {})[question_id] = bool(correct)
        return out
