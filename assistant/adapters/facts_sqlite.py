"""SQLite store of structured facts, one file per index version (``<version>/facts.sqlite``).

Columns hold what queries filter on (kind, province, reference parts, accent-free agency and task text);
the full ``Fact`` is kept as JSON. Matching of provinces, agencies and task words is accent-insensitive
(``strip_diacritics``) so "dong nai" finds "Đồng Nai".
"""

from __future__ import annotations

import datetime as dt
import math
import re
import sqlite3
import threading
from collections.abc import Iterable
from pathlib import Path

from ..domain.errors import KnowledgeBaseError
from ..domain.models import Fact
from ..domain.vntext import DocRef, parse_doc_numbers, strip_diacritics
from ..facts.schedule import overlaps, sort_key

_SCHEMA = """
CREATE TABLE IF NOT EXISTS facts (
    fact_id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    doc_id TEXT NOT NULL,
    chunk_id TEXT NOT NULL,
    province_key TEXT,
    agencies_key TEXT,
    text_key TEXT,
    ref_number TEXT,
    ref_year INTEGER,
    ref_type TEXT,
    ref_issuer TEXT,
    json TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS facts_kind ON facts(kind, province_key);
CREATE INDEX IF NOT EXISTS facts_ref ON facts(ref_number);
CREATE INDEX IF NOT EXISTS facts_doc ON facts(doc_id);
"""

# words that carry no topic in a task query ("ai chủ trì việc kiểm tra?")
STOPWORDS = frozenset(
    "ai la gi nao cua va cac the nhu viec cong tac co quan don vi chu tri phoi hop thuc hien hay cho toi biet "
    "trong ve voi o tai theo khi duoc nhung mot hien hanh tinh so iso he thong quan ly chat luong htqlcl "
    "ke hoach hang toi da muc bao nhieu".split()
)


def _key(text: str | None) -> str:
    return " ".join(re.findall(r"\w+", strip_diacritics(text or ""))) if text else ""


def _tokens(text: str) -> list[str]:
    return [t for t in _key(text).split() if t not in STOPWORDS]


def ref_from_key(text: str) -> DocRef | None:
    """A ``DocRef`` from a canonical key ("144/2006/qd-ttg") or any spelling a user types."""
    for candidate in (text, text.upper()):
        refs = parse_doc_numbers(candidate)
        if refs:
            return refs[0]
    return None


class FactStore:
    """Facts of one index version."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(str(self.path), check_same_thread=False)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.executescript(_SCHEMA)
        except sqlite3.Error as exc:
            raise KnowledgeBaseError(
                f"Không mở được kho dữ kiện {self.path}: {exc}. Hãy lập chỉ mục lại."
            ) from exc

    def close(self) -> None:
        with self._lock:
            self._db.close()

    # ------------------------------------------------------------------ writing
    def write(self, facts: Iterable[Fact]) -> None:
        """Replace all facts."""
        rows = []
        for f in facts:
            ref = ref_from_key(f.ref_key) if f.ref_key else None
            rows.append(
                (
                    f.fact_id,
                    f.kind,
                    f.doc_id,
                    f.chunk_id,
                    _key(f.province),
                    _key(" | ".join([f.lead or "", *f.cooperating])),
                    _key(
                        " ".join(p for p in (f.task, f.quote, f.section, f.amount_purpose, f.unit_type) if p)
                    ),
                    ref.number.lstrip("0") if ref else None,
                    ref.year if ref else None,
                    ref.type if ref else None,
                    ref.issuer if ref else None,
                    f.model_dump_json(),
                )
            )
        with self._lock:
            try:
                with self._db:
                    self._db.execute("DELETE FROM facts")
                    self._db.executemany(
                        "INSERT OR REPLACE INTO facts VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", rows
                    )
            except sqlite3.Error as exc:
                raise KnowledgeBaseError(f"Không ghi được kho dữ kiện {self.path}: {exc}.") from exc

    # ------------------------------------------------------------------ reading
    def _query(self, sql: str, args: tuple = ()) -> list[tuple]:
        with self._lock:
            try:
                return self._db.execute(sql, args).fetchall()
            except sqlite3.Error as exc:
                raise KnowledgeBaseError(
                    f"Không đọc được kho dữ kiện {self.path}: {exc}. Hãy lập chỉ mục lại."
                ) from exc

    def _facts(self, where: str = "", args: tuple = ()) -> list[Fact]:
        rows = self._query(f"SELECT json FROM facts {where} ORDER BY rowid", args)
        return [Fact.model_validate_json(r[0]) for r in rows]

    def all(self) -> list[Fact]:
        return self._facts()

    def by_id(self, fact_id: str) -> Fact | None:
        found = self._facts("WHERE fact_id = ?", (fact_id,))
        return found[0] if found else None

    def _kind(self, kind: str, province: str | None) -> list[tuple[Fact, str, str]]:
        where, args = "WHERE kind = ?", (kind,)
        if province:
            where, args = where + " AND province_key = ?", (kind, _key(province))
        rows = self._query(f"SELECT json, agencies_key, text_key FROM facts {where} ORDER BY rowid", args)
        return [(Fact.model_validate_json(r[0]), r[1] or "", r[2] or "") for r in rows]

    def deadlines(
        self,
        province: str | None = None,
        agency: str | None = None,
        date_from: dt.date | None = None,
        date_to: dt.date | None = None,
        today: dt.date | None = None,
    ) -> list[Fact]:
        """Deadline facts, soonest next occurrence first (recurring ones match any year of the range)."""
        today = today or dt.date.today()
        want = _key(agency)
        out = [
            f
            for f, agencies, _ in self._kind("deadline", province)
            if f.deadline is not None
            and (not want or want in agencies)
            and ((date_from is None and date_to is None) or overlaps(f.deadline, date_from, date_to))
        ]
        return sorted(out, key=lambda f: sort_key(f.deadline, today))

    def agencies(self, task_words: str, province: str | None = None) -> list[Fact]:
        """Task facts whose task matches the words, best matches first."""
        words = _tokens(task_words)
        if not words:
            return []
        scored: list[tuple[float, int, Fact]] = []
        for i, (f, _, text) in enumerate(self._kind("task", province)):
            s = score_text(words, text)
            if s > 0:
                scored.append((s, i, f))
        scored.sort(key=lambda x: (-x[0], x[1]))
        return [f for _, _, f in scored]

    def search(self, kind: str, words: str, province: str | None = None) -> list[tuple[float, Fact]]:
        """Facts of ``kind`` scored against ``words`` (all facts with score 0 when ``words`` is empty)."""
        toks = _tokens(words)
        rows = self._kind(kind, province)
        if not toks:
            return [(0.0, f) for f, _, _ in rows]
        # rarer words weigh more (idf over the candidates), so "duy trì" beats words every fact shares
        n = len(rows) or 1
        weights = {}
        for w in toks:
            df = sum(1 for _, _, text in rows if f" {w} " in f" {text} ")
            weights[w] = math.log((n + 1) / (df + 0.5))
        out = [(score_text(toks, text, weights), f) for f, _, text in rows]
        return [(s, f) for s, f in out if s > 0]

    def cited_by(self, ref_key: str) -> list[Fact]:
        """``legal_ref`` facts whose reference matches ``ref_key`` (a key or any spelling of a number)."""
        ref = ref_from_key(ref_key)
        if ref is None:
            return []
        rows = self._query(
            "SELECT json, ref_year, ref_type, ref_issuer FROM facts WHERE kind = 'legal_ref' "
            "AND ref_number = ? ORDER BY rowid",
            (ref.number.lstrip("0"),),
        )
        out = []
        for js, year, typ, issuer in rows:
            if ref.matches(DocRef(ref.number, year, typ, issuer)):
                out.append(Fact.model_validate_json(js))
        return out


def score_text(words: list[str], text_key: str, weights: dict[str, float] | None = None) -> float:
    """Weighted share of the query words found in the fact text, with a bonus for adjacent pairs."""
    if not words:
        return 0.0
    hay = f" {text_key} "
    w8 = weights or {}
    total = sum(max(w8.get(w, 1.0), 0.05) for w in words)
    hits = sum(max(w8.get(w, 1.0), 0.05) for w in words if f" {w} " in hay)
    if not hits:
        return 0.0
    pairs = sum(1 for a, b in zip(words, words[1:], strict=False) if f" {a} {b} " in hay)
    return hits / total + 0.5 * pairs / max(1, len(words) - 1)
