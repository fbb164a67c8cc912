"""Unit tests of the evaluation metrics, the relevance judge, the summaries and the threshold checks
(hand-made rankings; no index, no model)."""

from __future__ import annotations

import json
import math

import pytest

from evals.beir import load_beir, subset
from evals.domain import QuestionResult, failures, results_json, summarize
from evals.gate import check_beats, check_minimums, domain_checks
from evals.gold import GoldPassage, GoldQuestion, Judge, Unit, smoke_subset
from evals.metrics import (
    bootstrap_ci,
    contains,
    doc_level,
    missing_key_facts,
    mrr_at_k,
    ndcg_at_k,
    norm_text,
    percentile,
    ranking_scores,
    recall_at_k,
    refusal_scores,
)
from evals.report import markdown


# ---------------------------------------------------------------- ranking metrics
def test_mrr_is_inverse_rank_of_first_relevant_within_k():
    assert mrr_at_k(["a", None, None], 10) == 1.0
    assert mrr_at_k([None, None, "a"], 10) == pytest.approx(1 / 3)
    assert mrr_at_k([None] * 10 + ["a"], 10) == 0.0
    assert mrr_at_k([], 10) == 0.0


def test_recall_counts_distinct_relevance_units():
    ranking = [None, "p1", "p1", None, "p2", None]
    assert recall_at_k(ranking, 2, 1) == 0.0
    assert recall_at_k(ranking, 2, 3) == 0.5  # the second chunk of p1 does not count twice
    assert recall_at_k(ranking, 2, 5) == 1.0
    assert recall_at_k(ranking, 0, 5) == 0.0


def test_ndcg_binary_gains_and_ideal():
    assert ndcg_at_k(["a", "b"], 2, 10) == pytest.approx(1.0)
    # one relevant item at rank 2 of one relevant unit: (1/log2(3)) / 1
    assert ndcg_at_k([None, "a"], 1, 10) == pytest.approx(1 / math.log2(3))
    # duplicates of a unit do not push nDCG above 1
    assert ndcg_at_k(["a", "a", "a"], 1, 10) == pytest.approx(1.0)
    # a set of units on one item: one gain, ideal = 1 item
    assert ndcg_at_k([{"a", "b"}], 2, 10, n_ideal=1) == pytest.approx(1.0)
    assert recall_at_k([None, {"a", "b"}, "a"], 2, 2) == 1.0
    assert mrr_at_k([set(), None, {"a"}], 10) == pytest.approx(1 / 3)
    # two units, only the second found at rank 3
    expected = (1 / math.log2(4)) / (1 + 1 / math.log2(3))
    assert ndcg_at_k([None, None, "b"], 2, 10) == pytest.approx(expected)
    assert ndcg_at_k([None] * 10 + ["a"], 1, 10) == 0.0


def test_ranking_scores_keys_and_values():
    s = ranking_scores([None, "x"], 1)
    assert s == {
        "recall@1": 0.0,
        "recall@5": 1.0,
        "recall@10": 1.0,
        "mrr@10": 0.5,
        "ndcg@10": pytest.approx(1 / math.log2(3)),
    }


def test_doc_level_rank_is_best_chunk():
    assert doc_level(["d2", "d1", "d2", "d3", "d1"]) == ["d2", "d1", "d3"]


def test_refusal_scores():
    pairs = [(True, False), (True, True), (False, False), (False, True), (True, False)]
    r = refusal_scores(pairs)
    assert (r["tp"], r["fp"], r["fn"]) == (2, 1, 1)
    assert r["precision"] == pytest.approx(2 / 3) and r["recall"] == pytest.approx(2 / 3)
    assert r["f1"] == pytest.approx(2 / 3)
    assert refusal_scores([(False, True)])["f1"] == 0.0


def test_percentile_interpolates():
    assert percentile([], 50) == 0.0
    assert percentile([5.0], 95) == 5.0
    assert percentile([1, 2, 3, 4], 50) == pytest.approx(2.5)
    assert percentile(list(range(101)), 95) == pytest.approx(95)


# ---------------------------------------------------------------- text matching
def test_bootstrap_ci_brackets_the_mean_and_narrows_with_more_questions():
    mean = lambda xs: sum(xs) / len(xs)  # noqa: E731
    few = [1.0] * 7 + [0.0] * 3
    many = few * 20
    lo, hi = bootstrap_ci(few, mean)
    assert lo < 0.7 < hi and 0.0 <= lo and hi <= 1.0
    lo2, hi2 = bootstrap_ci(many, mean)
    assert lo2 < 0.7 < hi2 and (hi2 - lo2) < (hi - lo) / 2  # ~1/sqrt(20) as wide
    assert bootstrap_ci(few, mean) == (lo, hi)  # seeded: a rerun gives the same interval
    assert bootstrap_ci([1.0] * 5, mean) == (1.0, 1.0)
    assert bootstrap_ci([], mean) is None


def test_norm_text_nfc_whitespace_case_and_tone_placement():
    nfd = "Ho\u0300a"  # NFD "Hòa"
    assert norm_text(f"  Khánh   {nfd}\n") == norm_text("khánh hòa")
    assert contains("Tỉnh Khánh Hoà, trước ngày 15/11  hàng năm", "khánh hòa")
    assert contains("trước ngày 15/11\nhàng năm", "15/11 HÀNG NĂM")
    assert not contains("15/11", "")
    assert not contains("15/10 hằng năm", "15/11")


def test_missing_key_facts():
    assert missing_key_facts("Hạn là trước ngày 15/11 hàng năm.", ["15/11"]) == []
    assert missing_key_facts(
        "Sở Khoa học và Công nghệ chủ trì.", ["Sở KH&CN", "Sở Khoa học và Công nghệ"]
    ) == ["Sở KH&CN"]


# ---------------------------------------------------------------- judge
Q = GoldQuestion(
    id="q1",
    question="?",
    category="deadline",
    style="normal",
    answerable=True,
    gold=(
        GoldPassage("kh-a", "IV > 4", "trước ngày 15/11 hàng năm"),
        GoldPassage(
            "qd-19",
            "Điều 12",
            "Định kỳ tháng 12 hằng năm hoặc đột xuất khi có yêu cầu, "
            "báo cáo Bộ Khoa học và Công nghệ về tình hình xây dựng",
        ),
    ),
    key_facts=("15/11",),
)


def test_judge_needs_gold_document_and_quote():
    universe = [
        Unit(frozenset({"kh-a"}), "… gửi trước ngày 15/11 hàng năm …"),
        Unit(frozenset({"kh-b"}), "… gửi trước ngày 15/11 hàng năm …"),
        Unit(frozenset({"qd-19"}), "6. Định kỳ tháng 12 hằng năm hoặc đột xuất khi có yêu cầu, báo cáo"),
        Unit(frozenset({"qd-19"}), "Bộ Khoa học và Công nghệ về tình hình xây dựng và áp dụng"),
    ]
    judge = Judge([Q], universe)
    assert judge.relevant(Q, universe[0]) == {0}
    assert judge.relevant(Q, universe[1]) == set()  # right text, wrong document
    # the qd-19 quote straddles two chunks: each half is judged by the quote's head / tail
    assert judge.split_quotes() == ["q1 passage 2"]
    assert judge.relevant(Q, universe[2]) == {1}
    assert judge.relevant(Q, universe[3]) == {1}
    assert judge.relevant(Q, Unit(frozenset({"qd-19"}), "Điều 13. Khác")) == set()
    assert judge.ideal["q1"] == 2


def test_one_chunk_holding_two_gold_passages_gets_full_credit():
    q = GoldQuestion(
        id="q2",
        question="?",
        category="process",
        style="normal",
        answerable=True,
        gold=(
            GoldPassage("qd-19", "", "1. Xây dựng"),
            GoldPassage("qd-19", "", "2. Áp dụng"),
            GoldPassage("qd-19", "", "4. Duy trì"),
        ),
    )
    both = Unit(frozenset({"qd-19"}), "1. Xây dựng … 2. Áp dụng …")
    last = Unit(frozenset({"qd-19"}), "4. Duy trì, cải tiến")
    judge = Judge([q], [both, last, Unit(frozenset({"qd-19"}), "Điều 5")])
    assert judge.ideal["q2"] == 2
    rel = judge.relevance(q, [both, last])
    scores = ranking_scores(rel, 3, judge.ideal["q2"])
    assert scores["recall@1"] == pytest.approx(2 / 3) and scores["recall@5"] == 1.0
    assert scores["ndcg@10"] == pytest.approx(1.0)
    assert ranking_scores(judge.relevance(q, [last, both]), 3, 2)["ndcg@10"] == pytest.approx(1.0)


def test_judge_accepts_catalog_alias_of_a_copy():
    copy = Unit(frozenset({"kh-a-doc", "kh-a"}), "Trước ngày 15/11 hàng năm")
    assert Judge([Q], [copy]).relevant(Q, copy) == {0}


def test_smoke_subset_is_stratified_and_deterministic():
    qs = [
        GoldQuestion(id=f"{c}-{i}", question="?", category=c, style=s, answerable=True)
        for c in ("a", "b")
        for i, s in enumerate(["normal"] * 8 + ["no_diacritics"])
    ]
    sub = smoke_subset(qs, per_category=3)
    assert [q.id for q in sub] == [q.id for q in smoke_subset(qs, per_category=3)]
    assert len(sub) == 6
    for c in ("a", "b"):
        styles = {q.style for q in sub if q.category == c}
        assert styles == {"normal", "no_diacritics"}


# ---------------------------------------------------------------- summaries, failures, checks
def _result(qid, answerable, refused, rel, key_missing=(), citations=(), warnings=(), expect_warning=False):
    r = QuestionResult(
        id=qid,
        category="deadline",
        style="normal",
        answerable=answerable,
        refused=refused,
        key_missing=list(key_missing),
        citations=list(citations),
        warnings=list(warnings),
        expect_warning=expect_warning,
        route="passages",
        timings_ms={"retrieval": 10.0, "composition": 2.0, "total": 12.0},
        wall_ms=12.0,
    )
    if answerable:
        r.relevance = list(rel)
        r.scores = ranking_scores(rel, 1)
    return r


def test_summarize_system_metrics():
    ok = {"label": "x", "quote": "q", "correct": True}
    bad = {"label": "y", "quote": "q", "correct": False}
    results = [
        _result(
            "a", True, False, [0], citations=[ok, bad], warnings=["merged_province"], expect_warning=True
        ),
        _result("b", True, False, [None, 0], key_missing=["15/11"], citations=[ok]),
        _result("c", True, True, [None, None]),
        _result("d", False, True, []),
        _result("e", False, False, []),
    ]
    m = summarize(results, system=True)
    assert m["answerable"] == 3
    assert m["mrr@10"] == pytest.approx((1 + 0.5 + 0) / 3)
    assert m["recall@1"] == pytest.approx(1 / 3)
    assert m["key_fact_accuracy"] == pytest.approx(1 / 3)  # b misses a fact, c refused
    assert m["citation_precision"] == pytest.approx(2 / 3)  # refused c has no citations anyway
    assert m["refusal_precision"] == 0.5 and m["refusal_recall"] == 0.5
    assert m["warning_accuracy"] == 1.0  # a warned as expected; b not warned, not expected
    assert m["retrieval_ms_p50"] == 10.0
    baseline = summarize(results, system=False)
    assert "citation_precision" not in baseline and baseline["mrr@10"] == m["mrr@10"]
    ci = m["ci95"]
    assert set(ci) == {"recall@5", "mrr@10", "key_fact_accuracy", "citation_precision", "refusal_f1"}
    for key in ci:
        assert ci[key][0] <= m[key] <= ci[key][1], key
    assert set(baseline["ci95"]) == {"recall@5", "mrr@10", "key_fact_accuracy"}


def test_failures_list_expected_and_got():
    q_ok = GoldQuestion(
        id="a",
        question="?",
        category="deadline",
        style="normal",
        answerable=True,
        gold=(GoldPassage("kh-a", "", "15/11"),),
        key_facts=("15/11",),
    )
    q_un = GoldQuestion(
        id="u", question="Quảng Ninh?", category="unanswerable", style="normal", answerable=False
    )
    good = _result("a", True, False, [0])
    wrong = _result("u", False, False, [])
    wrong.answer = "Theo …"
    out = failures([good, wrong], [q_ok, q_un])
    assert [f["id"] for f in out] == ["u"]
    assert "phải từ chối" in out[0]["problems"][0]
    missed = _result("a", True, False, [None] * 6, key_missing=["15/11"])
    f = failures([missed], [q_ok])[0]
    assert any("truy hồi" in p for p in f["problems"]) and any("15/11" in p for p in f["problems"])
    assert f["expected"]["key_facts"] == ["15/11"]


def test_threshold_checks():
    checks = check_minimums({"mrr@10": 0.9, "recall@5": 0.5}, {"mrr@10": 0.85, "recall@5": 0.95, "x": 0.1})
    assert [c.passed for c in checks] == [True, False, False]
    beats = check_beats({"mrr@10": 0.7}, {"bm25": {"mrr@10": 0.6}, "dense": {"mrr@10": 0.7}}, ["mrr@10"])
    assert [c.passed for c in beats] == [True, False]  # a tie is not a win
    section = {"system": {"mrr@10": 0.9}, "baselines": {"bm25": {"mrr@10": 0.95}}}
    th = {"targets": {"domain": {"mrr@10": 0.85}, "beats_baselines": ["mrr@10"]}}
    assert [c.passed for c in domain_checks(section, th, smoke=False)] == [True, False]


# ---------------------------------------------------------------- BEIR loading, report rendering
def test_load_beir_and_subset(tmp_path):
    corpus = [
        {"_id": f"L|{i}", "title": "Luật A" if i < 3 else "Luật B", "text": f"Điều {i}"} for i in range(6)
    ]
    (tmp_path / "corpus.jsonl").write_text(
        "\n".join(json.dumps(c, ensure_ascii=False) for c in corpus), encoding="utf-8"
    )
    (tmp_path / "queries.jsonl").write_text(
        '{"_id": "q1", "text": "một"}\n{"_id": "q2", "text": "hai"}\n{"_id": "q3", "text": "không nhãn"}\n',
        encoding="utf-8",
    )
    (tmp_path / "qrels.tsv").write_text(
        "query-id\tcorpus-id\tscore\nq1\tL|1\t1\nq2\tL|4\t1\nq2\tL|5\t0\n", encoding="utf-8"
    )
    data = load_beir(tmp_path)
    assert set(data.queries) == {"q1", "q2"}  # a query without a positive qrel is dropped
    assert data.qrels["q2"] == {"L|4": 1}
    small = subset(data, 5, 3)
    assert list(small.corpus) == ["L|0", "L|1", "L|2"]  # a prefix of the corpus
    assert list(small.queries) == ["q1"]  # q2's article lies outside it
    assert list(subset(data, 5, 6).queries) == ["q1", "q2"]
    assert list(subset(data, 1, 6).queries) == ["q1"]


def test_markdown_report_states_checks_and_failures():
    report = {
        "started": "2026-01-01T00:00:00+07:00",
        "finished": "2026-01-01T00:01:00+07:00",
        "suite": "domain",
        "smoke": True,
        "passed": False,
        "commit": "abc1234",
        "durations_s": {"total": 60.0},
        "machine": {
            "host": "h",
            "os": "Linux",
            "cpus": 2,
            "cpu": "x86_64",
            "memory": "4 GiB",
            "python": "3.11",
        },
        "checks": [{"name": "domain mrr@10", "value": 0.5, "target": 0.85, "passed": False, "detail": ""}],
        "domain": {
            "gold": "evals/gold/domain_v1.yaml",
            "smoke": True,
            "n_questions": 1,
            "durations_s": {"system": 1.0},
            "system": summarize([_result("a", True, False, [None, 0])]),
            "results": results_json([_result("a", True, False, [None, 0])]),
            "baselines": {},
            "by_category": {},
            "by_style": {},
            "split_quotes": [],
            "failures": [
                {
                    "id": "dl-001",
                    "category": "deadline",
                    "style": "normal",
                    "question": "Hạn?",
                    "history": [],
                    "problems": ["thiếu dữ kiện: 15/11"],
                    "expected": {
                        "answerable": True,
                        "key_facts": ["15/11"],
                        "expect_warning": False,
                        "gold": ["kh-a › IV: 15/11"],
                    },
                    "got": {
                        "refused": False,
                        "route": "passages",
                        "first_relevant_rank": 2,
                        "top3": ["kh-b › I"],
                        "answer": "Không rõ",
                        "warnings": [],
                        "citations": [],
                    },
                }
            ],
        },
    }
    md = markdown(report)
    assert "Hệ thống" in md and "một bộ câu hỏi khác cùng cỡ" in md  # the intervals are explained
    assert "held-out" not in md
    held = dict(report["domain"], gold="evals/gold/holdout_v9.yaml")
    from evals.domain import pooled_summary

    pooled = pooled_summary([held, held])
    assert pooled["questions"] == 2 * held["system"]["questions"]
    assert pooled["mrr@10"] == pytest.approx(held["system"]["mrr@10"])
    md_held = markdown(dict(report, held_out=[held], held_out_pooled=pooled))
    assert "**mọi bộ giữ lại** | 2 |" in md_held
    section = md_held[md_held.index("## Bộ câu hỏi giữ lại") :]
    assert "`domain_v1.yaml`" in section and "`holdout_v9.yaml`" in section
    assert "`holdout_v9.yaml`: 1 câu có lỗi: dl-001" in section
    assert "Commit: `abc1234`" in md and "KHÔNG ĐẠT" in md and "≥ 0.85" in md
    assert "**dl-001**" in md and "thiếu dữ kiện: 15/11" in md and "kh-b › I" in md
