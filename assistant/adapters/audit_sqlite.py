"""Nhật ký kiểm tra (audit log): every question asked and every feedback, in one SQLite file.

The file lives under the store directory (``<store>/audit.sqlite``) and is shared by several web
workers: WAL journal, a busy timeout, and one short transaction per write — a connection is opened
per operation, so no connection crosses threads or processes.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ..domain.errors import KnowledgeBaseError
from ..domain.models import Answer, Citation

AUDIT_FILE_NAME = "audit.sqlite"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS questions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    ts TEXT NOT NULL,
    who TEXT NOT NULL,
    channel TEXT NOT NULL,
    question TEXT NOT NULL,
    refused INTEGER,
    route TEXT,
    doc_ids TEXT NOT NULL DEFAULT '[]',
    sections TEXT NOT NULL DEFAULT '[]',
    error TEXT,
    ms REAL
);
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    ts TEXT NOT NULL,
    who TEXT NOT NULL,
    channel TEXT NOT NULL,
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    citations TEXT NOT NULL DEFAULT '[]',
    useful INTEGER NOT NULL,
    comment TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS questions_ts ON questions (ts);
CREATE INDEX IF NOT EXISTS feedback_ts ON feedback (ts);
"""


@dataclass(frozen=True)
class QuestionRecord:
    """Một dòng nhật ký câu hỏi."""

    id: int
    ts: str
    who: str
    channel: str
    question: str
    refused: bool | None
    route: str | None
    doc_ids: list[str]
    sections: list[str]
    error: str | None
    ms: float | None


@dataclass(frozen=True)
class FeedbackRecord:
    """Một dòng góp ý của người dùng về câu trả lời."""

    id: int
    ts: str
    who: str
    channel: str
    question: str
    answer: str
    citations: list[dict]
    useful: bool
    comment: str


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")


class SqliteAuditLog:
    """Audit log in SQLite (WAL), safe for several processes writing the same file."""

    def __init__(self, path: Path, timeout_s: float = 15.0) -> None:
        self.path = Path(path)
        self._timeout_s = timeout_s
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self._connect() as con:
                con.execute("PRAGMA journal_mode=WAL")
                con.executescript(_SCHEMA)
        except sqlite3.Error as exc:
            raise KnowledgeBaseError(f"Không mở được nhật ký kiểm tra {self.path}: {exc}") from exc

    @classmethod
    def in_store(cls, store_dir: Path) -> SqliteAuditLog:
        return cls(Path(store_dir) / AUDIT_FILE_NAME)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        con = sqlite3.connect(self.path, timeout=self._timeout_s, isolation_level=None)
        try:
            con.execute(f"PRAGMA busy_timeout={int(self._timeout_s * 1000)}")
            con.execute("PRAGMA synchronous=NORMAL")
            yield con
        finally:
            con.close()

    def _insert(self, sql: str, params: Sequence[object]) -> int:
        try:
            with self._connect() as con:
                con.execute("BEGIN IMMEDIATE")
                try:
                    cur = con.execute(sql, params)
                    con.execute("COMMIT")
                except BaseException:
                    con.execute("ROLLBACK")
                    raise
                return int(cur.lastrowid or 0)
        except sqlite3.Error as exc:
            raise KnowledgeBaseError(f"Không ghi được nhật ký kiểm tra: {exc}") from exc

    # ------------------------------------------------------------------ writes
    def record_question(
        self,
        who: str,
        question: str,
        answer: Answer | None = None,
        *,
        channel: str = "web",
        error: str | None = None,
        ms: float | None = None,
    ) -> int:
        """Ghi một câu hỏi: ai, khi nào, câu hỏi, có từ chối không, tài liệu và mục được trích."""
        doc_ids: list[str] = []
        sections: list[str] = []
        for c in answer.citations if answer else ():
            if c.doc_id not in doc_ids:
                doc_ids.append(c.doc_id)
            where = f"{c.doc_id}#{c.section}"
            if where not in sections:
                sections.append(where)
        return self._insert(
            "INSERT INTO questions (ts, who, channel, question, refused, route, doc_ids, sections, error, ms)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                _now(),
                who,
                channel,
                question,
                None if answer is None else int(answer.refused),
                None if answer is None else answer.route,
                json.dumps(doc_ids, ensure_ascii=False),
                json.dumps(sections, ensure_ascii=False),
                error,
                ms,
            ),
        )

    def record_feedback(
        self,
        who: str,
        question: str,
        answer: str,
        citations: Sequence[Citation | dict],
        useful: bool,
        comment: str = "",
        *,
        channel: str = "web",
    ) -> int:
        """Ghi góp ý (hữu ích / không) kèm câu hỏi, câu trả lời và các nguồn đã trích."""
        cites = [c.model_dump(mode="json") if isinstance(c, Citation) else dict(c) for c in citations]
        return self._insert(
            "INSERT INTO feedback (ts, who, channel, question, answer, citations, useful, comment)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                _now(),
                who,
                channel,
                question,
                answer,
                json.dumps(cites, ensure_ascii=False),
                int(useful),
                comment,
            ),
        )

    # ------------------------------------------------------------------ reads
    def questions(self, limit: int = 100) -> list[QuestionRecord]:
        """Most recent questions first."""
        with self._connect() as con:
            rows = con.execute(
                "SELECT id, ts, who, channel, question, refused, route, doc_ids, sections, error, ms"
                " FROM questions ORDER BY id DESC LIMIT ?",
                (limit,),
            ).fetchall()
        return [
            QuestionRecord(
                id=r[0],
                ts=r[1],
                who=r[2],
                channel=r[3],
                question=r[4],
                refused=None if r[5] is None else bool(r[5]),
                route=r[6],
                doc_ids=json.loads(r[7]),
                sections=json.loads(r[8]),
                error=r[9],
                ms=r[10],
            )
            for r in rows
        ]

    def feedback(self, limit: int = 100) -> list[FeedbackRecord]:
        """Most recent feedback first."""
        with self._connect() as con:
            rows = con.execute(
                "SELECT id, ts, who, channel, question, answer, citations, useful, comment"
                " FROM feedback ORDER BY id DESC LIMIT ?",
                (limit,),
            ).fetchall()
        return [
            FeedbackRecord(
                id=r[0],
                ts=r[1],
                who=r[2],
                channel=r[3],
                question=r[4],
                answer=r[5],
                citations=json.loads(r[6]),
                useful=bool(r[7]),
                comment=r[8],
            )
            for r in rows
        ]

    def integrity_ok(self) -> bool:
        with self._connect() as con:
            return con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
