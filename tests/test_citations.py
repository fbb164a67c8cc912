"""Citation label parser: keep known labels, drop invented ones, renumber in order of first use."""

from __future__ import annotations

import pytest

from assistant.answering.citations import claims, markers, parse_citations

ALLOWED = range(1, 6)  # the model was given passages [1]..[5]


def test_plain_labels_renumbered_in_order_of_first_use():
    p = parse_citations("Hạn nộp báo cáo là 15/11 [3]. Sở KH&CN chủ trì [1]. Lặp lại [3].", ALLOWED)
    assert p.text == "Hạn nộp báo cáo là 15/11 [1]. Sở KH&CN chủ trì [2]. Lặp lại [1]."
    assert p.labels == (3, 1)
    assert p.dropped == ()


@pytest.mark.parametrize(
    ("raw", "text", "labels"),
    [
        ("Câu một [1, 3].", "Câu một [1][2].", (1, 3)),
        ("Câu một [1;3].", "Câu một [1][2].", (1, 3)),
        ("Câu một [2][4].", "Câu một [1][2].", (2, 4)),
        ("Câu một [S2].", "Câu một [1].", (2,)),
        ("Câu một [S2, S1].", "Câu một [1][2].", (2, 1)),
        ("Câu một [Nguồn 4].", "Câu một [1].", (4,)),
        ("Câu một [đoạn 5].", "Câu một [1].", (5,)),
        ("Câu một [#2].", "Câu một [1].", (2,)),
        ("Câu một [2-4].", "Câu một [1][2][3].", (2, 3, 4)),
        ("Câu một [1 và 2].", "Câu một [1][2].", (1, 2)),
        ("Câu một [[2]].", "Câu một [1].", (2,)),
        ("Câu một [[2], [3]].", "Câu một [1][2].", (2, 3)),
        ("Câu một [2, 2].", "Câu một [1].", (2,)),
        ("Câu một [2][2].", "Câu một [1].", (2,)),
    ],
)
def test_label_spellings(raw, text, labels):
    p = parse_citations(raw, ALLOWED)
    assert (p.text, p.labels) == (text, labels)


@pytest.mark.parametrize("bad", ["[0]", "[99]", "[6]", "[S9]"])
def test_invented_labels_are_dropped_with_their_space(bad):
    p = parse_citations(f"Kinh phí duy trì tối đa 15 triệu đồng {bad}.", ALLOWED)
    assert p.text == "Kinh phí duy trì tối đa 15 triệu đồng."
    assert p.labels == ()
    assert len(p.dropped) == 1


def test_group_keeps_known_and_drops_invented():
    p = parse_citations("Câu [2, 99, 0]. Câu khác [7][1].", ALLOWED)
    assert p.text == "Câu [1]. Câu khác [2]."
    assert p.labels == (2, 1)
    assert p.dropped == (99, 0, 7)


def test_brackets_that_are_not_labels_stay():
    raw = "Theo [Điều 4] Quyết định 19/2014/QĐ-TTg, phải công bố [1]. Xem [ghi chú] và [khoản 2, Điều 12]."
    p = parse_citations(raw, ALLOWED)
    assert p.text == raw
    assert p.labels == (1,)


def test_huge_range_is_not_expanded():
    p = parse_citations("Câu [1-999].", ALLOWED)
    assert p.labels == (1,)
    assert p.dropped == (999,)
    assert p.text == "Câu [1]."


def test_multiline_text_keeps_line_breaks():
    raw = "- Xây dựng [1];\n[77] Áp dụng;\n- Công bố [2]."
    p = parse_citations(raw, ALLOWED)
    assert p.text == "- Xây dựng [1];\nÁp dụng;\n- Công bố [2]."


def test_no_labels_at_all():
    p = parse_citations("Tài liệu không nêu.", ALLOWED)
    assert p.text == "Tài liệu không nêu."
    assert p.labels == ()


def test_markers_offsets():
    text = "A [1]. B [2]."
    assert [(n, text[a:b]) for n, a, b in markers(text)] == [(1, "[1]"), (2, "[2]")]


def test_claims_attach_each_marker_to_its_sentence():
    text = (
        "Báo cáo gửi trước ngày 15/11 hằng năm [1]. Sở Khoa học và Công nghệ chủ trì. [2]\n"
        "[3] Kinh phí lấy từ ngân sách. Câu cuối dùng hai nguồn [1][2]."
    )
    c = claims(text)
    assert c[1] == ["Báo cáo gửi trước ngày 15/11 hằng năm", "Câu cuối dùng hai nguồn"]
    assert c[2] == ["Sở Khoa học và Công nghệ chủ trì", "Câu cuối dùng hai nguồn"]
    assert c[3] == ["Kinh phí lấy từ ngân sách"]
