"""OnboardingService: lessons and citations, province tailoring, quiz scoring, progress, routing.

Fast tests use the real curriculum files with a hand-written reader and facts service; the end-to-end
tests use the session index (``assistant`` fixture) and check that every citation opens a real chunk.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from assistant.domain.errors import InvalidInputError, NotFoundError
from assistant.domain.models import Chunk, Citation, CurrencyWarning, Deadline, Document, Fact
from assistant.domain.vntext import collapse_ws, fold, nfc
from assistant.onboarding.quiz import normalize_answer
from assistant.onboarding.router import is_onboarding_question
from assistant.onboarding.service import OnboardingService
from assistant.retrieval.reader import preambles

REPO = Path(__file__).resolve().parents[1]
CONTENT = REPO / "knowledge" / "onboarding"

ONBOARDING_QUESTIONS = [
    "Tôi mới được giao làm ISO, bắt đầu từ đâu?",
    "bat dau tu dau",
    "mới làm ISO cần học gì",
    "Em mới được phân công phụ trách HTQLCL ở xã, nên bắt đầu thế nào?",
    "toi moi duoc giao lam iso thi bat dau tu dau",
    "Người mới làm ISO cần học những gì?",
    "Tôi mới được phân công phụ trách ISO, nên đọc văn bản nào trước?",
    "Tôi mới được giao làm ISO, phải làm thế nào?",
    "Em mới phụ trách ISO, cần làm những gì?",
]
NORMAL_QUESTIONS = [
    # a newcomer asking a question of their own gets that question answered
    "Tôi mới làm ISO, biên bản họp xem xét của lãnh đạo do ai ký?",
    "Em mới được giao làm ISO: cơ quan có phải công bố lại HTQLCL khi mở rộng phạm vi không?",
    "Tôi mới làm ISO, đánh giá nội bộ do cơ quan tự làm hay thuê tư vấn?",
    "Tôi mới làm ISO ở xã, cơ quan tôi có thuộc diện phải áp dụng không?",
    "Mới làm thư ký ISO. Quyết định ban hành quy trình do Phó Giám đốc ký thay thì ghi gì trước chức vụ?",
    "Tôi mới làm ISO. Biên bản đánh giá nội bộ lưu mấy bản? Ai giữ bản gốc?",
    # a plan named by kind and number is a specific document
    "Tôi mới được giao làm ISO ở bệnh viện. Kế hoạch 310 giao bệnh viện chỉ tiêu thế nào?",
    "Chuyển đổi từ ISO 9001:2008 sang 2015 cần làm những gì?",
    "Soạn giúp chính sách chất lượng cho UBND xã Tân Phú",
    "Hạn nộp báo cáo ISO hằng năm là khi nào?",
    "Ai chủ trì kiểm tra việc áp dụng HTQLCL ở Hà Tĩnh?",
    "Mức chi tối đa cho duy trì HTQLCL là bao nhiêu?",
    "qd 19/2014 quy định những bước nào?",
    "Thông tư 26/2014/TT-BKHCN còn hiệu lực không?",
    "ke hoach iso nam 2022 cua ninh thuan",
    "Đánh giá nội bộ phải làm mấy lần một năm?",
    "Công bố lại HTQLCL khi nào?",
    "Kế hoạch của Hà Tĩnh bắt đầu thực hiện từ năm nào?",
    "Cơ quan có được thuê tổ chức chứng nhận không?",
    "ISO điện tử là gì?",
    "Điều kiện của chuyên gia tư vấn độc lập?",
    "Sở Thông tin và Truyền thông còn tồn tại không?",
    "Tỷ lệ cơ quan phải kiểm tra tại trụ sở là bao nhiêu?",
    "Xem xét của lãnh đạo gồm những nội dung gì?",
    "Đồng Nai giao Sở nào lập dự toán kinh phí ISO?",
    "Nghị định 30/2020/NĐ-CP quy định lề trang văn bản thế nào?",
    "Tiền Giang đặt mục tiêu gì đến năm 2010?",
]


# ------------------------------------------------------------------ fakes


@dataclass
class FakeSnapshot:
    version: str = "v1"
    chunks: dict[str, Chunk] = field(default_factory=dict)
    documents: dict[str, Document] = field(default_factory=dict)

    @property
    def preamble(self) -> dict[str, list[str]]:
        return preambles(self.chunks.values())


class FakeReader:
    """An index holding the given chunks (an empty index by default)."""

    def __init__(self, chunks: list[Chunk] | None = None) -> None:
        self.snap = FakeSnapshot(chunks={c.chunk_id: c for c in chunks or []})

    def snapshot(self) -> FakeSnapshot:
        return self.snap


def _fact(fact_id: str, raw: str, task: str, lead: str, province: str = "Đồng Nai") -> Fact:
    return Fact(
        fact_id=fact_id,
        kind="deadline",
        doc_id="kh-dong-nai-2019",
        chunk_id=f"chunk-{fact_id}",
        section="IV > 4 > b",
        quote=f"{task} {raw}",
        province=province,
        task=task,
        lead=lead,
        deadline=Deadline(raw=raw, kind="yearly"),
    )


class FakeFacts:
    """Facts for Đồng Nai only, like the facts table of the seeds."""

    catalog = None

    def __init__(self) -> None:
        self.facts = [
            _fact(
                "f1",
                "trước ngày 15/11 hàng năm",
                "Định kỳ thực hiện báo cáo kết quả áp dụng HTQLCL cho Sở",
                "Các Sở, ban, ngành",
            ),
            _fact(
                "f2",
                "Quý IV/2019",
                "Công tác kiểm tra việc áp dụng hệ thống quản lý chất lượng tại cơ quan",
                "Sở Khoa học và Công nghệ",
            ),
        ]

    def deadlines(self, province=None, **_):
        return [f for f in self.facts if province is None or fold(province) == fold(f.province or "")]

    def agencies(self, task_words, province=None):
        return [f for f in self.deadlines(province) if fold(task_words) in fold(f.task or "")]

    def citation(self, fact: Fact, n: int) -> Citation:
        return Citation(
            n=n,
            doc_id=fact.doc_id,
            chunk_id=fact.chunk_id,
            title="Kế hoạch",
            number=None,
            section=fact.section,
            quote=fact.quote,
        )

    def warnings_for(self, fact: Fact, entry) -> list[CurrencyWarning]:
        return [CurrencyWarning(code="period_ended", doc_id=fact.doc_id, message="Giai đoạn đã kết thúc.")]


@pytest.fixture
def service(tmp_path) -> OnboardingService:
    return OnboardingService(CONTENT, tmp_path / "store", FakeReader(), FakeFacts())


# ------------------------------------------------------------------ lessons


def test_lessons_are_listed_in_order_with_quiz_counts(service) -> None:
    lessons = service.lessons()
    assert len(lessons) >= 10
    assert [s.order for s in lessons] == sorted(s.order for s in lessons)
    assert all(s.quiz_count >= 1 and s.summary for s in lessons)


def test_unknown_lesson_is_a_vietnamese_not_found_error(service) -> None:
    with pytest.raises(NotFoundError, match="Không có bài học mã"):
        service.lesson("khong-co-bai-nay")


def test_unindexed_sources_are_kept_and_flagged(service) -> None:
    first = service.lessons()[0]
    lesson = service.lesson(first.id)
    assert lesson.citations and all(c.chunk_id == "" for c in lesson.citations)
    assert any(w.code == "source_not_indexed" for w in lesson.warnings)


def test_a_quote_is_located_in_the_chunk_that_contains_it(tmp_path) -> None:
    quote = "Sở Khoa học và Công nghệ là đơn vị chủ trì giúp Ủy ban nhân dân cấp tỉnh tổ chức thực hiện Quyết định này."
    chunk = Chunk(
        chunk_id="c-12-4",
        doc_id="qd-19-2014-qd-ttg",
        ordinal=3,
        section="Điều 12 > khoản 4",
        text="4.  Sở Khoa học và Công nghệ là đơn vị chủ trì giúp Ủy ban nhân dân\ncấp tỉnh tổ chức "
        "thực hiện Quyết định này.",
        index_text="x",
    )
    svc = OnboardingService(CONTENT, tmp_path, FakeReader([chunk]), None)
    lesson_id = next(s.id for s in svc.lessons() if s.order == 1)
    cited = [c for c in svc.lesson(lesson_id).citations if c.quote == quote]
    assert cited and all(c.chunk_id == "c-12-4" and c.section == "Điều 12 > khoản 4" for c in cited)


def test_province_block_lists_that_province_deadlines_with_citations(service) -> None:
    spec = next(s for s in service._lessons() if "report_deadline" in s.tailor)
    plain = service.lesson(spec.id)
    tailored = service.lesson(spec.id, province="dong nai")
    assert plain.province_block == "" and tailored.province == "dong nai"
    assert "Riêng cho tỉnh Đồng Nai" in tailored.province_block
    assert "trước ngày 15/11 hàng năm" in tailored.province_block
    fact_cites = [c for c in tailored.citations if c.chunk_id.startswith("chunk-")]
    assert {c.chunk_id for c in fact_cites} == {"chunk-f1", "chunk-f2"}
    last = max(c.n for c in plain.citations)
    for c in fact_cites:  # numbering continues after the lesson's own citations, each marker is cited
        assert c.n > last and f"[{c.n}]" in tailored.province_block
    assert any(w.code == "period_ended" for w in tailored.warnings)


def test_province_without_a_plan_says_so(service) -> None:
    spec = next(s for s in service._lessons() if s.tailor)
    lesson = service.lesson(spec.id, province="Bắc Ninh")
    assert "Kho chưa có kế hoạch ISO nào của tỉnh Bắc Ninh" in lesson.province_block


def test_lessons_without_tailoring_ignore_the_province(service) -> None:
    spec = next((s for s in service._lessons() if not s.tailor), None)
    if spec is None:
        pytest.skip("every lesson is tailored")
    assert service.lesson(spec.id, province="Đồng Nai").province_block == ""


# ------------------------------------------------------------------ quiz and progress


def _questions(service, kind: str):
    for spec in service._lessons():
        for q in spec.quiz:
            if q.type == kind:
                return spec, q
    pytest.skip(f"no {kind} question")


def test_choice_answers_by_index_letter_number_or_text(service) -> None:
    spec, q = _questions(service, "choice")
    letter = "ABCDEFGH"[q.answer]
    for given in (q.answer, letter, letter.lower(), str(q.answer + 1), q.choices[q.answer].upper()):
        assert service.answer_quiz("web:a", spec.id, q.id, given).correct, given
    wrong = (q.answer + 1) % len(q.choices)
    result = service.answer_quiz("web:a", spec.id, q.id, wrong)
    assert not result.correct and result.correct_answer == q.choices[q.answer]
    assert result.explanation == q.explanation and result.citation.quote
    with pytest.raises(InvalidInputError):
        service.answer_quiz("web:a", spec.id, q.id, len(q.choices))


def test_short_answers_ignore_case_diacritics_and_punctuation(service) -> None:
    spec, q = _questions(service, "short")
    answer = str(q.answer)
    assert service.answer_quiz("tg:1", spec.id, q.id, normalize_answer(answer)).correct
    assert service.answer_quiz("tg:1", spec.id, q.id, f"  {answer.upper()}. ").correct
    for alt in q.accept:
        assert service.answer_quiz("tg:1", spec.id, q.id, alt).correct, alt
    assert not service.answer_quiz("tg:1", spec.id, q.id, "không biết").correct
    with pytest.raises(InvalidInputError):
        service.answer_quiz("tg:1", spec.id, q.id, "   ")


def test_normalize_answer_folds_to_an_accent_free_form() -> None:
    assert normalize_answer("Sở KH&CN.") == "so kh&cn"
    assert normalize_answer("Ủy ban") == normalize_answer("uỷ  BAN")


def test_progress_persists_across_service_instances(tmp_path) -> None:
    store = tmp_path / "store"
    first = OnboardingService(CONTENT, store, FakeReader(), None)
    lessons = first.lessons()
    spec = first._lessons()[0]
    q = spec.quiz[0]
    right = q.answer if q.type == "choice" else str(q.answer)
    first.answer_quiz("web:k1", spec.id, q.id, right)
    first.complete_lesson("web:k1", spec.id)

    second = OnboardingService(CONTENT, store, FakeReader(), None)  # e.g. the bot process
    progress = second.progress("web:k1")
    assert progress.completed == (spec.id,)
    assert progress.scores[spec.id].correct == 1 and progress.scores[spec.id].total == len(spec.quiz)
    assert progress.next_lesson is not None and progress.next_lesson.id == lessons[1].id
    assert progress.total_lessons == len(lessons)
    assert second.progress("tg:other").completed == ()
    assert (store / "onboarding.sqlite").exists()


def test_the_latest_answer_counts_and_completion_is_idempotent(service) -> None:
    spec = service._lessons()[0]
    q = spec.quiz[0]
    right = q.answer if q.type == "choice" else str(q.answer)
    wrong = (q.answer + 1) % len(q.choices) if q.type == "choice" else "sai"
    service.answer_quiz("u", spec.id, q.id, wrong)
    assert service.progress("u").scores[spec.id].correct == 0
    service.answer_quiz("u", spec.id, q.id, right)
    assert service.progress("u").scores[spec.id].correct == 1
    service.complete_lesson("u", spec.id)
    assert service.complete_lesson("u", spec.id).completed == (spec.id,)


def test_unknown_question_and_missing_user_are_rejected(service) -> None:
    spec = service._lessons()[0]
    with pytest.raises(NotFoundError):
        service.answer_quiz("u", spec.id, "q-khong-co", 0)
    with pytest.raises(InvalidInputError):
        service.progress("  ")


# ------------------------------------------------------------------ glossary


def test_lookup_matches_terms_abbreviations_and_unaccented_forms(service) -> None:
    assert service.lookup("HTQLCL").term == "hệ thống quản lý chất lượng"
    assert service.lookup("he thong quan ly chat luong").abbreviations[0] == "HTQLCL"
    assert service.lookup("kh&cn").term == "khoa học và công nghệ"
    assert service.lookup("TDC").term == "tiêu chuẩn đo lường chất lượng"
    assert service.lookup("không có thuật ngữ này") is None
    assert len(service.glossary()) >= 65


# ------------------------------------------------------------------ routing


@pytest.mark.parametrize("question", ONBOARDING_QUESTIONS)
def test_onboarding_questions_get_the_learning_path(service, question) -> None:
    answer = service.route_question(question)
    assert answer is not None and answer.route == "onboarding"
    for s in service.lessons():
        assert s.title in answer.answer
    markers = {int(n) for n in re.findall(r"\[(\d+)\]", answer.answer)}
    assert markers and markers == {c.n for c in answer.citations}
    first = service.lesson(service.lessons()[0].id)
    for c in answer.citations:  # the first lesson's cited points, renumbered
        assert any(c.quote == o.quote for o in first.citations)


def test_normal_questions_are_not_hijacked(service) -> None:
    assert len(NORMAL_QUESTIONS) == 27
    hijacked = [q for q in NORMAL_QUESTIONS if service.route_question(q) is not None]
    assert hijacked == []
    assert not is_onboarding_question("")


# ------------------------------------------------------------------ end to end (real index)


def _norm(text: str) -> str:
    return fold(collapse_ws(nfc(text)))


def test_every_lesson_and_quiz_citation_resolves_to_a_real_chunk(assistant) -> None:
    svc = assistant.onboarding()
    snap = assistant.reader.snapshot()
    problems = []
    for summary in svc.lessons():
        lesson = svc.lesson(summary.id)
        for c in lesson.citations:
            chunk = snap.chunks.get(c.chunk_id)
            if chunk is None or chunk.doc_id != c.doc_id or c.section != chunk.section:
                problems.append(f"{summary.id} [{c.n}] {c.doc_id}: no chunk")
            elif _norm(c.quote)[:40] not in _norm(chunk.text):
                problems.append(f"{summary.id} [{c.n}]: quote not in chunk {c.chunk_id}")
        for q in lesson.quiz:
            cite = svc._cite(q.citation, 1)
            if cite.chunk_id not in snap.chunks:
                problems.append(f"{summary.id} {q.id}: quiz citation unresolved")
    assert not problems, "\n".join(problems)


def test_tailoring_adds_the_province_deadlines_of_the_facts_table(assistant) -> None:
    svc = assistant.onboarding()
    spec = next(s for s in svc._lessons() if "report_deadline" in s.tailor)
    facts = assistant.deadlines(province="Đồng Nai")
    assert facts, "the facts table has Đồng Nai deadlines"
    lesson = svc.lesson(spec.id, province="Đồng Nai")
    listed = [f for f in facts if f.deadline and f.deadline.raw in lesson.province_block]
    assert listed
    snap = assistant.reader.snapshot()
    extra = [c for c in lesson.citations if c.n > max(c.n for c in spec.citations)]
    assert {f.chunk_id for f in listed} <= {c.chunk_id for c in extra}
    assert all(c.chunk_id in snap.chunks for c in extra)
    assert any(c.doc_id == "qd-19-2014-qd-ttg" for c in extra)  # the national rule, current
    assert any(w.doc_id == "kh-dong-nai-2019" for w in lesson.warnings)  # the plan's period ended


def test_a_merged_province_finds_its_former_plan_and_old_bases_are_flagged(assistant) -> None:
    svc = assistant.onboarding()
    spec = next(s for s in svc._lessons() if "report_deadline" in s.tailor)
    khanh_hoa = svc.lesson(spec.id, province="Khánh Hòa")
    assert "Ninh Thuận" in khanh_hoa.province_block
    assert any(c.doc_id == "kh-ninh-thuan-2022" for c in khanh_hoa.citations)
    nghe_an = svc.lesson(spec.id, province="Nghệ An")
    if any(c.doc_id == "qd-37-2012-nghe-an" for c in nghe_an.citations):
        assert any(w.code == "superseded_basis" for w in nghe_an.warnings)


def test_assistant_ask_routes_onboarding_questions(assistant) -> None:
    answer = assistant.ask("Tôi mới được giao làm ISO, bắt đầu từ đâu?")
    assert answer.route == "onboarding" and answer.citations
    snap = assistant.reader.snapshot()
    assert all(c.chunk_id in snap.chunks for c in answer.citations)
