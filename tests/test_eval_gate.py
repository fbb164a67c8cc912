"""CI gate: the smoke domain suite on the session index must meet the smoke thresholds of
``evals/thresholds.yaml`` — and the same gate must fail when retrieval is deliberately broken."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from evals.gate import domain_checks, load_thresholds
from evals.run import evaluate_domain


def _gate(assistant) -> tuple[list, dict]:
    section = evaluate_domain(assistant, smoke=True, baselines=["bm25-syllable"], with_facts=False)
    return domain_checks(section, load_thresholds(), smoke=True), section


def test_smoke_domain_suite_meets_thresholds(assistant):
    checks, section = _gate(assistant)
    assert section["n_questions"] >= 40 and section["system"]["errors"] == 0
    failed = [c.line() for c in checks if not c.passed]
    worst = [f"{f['id']}: {'; '.join(f['problems'])}" for f in section["failures"][:15]]
    assert not failed, "\n".join(["Cổng đánh giá smoke không đạt:", *failed, "Một số câu lỗi:", *worst])


class _ReversedRetriever:
    """Wraps the real retriever and returns its candidates worst first (a deliberate regression)."""

    def __init__(self, inner) -> None:
        self._inner = inner

    def __getattr__(self, name):
        return getattr(self._inner, name)

    def retrieve(self, question, k=None, filters=None, history=None, analysis=None):
        k = k or self._inner.settings.k
        r = self._inner.retrieve(question, k=50, filters=filters, history=history, analysis=analysis)
        return dataclasses.replace(r, hits=list(reversed(r.hits))[:k])


@pytest.fixture(scope="module")
def broken_assistant(assistant):
    from assistant.answering.service import AnsweringService
    from assistant.service import Assistant

    broken = _ReversedRetriever(assistant.retriever)
    a = assistant.answering
    answering = AnsweringService(
        retriever=broken,
        composer=a.composer,
        currency=a.currency,
        settings=a.settings,
        llm=None,
        prompts_dir=a.prompts_dir,
        facts=a.facts,
    )
    return Assistant(
        settings=assistant.settings,
        catalog=assistant.catalog,
        reader=assistant.reader,
        retriever=broken,
        answering=answering,
        currency=assistant.currency,
        indexer_factory=assistant._indexer_factory,
        drafter_factory=assistant._drafter_factory,
        onboarding_factory=assistant._onboarding_factory,
    )


def test_gate_fails_when_retrieval_is_broken(broken_assistant):
    checks, section = _gate(broken_assistant)
    by_name = {c.name: c for c in checks}
    assert not by_name["domain mrr@10"].passed
    assert not by_name["domain recall@5"].passed
    assert not all(c.passed for c in checks)
    # the failure list names the questions whose gold passage fell out of the top 5
    assert any("truy hồi" in p for f in section["failures"] for p in f["problems"])


def test_beir_runner_scores_articles_that_share_a_title(tmp_path):
    """Articles of one law share their title line; each must still be retrievable as its own document."""
    import json

    from evals.beir import load_beir, run_beir

    articles = {
        "Luật A|1": "Phạm vi điều chỉnh\n\nLuật này quy định về phòng, chống ma túy và cai nghiện ma túy.",
        "Luật A|2": "Giải thích từ ngữ\n\nCây có chứa chất ma túy là cây thuốc phiện, cây côca, cây cần sa.",
        "Luật B|1": "Phạm vi điều chỉnh\n\nLuật này quy định về du lịch, hướng dẫn viên và lữ hành.",
        "Luật B|2": "Thẻ hướng dẫn viên\n\nThẻ hướng dẫn viên du lịch quốc tế có thời hạn 05 năm.",
    }
    corpus = [{"_id": k, "title": k.split("|")[0], "text": v} for k, v in articles.items()]
    (tmp_path / "corpus.jsonl").write_text(
        "\n".join(json.dumps(c, ensure_ascii=False) for c in corpus), encoding="utf-8"
    )
    queries = [
        {"_id": "q1", "text": "Cây có chứa chất ma túy là cây gì?"},
        {"_id": "q2", "text": "Thẻ hướng dẫn viên du lịch quốc tế có thời hạn bao lâu?"},
    ]
    (tmp_path / "queries.jsonl").write_text(
        "\n".join(json.dumps(q, ensure_ascii=False) for q in queries), encoding="utf-8"
    )
    (tmp_path / "qrels.tsv").write_text(
        "query-id\tcorpus-id\tscore\nq1\tLuật A|2\t1\nq2\tLuật B|2\t1\n", encoding="utf-8"
    )
    cache = Path(__file__).resolve().parents[1] / ".pytest_cache" / "iso-embeddings.sqlite"  # as conftest
    result = run_beir(load_beir(tmp_path), cache=cache, workdir=tmp_path)
    assert result.n_corpus == 4 and result.chunks >= 4
    tops = {q["id"]: q["top"] for q in result.per_query}
    assert tops["q1"][0] == "Luật A|2" and tops["q2"][0] == "Luật B|2", tops
    assert result.metrics["mrr@10"] == 1.0
