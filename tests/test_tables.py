"""A table row read with its column headers (pure)."""

from __future__ import annotations

from assistant.answering.tables import header_row, with_columns

HEADER = "STT\tTên cơ quan thực hiện\tMở rộng phạm vi áp dụng\tDuy trì, cải tiến"


def test_the_header_is_the_first_row_with_every_cell_filled():
    assert header_row(["Phụ lục 1\nPHỤ BIỂU", f"{HEADER}\n1\tVăn phòng Tỉnh ủy\t-\tX"]) == HEADER.split("\t")
    # a header on several rows (merged, empty cells) is not guessed
    assert header_row(["TT\tNhiệm vụ\tKết quả\t\t\n\t\t2022\t2023\t2024"]) is None
    assert header_row(["no table here"]) is None


def test_a_row_is_shown_under_its_column_names():
    header = HEADER.split("\t")
    shown = with_columns("15\tSở Văn hóa Thể thao và Du lịch\t\tX", header)
    assert shown == (
        "STT: 15; Tên cơ quan thực hiện: Sở Văn hóa Thể thao và Du lịch; Mở rộng phạm vi áp dụng: (trống); "
        "Duy trì, cải tiến: X"
    )
    # a trailing empty cell is the last column
    assert with_columns("4\tSở Khoa học và Công nghệ\tX", header).endswith(
        "Mở rộng phạm vi áp dụng: X; Duy trì, cải tiến: (trống)"
    )
    assert (
        with_columns(HEADER, header)
        == "STT | Tên cơ quan thực hiện | Mở rộng phạm vi áp dụng | Duy trì, cải tiến"
    )
    assert with_columns("Một câu không phải hàng bảng.", header) == "Một câu không phải hàng bảng."


def test_a_row_of_a_name_and_marks_gets_no_brevity_bonus_in_answers():
    """ "22	UBND Huyện Ninh Sơn	-	X" is short because it is a name and marks: for "UBND huyện được giao nhiệm vụ
    gì" it must not outscore the tasks by its brevity (it still ranks its passage as before)."""
    from types import SimpleNamespace

    from assistant.answering.composer import OfflineComposer
    from assistant.answering.terms import query_terms

    text = "d) Ủy ban nhân dân các huyện:\n- Xây dựng kế hoạch ISO trên địa bàn huyện.\n\n22\tUBND Huyện Ninh Sơn\t-\tX"
    hit = SimpleNamespace(chunk=SimpleNamespace(text=text, index_text=text, heading=""))
    q = "UBND huyện ở Ninh Thuận được giao nhiệm vụ gì?"

    def row_score(for_ranking: bool) -> float:
        cands = OfflineComposer().candidates(
            query_terms(q), frozenset(), [hit], {}, question=q, for_ranking=for_ranking
        )
        return next(c.score for c in cands if c.text.startswith("22\t"))

    assert row_score(False) < row_score(True)


def test_the_kind_of_body_a_question_asks_to_list():
    from assistant.answering.tables import asked_kinds, row_kind

    assert asked_kinds("Theo phụ lục Ninh Thuận, UBND huyện nào phải mở rộng phạm vi?") == ["huyen"]
    assert asked_kinds("co bao nhieu ubnd thi tran, la nhung thi tran nao") == ["thi tran"]
    assert asked_kinds("ngoài UBND huyện, xã thì những sở, ban nào phải mở rộng?") == ["so", "ban"]
    assert asked_kinds("Kế hoạch giao nhiệm vụ gì cho các đơn vị?") == []
    assert [
        row_kind(n) for n in ("UBND Huyện Ninh Sơn", "UBND thị xã Ninh Hòa", "Sở Y tế", "Văn phòng Tỉnh ủy")
    ] == [
        "huyen",
        "thi xa",
        "so",
        None,
    ]


def test_the_rows_of_a_kind_and_the_column_asked():
    from assistant.answering.tables import asked_column, rows_of_kinds, table_rows

    header = ["STT", "Tên cơ quan thực hiện", "Mở rộng phạm vi áp dụng", "Duy trì, cải tiến"]
    texts = [
        "STT\tTên cơ quan thực hiện\tMở rộng phạm vi áp dụng\tDuy trì, cải tiến\n\n3\tSở Nội vụ\t-\tX\n\n"
        "4\tSở Khoa học và Công nghệ\tX",
        "22\tUBND Huyện Ninh Sơn\t-\tX\n\n24\tUBND Huyện Ninh Hải\tX\tX\n\nTổng cộng danh sách có 4 cơ quan.",
    ]
    rows = table_rows(texts, header)
    assert [r.name for r in rows] == [
        "Sở Nội vụ",
        "Sở Khoa học và Công nghệ",
        "UBND Huyện Ninh Sơn",
        "UBND Huyện Ninh Hải",
    ]
    assert rows[1].cells == (
        "4",
        "Sở Khoa học và Công nghệ",
        "X",
        "",
    )  # a lost trailing cell is the last column
    assert texts[1][rows[3].start : rows[3].end] == "24\tUBND Huyện Ninh Hải\tX\tX"  # verbatim offsets
    column = asked_column("huyện nào phải mở rộng phạm vi áp dụng?", header, rows)
    assert column == 2 and asked_column("huyện nào được giao việc gì?", header, rows) is None
    # the names' column is no column of marks, even when the question says "tên cơ quan"
    assert asked_column("tên cơ quan thực hiện của những huyện nào", header, rows) is None
    assert [r.name for r in rows_of_kinds(rows, ["huyen"], column)] == [
        "UBND Huyện Ninh Sơn",
        "UBND Huyện Ninh Hải",
    ]


def test_consecutive_rows_are_one_verbatim_quote_and_the_summary_names_the_marked_ones():
    from assistant.answering.tables import row_quotes, rows_summary, table_rows

    header = HEADER.split("\t")
    texts = [
        "22\tUBND Huyện Ninh Sơn\t-\tX\n\n24\tUBND Huyện Ninh Hải\tX\tX\n\n30\tSở Y tế\t-\tX",
        "27\tUBND Huyện Bác Ái\tX\tX",
    ]
    every = table_rows(texts, header)
    huyen = [r for r in every if "Huyện" in r.name]
    quotes = row_quotes(texts, header, every, huyen)
    assert [(i, q) for i, q, _ in quotes] == [
        (0, "22\tUBND Huyện Ninh Sơn\t-\tX\n\n24\tUBND Huyện Ninh Hải\tX\tX"),  # verbatim, blank line kept
        (1, "27\tUBND Huyện Bác Ái\tX\tX"),  # another chunk: another quote
    ]
    assert quotes[0][2].split("\n")[1].startswith("STT: 24; Tên cơ quan thực hiện: UBND Huyện Ninh Hải")
    assert rows_summary(huyen, header, 2) == (
        "Tổng cộng 3 dòng như trên. Có đánh dấu ở cột “Mở rộng phạm vi áp dụng”: UBND Huyện Ninh Hải, UBND Huyện Bác Ái."
    )
    assert rows_summary(huyen[:1], header, 2).endswith(
        "Không dòng nào trong số đó có đánh dấu ở cột “Mở rộng phạm vi áp dụng”."
    )
