"""Pure metric functions (no index, no model): ranking metrics, text matching, refusal scores, percentiles.

Ranking metrics take ``relevance``: for each ranked item (best first), what it satisfies — ``None`` (not
relevant), the id of one *relevance unit* (a gold passage, a gold document) or a set of ids (one chunk can
hold two gold passages). An item is credited only with units not already credited higher in the ranking, so
two chunks of one passage are not counted twice and nDCG stays ≤ 1. ``n_relevant`` is the number of
relevance units of the query; ``n_ideal`` (default ``n_relevant``) the fewest items that can hold them all.
"""

from __future__ import annotations

import math
import random
import re
from collections.abc import Callable, Hashable, Iterable, Sequence

from assistant.domain.vntext import fold, nfc

Rel = Hashable | Iterable[Hashable] | None

_WS = re.compile(r"\s+")


def norm_text(text: str) -> str:
    """NFC + whitespace collapse + case fold (with one tone-mark placement: hoà = hòa)."""
    return _WS.sub(" ", fold(nfc(text or ""))).strip()


def contains(haystack: str, needle: str) -> bool:
    """``needle`` occurs in ``haystack`` after :func:`norm_text` on both (an empty needle never matches)."""
    n = norm_text(needle)
    return bool(n) and n in norm_text(haystack)


def _units(r: Rel) -> frozenset:
    if r is None:
        return frozenset()
    if isinstance(r, (set, frozenset, list, tuple)):
        return frozenset(r)
    return frozenset({r})


def _new_units(relevance: Sequence[Rel]) -> list[frozenset]:
    """For each item, the units it is the first to satisfy."""
    seen: set = set()
    out: list[frozenset] = []
    for r in relevance:
        new = _units(r) - seen
        seen |= new
        out.append(new)
    return out


def recall_at_k(relevance: Sequence[Rel], n_relevant: int, k: int) -> float:
    """Share of the relevance units found in the first ``k`` items."""
    if n_relevant <= 0:
        return 0.0
    found = sum(len(u) for u in _new_units(relevance)[:k])
    return min(found, n_relevant) / n_relevant


def mrr_at_k(relevance: Sequence[Rel], k: int = 10) -> float:
    """1 / rank of the first relevant item within the first ``k``; 0 when none."""
    rank = first_rank(relevance[:k])
    return 1.0 / rank if rank else 0.0


def ndcg_at_k(relevance: Sequence[Rel], n_relevant: int, k: int = 10, n_ideal: int | None = None) -> float:
    """Binary-gain nDCG@k: gain 1 for an item that brings a new unit; the ideal ranking puts
    ``min(n_ideal, k)`` such items first (``n_ideal`` defaults to ``n_relevant``)."""
    if n_relevant <= 0:
        return 0.0
    ideal = min(n_ideal if n_ideal else n_relevant, k)
    dcg = sum(1.0 / math.log2(i + 2) for i, u in enumerate(_new_units(relevance)[:k]) if u)
    idcg = sum(1.0 / math.log2(i + 2) for i in range(ideal))
    return min(dcg / idcg, 1.0)


def first_rank(relevance: Sequence[Rel]) -> int | None:
    """1-based rank of the first relevant item, or ``None``."""
    for i, r in enumerate(relevance):
        if _units(r):
            return i + 1
    return None


def ranking_scores(relevance: Sequence[Rel], n_relevant: int, n_ideal: int | None = None) -> dict[str, float]:
    """The per-query scores every report uses."""
    return {
        "recall@1": recall_at_k(relevance, n_relevant, 1),
        "recall@5": recall_at_k(relevance, n_relevant, 5),
        "recall@10": recall_at_k(relevance, n_relevant, 10),
        "mrr@10": mrr_at_k(relevance, 10),
        "ndcg@10": ndcg_at_k(relevance, n_relevant, 10, n_ideal),
    }


def mean_scores(rows: Iterable[dict[str, float]]) -> dict[str, float]:
    """Key-wise mean of per-query score dicts (keys of the first row)."""
    rows = list(rows)
    if not rows:
        return {}
    return {k: sum(r[k] for r in rows) / len(rows) for k in rows[0]}


def doc_level(ranked_doc_ids: Sequence[str]) -> list[str]:
    """Documents in the order of their best chunk (a document's rank = its best chunk's rank)."""
    return list(dict.fromkeys(ranked_doc_ids))


def prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": p, "recall": r, "f1": f}


def refusal_scores(pairs: Iterable[tuple[bool, bool]]) -> dict[str, float]:
    """``pairs`` of (refused, answerable). Positive class = refused; correct when the question is unanswerable."""
    tp = fp = fn = 0
    for refused, answerable in pairs:
        if refused and not answerable:
            tp += 1
        elif refused and answerable:
            fp += 1
        elif not refused and not answerable:
            fn += 1
    return {**prf(tp, fp, fn), "tp": tp, "fp": fp, "fn": fn}


def percentile(values: Sequence[float], q: float) -> float:
    """Linear-interpolated percentile (``q`` in 0..100); 0.0 for no values."""
    xs = sorted(values)
    if not xs:
        return 0.0
    pos = (len(xs) - 1) * q / 100.0
    lo, hi = math.floor(pos), math.ceil(pos)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


def missing_key_facts(text: str, key_facts: Sequence[str]) -> list[str]:
    """The key facts missing from ``text`` (normalised containment); empty list = all present."""
    return [kf for kf in key_facts if not contains(text, kf)]


def bootstrap_ci(
    items: Sequence,
    statistic: Callable[[Sequence], float],
    *,
    resamples: int = 1000,
    level: float = 0.95,
    seed: int = 9001,
) -> tuple[float, float] | None:
    """Percentile bootstrap interval of ``statistic`` over ``items`` (resampled with replacement).

    It bounds the metric's value over all questions drawn like these (95%): "0.84 (0.80–0.88)", not "0.84".
    One more set of the same size scatters around that value too, about √2 times as wide, so read an
    independent check against the interval widened by that much. Seeded, so a rerun gives the same
    interval. ``None`` for no items."""
    items = list(items)
    if not items:
        return None
    rng = random.Random(seed)
    n = len(items)
    stats = sorted(statistic([items[rng.randrange(n)] for _ in range(n)]) for _ in range(resamples))
    tail = (1.0 - level) / 2.0
    return (percentile(stats, 100 * tail), percentile(stats, 100 * (1.0 - tail)))
