"""Precision and recall of fact extraction against ``evals/gold/facts_v1.yaml``.

Gold schema: ``facts: [{id, doc_id, kind: deadline|lead|cooperating|amount|target, value, normalized, task,
quote}]``.

Units compared. Extracted facts are flattened into *atoms* of the gold kinds, deduplicated per
(document, kind, normalised value): a ``deadline`` fact gives a deadline atom; ``task`` and ``deadline``
facts give a ``lead`` atom for their lead and a ``cooperating`` atom per cooperating agency; ``amount`` and
``target`` facts give one atom each.

Matching. A gold fact is *found* when an atom of the same document and kind has the same normalised value:
- deadline: every field the gold gives (kind, day, month, quarter, year, year_end) is equal;
- amount: same VND integer;
- target: same value and, when both know it, the same year;
- lead / cooperating: one folded, accent-free name contains the other (abbreviations such as "Sở KH&CN"
  and "UBND" are expanded first).

Precision (sample-free). The gold annotates, for each document, the kinds it lists *exhaustively* — we take
every (document, kind) pair with at least one gold fact as exhaustively annotated. An atom in such a pair is
correct when it matches some gold fact of the pair; atoms of pairs the gold does not annotate are reported as
``unjudged`` and left out of precision (they are neither right nor wrong by this gold). Duplicated atoms count
once, so an extractor is not rewarded for repeating a right answer nor punished twice for one wrong one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from assistant.domain.models import Fact
from assistant.domain.vntext import strip_diacritics
from assistant.facts.patterns import find_amounts, find_deadlines, find_targets

GOLD_KINDS = ("deadline", "lead", "cooperating", "amount", "target")
_DEADLINE_FIELDS = ("kind", "day", "month", "quarter", "year", "year_end")
_ABBREV = {
    r"\bkh&cn\b|\bkhcn\b": "khoa hoc va cong nghe",
    r"\btt&tt\b": "thong tin va truyen thong",
    r"\bgd&dt\b": "giao duc va dao tao",
    r"\bubnd\b": "uy ban nhan dan",
    r"\bvp\b": "van phong",
    r"\bhcnn\b": "hanh chinh nha nuoc",
    r"\bkh&dt\b": "ke hoach va dau tu",
}


def agency_key(name: str) -> str:
    key = strip_diacritics(name)
    for pat, full in _ABBREV.items():
        key = re.sub(pat, full, key)
    key = re.sub(r"^(?:giam doc|thu truong|chu tich)\s+", "", " ".join(re.findall(r"\w+", key)))
    return key


def _atoms(facts: Iterable[Fact]) -> dict[tuple[str, str], dict[Any, Fact]]:
    """(doc_id, kind) → {normalised value: first fact that gave it}."""
    out: dict[tuple[str, str], dict[Any, Fact]] = {}

    def put(doc: str, kind: str, value: Any, fact: Fact) -> None:
        out.setdefault((doc, kind), {}).setdefault(value, fact)

    for f in facts:
        if f.kind == "deadline" and f.deadline:
            d = f.deadline
            put(f.doc_id, "deadline", tuple(getattr(d, k) for k in _DEADLINE_FIELDS), f)
        if f.kind in ("task", "deadline"):
            if f.lead:
                put(f.doc_id, "lead", agency_key(f.lead), f)
            for c in f.cooperating:
                put(f.doc_id, "cooperating", agency_key(c), f)
        if f.kind == "amount" and f.amount_vnd is not None:
            put(f.doc_id, "amount", f.amount_vnd, f)
        if f.kind == "target" and f.target_value is not None:
            put(f.doc_id, "target", (float(f.target_value), f.target_year), f)
    return out


def _gold_norm(g: dict) -> Any:
    """The normalised value of a gold fact (from ``normalized`` or parsed from ``value``)."""
    kind, value, norm = g["kind"], str(g.get("value", "")), g.get("normalized") or {}
    if kind == "deadline":
        if norm:
            return {k: norm[k] for k in _DEADLINE_FIELDS if norm.get(k) is not None}
        spans = find_deadlines(value, in_slot=True)
        return (
            {
                k: getattr(spans[0].deadline, k)
                for k in _DEADLINE_FIELDS
                if getattr(spans[0].deadline, k) is not None
            }
            if spans
            else {}
        )
    if kind == "amount":
        if norm.get("vnd") is not None:
            return int(norm["vnd"])
        found = find_amounts(value)
        return found[0].vnd if found else None
    if kind == "target":
        val = norm.get("value")
        if val is None:
            t = find_targets(value)
            val = t[0].value if t else None
        return (float(val) if val is not None else None, norm.get("year"))
    return agency_key(norm.get("agency") or norm.get("name") or value)


def _matches(kind: str, gold: Any, atom: Any) -> bool:
    if gold is None or gold == {}:
        return False
    if kind == "deadline":
        got = dict(zip(_DEADLINE_FIELDS, atom, strict=True))
        return all(got.get(k) == v for k, v in gold.items())
    if kind == "amount":
        return gold == atom
    if kind == "target":
        gv, gy = gold
        av, ay = atom
        return gv is not None and abs(gv - av) < 1e-6 and (gy is None or ay is None or int(gy) == ay)
    return bool(gold) and bool(atom) and (gold in atom or atom in gold)


def evaluate_facts(facts: list[Fact], gold_path: Path) -> dict:
    """Precision, recall and the lists of misses and wrong atoms (see the module docstring)."""
    data = yaml.safe_load(Path(gold_path).read_text(encoding="utf-8")) or {}
    gold = [
        g for g in (data.get("facts", []) if isinstance(data, dict) else data) if g.get("kind") in GOLD_KINDS
    ]
    atoms = _atoms(facts)
    covered = {(g["doc_id"], g["kind"]) for g in gold}
    found_ids, misses = [], []
    per_kind: dict[str, dict[str, int]] = {
        k: {"gold": 0, "found": 0, "atoms": 0, "correct": 0} for k in GOLD_KINDS
    }
    gold_norms = [(g, _gold_norm(g)) for g in gold]
    for g, norm in gold_norms:
        per_kind[g["kind"]]["gold"] += 1
        pool = atoms.get((g["doc_id"], g["kind"]), {})
        if any(_matches(g["kind"], norm, a) for a in pool):
            found_ids.append(g.get("id"))
            per_kind[g["kind"]]["found"] += 1
        else:
            misses.append(
                {
                    "id": g.get("id"),
                    "doc_id": g["doc_id"],
                    "kind": g["kind"],
                    "value": g.get("value"),
                    "task": g.get("task"),
                }
            )
    wrong, unjudged, correct, judged = [], 0, 0, 0
    for (doc, kind), pool in atoms.items():
        if (doc, kind) not in covered:
            unjudged += len(pool)
            continue
        golds = [n for g, n in gold_norms if g["doc_id"] == doc and g["kind"] == kind]
        for atom, fact in pool.items():
            judged += 1
            per_kind[kind]["atoms"] += 1
            if any(_matches(kind, n, atom) for n in golds):
                correct += 1
                per_kind[kind]["correct"] += 1
            else:
                wrong.append(
                    {
                        "doc_id": doc,
                        "kind": kind,
                        "value": repr(atom),
                        "quote": fact.quote[:160],
                        "section": fact.section,
                    }
                )
    return {
        "precision": correct / judged if judged else 0.0,
        "recall": len(found_ids) / len(gold) if gold else 0.0,
        "gold": len(gold),
        "found": len(found_ids),
        "judged_atoms": judged,
        "correct_atoms": correct,
        "unjudged_atoms": unjudged,
        "per_kind": per_kind,
        "misses": misses,
        "wrong": wrong,
        "targets": {"precision": 0.90, "recall": 0.80},
    }
