"""What a question asks for, and which sentences can be that answer (pure), plus the refusals it drives."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from assistant.answering.answer_types import answer_type


def passage(text: str, **doc) -> SimpleNamespace:
    """A hit as the composer reads it: chunk text (also its index text) and, optionally, document fields."""
    hit = SimpleNamespace(chunk=SimpleNamespace(text=text, index_text=text))
    if doc:
        hit.doc = SimpleNamespace(**doc)
    return hit


@pytest.mark.parametrize(
    ("question", "kind", "unit"),
    [
        ("Có bao nhiêu cơ quan phải mở rộng hoặc chuyển đổi?", "count", "co quan"),
        ("so co quan ap dung iso ninh thuan nam 2022", "count", "co quan"),
        ("tt26 giay xac nhan co hieu luc may nam", "count", "nam"),
        # "trụ sở bao…" overlaps "bao nhiêu cơ quan": the count is still found
        ("Năm 2022 kiểm tra tại trụ sở bao nhiêu cơ quan?", "count", "co quan"),
        ("Mỗi năm kiểm tra bao nhiêu phần trăm cơ quan?", "percent", None),
        ("Số điện thoại Chi cục TĐC Hà Tĩnh là gì?", "phone", None),
        ("Ai là trưởng Ban chỉ đạo ISO của Sở Y tế?", "person", None),
        ("Cho biết họ tên Trưởng ban ISO của Sở Y tế", "person", None),
        ("Họ và tên thư ký ISO của Văn phòng là gì?", "person", None),
        # the name is where a title goes, not what is asked
        ("Khi ký quyết định có được ghi học vị 'TS.' trước họ tên người ký không?", "any", None),
        # "Sở Khoa học" is not "số khoa"; "máy tính" is not "mấy tỉnh"; "ai chủ trì" asks for an agency
        ("Sở Khoa học và Công nghệ tổng hợp báo cáo vào thời điểm nào trong năm?", "any", None),
        ("Cơ quan cần mấy máy tính để chạy ISO điện tử?", "any", None),
        ("Ai chủ trì kiểm tra ISO ở Đồng Nai?", "any", None),
        ("Hạn báo cáo ISO là khi nào?", "any", None),
    ],
)
def test_answer_type_of_a_question(question, kind, unit):
    at = answer_type(question)
    assert (at.kind, at.unit) == (kind, unit)


def test_a_count_is_a_number_next_to_the_counted_noun():
    at = answer_type("Bao nhiêu cơ quan phải duy trì HTQLCL?")
    assert at.matches("Tiếp tục duy trì, cải tiến HTQLCL: 106 cơ quan.")
    assert at.matches("Có 42 đơn vị đã được cấp giấy chứng nhận.")
    assert not at.matches("Duy trì kết quả 100% TTHC được công bố.")
    assert not at.matches("Các cơ quan phải duy trì HTQLCL trong năm 2022.")
    # a table row: the number in a cell, the noun in the column header
    assert at.matches("| Sở Y tế | 12 |", context="Phụ lục | Đơn vị | Số cơ quan")
    assert answer_type("có hiệu lực mấy năm").matches("có hiệu lực 03 (ba) năm")
    assert answer_type("gồm mấy bước").matches("theo bốn bước cơ bản như sau")
    # the steps listed one by one are their count; a list of other things is not a count of steps
    steps = answer_type("trình tự quản lý văn bản đến gồm mấy bước, là những bước nào?")
    assert steps.matches(
        "Điều 20. Trình tự quản lý văn bản đến 1. Tiếp nhận văn bản đến. 2. Đăng ký văn bản đến."
    )
    assert not steps.matches("Điều 20. Trình tự quản lý văn bản đến")
    assert not at.matches("a) Sở Nội vụ; b) Sở Tài chính; c) Sở Y tế.")
    assert at.matches("kiểm tra tại trụ sở tối thiểu 1/3 số cơ quan")  # a fraction
    # not counts: "Thông tư số" (tư ≠ four, số = number, not Sở), a year, "sau" (after ≠ sáu)
    assert not at.matches(
        "Giấy xác nhận cấp theo Thông tư số 01/2010/TT-BKHCN và Thông tư số 09/2011/TT-BKHCN"
    )
    assert not at.matches("Năm 2022 các cơ quan phải duy trì HTQLCL.")
    assert not at.matches("Sau khi các cơ quan công bố HTQLCL phù hợp.")
    assert at.matches("Tiep tuc duy tri HTQLCL: 106 co quan.")  # a text typed without marks
    assert not at.matches("Ban hành kế hoạch giai đoạn 2022-2030 và hàng năm tại cơ quan và các đơn vị")
    assert at.matches("gồm ba (03) cơ quan")


def test_a_question_asking_two_counts_is_answered_by_either():
    at = answer_type("Khóa học có mấy lần kiểm tra, mỗi lần bao nhiêu tiết?")
    assert (at.unit, at.more_units) == ("lan", ("tiet",))
    assert at.matches("Kiểm tra cuối khóa bằng bài kiểm tra viết thời lượng 03 tiết")
    assert not at.matches("Kiểm tra cuối khóa bằng bài kiểm tra viết")


def test_other_kinds_need_their_own_shape():
    assert answer_type("bao nhiêu phần trăm").matches("đạt 25% lượt cơ quan/năm")
    assert not answer_type("bao nhiêu phần trăm").matches("kiểm tra 25 cơ quan")
    assert answer_type("số điện thoại của Chi cục").matches("Điện thoại: 0239 3855 123")
    assert not answer_type("số điện thoại của Chi cục").matches("Chi cục TĐC tổng hợp báo cáo")
    assert answer_type("ai là trưởng ban chỉ đạo").matches("Ông Nguyễn Văn A, Giám đốc Sở, làm Trưởng ban")
    assert not answer_type("ai là trưởng ban chỉ đạo").matches("Giám đốc Sở làm Trưởng ban")


@pytest.mark.parametrize(
    "question",
    [
        "Số điện thoại Chi cục Tiêu chuẩn Đo lường Chất lượng Hà Tĩnh là gì?",
        "Hà Tĩnh có bao nhiêu xã đạt chuẩn nông thôn mới?",
        "Lệ phí công bố HTQLCL phù hợp TCVN ISO 9001 là bao nhiêu?",
    ],
)
def test_a_passage_without_the_asked_kind_of_value_is_not_an_answer(assistant, question):
    a = assistant.ask(question)
    assert a.refused, a.answer
    assert not a.citations


def test_a_count_question_is_answered_with_the_count(assistant):
    a = assistant.ask("Năm 2022 Ninh Thuận có bao nhiêu cơ quan phải mở rộng phạm vi áp dụng HTQLCL?")
    assert not a.refused, a.answer
    assert "13 cơ quan" in a.answer
    assert any("13" in c.quote for c in a.citations)


def test_a_documents_dates_and_issuer_are_quoted_from_the_document_itself(assistant):
    a = assistant.ask("Thông tư 26/2014/TT-BKHCN có hiệu lực từ ngày nào?")
    assert not a.refused and a.route == "standing"
    assert "01 tháng 12 năm 2014" in a.answer
    assert a.citations[0].section.startswith("Điều 44")
    a = assistant.ask("qd 19/2014 do ai ban hanh, ngay nao")
    assert "Thủ tướng Chính phủ" in a.answer and "05/03/2014" in a.answer
    for c in a.citations:
        assert c.quote in assistant.chunk(c.chunk_id).text


def test_a_signature_block_is_found_from_its_opening_to_the_signers_name():
    from assistant.answering.answer_types import signature_span, standing_asks

    text = "Nơi nhận:\n- Như trên;\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n\nLê Ngọc Châu\n\nPhụ lục"
    a, b = signature_span(text)
    assert text[a:b] == "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n\nLê Ngọc Châu"
    one_line = "TM. CHÍNH PHỦ THỦ TƯỚNG [ (Đã ký) Nguyễn Xuân Phúc"
    assert one_line[slice(*signature_span(one_line))].endswith("Nguyễn Xuân Phúc")
    assert signature_span("Giao Sở Khoa học và Công nghệ chủ trì. Tổng cục TĐC (Bộ KH&CN).") is None
    assert "signer" in standing_asks("ke hoach iso 2022 cua ninh thuan ai ky, chuc vu gi")
    assert "signer" not in standing_asks("QĐ 19/2014 do ai ban hành?")


def test_who_signed_a_plan_is_answered_with_its_signature_block(assistant):
    a = assistant.ask("Kế hoạch ISO năm 2022 của Ninh Thuận do ai ký?")
    assert not a.refused and a.route == "standing", a.answer
    assert "PHÓ CHỦ TỊCH" in a.citations[0].quote and a.citations[0].doc_id == "kh-ninh-thuan-2022"
    for c in a.citations:
        assert c.quote in assistant.chunk(c.chunk_id).text


def test_date_patterns_cover_the_written_forms():
    import datetime as dt

    from assistant.answering.answer_types import date_pattern, standing_asks

    rx = date_pattern(dt.date(2020, 3, 5))
    for text in ("ngày 05/03/2020", "ngày 5/3/2020", "Hà Nội, ngày 05 tháng 3 năm 2020", "05-03-2020"):
        assert rx.search(text), text
    assert not rx.search("ngày 15/03/2020") and not rx.search("05/03/2021")
    assert standing_asks("Nghị định 30/2020 ban hành ngày nào?") == ("issued",)
    assert standing_asks("QĐ 19 do ai ban hành, ngày nào?") == ("issuer", "issued")
    assert standing_asks("TT 26 có hiệu lực từ ngày nào") == ("effective",)
    assert standing_asks("Hạn báo cáo là ngày nào?") == ()
    # re-issued after a merger: a later document's date, not this one's
    assert standing_asks("Quyết định công bố của tỉnh mới đã được ban hành lại vào ngày nào?") == ()


def test_a_list_question_is_answered_with_the_list_across_chunks(assistant):
    a = assistant.ask("Theo QĐ 19/2014, xây dựng và áp dụng HTQLCL gồm mấy bước, là những bước nào?")
    assert not a.refused
    for step in ("bốn bước", "1. Xây dựng", "2. Áp dụng", "3. Công bố", "4. Duy trì, cải tiến"):
        assert step in a.answer, step
    # each chunk's part is one verbatim quote from the intro to its last item
    assert [c.section for c in a.citations] == ["Điều 4 > khoản 1–khoản 3", "Điều 4 > khoản 4"]
    for c in a.citations:
        assert c.quote in assistant.chunk(c.chunk_id).text
    assert "3. Công bố" in a.citations[0].quote and "4. Duy trì" in a.citations[1].quote


def test_outline_items_keep_the_top_level_only():
    from assistant.answering.outline import list_intro, outline_items

    text = "Gồm các bước sau:\n1. Xây dựng:\nCăn cứ tiêu chuẩn.\n2. Áp dụng:\na) Áp dụng;\nb) Đánh giá;\n3. Công bố."
    end = list_intro(text, 0)
    items, kind = outline_items(text, end)
    assert kind == "num"
    assert [text[a:b] for a, b in items] == ["1. Xây dựng:", "2. Áp dụng:", "3. Công bố."]
    start = text.index("2. Áp dụng")
    items, kind = outline_items(text, list_intro(text, start))
    assert kind == "alpha" and [text[a:b] for a, b in items] == ["a) Áp dụng;", "b) Đánh giá;"]
    # a continuation chunk must start with an item of the same level
    assert outline_items("Đoạn văn.\n4. Duy trì.", 0, "num") == ([], "num")
    assert outline_items("4. Duy trì.\na) Cập nhật.", 0, "num")[0] == [(0, 11)]


def test_a_list_item_is_quoted_with_the_line_that_names_its_doer(assistant):
    a = assistant.ask(
        "Ai xây dựng tiêu chí xét tặng bằng khen cho tập thể, cá nhân thực hiện tốt kế hoạch ISO ở Hà Tĩnh?"
    )
    assert not a.refused
    assert "Sở Nội vụ" in a.citations[0].quote and "tiêu chí xét tặng" in a.citations[0].quote
    assert a.citations[0].quote in assistant.chunk(a.citations[0].chunk_id).text


def test_parent_line_of_a_list_item():
    from assistant.answering.outline import parent_line

    text = "4. Sở Nội vụ:\n- Chủ trì xây dựng tiêu chí;\n- Theo dõi.\n5. Sở Tài chính: bố trí kinh phí."
    item = text.index("- Theo dõi")
    a, b = parent_line(text, item)
    assert text[a:b] == "4. Sở Nội vụ:"
    assert parent_line(text, text.index("5. Sở")) is None  # top level: no parent
    assert parent_line(text, text.index("xây dựng")) is None  # not at a line start
    # a paragraph right under a numbered heading belongs to it; under a sentence it does not
    text = "2. Sở Nội vụ\nLà cơ quan thường trực CCHC tỉnh, phối hợp kiểm tra.\nTheo dõi việc áp dụng."
    a, b = parent_line(text, text.index("Là cơ quan"))
    assert text[a:b] == "2. Sở Nội vụ"
    assert parent_line(text, text.index("Theo dõi")) is None


def test_a_paragraph_is_quoted_with_the_heading_that_names_its_agency(assistant):
    a = assistant.ask("Ở Nghệ An, cơ quan thường trực CCHC tỉnh phối hợp gì với Sở KH&CN về ISO?")
    assert not a.refused
    quote = a.citations[0].quote
    assert quote.startswith("2. Sở Nội vụ") and "thường trực" in quote
    assert quote in assistant.chunk(a.citations[0].chunk_id).text


def test_dense_similarity_reorders_close_passages():
    """The reranker adds the passage's cosine similarity; a passage outside the dense list gets the
    lowest similarity seen, not zero."""
    from assistant.answering.composer import OfflineComposer
    from assistant.answering.rerank import SentenceReranker
    from assistant.config import RetrievalSettings
    from assistant.domain.models import Chunk, Document
    from assistant.retrieval.query import analyze
    from assistant.retrieval.retriever import Scored

    def hit(cid: str, text: str, sims: dict) -> Scored:
        doc = Document(
            doc_id="d", source_path="d.txt", file_name="d.txt", content_hash="x", format="txt", title="t"
        )
        chunk = Chunk(chunk_id=cid, doc_id="d", ordinal=0, section="", text=text, index_text=text)
        return Scored(chunk=chunk, doc=doc, score=0.03, signals=sims)

    weak, strong = "Theo dõi việc áp dụng.", "Sở Nội vụ theo dõi việc áp dụng."
    hits = [hit("a", weak, {"dense_sim": 0.80}), hit("b", weak, {"dense_sim": 0.86}), hit("c", strong, {})]
    qa = analyze("Sở Nội vụ theo dõi gì?", None, None)
    snap = SimpleNamespace(idf_plain={})
    on = SentenceReranker(OfflineComposer(), RetrievalSettings())(qa, hits, snap)
    assert [h.chunk.chunk_id for h in on] == ["c", "b", "a"]  # c is given 0.80, not 0
    off = SentenceReranker(OfflineComposer(), RetrievalSettings(rerank_dense_weight=0))(qa, hits, snap)
    assert [h.chunk.chunk_id for h in off] == ["c", "a", "b"]


@pytest.mark.parametrize(
    "question",
    [
        "Nội dung kiểm tra HTQLCL theo Thông tư 26 gồm những gì?",
        "Kiểm tra HTQLCL tại cơ quan gồm những nội dung nào theo Thông tư 26?",
    ],
)
def test_a_list_question_gets_the_list_even_when_another_passage_scores_a_little_higher(assistant, question):
    a = assistant.ask(question)
    assert not a.refused
    assert "đ) Hoạt động xem xét của Lãnh đạo và hoạt động đánh giá nội bộ" in a.answer
    assert a.citations[0].section.startswith("Điều 36")


def test_plus_items_sit_under_dash_items_and_take_their_context():
    from assistant.answering.outline import marker_kind, parent_line

    text = (
        "c) Đối với cơ quan cấp Chi cục:\n- Chi thuê tổ chức tư vấn:\n+ Lần đầu: 33 triệu đồng.\n"
        "- Chi do cơ quan tự thực hiện:\n+ Lần đầu: 40 triệu đồng."
    )
    assert marker_kind("+ Lần đầu") == "plus" and marker_kind("- Chi") == "dash"
    a, b = parent_line(text, text.index("+ Lần đầu: 40"))
    assert text[a:b] == "- Chi do cơ quan tự thực hiện:"
    a, b = parent_line(text, a)
    assert text[a:b].startswith("c) Đối với cơ quan cấp Chi cục")


def test_a_line_of_only_the_questions_words_is_not_the_answer(assistant):
    a = assistant.ask("Sở KH&CN Ninh Thuận có nhiệm vụ gì?")
    assert not a.refused
    assert all(c.quote.strip() != "Sở Khoa học và Công nghệ" for c in a.citations)


def test_a_word_typed_with_its_marks_counts_fully_only_where_the_text_has_those_marks():
    from assistant.answering.composer import OfflineComposer
    from assistant.answering.terms import accent_forms, query_terms

    assert accent_forms("Chi cục tự xây dựng ISO") == {
        "cuc": frozenset({"cục"}),
        "tu": frozenset({"tự"}),
        "xay": frozenset({"xây"}),
        "dung": frozenset({"dựng"}),
    }
    assert accent_forms("chi cuc tu xay dung") == {}  # typed without marks: nothing to tell apart

    hits = [
        passage("Thuê tư vấn xây dựng: mức chi 33 triệu đồng."),
        passage("Cơ quan tự xây dựng: mức chi 40 triệu đồng."),
    ]
    composer = OfflineComposer()

    def coverage_of(question):
        cands = composer.candidates(query_terms(question), frozenset(), hits, {}, question=question)
        return [max(c.coverage for c in cands if c.hit_index == i) for i in (0, 1)]

    consultant, own = coverage_of("tự xây dựng được chi bao nhiêu")
    assert own > consultant  # "tư vấn" is not "tự"
    consultant, own = coverage_of("tu xay dung duoc chi bao nhieu")
    assert own == consultant


def test_a_title_made_of_the_questions_words_ranks_its_passage_but_is_not_quoted_as_the_answer():
    from assistant.answering.composer import OfflineComposer
    from assistant.answering.terms import query_terms

    text = "Xử phạt hành vi lấn chiếm vỉa hè\nPhạt tiền từ 2 triệu đồng đến 3 triệu đồng."
    hits = [passage(text)]
    question = "xử phạt hành vi lấn chiếm vỉa hè"
    composer = OfflineComposer()

    def title_score(for_ranking):
        cands = composer.candidates(query_terms(question), frozenset(), hits, {}, for_ranking=for_ranking)
        return next(c.score for c in cands if c.text.startswith("Xử phạt"))

    assert title_score(True) - title_score(False) == pytest.approx(0.3)


def test_titles_and_wrapped_line_tails_are_not_answers():
    from assistant.answering.composer import OfflineComposer
    from assistant.answering.terms import query_terms

    text = (
        "Phụ lục kèm theo Kế hoạch.\nTỈNH NINH THUẬN NĂM 2022\ncủa Ủy ban nhân dân tỉnh Ninh Thuận)\n"
        "d) Ủy ban nhân dân các huyện: xây dựng kế hoạch duy trì, cải tiến HTQLCL năm 2022."
    )
    hits = [passage(text)]
    question = "UBND huyện ở Ninh Thuận được giao nhiệm vụ gì năm 2022?"
    cands = OfflineComposer().candidates(query_terms(question), frozenset(), hits, {})
    assert cands[0].text.startswith("d) Ủy ban nhân dân các huyện")
    ranked = OfflineComposer().candidates(query_terms(question), frozenset(), hits, {}, for_ranking=True)
    as_answer = {c.text: c.score for c in cands}
    as_evidence = {c.text: c.score for c in ranked}  # the same lines; only answers pass over these two
    for line in ("TỈNH NINH THUẬN NĂM 2022", "của Ủy ban nhân dân tỉnh Ninh Thuận)"):
        assert as_evidence[line] - as_answer[line] == pytest.approx(0.3)
    assert as_evidence[cands[0].text] == as_answer[cands[0].text]


def test_an_item_under_the_duties_of_a_body_is_quoted_with_that_body_for_a_who_question():
    from assistant.answering.composer import OfflineComposer
    from assistant.answering.terms import query_terms
    from assistant.retrieval.query import detect_intents

    text = (
        "4. Ủy ban nhân dân cấp tỉnh:\na) Nhiệm vụ của Sở Khoa học và Công nghệ:\n\n"
        "Lập kế hoạch triển khai và phối hợp với Sở Tài chính dự trù kinh phí thực hiện Quyết định này."
    )
    question = "Dự trù kinh phí triển khai ISO của tỉnh do sở nào lập?"
    cands = OfflineComposer().candidates(query_terms(question), detect_intents(question), [passage(text)], {})
    best = next(c for c in cands if "dự trù kinh phí" in c.text)
    assert best.text.startswith("a) Nhiệm vụ của Sở Khoa học và Công nghệ:")


def test_an_article_title_cut_off_its_chunk_still_stands_above_each_khoan():
    from assistant.answering.composer import OfflineComposer
    from assistant.answering.terms import query_terms

    text = "7. Định kỳ hằng năm, báo cáo Thủ tướng Chính phủ về tình hình thực hiện Quyết định này."
    question = "Bộ Khoa học và Công nghệ báo cáo Thủ tướng bao lâu một lần?"

    def coverage(heading):
        hit = passage(text)
        hit.chunk.heading = heading
        return OfflineComposer().candidates(query_terms(question), frozenset(), [hit], {})[0].coverage

    titled = coverage("Điều 13. Nhiệm vụ của Bộ Khoa học và Công nghệ > 7")
    assert titled > coverage("") + 0.2
    # a chunk that still opens with its article's title reads it as its own first line, not twice
    hit = passage("Điều 13. Nhiệm vụ của Bộ Khoa học và Công nghệ\n" + text)
    hit.chunk.heading = "Điều 13. Nhiệm vụ của Bộ Khoa học và Công nghệ"
    cands = OfflineComposer().candidates(query_terms(question), frozenset(), [hit], {})
    assert max(c.coverage for c in cands if "Định kỳ" in c.text) <= titled


def test_an_appendix_attachment_note_is_not_an_answer_and_a_table_row_stays_whole():
    from assistant.answering.composer import OfflineComposer
    from assistant.answering.quotes import sentence_spans
    from assistant.answering.terms import query_terms

    row = "2\tĐào tạo nghiệp vụ kiểm tra, đánh giá ISO 9001.\tDự kiến 01 cuộc/năm\tSở KH&CN"
    assert [row[a:b] for a, b in sentence_spans(row)] == [row]  # a tab is a cell boundary, not a sentence's
    assert len(sentence_spans("Câu một. Câu hai.")) == 2
    text = (
        "(Kèm theo Kế hoạch số:           /KH-UBND ngày      /02/2022 của UBND tỉnh)\n"
        "4. Sở Nội vụ: đánh giá, phân loại kết quả thực hiện nhiệm vụ cải cách hành chính của các cơ quan."
    )
    question = "Sở Nội vụ được giao việc gì trong kế hoạch năm 2022?"
    cands = OfflineComposer().candidates(query_terms(question), frozenset(), [passage(text)], {})
    assert cands[0].text.startswith("4. Sở Nội vụ")


def test_how_people_ask_is_searched_as_the_texts_say_it():
    from assistant.domain.models import Turn
    from assistant.retrieval.query import analyze, phrasing_terms, resolve_followup

    # "a Sở" in general is what TT 116 calls "cơ quan chuyên môn thuộc Ủy ban nhân dân cấp tỉnh"
    department = "cơ quan chuyên môn thuộc Ủy ban nhân dân cấp tỉnh"
    assert phrasing_terms("Một Sở thuê tư vấn lần đầu được chi tối đa bao nhiêu?") == department
    assert phrasing_terms("tt116 sở thuê tư vấn mở rộng chi bao nhiêu") == department
    for named in ("Sở Nội vụ làm gì?", "Chi cục thuộc Sở thuê tư vấn chi bao nhiêu?", "số cơ quan phải làm"):
        assert phrasing_terms(named) == ""
    text, prev = resolve_followup("Thế riêng năm 2023 thì sao?", [Turn(question="Hà Tĩnh đặt chỉ tiêu gì?")])
    assert prev is not None and "Hà Tĩnh" in text

    assert phrasing_terms("moi lam ISO thi bat dau tu dau") == "các bước xây dựng và áp dụng"
    assert phrasing_terms("UBND xã có bắt buộc làm HTQLCL ko?") == "phải đối tượng áp dụng"
    assert phrasing_terms("Hạn báo cáo ISO là khi nào?") == ""
    qa = analyze("Cơ quan mình mới làm ISO thì bắt đầu như thế nào?", None, None)
    assert qa.text == "Cơ quan mình mới làm ISO thì bắt đầu như thế nào?"  # shown and quoted as typed
    assert qa.expanded.endswith("các bước xây dựng và áp dụng")


@pytest.mark.parametrize(
    ("question", "section"),
    [
        ("Cơ quan mình mới làm ISO thì bắt đầu như thế nào?", "Điều 4"),
        ("UBND cấp tỉnh có bắt buộc áp dụng ISO không?", "Điều 2"),
    ],
)
def test_a_new_officers_question_finds_the_rule(assistant, question, section):
    hits = assistant.retriever.retrieve(question, k=3).hits
    assert any(h.doc.doc_id == "qd-19-2014-qd-ttg" and h.chunk.section.startswith(section) for h in hits)


def test_trong_do_continues_the_previous_question():
    from assistant.domain.models import Turn
    from assistant.retrieval.query import resolve_followup

    prev = "Ninh Thuận có bao nhiêu cơ quan duy trì ISO năm 2022?"
    text, of = resolve_followup(
        "Trong đó bao nhiêu cơ quan phải mở rộng phạm vi áp dụng?", [Turn(question=prev)]
    )
    assert of == prev and text.startswith(prev) and text.endswith("mở rộng phạm vi áp dụng?")
    text, of = resolve_followup("trong so do may co quan phai mo rong pham vi ap dung", [Turn(question=prev)])
    assert of == prev


def test_a_plans_kind_and_province_count_for_each_of_its_sentences():
    from assistant.answering.composer import OfflineComposer
    from assistant.answering.terms import query_terms

    text = "3. Sở Nội vụ\na) Chủ trì đánh giá kết quả cải cách hành chính hằng năm."
    question = "Kế hoạch Đồng Nai: Sở Nội vụ làm gì?"

    def coverage(province):
        hit = passage(text, province=province, kind="kế hoạch")
        cands = OfflineComposer().candidates(query_terms(question), frozenset(), [hit], {})
        return max(c.coverage for c in cands)

    assert coverage("Đồng Nai") == pytest.approx(1.0)
    assert coverage("Hà Tĩnh") == pytest.approx(5 / 7)  # another province's plan does not say "Đồng Nai"


def test_who_issues_something_else_is_not_a_question_about_the_documents_issuer():
    from assistant.answering.answer_types import standing_asks

    assert standing_asks("Thông tư 26/2014 do cơ quan nào ban hành?") == ("issuer",)
    assert standing_asks("tt 116 ai ky") == ("issuer", "signer")
    assert standing_asks("Theo TT 26, ai ký quyết định kiểm tra tại trụ sở?") == ()
    assert standing_asks("Ai ký kế hoạch ISO 2008 của Tiền Giang?") == ("signer",)
    assert standing_asks("Theo Thông tư 26/2014, ai ban hành quyết định kiểm tra tại trụ sở?") == ()
    assert standing_asks("Cơ quan nào ban hành kế hoạch kiểm tra hằng năm theo TT 26?") == ()


def test_the_rules_of_signing_are_not_a_question_about_who_signed_the_document():
    from assistant.answering.answer_types import standing_asks

    # who may sign, who signs on behalf of whom, how the signer's lines are printed (NĐ 30)
    assert (
        standing_asks("QĐ của Sở thì ai có thẩm quyền ký, cấp phó được ký thay những VB nào? (NĐ 30)") == ()
    )
    assert standing_asks("Ở cơ quan làm việc theo chế độ tập thể thì ai ký? (NĐ 30)") == ("issuer", "signer")
    assert standing_asks("Theo NĐ 30, dòng họ tên người ký in hoa hay in thường?") == ()
    # "ký thay ai" asks whom this document's signer signed for: its signature block
    assert standing_asks("kế hoạch ISO 2008 Tiền Giang người ký là ai, ký thay ai") == ("signer",)


def test_a_cell_that_only_names_a_body_is_not_an_answer_to_what_it_does():
    from assistant.answering.composer import OfflineComposer
    from assistant.answering.terms import query_terms
    from assistant.retrieval.query import detect_intents

    text = "Kèm theo Kế hoạch.\nSở Giáo dục và Đào tạo\nc) Sở Nội vụ: đánh giá kết quả cải cách hành chính."
    hits = [passage(text)]

    def penalty(question):
        terms, intents = query_terms(question), detect_intents(question)
        scores = [
            {c.text: c.score for c in OfflineComposer().candidates(terms, intents, hits, {}, for_ranking=r)}
            for r in (False, True)
        ]
        return scores[1]["Sở Giáo dục và Đào tạo"] - scores[0]["Sở Giáo dục và Đào tạo"]

    assert penalty("Sở Nội vụ và Sở Giáo dục làm gì?") == pytest.approx(0.3)
    assert penalty("Cơ quan nào phối hợp với Sở Giáo dục?") == pytest.approx(0.0)  # "which body": may be it


def test_a_trong_do_sentence_goes_with_the_sentence_it_breaks_down():
    from assistant.answering.composer import OfflineComposer
    from assistant.answering.terms import query_terms

    text = (
        "Đến cuối năm 2007, tỉnh đã có 60 cơ quan xây dựng và áp dụng ISO, gồm 38 đơn vị cấp tỉnh. "
        "Trong đó, có 32 đơn vị đã được cấp giấy chứng nhận và 28 đơn vị đang xây dựng. "
        "Kết quả được sơ kết hằng năm."
    )
    hits = [passage(text)]
    question = "Cuối năm 2007 tỉnh có bao nhiêu cơ quan áp dụng ISO?"
    composer = OfflineComposer()
    chosen = composer.select(composer.candidates(query_terms(question), frozenset(), hits, {}), frozenset())
    assert [c.text[:10] for c in chosen] == ["Đến cuối n", "Trong đó, "]


def test_a_plan_without_a_catalogued_date_is_dated_by_its_own_date_line(assistant):
    # the Ninh Thuận plan leaves its day blank; its appendix is "Kèm theo Kế hoạch số: /KH-UBND ngày /02/2022"
    a = assistant.ask("Kế hoạch ISO năm 2022 của Ninh Thuận được ban hành tháng mấy?")
    assert not a.refused, a.answer
    assert "/02/2022" in a.answer
    assert all(c.doc_id == "kh-ninh-thuan-2022" for c in a.citations)


def test_own_date_lines_are_not_the_dates_of_cited_documents():
    from assistant.answering.answer_types import standing_asks
    from assistant.answering.standing import _OWN_DATE

    assert _OWN_DATE.search("Hà Tĩnh, ngày 09 tháng 8 năm 2022")
    assert _OWN_DATE.search("(Kèm theo Kế hoạch số:           /KH-UBND ngày      /02/2022")
    assert not _OWN_DATE.search("Căn cứ Quyết định số 19/2014/QĐ-TTg ngày 05/3/2014 của Thủ tướng Chính phủ;")
    assert "issued" in standing_asks("ke hoach ban hanh vao thang may")
    assert "issued" not in standing_asks("Báo cáo định kỳ vào tháng mấy?")  # "định kỳ" is not "ký"


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("Mấy TTHC tương tự nhau có được gộp chung một quy trình không?", "any"),  # "a few"
        ("Xin thẻ cho mấy chuyên gia mới tuyển thì chờ bao lâu?", "any"),
        ("QĐ 19 có mấy bước xây dựng HTQLCL?", "count"),
        ("Có mấy cơ quan phải mở rộng, có phải báo cáo không?", "count"),
        ("Ninh Thuận có mấy cơ quan phải mở rộng?", "count"),
    ],
)
def test_may_asks_a_count_unless_it_means_a_few(question, kind):
    assert answer_type(question).kind == kind


def test_the_background_a_user_gives_is_not_what_the_question_asks():
    from assistant.retrieval.query import analyze, asked_sentences

    q = (
        "Lần đầu tôi được giao soạn quyết định công bố HTQLCL của cơ quan. Người soạn thảo phải làm những việc"
        " gì?"
    )
    # "lần đầu" does not ask "đâu": the first sentence only tells
    assert asked_sentences(q) == "Người soạn thảo phải làm những việc gì?"
    assert analyze(q, None, None).focus == "Người soạn thảo phải làm những việc gì?"
    assert asked_sentences("co quan toi o Ha Tinh. Han bao cao la khi nao") == "Han bao cao la khi nao"
    # every sentence asks, or there is one: nothing is background
    assert asked_sentences("Ai chủ trì? Ai phối hợp?") is None
    assert asked_sentences("Hạn báo cáo ISO là khi nào?") is None


def test_a_turn_that_points_back_is_a_followup():
    from assistant.domain.models import Turn
    from assistant.retrieval.query import analyze, asks_something

    prev = [Turn(question="Kế hoạch ISO 2008-2010 của Tiền Giang giao Tổ công tác ISO những nhiệm vụ gì?")]
    for q in (
        "Ngoài những việc được giao trong kế hoạch, ai có quyền giao thêm việc cho tổ này?",
        "Đoàn kiểm tra đó do ai phối hợp thành lập và kiểm tra những cơ quan nào?",
        "viec do phai lam xong vao thoi gian nao trong nam, co quan nao chu tri?",
    ):
        qa = analyze(q, prev, None)
        assert qa.followup_of == prev[0].question, q
        assert qa.focus == q
    # a long question that names its own subject stands alone
    alone = (
        "Theo Quyết định 19/2014, cơ quan hành chính phải công bố lại hệ thống quản lý chất lượng khi nào?"
    )
    assert analyze(alone, prev, None).followup_of is None
    assert asks_something("Nếu có vướng mắc thì phản ánh về đâu?")
    assert not asks_something("Còn Nghị định 30?") and not asks_something("Năm 2023 thì sao?")
