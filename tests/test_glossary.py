"""The onboarding glossary (knowledge/onboarding/glossary.yaml): shape, required terms, verbatim sources,
and retrieval that treats an abbreviation and its long form alike (the expander is built from this file)."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
from sources import DOC_FILES, document_text, norm

from assistant.bootstrap import load_glossary_pairs
from assistant.domain.vntext import strip_diacritics
from assistant.onboarding.loader import load_glossary

REPO = Path(__file__).resolve().parents[1]
GLOSSARY = REPO / "knowledge" / "onboarding" / "glossary.yaml"
REQUIRED = [
    "HTQLCL",
    "TTHC",
    "CCHC",
    "TĐC",
    "HCNN",
    "CBCC",
    "KH&CN",
    "KHCN",
    "UBND",
    "HĐND",
    "ĐVSN",
    "THPT",
    "THCS",
    "đơn vị chủ trì",
    "thông tin dạng văn bản",
    "rủi ro và cơ hội",
    "sự không phù hợp",
    "hành động khắc phục",
    "xem xét của lãnh đạo",
    "đánh giá nội bộ",
    "công bố",
    "công bố lại",
    "mô hình khung",
    "ISO điện tử",
    "chính sách chất lượng",
    "mục tiêu chất lượng",
    "phạm vi áp dụng",
    "chuyên gia tư vấn độc lập",
    "tổ chức chứng nhận",
    "PAR Index",
    "PAPI",
    "SIPAS",
    "Ban chỉ đạo ISO",
    "thư ký ISO",
]


def key(text: str) -> str:
    return " ".join(strip_diacritics(text).split())


@pytest.fixture(scope="module")
def terms():
    return load_glossary(GLOSSARY)


def test_glossary_has_enough_unique_nfc_terms(terms) -> None:
    assert len(terms) >= 65
    keys = [key(t.term) for t in terms]
    assert len(set(keys)) == len(keys), "duplicate terms"
    for t in terms:
        texts = [t.term, t.definition, *t.abbreviations, *t.aliases]
        assert all(unicodedata.is_normalized("NFC", x) for x in texts), t.term
        assert t.definition.strip() and len(re.findall(r"[.!?](?:\s|$)", t.definition)) <= 3, t.term


def test_every_abbreviation_belongs_to_one_term(terms) -> None:
    owner: dict[str, str] = {}
    for t in terms:
        for a in t.abbreviations:
            assert key(a) not in owner, f"{a} is listed for {owner.get(key(a))} and {t.term}"
            owner[key(a)] = t.term


def test_required_terms_are_present(terms) -> None:
    known = {key(x) for t in terms for x in (t.term, *t.abbreviations, *t.aliases)}
    missing = [r for r in REQUIRED if key(r) not in known]
    assert not missing, missing


def test_every_source_quote_is_verbatim_in_its_document(terms) -> None:
    problems = []
    for t in terms:
        if t.source is None:
            continue
        quote = norm(t.source.quote)
        if t.source.doc_id not in DOC_FILES:
            problems.append(f"{t.term}: unknown document {t.source.doc_id}")
        elif not 10 <= len(quote) <= 300:
            problems.append(f"{t.term}: quote length {len(quote)}")
        elif quote not in document_text(t.source.doc_id):
            problems.append(f"{t.term}: not verbatim in {t.source.doc_id}: {quote!r}")
    assert not problems, "\n".join(problems)


def test_sources_use_the_term_or_are_marked_missing(terms) -> None:
    unsourced = [t for t in terms if t.source is None]
    assert len(unsourced) < 10
    assert all(t.note == "chưa có nguồn trong kho" for t in unsourced)
    for t in terms:
        if t.source is None:
            continue
        quote = key(t.source.quote)
        forms = [t.term, *t.abbreviations, *t.aliases]
        assert any(key(f) in quote for f in forms), f"{t.term}: the quote does not use the term"


def test_the_query_expander_reads_the_same_pairs(terms) -> None:
    pairs = {(p.short, p.long) for p in load_glossary_pairs(REPO / "knowledge") if not p.one_way}
    expected = {(a, t.term) for t in terms for a in t.abbreviations}
    assert pairs == expected
    assert ("HTQLCL", "hệ thống quản lý chất lượng") in pairs


def test_typing_shorthands_are_expanded_one_way_and_never_inside_a_number(terms) -> None:
    """knowledge/onboarding/shorthands.yaml: "VB", "cq", "GXN" as people type them. A question with the
    shorthand is searched with the long form; a question with the long form gets no shorthand added (the
    documents never write "VB", so the added word would only lower how much of the question a sentence covers);
    a document number's "KH", "BC" stay as they are."""
    from assistant.retrieval.query import Expander

    shorthands = [p for p in load_glossary_pairs(REPO / "knowledge") if p.one_way]
    assert {("VB", "văn bản"), ("cq", "cơ quan"), ("GXN", "Giấy xác nhận")} <= {
        (p.short, p.long) for p in shorthands
    }
    glossary_abbrs = {a for t in terms for a in t.abbreviations}
    assert not glossary_abbrs & {p.short for p in shorthands}, "a shorthand is also a glossary abbreviation"
    expander = Expander(shorthands)
    assert expander.expand("BB họp, TTr và VB của cq") == "biên bản họp, tờ trình và văn bản của cơ quan"
    assert expander.expand("văn bản của cơ quan") == "văn bản của cơ quan"
    assert (
        expander.expand("Báo cáo số 12/BC-UBND, VB 5/TTr-SKHCN")
        == "Báo cáo số 12/BC-UBND, văn bản 5/TTr-SKHCN"
    )


# ------------------------------------------------------------------ retrieval (real index)

PAIRS = [
    ("mở rộng phạm vi áp dụng {}", "HTQLCL", "hệ thống quản lý chất lượng"),
    ("duy trì, cải tiến {}", "HTQLCL", "hệ thống quản lý chất lượng"),
    ("công bố danh mục {}", "TTHC", "thủ tục hành chính"),
    ("chương trình {} của tỉnh", "CCHC", "cải cách hành chính"),
    ("Sở {} chủ trì", "KH&CN", "khoa học và công nghệ"),
    ("Chi cục {}", "TĐC", "tiêu chuẩn đo lường chất lượng"),
    ("tuyên truyền cho {}", "CBCC", "cán bộ, công chức"),
    ("trường {} công lập", "THPT", "trung học phổ thông"),
    ("nâng cao chỉ số {}", "PAR Index", "chỉ số cải cách hành chính"),
]


@pytest.mark.parametrize(
    ("template", "short", "long"), PAIRS, ids=[f"{p[1]}-{i}" for i, p in enumerate(PAIRS)]
)
def test_abbreviation_and_long_form_find_the_same_passages(assistant, template, short, long) -> None:
    by_short = [h.chunk_id for h in assistant.search(template.format(short), k=5)]
    by_long = [h.chunk_id for h in assistant.search(template.format(long), k=5)]
    assert len(by_short) == 5 and len(by_long) == 5
    assert len(set(by_short) & set(by_long)) >= 3, (by_short, by_long)


def test_both_spellings_expand_to_the_same_query() -> None:
    """Generic queries ("áp dụng HTQLCL") rank near-tied chunks differently by spelling (2 of 5 top-5 chunks in
    common, measured) because the expander appends the other form: word order and the dense vector differ.
    Rewriting each matched form in place to one canonical "long (SHORT)" makes both spellings one query
    (5 of 5 measured). When the expander does that, remove the xfail mark."""
    from assistant.retrieval.query import Expander

    expander = Expander(load_glossary_pairs(REPO / "knowledge"))
    assert expander.expand("áp dụng HTQLCL") == expander.expand("áp dụng hệ thống quản lý chất lượng")


def test_a_broken_shorthands_file_loses_only_the_shorthands(tmp_path) -> None:
    from assistant.bootstrap import load_shorthand_pairs

    (tmp_path / "onboarding").mkdir()
    target = tmp_path / "onboarding" / "shorthands.yaml"
    assert load_shorthand_pairs(tmp_path) == []  # no file
    target.write_text("shorthands: [{short: VB, long: văn bản}, {short: x}\n", encoding="utf-8")  # bad YAML
    assert load_shorthand_pairs(tmp_path) == []
    target.write_text("- VB\n", encoding="utf-8")  # not a mapping
    assert load_shorthand_pairs(tmp_path) == []
    target.write_text("shorthands:\n- {short: VB, long: văn bản}\n- {short: x}\n- oops\n", encoding="utf-8")
    assert [(p.short, p.long, p.one_way) for p in load_shorthand_pairs(tmp_path)] == [("VB", "văn bản", True)]
