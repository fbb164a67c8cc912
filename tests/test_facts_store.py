"""FactStore queries, FactsService (doc_info, warnings, answers) over facts of the real seeds."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from test_facts_extract import corpus_facts

from assistant.adapters.catalog_yaml import load_catalog
from assistant.adapters.facts_sqlite import FactStore
from assistant.domain.errors import NotFoundError
from assistant.domain.models import Filters
from assistant.facts.service import FactsService

CATALOG = Path(__file__).resolve().parents[1] / "knowledge" / "catalog.yaml"


@pytest.fixture(scope="module")
def facts():
    return corpus_facts()


@pytest.fixture(scope="module")
def store(facts, tmp_path_factory):
    s = FactStore(tmp_path_factory.mktemp("facts") / "facts.sqlite")
    s.write(facts)
    yield s
    s.close()


@pytest.fixture(scope="module")
def service(store):
    return FactsService(store, load_catalog(CATALOG))


def _raws(facts):
    return [f.deadline.raw for f in facts]


def test_write_replaces_and_round_trips(tmp_path, facts):
    s = FactStore(tmp_path / "f.sqlite")
    s.write(facts)
    s.write(facts[:5])
    assert s.all() == facts[:5]
    assert s.by_id(facts[3].fact_id) == facts[3]
    assert s.by_id("missing") is None
    s.close()


def test_deadlines_province_without_diacritics(store):
    got = store.deadlines(province="dong nai")
    assert got and all(f.province == "Đồng Nai" for f in got)
    assert "trước ngày 15/11 hàng năm" in _raws(got)


def test_yearly_deadline_matches_any_year_in_range(store):
    nov = store.deadlines(province="Đồng Nai", date_from=dt.date(2027, 11, 1), date_to=dt.date(2027, 11, 30))
    assert _raws(nov) == ["trước ngày 15/11 hàng năm"]
    spring = store.deadlines(province="Đồng Nai", date_from=dt.date(2027, 1, 1), date_to=dt.date(2027, 6, 30))
    assert spring == []


def test_quarter_and_period_overlap(store):
    q4 = store.deadlines(province="Đồng Nai", date_from=dt.date(2019, 12, 1), date_to=dt.date(2019, 12, 5))
    kinds = {f.deadline.kind for f in q4}
    assert {"quarter", "period", "yearly"} <= kinds  # Quý IV/2019, 2019-2020, every December
    assert "Năm 2020" not in _raws(q4)


def test_sorted_by_next_occurrence(store):
    got = store.deadlines(province="Đồng Nai", today=dt.date(2026, 11, 20))
    # next December comes before next 15 November; ended one-off deadlines come last
    assert _raws(got)[:2] == ["Định kỳ hàng năm (trong tháng 12)", "trước ngày 15/11 hàng năm"]
    assert got[-1].deadline.kind in ("quarter", "year", "period")


def test_agency_filter(store):
    got = store.deadlines(agency="so khoa hoc va cong nghe", province="Đồng Nai")
    assert got and all("Khoa học và Công nghệ" in (f.lead or "") + " ".join(f.cooperating) for f in got)


def test_agencies_best_match_first(store):
    got = store.agencies("đào tạo tập huấn", province="dong nai")
    assert got[0].task == "Công tác đào tạo, tập huấn"
    assert got[0].lead == "Sở Khoa học và Công nghệ"
    assert store.agencies("ai chủ trì") == []  # no topic words


def test_cited_by_any_spelling(store):
    docs = {f.doc_id for f in store.cited_by("144/2006/qd-ttg")}
    assert {"qd-37-2012-nghe-an", "kh-tien-giang-2008", "qd-19-2014-qd-ttg"} <= docs
    assert {f.doc_id for f in store.cited_by("QĐ 144/2006")} == docs
    assert store.cited_by("999/2099/QĐ-TTg") == []


def test_doc_info_of_a_replaced_decision(service):
    info = service.doc_info("144/2006/QĐ-TTg")
    assert info["status"] == "bị thay thế"
    assert info["current_successor"]["number"] == "19/2014/QĐ-TTg"
    assert info["held"] is False
    citing = {c["doc_id"]: c for c in info["cited_by"]}
    assert {"qd-37-2012-nghe-an", "kh-tien-giang-2008"} <= set(citing)
    assert "144/2006/QĐ-TTg" in citing["qd-37-2012-nghe-an"]["quote"]
    assert any(w["code"] == "superseded" for w in info["warnings"])


def test_doc_info_by_id_and_unknown(service):
    assert service.doc_info("qd-19-2014-qd-ttg")["status"] == "còn hiệu lực"
    with pytest.raises(NotFoundError) as err:
        service.doc_info("123/2099/QĐ-XYZ")
    assert "Không tìm thấy văn bản" in err.value.message


def test_warnings_for_a_district_task_in_a_merged_province(service, store):
    f = next(f for f in store.deadlines(province="Đồng Nai") if f.deadline.raw == "trước ngày 15/11 hàng năm")
    codes = {w.code for w in service.warnings_for(f, None)}
    assert {"district_abolished", "period_ended", "merged_province"} <= codes
    assert all("kh-dong-nai-2019" in w.message for w in service.warnings_for(f, None))


def test_warnings_for_renamed_body_and_old_iso(service, facts):
    tttt = next(f for f in facts if f.kind == "task" and "Sở Thông tin và Truyền thông" in (f.lead or ""))
    assert "renamed_body" in {w.code for w in service.warnings_for(tttt, None)}
    old = next(f for f in facts if f.doc_id == "qd-37-2012-nghe-an" and f.kind == "task")
    assert "old_iso_version" in {w.code for w in service.warnings_for(old, None)}


@pytest.mark.parametrize("q", ["han bao cao iso dong nai", "Hạn nộp báo cáo ISO của Đồng Nai là khi nào?"])
def test_answer_deadline_question(service, q):
    a = service.answer(q)
    assert a is not None and a.route == "facts" and not a.refused
    assert "15/11" in a.answer and "[1]" in a.answer
    assert all(c.doc_id == "kh-dong-nai-2019" for c in a.citations)
    assert any(w.code == "merged_province" for w in a.warnings)
    for c in a.citations:
        assert service.store.by_id  # citations quote the fact verbatim
        assert c.quote in {f.quote for f in service.store.all()}


def test_answer_agency_amount_target(service):
    who = service.answer("Ai chủ trì công tác đào tạo, tập huấn ở Đồng Nai?")
    assert who and "Sở Khoa học và Công nghệ" in who.answer
    money = service.answer("kinh phi ninh thuan nam 2022 bao nhieu tien")
    assert money and "725.960.000 đồng" in money.answer
    cap = service.answer("Mức chi duy trì ISO hằng năm tối đa bao nhiêu?")
    assert cap and cap.answer.splitlines()[1].startswith("- 15 triệu đồng")
    target = service.answer("Chỉ tiêu năm 2025 của Hà Tĩnh cho bệnh viện")
    assert target and "100%" in target.answer and "2025" in target.answer


def test_answer_declines(service):
    assert service.answer("ISO 9001 là gì?") is None  # not a fact question
    assert service.answer("Hạn báo cáo ISO của Hà Nội là khi nào?") is None  # province not in the base
    assert service.answer("hạn chót nộp hồ sơ xin visa đi Nhật") is None  # no matching fact
    scoped = service.answer("hạn báo cáo iso", Filters(provinces=("Ninh Thuận",)))
    assert (
        scoped
        and "15/10" in scoped.answer
        and all(c.doc_id == "kh-ninh-thuan-2022" for c in scoped.citations)
    )


# --------------------------------------------------------------------------- CLI (over a hand-written facade)


class _FacadeOverService:
    """The ``Assistant`` methods the facts CLI calls, backed by a real FactsService."""

    def __init__(self, svc: FactsService) -> None:
        self.svc, self.catalog = svc, svc.catalog

    def deadlines(self, **kw):
        return self.svc.deadlines(**kw)

    def deadlines_ics(self, facts):
        return self.svc.ics(facts)

    def agencies(self, words, province=None):
        return self.svc.agencies(words, province=province)

    def doc_info(self, number):
        return self.svc.doc_info(number)


@pytest.fixture()
def cli(service, monkeypatch):
    import typer
    from typer.testing import CliRunner

    import assistant.cli.facts as facts_cli

    monkeypatch.setattr(facts_cli, "assistant_from", lambda settings: _FacadeOverService(service))
    app = typer.Typer()
    facts_cli.register(app)
    runner = CliRunner()
    return lambda *args: runner.invoke(app, list(args))


def test_cli_deadlines_json_and_ics(cli, tmp_path):
    import json

    res = cli("deadlines", "--province", "dong nai", "--from", "01/11/2027", "--to", "30/11/2027", "--json")
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert [d["deadline"]["raw"] for d in data] == ["trước ngày 15/11 hàng năm"]
    assert data[0]["citation"]["section"] == "IV > 4 > b"
    out = tmp_path / "han.ics"
    res = cli("deadlines", "--province", "Đồng Nai", "--ics", str(out))
    assert res.exit_code == 0 and out.read_bytes().startswith(b"BEGIN:VCALENDAR")
    assert cli("deadlines", "--from", "31/02/2026").exit_code != 0


def test_cli_table_agencies_and_doc(cli):
    import json

    res = cli("deadlines", "--province", "ninh thuan")
    assert res.exit_code == 0 and "15/10" in res.output and "Thời hạn" in res.output
    res = cli("agencies", "kiểm tra", "--province", "Đồng Nai")
    assert res.exit_code == 0 and "Cơ quan thực hiện" in res.output
    res = cli("agencies", "dao tao tap huan", "--province", "dong nai", "--json")
    assert res.exit_code == 0 and json.loads(res.output)[0]["lead"] == "Sở Khoa học và Công nghệ"
    res = cli("doc", "144/2006/QĐ-TTg")
    assert res.exit_code == 0
    assert "Văn bản hiện hành: Quyết định 19/2014/QĐ-TTg" in res.output
    assert "Được trích dẫn bởi" in res.output
    res = cli("doc", "123/2099/QĐ-XYZ")
    assert res.exit_code == 1 and "Không tìm thấy văn bản" in res.output


def test_a_facts_answer_shows_the_sources_own_words(service):
    a = service.answer("kinh phi ninh thuan nam 2022 bao nhieu tien")
    assert a is not None
    quoted = [line for line in a.answer.splitlines() if line.strip().startswith("Nguyên văn:")]
    assert quoted and all(" ".join(c.quote.split()) in a.answer for c in a.citations)
