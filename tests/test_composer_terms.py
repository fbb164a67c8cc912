"""Which words of a question are what it asks about, the parts of a question that asks several things, and
quotes that keep the rest of their line."""

from __future__ import annotations

import pytest

from assistant.answering.composer import Candidate, whole_lines
from assistant.answering.terms import query_terms, question_parts


@pytest.mark.parametrize(
    ("question", "kept", "dropped"),
    [
        ("Thẻ chuyên gia có hạn đến khi nào?", {"the", "chuyen", "han"}, set()),
        ("Làm thế nào để xây dựng?", {"xay"}, {"the", "nao", "lam"}),
        ("Sau mỗi khóa học có phải báo cáo không?", {"bao", "cao", "khoa"}, {"phai"}),
        ("Mức chi bao nhiêu?", {"muc", "chi"}, {"bao", "nhieu"}),
        ("Bản sao lục làm từ bản nào?", {"sao", "luc"}, {"nao"}),
        ("Tại sao phải làm ISO?", {"iso"}, {"sao"}),
        ("Quy trình nội bộ theo quy định", {"quy", "trinh", "noi"}, {"dinh"}),
        ("Ai thẩm định danh mục?", {"tham", "dinh", "danh"}, set()),
        ("Mức chi tối đa là bao nhiêu, tôi cần biết", {"toi", "da"}, {"can", "biet"}),
        ("Hồ sơ gửi đâu?", {"gui"}, {"dau"}),
        ("Cơ quan lần đầu xây dựng", {"lan", "dau"}, set()),
        ("can bo toi da bao nhieu", {"can", "bo", "toi", "da"}, {"bao", "nhieu"}),
        ("ho so gui dau, khi nao", {"gui"}, {"dau", "khi", "nao"}),
        ("bao gom nhung gi", {"bao", "gom"}, {"nhung", "gi"}),
        # the way people talk: "rồi", "mà", "chúng tôi" say nothing; "mã số", "chứng nhận" do
        (
            "Nộp rồi mà chúng tôi chưa có chứng nhận, mã số",
            {"nop", "chung", "nhan", "ma", "so"},
            {"roi", "toi"},
        ),
        ("nop roi ma chung toi chua co ma so", {"nop", "ma", "so"}, {"roi", "chung", "toi"}),
    ],
)
def test_question_words_are_read_with_their_marks_and_neighbours(question, kept, dropped):
    terms = set(query_terms(question))
    assert kept <= terms, kept - terms
    assert not dropped & terms, dropped & terms


def test_a_question_in_several_parts_gives_each_part_its_own_terms():
    parts = question_parts(
        "Cơ sở đào tạo sau mỗi khóa học có phải báo cáo không, gửi đâu, và khi thay giảng viên thì báo lúc nào?"
    )
    assert len(parts) == 3
    assert {"thay", "giang", "vien"} <= set(parts[2].own)
    assert not {"dao", "tao"} & set(parts[2].own)  # the shared subject is the whole question's, not a part's
    # …but what a part asks is all its words: "bản chính … lưu", not "chính" alone, which "tạo bản chính văn
    # bản giấy" also has
    gốc, chính = question_parts("Bản gốc lưu ở văn thư thì đóng dấu lúc nào, còn bản chính thì lưu ở đâu?")
    assert chính.own == ["chinh"]
    assert {"ban", "chinh", "luu"} <= set(chính.terms)
    assert question_parts("Sở nào chủ trì, phối hợp?") == []  # one question, two words of it
    assert question_parts("Kiểm tra gồm những nội dung nào, theo TT 26?") == []


def test_a_quote_keeps_the_rest_of_its_line_but_never_runs_into_another():
    text = (
        "5. Lưu giữ hồ sơ;\n"
        "6. Báo cáo kết quả từng khóa về Tổng cục. Trường hợp thay giảng viên, phải báo cáo ngay.\n"
        "7. Khác."
    )
    second = text.index("Trường hợp")
    cut = Candidate(0, second, text.index("ngay.") + 5, text[second : text.index("ngay.") + 5], 1.0, 1.0)
    (whole,) = whole_lines([cut], [text])
    assert whole.text.startswith("6. Báo cáo kết quả từng khóa") and whole.text.endswith("báo cáo ngay.")
    first_end = text.index("Tổng cục.") + len("Tổng cục.")
    line = text.index("6.")
    first = Candidate(0, line, first_end, text[line:first_end], 1.0, 1.0)
    both = whole_lines([first, cut], [text])
    assert [c.text for c in both] == [first.text, cut.text]  # each stays itself: no quote twice


def test_a_list_item_is_quoted_to_the_end_of_its_line(assistant):
    # "+ Gắn kết … 4 nội dung … tại đơn vị. Theo đó, đề ra những cam kết …" is one item in two sentences
    a = assistant.ask(
        "Tiền Giang yêu cầu lãnh đạo đơn vị gắn kết mấy nội dung cải cách hành chính khi xây dựng ISO, và đề "
        "ra cam kết ở đâu?"
    )
    assert not a.refused
    assert "4 nội dung của cải cách hành chính" in a.answer
    assert "cam kết trong chính sách, mục tiêu chất lượng" in a.answer


def test_a_legal_basis_question_prefers_the_can_cu_line():
    from types import SimpleNamespace

    from assistant.answering.composer import OfflineComposer

    text = (
        "Căn cứ Luật Tổ chức Chính phủ ngày 19 tháng 6 năm 2015;\n"
        "Luật này được ban hành và phổ biến rộng rãi trong cả nước."
    )
    hit = SimpleNamespace(chunk=SimpleNamespace(text=text, index_text=text, heading=""), doc=None)
    terms = query_terms("Ban hành căn cứ luật nào?")

    def score(intents):
        cands = OfflineComposer().candidates(terms, intents, [hit], {})
        return next(c.score for c in cands if c.text.startswith("Căn cứ")), cands[0].text

    legal, legal_first = score(frozenset({"legal"}))
    plain, plain_first = score(frozenset())
    assert legal_first.startswith("Căn cứ") and plain_first.startswith("Luật này")
    # not only spared the penalty a "Căn cứ" line gets when it is not asked for: preferred
    assert legal - plain > 0.3 + 0.1


def test_a_short_list_item_is_not_taken_for_the_tail_of_a_line():
    from types import SimpleNamespace

    from assistant.answering.composer import OfflineComposer

    # "b) …" starts with a lower-case letter, like "của Ủy ban nhân dân tỉnh)" cut from a line, but it is a
    # whole list item and says as much as the same words without the marker
    terms = query_terms("Bản chính văn bản lưu ở đâu?")

    def score(line):
        hit = SimpleNamespace(chunk=SimpleNamespace(text=line, index_text=line, heading=""), doc=None)
        return OfflineComposer().candidates(terms, frozenset(), [hit], {})[0].score

    item, bare = (
        score("b) Bản chính văn bản lưu tại hồ sơ công việc."),
        score("Bản chính văn bản lưu tại hồ sơ công việc."),
    )
    assert abs(item - bare) < 0.1
    assert score("của Ủy ban nhân dân tỉnh Ninh Thuận)") < bare - 0.3


def test_a_what_is_question_prefers_the_sentence_that_defines_it():
    from types import SimpleNamespace

    from assistant.answering.composer import OfflineComposer
    from assistant.answering.terms import defined_terms

    q = "theo nghi dinh 30 thi ho so la gi, lap ho so la lam gi"
    assert defined_terms(q) == ["lap ho so", "ho so"]
    assert defined_terms("Khái niệm đơn vị chủ trì được định nghĩa thế nào?")[0] == "don vi chu tri"
    assert defined_terms("Hạn báo cáo là khi nào?") == []
    text = (
        "2. Mở hồ sơ: cá nhân được giao lập hồ sơ theo Danh mục hồ sơ của cơ quan.\n"
        "15. “Lập hồ sơ” là việc tập hợp, sắp xếp văn bản, tài liệu theo những nguyên tắc nhất định."
    )
    hit = SimpleNamespace(chunk=SimpleNamespace(text=text, index_text=text, heading=""), doc=None)
    cands = OfflineComposer().candidates(query_terms(q), frozenset(), [hit], {}, question=q)
    assert cands[0].text.startswith("15. “Lập hồ sơ” là")
    # the same sentence for a question that does not ask what it is gets no bonus
    other = "lap ho so theo danh muc ho so"
    plain = OfflineComposer().candidates(query_terms(other), frozenset(), [hit], {}, question=other)
    assert plain[0].text.startswith("2. Mở hồ sơ")


def test_a_numbered_line_without_its_colon_still_introduces_the_items_under_it():
    from assistant.answering.outline import list_intro, outline_items

    text = (
        "4. Thủ trưởng các Sở; Chủ tịch UBND các huyện có trách nhiệm\n"
        "- Lập kế hoạch cụ thể cho cơ quan mình.\n"
        "- Phối hợp với đơn vị chủ trì.\n"
        "5. Sở Tài chính bố trí kinh phí."
    )
    start = text.index("Chủ tịch")  # the best sentence may be the second half of the line
    end = list_intro(text, start)
    assert end == text.index("\n")
    items, kind = outline_items(text, end)
    assert kind == "dash" and len(items) == 2
    # a line that ends its sentence is not an intro, nor one with no items under it
    assert list_intro("1. Mục tiêu chung.\n- Một.\n- Hai.", 0) is None
    assert list_intro("4. Sở Nội vụ có trách nhiệm\n5. Sở Tài chính\n6. Sở Y tế", 0) is None


def test_the_y_of_y_te_is_a_word_of_the_question():
    assert {"so", "y", "te"} <= set(query_terms("Sở Y tế được giao những nhiệm vụ gì?"))


def test_a_list_intro_is_never_the_next_items_line():
    from assistant.answering.outline import list_intro

    text = "3. Sở Y tế: Chỉ đạo, giám sát các bệnh viện.\n\n4. Sở Nội vụ:\n\n- Chủ trì xét khen thưởng;\n- Phối hợp kiểm tra."
    assert list_intro(text, 0) is None  # "4. Sở Nội vụ:" introduces Sở Nội vụ's items, not Sở Y tế's
    assert list_intro(text, text.index("4. Sở Nội vụ")) == text.index("4. Sở Nội vụ") + len("4. Sở Nội vụ:")
    # an unnumbered intro under a title still counts
    article = "Điều 4. Các bước\nViệc xây dựng được thực hiện như sau:\n1. Xây dựng;\n2. Áp dụng."
    assert list_intro(article, 0) == article.index(":") + 1


def test_a_plan_section_heading_names_whose_tasks_the_bullets_are():
    from assistant.answering.labels import section_title

    heading = "IV. TỔ CHỨC THỰC HIỆN > 8. Ủy ban nhân dân các huyện, thành phố, thị xã"
    assert section_title(heading) == "Ủy ban nhân dân các huyện, thành phố, thị xã"
    assert section_title("II. NỘI DUNG > b) Đối với cơ quan cấp tỉnh:") == "Đối với cơ quan cấp tỉnh"
    assert section_title("IV. TỔ CHỨC THỰC HIỆN") == ""  # an upper-case title says nothing of whose
    assert section_title("Phụ lục") == ""


def test_a_table_row_the_question_names_is_preferred_and_the_header_is_never_quoted():
    from types import SimpleNamespace

    from assistant.answering.composer import OfflineComposer

    text = (
        "STT\tTên cơ quan thực hiện\tMở rộng phạm vi áp dụng\tDuy trì, cải tiến\n\n"
        "1\tVăn phòng Tỉnh ủy\t-\tX\n\n2\tVăn phòng UBND tỉnh\t-\tX\n\n3\tSở Nội vụ\t-\tX\n\n"
        "- Mở rộng phạm vi áp dụng: 13 cơ quan, duy trì, cải tiến: 106 cơ quan."
    )
    hit = SimpleNamespace(chunk=SimpleNamespace(text=text, index_text=text, heading="Phụ lục 1"), doc=None)

    def first(question, asked=""):
        cands = OfflineComposer().candidates(
            query_terms(question), frozenset(), [hit], {}, question=question, asked=asked
        )
        assert not any(c.text.startswith("STT\t") for c in cands)  # column names alone answer nothing
        return cands[0].text

    q = "Văn phòng Ủy ban nhân dân (UBND) tỉnh thuộc diện mở rộng phạm vi áp dụng hay duy trì, cải tiến?"
    assert (
        first(q) == "2\tVăn phòng UBND tỉnh\t-\tX"
    )  # "UBND" as the cell writes it, expanded in the question
    # a follow-up names its own body: the earlier question's is not looked for
    joined = "Sở Nội vụ thuộc diện nào? Còn Văn phòng Tỉnh ủy thì sao?"
    assert first(joined, asked="Còn Văn phòng Tỉnh ủy thì sao?") == "1\tVăn phòng Tỉnh ủy\t-\tX"
    assert first("Mở rộng phạm vi áp dụng bao nhiêu cơ quan?").startswith("- Mở rộng phạm vi")


def test_an_item_for_another_case_than_the_one_asked_is_not_preferred():
    from assistant.answering.composer import _cases, _other_case

    text = (
        "4. Kết thúc hồ sơ\n"
        "c) Đối với hồ sơ giấy: Người lập hồ sơ viết chứng từ kết thúc đối với tất cả hồ sơ.\n"
        "d) Đối với hồ sơ điện tử: Người lập hồ sơ có trách nhiệm cập nhật vào Hệ thống các thông tin còn thiếu."
    )
    cases = _cases(text)
    c, d = text.index("c)"), text.index("d)")

    def other(q, pos):
        return _other_case(text, pos, cases, set(query_terms(q)))

    electronic = "neu la ho so dien tu thi luc ket thuc ho so phai lam gi"
    assert other(electronic, c) and not other(electronic, d)
    assert other("hồ sơ giấy khi kết thúc phải làm gì", d) and not other(
        "hồ sơ giấy khi kết thúc phải làm gì", c
    )
    # a question naming neither case, or a line that is no case, is left alone
    assert not other("khi kết thúc hồ sơ phải làm gì", c) and not other(electronic, 0)


def test_which_appendix_is_answered_by_the_sentence_that_names_one():
    from types import SimpleNamespace

    from assistant.answering.composer import OfflineComposer, asks_reference

    text = (
        "Văn thư cơ quan lấy số và đăng ký văn bản đi vào sổ đăng ký văn bản đi theo mẫu của cơ quan.\n"
        "Mẫu sổ đăng ký văn bản đi theo quy định tại Phụ lục IV Nghị định này."
    )
    hit = SimpleNamespace(chunk=SimpleNamespace(text=text, index_text=text, heading=""), doc=None)
    q = "so dang ky van ban di lay mau theo phu luc nao"
    assert asks_reference(q) and not asks_reference("Phụ lục I quy định gì về phông chữ?")
    cands = OfflineComposer().candidates(query_terms(q), frozenset(), [hit], {}, question=q)
    assert "Phụ lục IV" in cands[0].text
