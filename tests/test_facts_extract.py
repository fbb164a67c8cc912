"""Fact extraction on the real seeds and legal texts (chunked with the real chunker)."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.adapters.loaders import load_document
from assistant.domain.models import Chunk, Document, Fact
from assistant.facts.extract import extract_facts
from assistant.facts.patterns import find_amounts, find_deadlines, find_targets
from assistant.indexing.chunker import chunk_text

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "knowledge" / "documents"
LEGAL = ROOT.parent / "shared" / "corpus" / "legal"

# doc_id → (path, province, number)
CORPUS = {
    "kh-dong-nai-2019": (SEEDS / "000_a5180ff903824546.txt", "Đồng Nai", None),
    "qd-37-2012-nghe-an": (SEEDS / "001_e90ca5f9138f3124.txt", "Nghệ An", "37/QĐ-UBND"),
    "kh-ninh-thuan-2022": (SEEDS / "002_4d03c45630b33bb7.txt", "Ninh Thuận", None),
    "kh-310-2022-ha-tinh": (SEEDS / "003_b3603c36b7cc60a7.txt", "Hà Tĩnh", "310/KH-UBND"),
    "kh-tien-giang-2008": (SEEDS / "004_992f1e8524a3d073.txt", "Tiền Giang", None),
    "qd-19-2014-qd-ttg": (LEGAL / "qd-19-2014-qd-ttg.txt", None, "19/2014/QĐ-TTg"),
    "tt-26-2014-tt-bkhcn": (LEGAL / "tt-26-2014-tt-bkhcn.txt", None, "26/2014/TT-BKHCN"),
    "tt-116-2015-tt-btc": (LEGAL / "tt-116-2015-tt-btc.txt", None, "116/2015/TT-BTC"),
}


def _tokens(text: str) -> int:  # roughly the e5 tokenizer on Vietnamese
    return int(len(text.split()) * 1.6)


def load_corpus() -> list[tuple[Document, list[Chunk]]]:
    out = []
    for doc_id, (path, province, number) in CORPUS.items():
        text = load_document(path).text  # as the indexer reads it (tables joined one row a line)
        doc = Document(
            doc_id=doc_id,
            catalog_id=doc_id,
            source_path=str(path),
            file_name=path.name,
            content_hash="test",
            format="txt",
            title=doc_id,
            number=number,
            province=province,
        )
        chunks = [
            Chunk(
                chunk_id=f"{doc_id}:{i}",
                doc_id=doc_id,
                ordinal=i,
                section=d.section,
                heading=d.heading,
                text=d.text,
                index_text=d.text,
            )
            for i, d in enumerate(chunk_text(text, _tokens))
        ]
        out.append((doc, chunks))
    return out


def corpus_facts() -> list[Fact]:
    return [f for doc, chunks in load_corpus() for f in extract_facts(doc, chunks, None)]


@pytest.fixture(scope="module")
def corpus():
    return load_corpus()


@pytest.fixture(scope="module")
def facts(corpus) -> list[Fact]:
    return [f for doc, chunks in corpus for f in extract_facts(doc, chunks, None)]


def _of(facts, doc_id, kind):
    return [f for f in facts if f.doc_id == doc_id and f.kind == kind]


# --------------------------------------------------------------------------- patterns


@pytest.mark.parametrize(
    ("text", "kind", "fields"),
    [
        ("báo cáo trước ngày 15/11 hàng năm hoặc đột xuất", "yearly", {"day": 15, "month": 11}),
        ("Định kỳ hằng năm (15/10), các cơ quan", "yearly", {"day": 15, "month": 10}),
        ("Định kỳ hàng năm (trong tháng 12) hoặc đột xuất", "yearly", {"month": 12, "day": None}),
        ("Thời gian thực hiện: Quý IV/2019", "quarter", {"quarter": 4, "year": 2019}),
        ("Đến hết năm 2013, tất cả", "year", {"year": 2013}),
        ("30/10 hàng năm", "yearly", {"day": 30, "month": 10}),
        ("Tháng 11/2025 và tháng 11/2030", "month", {"month": 11, "year": 2025}),
        ("Quý IV hàng năm", "quarter", {"quarter": 4, "year": None}),
        ("Đến ngày 31 tháng 12 năm 2015, các tổ chức", "date", {"day": 31, "month": 12, "year": 2015}),
    ],
)
def test_deadline_patterns(text, kind, fields):
    spans = find_deadlines(text)
    assert spans, text
    d = spans[0].deadline
    assert d.kind == kind
    assert d.raw in text
    for k, v in fields.items():
        assert getattr(d, k) == v


def test_dates_of_issue_are_not_deadlines():
    assert find_deadlines("Căn cứ Luật Tổ chức HĐND và UBND ngày 26 tháng 11 năm 2003;") == []
    assert find_deadlines("Quyết định số 19/2014/QĐ-TTg ngày 05/3/2014 của Thủ tướng") == []


def test_bare_years_only_in_time_slots():
    assert find_deadlines("giai đoạn 2022-2030") == []
    slot = find_deadlines("Quý IV/2019 và Năm 2020", in_slot=True)
    assert [(s.deadline.kind, s.deadline.year) for s in slot] == [("quarter", 2019), ("year", 2020)]


@pytest.mark.parametrize(
    ("text", "vnd"),
    [
        ("725.960.000 đồng (Bảy trăm…)", 725_960_000),
        ("mức chi tối đa 15 triệu đồng/01 năm", 15_000_000),
        ("là 2,5 triệu đồng/01 quy trình", 2_500_000),
    ],
)
def test_amount_patterns(text, vnd):
    assert [a.vnd for a in find_amounts(text)] == [vnd]


def test_amount_range_gives_both_ends():
    assert [a.vnd for a in find_amounts("từ 2,8-7,4 triệu đồng/1 người/tháng")] == [2_800_000, 7_400_000]


# --------------------------------------------------------------------------- seeds


def test_every_quote_is_verbatim_in_its_chunk(corpus, facts):
    texts = {c.chunk_id: c.text for _, chunks in corpus for c in chunks}
    assert facts
    for f in facts:
        assert f.quote and f.quote in texts[f.chunk_id], f


def test_fact_ids_are_unique_and_deterministic(corpus, facts):
    assert len({f.fact_id for f in facts}) == len(facts)
    doc, chunks = corpus[0]
    again = extract_facts(doc, chunks, None)
    assert [f.fact_id for f in again] == [f.fact_id for f in facts if f.doc_id == doc.doc_id]


def test_dong_nai_yearly_report_deadline(facts):
    dl = [
        f for f in _of(facts, "kh-dong-nai-2019", "deadline") if f.deadline.raw == "trước ngày 15/11 hàng năm"
    ]
    assert len(dl) == 1
    f = dl[0]
    assert (f.deadline.kind, f.deadline.day, f.deadline.month) == ("yearly", 15, 11)
    assert f.section == "IV > 4 > b"
    assert f.province == "Đồng Nai"
    assert "Sở Khoa học và Công nghệ" in f.task  # reported to the Sở KH&CN
    assert f.lead.startswith("Các Sở, ban, ngành")  # who reports


def test_dong_nai_labelled_tasks(facts):
    tasks = {f.section: f for f in _of(facts, "kh-dong-nai-2019", "task")}
    training = tasks["II > 1"]
    assert training.task == "Công tác đào tạo, tập huấn"
    assert training.lead == "Sở Khoa học và Công nghệ"
    assert (training.deadline.kind, training.deadline.quarter, training.deadline.year) == ("quarter", 4, 2019)
    support = tasks["II > 2"]
    assert support.cooperating[0] == "Văn phòng UBND tỉnh"
    assert "UBND các huyện, thành phố Long Khánh, thành phố Biên Hòa" in support.cooperating
    assert tasks["II > 3"].cooperating == ("Sở Nội vụ",)
    assert tasks["IV > 3 > b"].lead == "Sở Nội vụ"
    assert tasks["IV > 3 > b"].cooperating == ("Sở Khoa học và Công nghệ",)


def test_december_report_in_dong_nai_is_led_by_the_department(facts):
    dec = [f for f in _of(facts, "kh-dong-nai-2019", "deadline") if f.deadline.month == 12]
    assert [f.lead for f in dec] == ["Sở Khoa học và Công nghệ"]
    assert dec[0].deadline.day is None and dec[0].deadline.kind == "yearly"


def test_amounts_parsed_to_int(facts):
    nt = _of(facts, "kh-ninh-thuan-2022", "amount")
    assert [f.amount_vnd for f in nt] == [725_960_000]
    assert nt[0].amount_purpose == "Dự kiến kinh phí thực hiện năm 2022"
    maint = [f for f in _of(facts, "tt-116-2015-tt-btc", "amount") if f.section == "Điều 4 > khoản 6"]
    assert [f.amount_vnd for f in maint] == [15_000_000]
    assert "duy trì, cải tiến thường xuyên" in maint[0].amount_purpose
    assert "/01 năm" in maint[0].amount_purpose


def test_legal_refs_of_nghe_an(facts):
    refs = {f.ref_key: f for f in _of(facts, "qd-37-2012-nghe-an", "legal_ref")}
    assert {
        "144/2006/qd-ttg",
        "118/2009/qd-ttg",
        "159/2010/tt-btc",
        "2968/qd-bkhcn",
        "27/2011/tt-bkhcn",
    } <= set(refs)
    assert "37/qd-ubnd" not in refs  # its own number
    assert refs["144/2006/qd-ttg"].ref_number == "144/2006/QĐ-TTg"
    assert refs["144/2006/qd-ttg"].quote.startswith("Căn cứ Quyết định số 144/2006/QĐ-TTg")


def test_ha_tinh_appendix_rows(facts):
    rows = [f for f in _of(facts, "kh-310-2022-ha-tinh", "task") if f.section == "Phụ lục"]
    hospital = next(f for f in rows if f.task.endswith("Bệnh viện công lập"))
    assert hospital.lead == "Sở KH&CN"
    assert hospital.cooperating == ("Sở Y tế", "các bệnh viện công lập")
    assert (hospital.deadline.kind, hospital.deadline.day, hospital.deadline.month) == ("yearly", 30, 10)
    ict = next(f for f in rows if "ISO điện tử" in f.task)
    assert ict.cooperating[0] == "Sở TT&TT"
    targets = [
        f
        for f in _of(facts, "kh-310-2022-ha-tinh", "target")
        if f.unit_type == "Trường Trung học phổ thông công lập"
    ]
    assert {(f.target_value, f.target_year) for f in targets} == {(62.5, 2022), (100.0, 2023)}
    months = {
        (f.deadline.month, f.deadline.year)
        for f in _of(facts, "kh-310-2022-ha-tinh", "deadline")
        if f.deadline.kind == "month"
    }
    assert months == {(11, 2025), (11, 2030)}


def test_ha_tinh_targets_by_year(facts):
    t = [f for f in _of(facts, "kh-310-2022-ha-tinh", "target") if f.section.startswith("I > 2")]
    assert (90.0, 2025) in {(f.target_value, f.target_year) for f in t}
    hosp = [f for f in t if f.unit_type == "các bệnh viện"]
    assert [(f.target_value, f.target_year) for f in hosp] == [(100.0, 2025)]


def test_tien_giang_assignment_with_title(facts):
    t = next(f for f in _of(facts, "kh-tien-giang-2008", "task") if f.section == "II > 2")
    assert t.lead == "Sở Khoa học và Công nghệ"  # "Giao Giám đốc Sở …" without the title
    assert t.cooperating == ("các cơ quan thông tin của tỉnh", "các cấp chính quyền địa phương")


def test_past_results_are_not_targets_or_deadlines(facts):
    past = [
        f
        for f in facts
        if f.doc_id == "kh-tien-giang-2008" and f.section == "I" and f.kind in ("target", "deadline")
    ]
    assert past == []


def test_a_table_rows_serial_number_is_not_a_count():
    # "21<tab>UBND Thành phố Phan Rang-Tháp Chàm" is row 21 of a list, not "21 UBND"
    assert find_targets("21\tUBND Thành phố Phan Rang-Tháp Chàm\t-\tX") == []
    assert [t.value for t in find_targets("tổ chức 02 lớp tập huấn cho 21 UBND cấp xã")] == [2.0, 21.0]


def test_ninh_thuan_appendix_rows_give_no_targets(facts):
    appendix = [f for f in _of(facts, "kh-ninh-thuan-2022", "target") if f.section.startswith("Phụ lục")]
    assert [f.quote for f in appendix if "\t" in f.quote] == []  # a row "21<tab>UBND …<tab>-<tab>X"
    assert sorted(f.target_value for f in appendix) == [13.0, 106.0, 106.0]  # the totals under the table


def test_ninh_thuan_sub_owner_and_yearly_report(facts):
    nt = _of(facts, "kh-ninh-thuan-2022", "task")
    classes = [f for f in nt if "lớp" in (f.task or "")]
    assert classes and all(f.lead == "Chi cục Tiêu chuẩn Đo lường Chất lượng" for f in classes)
    report = [f for f in _of(facts, "kh-ninh-thuan-2022", "deadline") if f.deadline.kind == "yearly"]
    assert [(f.deadline.day, f.deadline.month, f.lead) for f in report] == [
        (15, 10, "các cơ quan, đơn vị đang áp dụng ISO")
    ]


def test_evaluate_facts_against_a_small_gold(facts, tmp_path):
    from evals.facts_eval import evaluate_facts

    gold = tmp_path / "gold.yaml"
    gold.write_text(
        """facts:
  - {id: g1, doc_id: kh-dong-nai-2019, kind: deadline, value: "trước ngày 15/11 hàng năm",
     normalized: {kind: yearly, day: 15, month: 11}}
  - {id: g2, doc_id: kh-dong-nai-2019, kind: deadline, value: "Quý IV/2019"}
  - {id: g3, doc_id: kh-ninh-thuan-2022, kind: amount, value: "725.960.000 đồng", normalized: {vnd: 725960000}}
  - {id: g4, doc_id: kh-dong-nai-2019, kind: lead, value: "Sở KH&CN"}
  - {id: g5, doc_id: kh-ninh-thuan-2022, kind: amount, value: "1 tỷ đồng"}
""",
        encoding="utf-8",
    )
    report = evaluate_facts(facts, gold)
    assert report["gold"] == 5 and report["found"] == 4
    assert [m["id"] for m in report["misses"]] == ["g5"]
    # Đồng Nai deadlines are judged against g1/g2 only, so the other Đồng Nai deadlines count as wrong;
    # kinds the gold does not annotate for a document (e.g. Hà Tĩnh targets) are unjudged
    assert 0 < report["precision"] < 1 and report["unjudged_atoms"] > 0
    assert report["per_kind"]["amount"] == {"gold": 2, "found": 1, "atoms": 1, "correct": 1}
