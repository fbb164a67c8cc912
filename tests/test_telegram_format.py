"""Telegram HTML escaping, splitting and rendering with awkward Vietnamese input."""

from __future__ import annotations

import unicodedata

import pytest
from fake_telegram import html_error

from assistant.domain.models import Answer, Chunk, Citation, CurrencyWarning, SearchHit
from bots.telegram.htmlsplit import TELEGRAM_LIMIT, esc, split_html, strip_tags, u16len
from bots.telegram.render import render_answer, render_doc_info, render_passage, section_label


def assert_valid_html(part: str) -> None:
    """Parses as Telegram HTML: known tags, balanced, every ``& < >`` escaped, ≤ 4096 units."""
    assert html_error(part) is None, (html_error(part), part[:200])


def test_esc_escapes_markup_and_normalises_nfd():
    nfd = unicodedata.normalize("NFD", "Kế hoạch <b>ISO</b> & “quản lý”")
    out = esc(nfd)
    assert out == "Kế hoạch &lt;b&gt;ISO&lt;/b&gt; &amp; “quản lý”"
    assert unicodedata.is_normalized("NFC", out)


def test_esc_keeps_document_numbers_readable():
    assert esc("310/KH-UBND (sửa đổi)") == "310/KH-UBND (sửa đổi)"
    assert esc("725.960.000 đồng; 1/3 cơ quan") == "725.960.000 đồng; 1/3 cơ quan"


def test_short_message_is_one_part():
    assert split_html("<b>Nguồn:</b> [1] Kế hoạch 310/KH-UBND") == ["<b>Nguồn:</b> [1] Kế hoạch 310/KH-UBND"]
    assert split_html("   \n") == []


def test_split_prefers_paragraph_boundaries():
    paras = [f"Đoạn {i}: " + "hệ thống quản lý chất lượng " * 40 for i in range(12)]
    markup = "\n\n".join(esc(p.strip()) for p in paras)
    parts = split_html(markup)
    assert len(parts) > 1
    for part in parts:
        assert u16len(part) <= TELEGRAM_LIMIT
        assert part.startswith("Đoạn ")  # every part starts at a paragraph
    assert "\n\n".join(parts) == markup


def test_5000_char_paragraph_without_newline_splits_at_sentences_or_words():
    sentence = "Cơ quan rà soát quy trình & cập nhật <mẫu> theo 310/KH-UBND (sửa đổi). "
    text = (sentence * 80)[:5000]
    markup = esc(text)
    parts = split_html(markup)
    assert len(parts) == 2
    for part in parts:
        assert u16len(part) <= TELEGRAM_LIMIT
        assert_valid_html(part)
    assert parts[0].endswith(".")  # cut after a sentence, not mid-word
    assert strip_tags(" ".join(parts)) == text.strip()


def test_hard_cut_never_breaks_an_entity_or_a_tag():
    markup = "<b>" + "&amp;" * 1500 + "</b>"  # 7507 chars, no space anywhere
    parts = split_html(markup)
    assert len(parts) == 2
    for part in parts:
        assert u16len(part) <= TELEGRAM_LIMIT
        assert part.startswith("<b>") and part.endswith("</b>")
        assert_valid_html(part)
    assert strip_tags("".join(parts)) == "&" * 1500


def test_open_tags_are_closed_and_reopened_across_parts():
    body = "\n".join(esc(f"Dòng {i} <b> không phải thẻ & chữ") for i in range(400))
    markup = f"<i>{body}</i>"
    parts = split_html(markup, limit=1000)
    assert len(parts) > 3
    for part in parts:
        assert u16len(part) <= 1000
        assert part.startswith("<i>") and part.endswith("</i>")
        assert_valid_html(part)


def test_emoji_count_as_two_utf16_units():
    markup = "⚠️ 😀" * 1000  # each 😀 is 2 UTF-16 units
    parts = split_html(markup)
    assert all(u16len(p) <= TELEGRAM_LIMIT for p in parts)
    assert len(parts) >= 2
    assert "".join(p.replace(" ", "") for p in parts) == markup.replace(" ", "")


def test_section_labels():
    assert section_label("II > 3 > a") == "mục II > 3 > a"
    assert section_label("Điều 4 > khoản 4 > điểm a") == "điểm a khoản 4 Điều 4"
    assert section_label("Điều 12") == "Điều 12"
    assert section_label("Phụ lục") == "Phụ lục"
    assert section_label("") == "phần mở đầu"


def _citation(n: int = 1) -> Citation:
    return Citation(
        n=n,
        doc_id="kh-310-2022-ha-tinh",
        chunk_id="c1",
        title="Kế hoạch <ISO> & 9001",
        number="310/KH-UBND",
        section="II > 3",
        quote="trước ngày 15/11 hàng năm",
    )


def test_answer_puts_warnings_first_and_lists_sources():
    answer = Answer(
        answer="Báo cáo gửi Sở KH&CN trước ngày 15/11 hàng năm [1].",
        citations=(_citation(),),
        warnings=(CurrencyWarning(code="merged_province", message="Tỉnh đã sáp nhập <từ 01/07/2025>"),),
    )
    out = render_answer(answer, lambda doc_id, number, title: "Kế hoạch 310/KH-UBND Hà Tĩnh")
    assert out.startswith("⚠️ Tỉnh đã sáp nhập &lt;từ 01/07/2025&gt;")
    assert "Sở KH&amp;CN" in out
    assert "[1] Kế hoạch 310/KH-UBND Hà Tĩnh — mục II &gt; 3" in out
    assert_valid_html(out)


def test_refused_answer_says_so_and_lists_nearest():
    hit = SearchHit(
        chunk_id="c9",
        doc_id="qd-19-2014-qd-ttg",
        title="Quyết định 19/2014/QĐ-TTg",
        number="19/2014/QĐ-TTg",
        section="Điều 4",
        text="Xây dựng, áp dụng <HTQLCL>",
        score=0.1,
    )
    out = render_answer(Answer(answer="", refused=True, nearest=(hit,)))
    assert "Chưa tìm thấy căn cứ" in out
    assert "Các nguồn gần nhất" in out and "Điều 4" in out and "&lt;HTQLCL&gt;" in out
    assert_valid_html(out)


def test_passage_highlights_the_quote_even_with_markup_in_text():
    chunk = Chunk(
        chunk_id="c1",
        doc_id="kh-310-2022-ha-tinh",
        ordinal=3,
        section="II > 3",
        heading="3. Chế độ <b>báo cáo</b>",
        text="Các cơ quan gửi báo cáo trước ngày 15/11 hàng năm & lưu hồ sơ <b>ISO</b>.",
        index_text="…",
    )
    out = render_passage(_citation(), chunk, "Kế hoạch 310/KH-UBND Hà Tĩnh")
    assert "<b>trước ngày 15/11 hàng năm</b>" in out
    assert "&lt;b&gt;ISO&lt;/b&gt;" in out
    assert_valid_html(out)


@pytest.mark.parametrize("limit", [200, 4096])
def test_every_part_of_a_rendered_long_answer_is_valid(limit):
    para = "Cán bộ <ISO> & thư ký 310/KH-UBND (sửa đổi) cần rà soát 😀 hồ sơ. " * 12
    answer = Answer(answer="\n\n".join([para] * 20), citations=(_citation(1), _citation(2)))
    parts = split_html(render_answer(answer), limit=limit)
    for part in parts:
        assert u16len(part) <= limit
        assert_valid_html(part)


def test_doc_info_shows_warnings_first_successor_and_citing_documents():
    info = {
        "query": "144/2006",
        "found_in_catalog": True,
        "display_name": "Quyết định 144/2006/QĐ-TTg",
        "status": "bị thay thế",
        "issued": "2006-06-20",
        "replaced_by": [{"id": "qd-19-2014-qd-ttg", "display_name": "Quyết định 19/2014/QĐ-TTg"}],
        "current_successor": {"id": "qd-19-2014-qd-ttg", "display_name": "Quyết định 19/2014/QĐ-TTg"},
        "held": False,
        "cited_by": [
            {
                "name": "Quyết định 37/QĐ-UBND (Nghệ An)",
                "section": "",
                "quote": "Căn cứ Quyết định số 144/2006/QĐ-TTg <…>;",
            }
        ],
        "warnings": [{"code": "superseded", "message": "Đã bị thay thế bởi Quyết định 19/2014/QĐ-TTg."}],
    }
    out = render_doc_info(info)
    assert out.startswith("⚠️ Đã bị thay thế bởi Quyết định 19/2014/QĐ-TTg.")
    assert "<b>Tình trạng:</b> bị thay thế" in out
    assert "<b>Ngày ban hành:</b> 20/06/2006" in out
    assert "<b>Văn bản đang áp dụng:</b> Quyết định 19/2014/QĐ-TTg" in out
    assert (
        "• Quyết định 37/QĐ-UBND (Nghệ An) — phần mở đầu: “Căn cứ Quyết định số 144/2006/QĐ-TTg &lt;…&gt;;”"
        in out
    )
    assert "query" not in out and "found_in_catalog" not in out
    assert_valid_html(out)
