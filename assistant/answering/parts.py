"""The parts of a several-part question and the sentences that answer them (pure): which sentence answers a
part, and which sentences a list answer still needs for the parts its list leaves unanswered."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from .terms import Part, coverage

if TYPE_CHECKING:
    from .composer import Candidate

PART_COVERED = 0.6  # a part whose own terms the chosen sentences cover this much is answered
PART_MIN_SCORE = 0.5  # × the best score: a sentence that answers a part must still be about the question


def best_for_part(part: Part, pool: Sequence[Candidate], idf: Mapping[str, float]) -> Candidate | None:
    """The sentence of ``pool`` that answers a part of the question: it has most of the part's own words and
    of all its words (at least ``PART_COVERED`` of each), the most of all its words first."""
    fit = [((coverage(part.terms, c.text, idf), coverage(part.own, c.text, idf)), c) for c in pool]
    fit = [(v, c) for v, c in fit if min(v) >= PART_COVERED]
    return max(fit, key=lambda vc: (vc[0], vc[1].score))[1] if fit else None


def answers_to_parts(
    best: Candidate,
    end: int,
    others: Sequence[Candidate],
    parts: Sequence[Part],
    said: str,
    idf: Mapping[str, float],
) -> list[Candidate]:
    """For each part of the question that ``said`` (a list answer from ``best`` to ``end``) leaves unanswered,
    the sentence of the same passage, outside the list and still about the question, that answers it."""
    pool = [
        x
        for x in others
        if x.hit_index == best.hit_index
        and (x.end <= best.start or x.start >= end)
        and x.score >= PART_MIN_SCORE * best.score
    ]
    out: list[Candidate] = []
    for part in parts:
        if min(coverage(part.own, said, idf), coverage(part.terms, said, idf)) < PART_COVERED:
            x = best_for_part(part, pool, idf)
            if x is not None:
                out.append(x)
                said += " " + x.text
    return out
