"""Integrity of the evaluation gold sets (``evals/gold/domain_v1.yaml``, the held-out
``evals/gold/holdout_v1.yaml`` / ``holdout_v2.yaml`` / ``holdout_v3.yaml`` / ``holdout_v4.yaml`` /
``holdout_v5.yaml`` / ``holdout_v6.yaml`` / ``holdout_v7.yaml`` / ``holdout_v8.yaml`` / ``holdout_v9.yaml``
and ``evals/gold/facts_v1.yaml``).

Fast and index-free: every quote is looked up in the source document itself (the seed plans in
``knowledge/documents`` and the legal texts in ``../shared/corpus/legal``), so a typo in a gold quote, a
key fact that is not in its quote or a wrong document id fails here, not in an evaluation run.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import cache
from pathlib import Path

import pytest
import yaml
from sources import DOC_FILES, SEEDS, document_text, norm

REPO = Path(__file__).resolve().parents[1]
GOLD = REPO / "evals" / "gold"
SEED_IDS = {k for k, v in DOC_FILES.items() if v.parent == SEEDS}

CATEGORIES = {
    "deadline",
    "agency",
    "budget",
    "legal_basis",
    "count_target",
    "process",
    "transition",
    "restructuring",
    "onboarding",
    "unanswerable",
}
STYLES = {"normal", "no_diacritics", "abbreviation", "loose_number", "followup"}
FACT_KINDS = {"deadline", "lead", "cooperating", "amount", "target"}
FACT_MINIMUMS = {"deadline": 20, "lead": 20, "cooperating": 10, "amount": 1, "target": 5}


def fold(text: str) -> str:
    return norm(text).casefold()


@cache
def _load(name: str) -> dict:
    data = yaml.safe_load((GOLD / name).read_text(encoding="utf-8"))
    assert isinstance(data, dict) and data.get("version") == 1, f"{name}: version 1 mapping expected"
    return data


QUESTION_FILES = (
    "domain_v1.yaml",
    "holdout_v1.yaml",
    "holdout_v2.yaml",
    "holdout_v3.yaml",
    "holdout_v4.yaml",
    "holdout_v5.yaml",
    "holdout_v6.yaml",
    "holdout_v7.yaml",
    "holdout_v8.yaml",
    "holdout_v9.yaml",
    "holdout_v10.yaml",
    "holdout_v11.yaml",
    "holdout_v12.yaml",
    "holdout_v13.yaml",
    "holdout_v14.yaml",
    "holdout_v15.yaml",
)
each_file = pytest.mark.parametrize("name", QUESTION_FILES)


def questions(name: str = "domain_v1.yaml") -> list[dict]:
    return _load(name)["questions"]


def facts() -> list[dict]:
    return _load("facts_v1.yaml")["facts"]


def _missing_sources() -> list[str]:
    return [str(p) for p in DOC_FILES.values() if not p.exists()]


needs_sources = pytest.mark.skipif(
    bool(_missing_sources()), reason=f"source documents missing: {_missing_sources()}"
)


# --------------------------------------------------------------------------- domain questions


@each_file
def test_questions_have_required_fields_and_known_values(name):
    required = {
        "id",
        "question",
        "history",
        "category",
        "style",
        "answerable",
        "gold",
        "key_facts",
        "expect_warning",
        "notes",
    }
    problems = []
    for q in questions(name):
        qid = q.get("id", "?")
        if missing := required - q.keys():
            problems.append(f"{qid}: missing {sorted(missing)}")
            continue
        if not isinstance(q["question"], str) or not q["question"].strip():
            problems.append(f"{qid}: empty question")
        if q["question"] != unicodedata.normalize("NFC", q["question"]):
            problems.append(f"{qid}: question not NFC")
        if q["category"] not in CATEGORIES:
            problems.append(f"{qid}: category {q['category']!r}")
        if q["style"] not in STYLES:
            problems.append(f"{qid}: style {q['style']!r}")
        if not isinstance(q["history"], list) or not all(isinstance(h, str) for h in q["history"]):
            problems.append(f"{qid}: history must be a list of strings")
        if (q["style"] == "followup") != bool(q["history"]):
            problems.append(f"{qid}: followup style and non-empty history go together")
        if not isinstance(q["answerable"], bool) or not isinstance(q["expect_warning"], bool):
            problems.append(f"{qid}: answerable/expect_warning must be booleans")
        if q["answerable"]:
            if q["category"] == "unanswerable":
                problems.append(f"{qid}: answerable question in category unanswerable")
            if not q["gold"]:
                problems.append(f"{qid}: answerable without gold passages")
            if not 1 <= len(q["key_facts"]) <= 3:
                problems.append(f"{qid}: 1-3 key facts expected, got {len(q['key_facts'])}")
        else:
            if q["category"] != "unanswerable" or q["gold"] or q["key_facts"]:
                problems.append(f"{qid}: unanswerable needs category unanswerable, no gold, no key facts")
            if q["expect_warning"]:
                problems.append(f"{qid}: unanswerable questions expect no currency warning")
        for g in q["gold"] or []:
            if set(g) != {"doc_id", "section", "quote"}:
                problems.append(f"{qid}: gold keys {sorted(g)}")
            elif g["doc_id"] not in DOC_FILES:
                problems.append(f"{qid}: unknown doc_id {g['doc_id']!r}")
            elif not isinstance(g["section"], str) or not str(g["quote"]).strip():
                problems.append(f"{qid}: gold section must be a string and quote non-empty")
    assert not problems, "\n".join(problems)


@each_file
def test_question_ids_are_unique_and_prefixed(name):
    ids = [q["id"] for q in questions(name)]
    dupes = [i for i, n in Counter(ids).items() if n > 1]
    assert not dupes, f"duplicate ids: {dupes}"
    assert all(re.fullmatch(r"[a-z]{2}-\d{3}", i) for i in ids), [
        i for i in ids if not re.fullmatch(r"[a-z]{2}-\d{3}", i)
    ]
    texts = Counter(fold(q["question"]) + "|" + "|".join(q["history"]) for q in questions(name))
    assert not [t for t, n in texts.items() if n > 1], "the same question (with the same history) twice"


def test_the_held_out_set_asks_new_questions():
    """The held-out sets were written after domain_v1, from the documents, and are never used for tuning."""
    seen = {fold(q["question"]) + "|" + "|".join(q["history"]) for q in questions("domain_v1.yaml")}
    for name, prefix in (
        ("holdout_v1.yaml", "ho-"),
        ("holdout_v2.yaml", "hv-"),
        ("holdout_v3.yaml", "hx-"),
        ("holdout_v4.yaml", "hy-"),
        ("holdout_v5.yaml", "hz-"),
        ("holdout_v6.yaml", "hw-"),
        ("holdout_v7.yaml", "hq-"),
        ("holdout_v8.yaml", "hp-"),
        ("holdout_v9.yaml", "hr-"),
        ("holdout_v10.yaml", "hs-"),
        ("holdout_v11.yaml", "ht-"),
        ("holdout_v12.yaml", "hu-"),
        ("holdout_v13.yaml", "hk-"),
        ("holdout_v14.yaml", "hm-"),
        ("holdout_v15.yaml", "hn-"),
    ):
        held = questions(name)
        assert len(held) >= 50 and all(q["id"].startswith(prefix) for q in held)
        assert not [q["id"] for q in held if fold(q["question"]) + "|" + "|".join(q["history"]) in seen]
        seen |= {fold(q["question"]) + "|" + "|".join(q["history"]) for q in held}


def test_question_set_size_and_mix():
    qs = questions()
    n = len(qs)
    assert n >= 150, n
    unanswerable = sum(not q["answerable"] for q in qs)
    assert unanswerable / n >= 0.15, f"{unanswerable}/{n} unanswerable"
    non_normal = sum(q["style"] != "normal" for q in qs)
    assert non_normal / n >= 0.20, f"{non_normal}/{n} not in normal style"
    # every category used, every source document used as gold
    assert {q["category"] for q in qs} == CATEGORIES
    used = {g["doc_id"] for q in qs for g in q["gold"]}
    assert set(DOC_FILES) <= used, f"documents without questions: {set(DOC_FILES) - used}"
    assert {q["style"] for q in qs} == STYLES


@each_file
def test_merged_province_plans_expect_a_warning(name):
    """Đồng Nai, Ninh Thuận and Tiền Giang merged in 2025; Nghệ An's plan is ISO 9001:2008 and ended in 2013."""
    outdated = {"kh-dong-nai-2019", "kh-ninh-thuan-2022", "kh-tien-giang-2008", "qd-37-2012-nghe-an"}
    wrong = [
        q["id"]
        for q in questions(name)
        if q["gold"] and all(g["doc_id"] in outdated for g in q["gold"]) and not q["expect_warning"]
    ]
    assert not wrong, f"gold only from outdated plans but no warning expected: {wrong}"


@needs_sources
@each_file
def test_every_gold_quote_is_verbatim_in_its_document(name):
    problems = []
    for q in questions(name):
        for g in q["gold"]:
            if norm(str(g["quote"])) not in document_text(g["doc_id"]):
                problems.append(f"{q['id']}: not in {g['doc_id']}: {g['quote'][:90]!r}")
    assert not problems, "\n".join(problems)


@each_file
def test_every_key_fact_is_inside_a_gold_quote(name):
    problems = []
    for q in questions(name):
        quotes = [fold(str(g["quote"])) for g in q["gold"]]
        for fact in q["key_facts"]:
            if not str(fact).strip() or not any(fold(str(fact)) in quote for quote in quotes):
                problems.append(f"{q['id']}: key fact {fact!r} not in its gold quotes")
    assert not problems, "\n".join(problems)


# --------------------------------------------------------------------------- structured facts


def test_facts_have_required_fields_unique_ids_and_minimums():
    fs = facts()
    assert len(fs) >= 60, len(fs)
    ids = [f.get("id") for f in fs]
    assert len(ids) == len(set(ids)), [i for i, n in Counter(ids).items() if n > 1]
    problems = []
    for f in fs:
        fid = f.get("id", "?")
        if missing := {"id", "doc_id", "kind", "value", "normalized", "task", "quote"} - f.keys():
            problems.append(f"{fid}: missing {sorted(missing)}")
            continue
        if f["doc_id"] not in SEED_IDS:
            problems.append(f"{fid}: facts come from the five seed plans, not {f['doc_id']!r}")
        if f["kind"] not in FACT_KINDS:
            problems.append(f"{fid}: kind {f['kind']!r}")
        if not isinstance(f["normalized"], dict) or not f["normalized"]:
            problems.append(f"{fid}: normalized must be a non-empty mapping")
        elif f["kind"] == "amount" and not isinstance(f["normalized"].get("vnd"), int):
            problems.append(f"{fid}: amount needs an integer normalized.vnd")
        elif f["kind"] in ("lead", "cooperating") and not f["normalized"].get("agency"):
            problems.append(f"{fid}: {f['kind']} needs normalized.agency")
        elif f["kind"] == "target" and f["normalized"].get("value") is None:
            problems.append(f"{fid}: target needs normalized.value")
        elif f["kind"] == "deadline" and not (
            {"day", "month", "quarter", "year"} & {k for k, v in f["normalized"].items() if v is not None}
        ):
            problems.append(f"{fid}: deadline needs at least one of day/month/quarter/year")
        if not str(f["task"]).strip():
            problems.append(f"{fid}: empty task")
        if fold(str(f["value"])) not in fold(str(f["quote"])):
            problems.append(f"{fid}: value {f['value']!r} not inside its quote")
    assert not problems, "\n".join(problems)
    kinds = Counter(f["kind"] for f in fs)
    short = {k: (kinds[k], m) for k, m in FACT_MINIMUMS.items() if kinds[k] < m}
    assert not short, f"kind: (have, need) {short}"


@needs_sources
def test_every_fact_quote_is_verbatim_in_its_plan():
    problems = [
        f"{f['id']}: not in {f['doc_id']}: {f['quote'][:90]!r}"
        for f in facts()
        if norm(str(f["quote"])) not in document_text(f["doc_id"])
    ]
    assert not problems, "\n".join(problems)


@needs_sources
def test_every_vnd_amount_in_the_seeds_is_labelled():
    """The gold is exhaustive for amounts: each ``N.NNN.NNN đồng`` in a seed has an amount fact."""
    labelled = {(f["doc_id"], f["normalized"]["vnd"]) for f in facts() if f["kind"] == "amount"}
    in_text = {
        (doc_id, int(m.group(1).replace(".", "")))
        for doc_id in SEED_IDS
        for m in re.finditer(r"(\d{1,3}(?:\.\d{3})+)\s*đồng", document_text(doc_id))
    }
    assert in_text, "expected at least one amount in the seed plans"
    assert in_text <= labelled, f"amounts without a gold fact: {in_text - labelled}"
