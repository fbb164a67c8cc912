"""The domain gold set (``evals/gold/domain_v1.yaml``) and the relevance judge of retrieved text.

Relevance: a retrieved unit (a system chunk, a baseline passage) is relevant to a question when it comes
from a gold document (its doc id or its catalog id equals the gold ``doc_id``, so the .doc copy of an
appendix counts for the .docx) and its text contains the gold quote after NFC + whitespace collapse +
case fold. When no unit of that document contains the whole quote (the quote straddles a chunk boundary),
the unit is relevant when it contains the quote's first or last 40 normalised characters; such passages are
listed in the report as ``split_quotes`` so the chunker or the gold can be looked at.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .metrics import norm_text

GOLD_DIR = Path(__file__).resolve().parent / "gold"
DOMAIN_GOLD = GOLD_DIR / "domain_v1.yaml"
# Held-out question sets (same schema, never used for tuning); a full domain run scores them too.
HOLDOUT_GOLD = tuple(sorted(GOLD_DIR.glob("holdout_v*.yaml")))
FACTS_GOLD = GOLD_DIR / "facts_v1.yaml"
_FRAGMENT = 40


@dataclass(frozen=True)
class GoldPassage:
    doc_id: str
    section: str
    quote: str


@dataclass(frozen=True)
class GoldQuestion:
    id: str
    question: str
    category: str
    style: str
    answerable: bool
    gold: tuple[GoldPassage, ...] = ()
    key_facts: tuple[str, ...] = ()
    history: tuple[str, ...] = ()
    expect_warning: bool = False
    notes: str = ""


def load_domain_gold(path: Path = DOMAIN_GOLD) -> list[GoldQuestion]:
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    out: list[GoldQuestion] = []
    for q in data.get("questions", []):
        out.append(
            GoldQuestion(
                id=str(q["id"]),
                question=str(q["question"]),
                category=str(q.get("category", "")),
                style=str(q.get("style", "normal")),
                answerable=bool(q.get("answerable", True)),
                gold=tuple(
                    GoldPassage(str(g["doc_id"]), str(g.get("section") or ""), str(g["quote"]))
                    for g in q.get("gold") or []
                ),
                key_facts=tuple(str(k) for k in q.get("key_facts") or []),
                history=tuple(str(h) for h in q.get("history") or []),
                expect_warning=bool(q.get("expect_warning", False)),
                notes=str(q.get("notes") or ""),
            )
        )
    return out


def smoke_subset(questions: Sequence[GoldQuestion], per_category: int = 6) -> list[GoldQuestion]:
    """Deterministic stratified sample: the first ``per_category`` questions of each category and, within
    that budget, at least one of each style present in the category (file order)."""
    by_cat: dict[str, list[GoldQuestion]] = {}
    for q in questions:
        by_cat.setdefault(q.category, []).append(q)
    chosen: set[str] = set()
    for items in by_cat.values():
        picked: list[GoldQuestion] = []
        for style in dict.fromkeys(q.style for q in items):  # one per style first
            if len(picked) < per_category:
                picked.append(next(q for q in items if q.style == style))
        for q in items:
            if len(picked) >= per_category:
                break
            if q not in picked:
                picked.append(q)
        chosen.update(q.id for q in picked)
    return [q for q in questions if q.id in chosen]


@dataclass(frozen=True)
class Unit:
    """A retrieved piece of text: the ids its document answers to, its text, a short label for reports."""

    doc_ids: frozenset[str]
    text: str
    label: str = ""


@dataclass
class Judge:
    """Decides which gold passages (indices) a unit satisfies, given the universe of units of the system.

    Also computes, per question, ``ideal``: the fewest units of the universe that hold every gold passage
    (greedy set cover) — the ideal ranking of nDCG when one chunk holds several passages.
    """

    questions: Sequence[GoldQuestion]
    universe: Iterable[Unit]
    split: dict[tuple[str, int], tuple[str, str]] = field(default_factory=dict)  # (qid, i) -> (head, tail)
    ideal: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        by_doc: dict[str, list[str]] = {}
        for u in self.universe:
            t = norm_text(u.text)
            for d in u.doc_ids:
                by_doc.setdefault(d, []).append(t)
        for q in self.questions:
            for i, g in enumerate(q.gold):
                quote = norm_text(g.quote)
                texts = by_doc.get(g.doc_id, [])
                if texts and not any(quote in t for t in texts):
                    self.split[(q.id, i)] = (quote[:_FRAGMENT], quote[-_FRAGMENT:])
            covers = [
                c
                for d in dict.fromkeys(g.doc_id for g in q.gold)
                for t in by_doc.get(d, [])
                if (c := self._cover(q, frozenset({d}), t))
            ]
            self.ideal[q.id] = _greedy_cover(covers, len(q.gold))
        self.universe = ()  # not needed any more

    def _cover(self, q: GoldQuestion, doc_ids: frozenset[str], text: str) -> frozenset[int]:
        out = set()
        for i, g in enumerate(q.gold):
            if g.doc_id not in doc_ids:
                continue
            frag = self.split.get((q.id, i))
            if frag is None:
                if norm_text(g.quote) in text:
                    out.add(i)
            elif frag[0] in text or frag[1] in text:
                out.add(i)
        return frozenset(out)

    def relevant(self, q: GoldQuestion, unit: Unit) -> frozenset[int]:
        """Indices of the gold passages of ``q`` that ``unit`` satisfies (empty: not relevant)."""
        if not any(g.doc_id in unit.doc_ids for g in q.gold):
            return frozenset()
        return self._cover(q, unit.doc_ids, norm_text(unit.text))

    def relevance(self, q: GoldQuestion, units: Sequence[Unit]) -> list[frozenset[int]]:
        return [self.relevant(q, u) for u in units]

    def split_quotes(self) -> list[str]:
        return [f"{qid} passage {i + 1}" for qid, i in sorted(self.split)]


def _greedy_cover(covers: list[frozenset[int]], n: int) -> int:
    """Number of sets a greedy cover picks to cover every coverable index (at least 1, at most ``n``)."""
    left = set().union(*covers) if covers else set()
    picked = 0
    while left:
        best = max(covers, key=lambda c: len(c & left))
        left -= best
        picked += 1
    return max(1, min(picked or n, n))
