"""Cited answers through the real stack: facts, passages, refusals, warnings, follow-ups, no diacritics."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from conftest import EMBED_CACHE, ROOT

from assistant.domain.errors import InvalidInputError
from assistant.domain.models import Turn


def _quotes_are_verbatim(assistant, answer) -> None:
    for c in answer.citations:
        assert c.quote in assistant.chunk(c.chunk_id).text, c


def test_deadline_question_gets_the_exact_date_and_a_citation(assistant):
    a = assistant.ask(
        "Hạn gửi báo cáo tình hình áp dụng HTQLCL về Sở Khoa học và Công nghệ của Đồng Nai là ngày nào?"
    )
    assert not a.refused
    assert "15/11" in a.answer
    assert any("15/11" in c.quote and c.doc_id == "kh-dong-nai-2019" for c in a.citations)
    _quotes_are_verbatim(assistant, a)
    # the plan's period is over and the province was merged in 2025
    codes = {w.code for w in a.warnings}
    assert {"period_ended", "merged_province"} <= codes


def test_question_typed_without_diacritics(assistant):
    a = assistant.ask("han bao cao ket qua iso hang nam ninh thuan")
    assert not a.refused
    assert "15/10" in a.answer
    assert all(c.doc_id == "kh-ninh-thuan-2022" for c in a.citations)


def test_followup_keeps_the_question_and_changes_the_province(assistant):
    first = "Hạn báo cáo kết quả áp dụng ISO hằng năm của Ninh Thuận là khi nào?"
    a = assistant.ask("Còn Hà Tĩnh thì sao?", history=[Turn(question=first, answer="15/10")])
    assert not a.refused
    assert a.citations and all(c.doc_id == "kh-310-2022-ha-tinh" for c in a.citations)


def test_legal_question_cites_the_article(assistant):
    a = assistant.ask(
        "Đánh giá nội bộ và xem xét của lãnh đạo phải làm tối thiểu bao lâu một lần theo QĐ 19/2014?"
    )
    assert not a.refused
    assert any(c.doc_id == "qd-19-2014-qd-ttg" and c.section.startswith("Điều 4") for c in a.citations)
    assert "một năm một lần" in a.answer


def test_budget_ceiling_is_quoted_as_written(assistant):
    a = assistant.ask("Mức chi tối đa cho duy trì, cải tiến HTQLCL hằng năm theo TT 116/2015 là bao nhiêu?")
    assert not a.refused
    assert "15 triệu đồng" in a.answer
    assert any(c.doc_id == "tt-116-2015-tt-btc" for c in a.citations)


@pytest.mark.parametrize(
    "question",
    [
        "Hạn báo cáo ISO hằng năm của tỉnh Quảng Ninh là khi nào?",
        "Kế hoạch ISO năm 2024 của Ninh Thuận giao những nhiệm vụ gì?",
        "Thông tư 99/2023/TT-BKHCN quy định gì về ISO?",
        "Mục 7.5 của tiêu chuẩn ISO 9001:2015 yêu cầu những gì về thông tin dạng văn bản?",
        "Phụ lục III của Thông tư 116/2015/TT-BTC gồm những biểu mẫu nào?",
        # a plan of 2022 states targets, not what was achieved in 2024
        "Năm 2024 Hà Tĩnh thực tế đã triển khai được ISO điện tử ở những cơ quan nào?",
        # no amount in the Hà Tĩnh plan
        "Hà Tĩnh bố trí bao nhiêu kinh phí cho mỗi lớp đào tạo ISO?",
        # NĐ 30 is held with its Phụ lục I only
        "Phụ lục IV của Nghị định 30/2020/NĐ-CP quy định gì về sổ đăng ký văn bản?",
        # TT 26 cites its forms ("theo Mẫu 3. GĐKTV/ĐG, Phụ lục I") without holding them
        "Mẫu 3 giấy đăng ký tham gia hoạt động tư vấn của TT 26/2014 gồm những nội dung gì?",
        # every text held predates the 2025 restructuring
        "Từ 1/7/2025, chính quyền địa phương hai cấp thì ai kiểm tra việc áp dụng ISO ở UBND xã?",
        "Sau khi bỏ cấp huyện, trường mầm non công lập áp dụng ISO theo văn bản nào?",
        "Theo thông tư năm 2024 của Bộ Khoa học và Công nghệ, mức chi đánh giá nội bộ là bao nhiêu?",
        # …even for a plan the base holds, named by its number
        "Từ 01/7/2025 không còn cấp huyện thì nhiệm vụ của UBND các huyện trong Kế hoạch 310/KH-UBND của Hà Tĩnh"
        " giao cho ai?",
        # the year asked is 2017; "2019 - 2020" only names the plan
        "Năm 2017, trước kế hoạch 2019 - 2020, Đồng Nai đã giao sở nào hướng dẫn ISO cho các huyện?",
        # named first, the document asked about is one the base only catalogues; QĐ 19 is only its topic
        "Công văn 3003/BKHCN hướng dẫn gì về việc áp dụng Quyết định 19/2014?",
        # a law is named by its name; the base holds no law
        "Luật Tiếp cận thông tin quy định cơ quan nhà nước phải công khai thông tin trong thời hạn bao lâu?",
        # "có hiệu lực bao lâu" asks about the certificate, not whether 08/2009 is in force: TT 26 only cites it
        "Thông tư 08/2009/TT-BKHCN quy định giấy chứng nhận đăng ký lĩnh vực hoạt động có hiệu lực bao lâu?",
        # the plan asks for reports "định kỳ 6 tháng, hàng năm": no day of the calendar
        "Kế hoạch ISO của Nghệ An yêu cầu gửi báo cáo hàng năm về Sở Khoa học và Công nghệ trước ngày nào?",
    ],
)
def test_questions_the_documents_cannot_answer_are_refused(assistant, question):
    a = assistant.ask(question)
    assert a.refused, a.answer
    assert a.answer.startswith("Tài liệu trong kho không có thông tin")
    assert not a.citations


def test_a_question_on_a_held_plans_standing_after_2025_is_answered_with_a_warning(assistant):
    a = assistant.ask("Sau sáp nhập tỉnh năm 2025, kế hoạch ISO năm 2022 của Ninh Thuận còn áp dụng không?")
    assert not a.refused, a.answer
    assert any(w.doc_id == "kh-ninh-thuan-2022" for w in a.warnings)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # a held document named first is answered even beside an unheld one
        ("Quyết định 19/2014 thay thế Quyết định 144/2006 phải không?", ["144/2006"]),
        # the best-scoring sentence is a short one covering less of this long question; the clause that answers
        # it (TT 26 Điều 41 khoản 6) is among the best three
        (
            "Nếu nhiều thủ tục hành chính giống nhau về nội dung thì cơ quan có cần lập quy trình riêng cho mỗi"
            " thủ tục không?",
            ["tương đồng về nội dung"],
        ),
        # 20+ distinct terms, most of them background ("rà soát … để báo cáo lãnh đạo sở"): no table row can
        # repeat them, so the row that answers covers under 0.40 of the question; the bar is lower for long ones
        (
            "Phòng tôi đang rà soát lại lộ trình chung của kế hoạch ISO Hà Tĩnh để báo cáo lãnh đạo sở, trong phụ"
            " lục thì đơn vị sự nghiệp công lập cấp huyện năm 2024 phải đạt bao nhiêu phần trăm?",
            ["Đạt 40% tổng số đơn vị"],
        ),
        # "trước ngày nào" is answered by a month of the calendar
        (
            "Theo TT 26/2014, tổ chức chứng nhận phải báo cáo tình hình hoạt động đánh giá trước ngày nào?",
            ["định kỳ tháng 11 hằng năm"],
        ),
        # the appendix is named in the background; the question asks where the original is kept
        (
            "Phần mềm của chúng tôi chưa đáp ứng Phụ lục VI Nghị định 30. Văn bản đã ký số thì văn thư lưu bản"
            " chính ở đâu?",
            ["tạo bản chính văn bản giấy"],
        ),
        # "2. Quy định về nội dung đào tạo:" / "Nội dung đào tạo gồm tối thiểu 04 chuyên đề …:" / a) … d); the
        # second part of the question is answered by the sentence after the list
        (
            "Theo TT 26/2014, chương trình đào tạo chuyên gia đánh giá HTQLCL gồm những chuyên đề nào, cơ sở đào"
            " tạo có được bổ sung thêm chuyên đề khác không?",
            ["- d) Chuyên đề 4: Thực hành đánh giá.", "có thể bổ sung thêm chuyên đề 5"],
        ),
        # a table row is shown under its column names; its empty cell keeps the "X" in the right column
        (
            "Phụ lục kế hoạch ISO 2022 Ninh Thuận: Sở Văn hóa Thể thao và Du lịch thuộc diện mở rộng phạm vi hay"
            " duy trì, cải tiến?",
            ["Mở rộng phạm vi áp dụng: (trống); Duy trì, cải tiến: X"],
        ),
        # the rows of the bodies the question names, not only the best-scored one
        (
            "Trong danh sách phụ lục KH ISO 2022 của Ninh Thuận, Sở Tư pháp và Sở Xây dựng thuộc diện nào?",
            [
                "Tên cơ quan thực hiện: Sở Tư pháp; Mở rộng phạm vi áp dụng: -; Duy trì, cải tiến: X",
                "Tên cơ quan thực hiện: Sở Xây dựng; Mở rộng phạm vi áp dụng: X; Duy trì, cải tiến: X",
            ],
        ),
        # the background names the plan's year; one question has no year of its own, so it asks about that
        # plan, and the other one's 2025 does not make the base "hold nothing of 2025" (answered, warned)
        (
            "Phụ lục kế hoạch ISO năm 2022 của Ninh Thuận có Sở Tư pháp. Sở này thuộc diện mở rộng phạm vi hay duy"
            " trì, cải tiến? Sau sắp xếp năm 2025 sở này còn không?",
            ["Tên cơ quan thực hiện: Sở Tư pháp; Mở rộng phạm vi áp dụng: -; Duy trì, cải tiến: X"],
        ),
        # "… có căn cứ TT 159/2010. Thông tư đó do ai ban hành?": the basis's issuer, from the "Căn cứ" line, not
        # the standing of QĐ 37 itself
        (
            "Kế hoạch ISO của Nghệ An (QĐ 37/QĐ-UBND) có căn cứ Thông tư 159/2010/TT-BTC. Thông tư đó do cơ quan"
            " nào ban hành, ngày nào, quy định về việc gì?",
            ["Căn cứ Thông tư số 159/2010/TT-BTC ngày 15/10/2010 của Bộ Tài chính"],
        ),
        # typed shorthands ("BC", "BB", "TTr", "VB") are read as the words the decree writes, so the list of
        # administrative document types covers the question instead of nothing being found
        (
            "BC kết quả ISO, BB đánh giá nội bộ, TTr đề nghị ban hành sổ tay chất lượng: theo NĐ 30 có phải VB"
            " hành chính không?",
            ["báo cáo, biên bản, tờ trình"],
        ),
        # "TT 26 thay thế TT 27/2011. TT 27 đó ban hành ngày nào?": the replaced circular's date, from the
        # article that replaces it, not the date TT 26 was issued
        (
            "tt 26/2014 thay thế tt 27/2011. tt 27 đó ban hành ngày nào, hướng dẫn nội dung gì?",
            ["Thông tư số 27/2011/TT-BKHCN ngày 04 tháng 10 năm 2011"],
        ),
        # who may sign, and who signs on the leader's behalf, is NĐ 30's rule, not the decree's own signer
        (
            "QĐ công bố HTQLCL của Sở thì ai ký, PGĐ có được ký thay không? (NĐ 30)",
            ["giao cấp phó ký thay"],
        ),
        # the decision a held plan was issued with ("ban hành kèm theo Quyết định số 618/QĐ-UBND") names the plan
        (
            "QĐ 618/QĐ-UBND năm 2008 của Tiền Giang giao Giám đốc Sở Tài chính việc gì?",
            ["Giao Giám đốc Sở Tài chính cân đối ngân sách"],
        ),
        # a held plan named before the document it carries out ("thực hiện NQ 14/NQ-TU", held only as a
        # citation): the plan is what is asked about
        (
            "Kế hoạch ISO 2008-2010 của Tiền Giang thực hiện NQ 14/NQ-TU của Tỉnh ủy; mục tiêu cụ thể đến năm 2010"
            " của kế hoạch là gì?",
            ["Phấn đấu đến năm 2010"],
        ),
        # a plan bullet is shown with the body its section names
        (
            "Theo Kế hoạch 310 của Hà Tĩnh, ai phải xây dựng và áp dụng ISO điện tử tại cơ quan Ủy ban nhân dân"
            " cấp huyện?",
            ["mục IV > 8 (Ủy ban nhân dân các huyện, thành phố, thị xã)"],
        ),
    ],
)
def test_the_passage_that_answers_is_quoted(assistant, question, expected):
    a = assistant.ask(question)
    assert not a.refused, a.answer
    for phrase in expected:
        assert phrase in a.answer, a.answer


def test_a_question_listing_the_rows_of_a_kind_gets_those_rows_and_the_marked_ones(assistant):
    a = assistant.ask(
        "Trong phụ lục kế hoạch ISO 2022 của Ninh Thuận có những ban nào, ban nào phải mở rộng phạm vi?"
    )
    assert a.route == "table" and not a.refused, a.answer
    assert "Tên cơ quan thực hiện: Ban Quản lý Khu công nghiệp; Mở rộng phạm vi áp dụng: X" in a.answer
    assert "Tên cơ quan thực hiện: Ban Dân tộc; Mở rộng phạm vi áp dụng: -" in a.answer
    assert a.answer.endswith("Có đánh dấu ở cột “Mở rộng phạm vi áp dụng”: Ban Quản lý Khu công nghiệp.")
    assert len(a.citations) == 1  # the two rows are next to each other: one verbatim quote
    # "sở nào" about a duty is not a question on the list
    assert assistant.ask("Sở nào chủ trì tổ chức lớp tập huấn ISO ở Ninh Thuận năm 2022?").route != "table"


@pytest.mark.parametrize(
    ("question", "reason"),
    [
        (
            "Thông tư 08/2009/TT-BKHCN quy định giấy chứng nhận đăng ký lĩnh vực hoạt động có hiệu lực bao lâu?",
            "không có toàn văn 08/2009/TT-BKHCN",  # as documents write it, not as typed
        ),
        (  # the document only cited, named first: what it says is asked, even with the plan named after it
            "NQ 14/NQ-TU của Tỉnh ủy, được kế hoạch ISO 2008-2010 của Tiền Giang nhắc tới, đặt ra những nhiệm vụ cải"
            " cách hành chính nào?",
            "không có toàn văn 14/NQ-TU",
        ),
        (  # who signs a form of the annex is the form's content, not who signed the circular
            "Theo TT 26/2014, Mẫu 11. BCTV do ai ký, gồm những nội dung gì?",
            "kho không có nội dung Mẫu 11",
        ),
        (  # the standards themselves are not held, only the texts that apply them
            "Tiêu chuẩn TCVN ISO 9004:2018 gồm những điều khoản nào?",
            "không có toàn văn tiêu chuẩn TCVN ISO 9004:2018",
        ),
        (  # whether a new text was issued after the held ones
            "Bộ KH&CN đã ban hành thông tư mới thay thế TT 26/2014 chưa?",
            "không theo dõi văn bản nào được ban hành sau đó",
        ),
        (  # what happened after the documents were written: amended later, a body set up or not
            "Kế hoạch ISO năm 2022 của Ninh Thuận sau này có được sửa đổi, bổ sung lần nào không?",
            "không theo dõi những việc diễn ra sau khi chúng ban hành",
        ),
        (
            "Kế hoạch 2008-2010 của Tiền Giang giao Sở KH&CN chuẩn bị thành lập tổ chức chứng nhận. Tổ chức đó đã"
            " được thành lập chưa?",
            "không theo dõi những việc diễn ra sau khi chúng ban hành",
        ),
        (  # "đã có bao nhiêu" in a year after the plan: a result, which a plan does not report
            "Năm 2024 Hà Tĩnh đã có bao nhiêu cơ quan áp dụng ISO điện tử?",
            "không có kết quả thực hiện năm 2024",
        ),
        (
            "Luật Tiếp cận thông tin quy định cơ quan phải công khai thông tin trong thời hạn bao lâu?",
            "không có toàn văn Luật Tiếp cận thông tin",
        ),
        (
            "Kế hoạch ISO của Nghệ An yêu cầu gửi báo cáo hàng năm về Sở Khoa học và Công nghệ trước ngày nào?",
            "không nêu ngày, tháng được hỏi",
        ),
        # the period of the clause that asks, not the held one the background names
        (
            "Sau kế hoạch 2011-2013, kế hoạch giai đoạn 2014-2016 của Nghệ An giao Sở KH&CN những việc gì?",
            "kho không có tài liệu năm 2014, 2016 của Nghệ An",
        ),
        # "từ năm 2025", "đã chuyển về địa phương … Bây giờ …": what holds after the restructuring
        (
            "Từ năm 2025 việc cấp thẻ chuyên gia đánh giá do cơ quan nào của tỉnh làm?",
            "trước đợt sắp xếp bộ máy",
        ),
        (
            "Việc cấp Giấy xác nhận đủ điều kiện tư vấn đã chuyển về địa phương. Bây giờ hồ sơ nộp ở đâu?",
            "trước đợt sắp xếp bộ máy",
        ),
    ],
)
def test_a_refusal_says_what_is_missing(assistant, question, reason):
    a = assistant.ask(question)
    assert a.refused and reason in a.answer, a.answer


def test_an_after_2025_sentence_beside_another_question_does_not_refuse_it(assistant):
    # one question is answered from the plan, with its warning; the other asks what holds after 2025
    b = assistant.ask(
        "KH 310 Hà Tĩnh giao UBND cấp huyện áp dụng tiêu chuẩn nào tại cơ quan mình? Bây giờ bỏ cấp huyện rồi thì sao?"
    )
    assert not b.refused, b.answer
    assert "TCVN ISO 18091:2020" in b.answer
    assert any("không còn cấp huyện" in w.message for w in b.warnings)
    # the two questions in one sentence, parted by ";"
    b = assistant.ask(
        "kh 310 ha tinh giao ubnd cap huyen ap dung tieu chuan nao tai co quan minh; tu 1/7/2025 khong con cap"
        " huyen thi sao"
    )
    assert not b.refused and "TCVN ISO 18091:2020" in b.answer, b.answer
    c = assistant.ask("Bỏ cấp huyện rồi thì KH 310 giao việc đó cho ai?")
    assert c.refused and "trước đợt sắp xếp bộ máy" in c.answer


def test_the_dates_of_a_documents_bases_are_not_its_own(assistant):
    a = assistant.ask("Kế hoạch 310 của Hà Tĩnh căn cứ những văn bản nào (số, ngày ban hành)?")
    assert not a.refused, a.answer
    assert a.route == "passages"
    assert "Quyết định số 3504/QĐ-UBND ngày 22/10/2021" in a.answer


def test_a_followup_that_points_back_is_joined_to_the_previous_question(assistant):
    # more than eight words and no "còn …" / "thì sao": "thông tư này" says which text it is about; and it asks
    # its own question, so the earlier "có hiệu lực từ ngày nào" is not asked again
    first = "Thông tư 26/2014/TT-BKHCN có hiệu lực từ ngày nào?"
    a = assistant.ask(
        "Trong lúc áp dụng thông tư này mà gặp vướng mắc thì gửi ý kiến về cơ quan nào?",
        history=[Turn(question=first)],
    )
    assert not a.refused, a.answer
    assert a.route == "passages"
    assert "phản ánh bằng văn bản về Bộ Khoa học và Công nghệ" in a.answer
    assert all(c.doc_id == "tt-26-2014-tt-bkhcn" for c in a.citations)


def test_a_followup_asking_what_was_achieved_later_than_the_plan_is_refused(assistant):
    first = "Nghệ An có bao nhiêu cơ quan lần đầu triển khai ISO trong kế hoạch 2011-2013?"
    a = assistant.ask(
        "Đến cuối năm 2014 thì bao nhiêu cơ quan trong số đó đã được cấp chứng nhận?",
        history=[Turn(question=first)],
    )
    assert a.refused
    assert "không có kết quả thực hiện năm 2014" in a.answer


def test_an_article_item_is_shown_with_the_article_title(assistant):
    # "g) … báo cáo … về Tổng cục …" says when and to whom; whose duty it is, the article's title says
    a = assistant.ask(
        "Theo TT 26/2014, tổ chức chứng nhận phải báo cáo tình hình hoạt động đánh giá vào tháng nào?"
    )
    assert not a.refused, a.answer
    assert "định kỳ tháng 11 hằng năm" in a.answer
    assert "mục Điều 22 > khoản 2 > điểm g (Quyền và nghĩa vụ của tổ chức" in a.answer
    # not twice when the quote itself starts with the title
    b = assistant.ask(
        "Theo QĐ 19/2014, việc nghiên cứu ứng dụng công nghệ thông tin vào HTQLCL là nhiệm vụ của ai?"
    )
    assert b.answer.count("Nhiệm vụ của Người đứng đầu cơ quan") == 1, b.answer


def test_the_duties_of_the_department_asked_are_quoted_not_the_next_ones(assistant):
    a = assistant.ask("Kế hoạch 310 của Hà Tĩnh giao Sở Y tế những nhiệm vụ gì?")
    assert not a.refused, a.answer
    assert "3. Sở Y tế: Chỉ đạo, giám sát" in a.answer
    assert "4. Sở Nội vụ" not in a.answer


def test_outdated_basis_is_flagged(assistant):
    a = assistant.ask("Kế hoạch áp dụng ISO của Nghệ An giai đoạn 2011-2013 căn cứ những văn bản nào?")
    assert not a.refused
    messages = " ".join(w.message for w in a.warnings)
    assert "144/2006/QĐ-TTg" in messages and "19/2014/QĐ-TTg" in messages


def test_current_law_is_not_flagged_as_outdated(assistant):
    a = assistant.ask("Theo QĐ 19/2014, cơ quan có được thuê tổ chức chứng nhận để cấp chứng chỉ ISO không?")
    assert not a.refused
    assert not {"superseded", "period_ended", "expired"} & {
        w.code for w in a.warnings if w.doc_id == "qd-19-2014-qd-ttg"
    }


def test_empty_and_huge_questions_get_clear_messages(assistant):
    with pytest.raises(InvalidInputError) as e1:
        assistant.ask("   ")
    assert "trống" in e1.value.message
    with pytest.raises(InvalidInputError) as e2:
        assistant.ask("ISO " * 5000)
    assert "quá dài" in e2.value.message


def test_cli_ask_json_contract(built_store):
    env = {
        **os.environ,
        "ISOASSIST_STORE__PATH": str(built_store),
        "ISOASSIST_STORE__EMBEDDING_CACHE": str(EMBED_CACHE),
        "OMP_WAIT_POLICY": "passive",
    }
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "assistant.cli",
            "ask",
            "--json",
            "Ai chủ trì tổ chức đào tạo, tập huấn ISO ở Đồng Nai?",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert set(data) >= {"answer", "refused", "citations", "warnings", "timings_ms"}
    assert data["citations"] and set(data["citations"][0]) >= {
        "n",
        "doc_id",
        "title",
        "number",
        "section",
        "quote",
    }
    assert "Sở Khoa học và Công nghệ" in data["answer"]
