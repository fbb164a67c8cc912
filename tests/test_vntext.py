"""The Vietnamese text module: normalisation, folding, accent stripping, provinces."""

import unicodedata

from assistant.domain.geo import find_provinces
from assistant.domain.vntext import doc_key, fold, has_diacritics, nfc, strip_diacritics, syllables


def test_nfc_turns_nfd_into_nfc_and_drops_invisible_characters():
    nfd = unicodedata.normalize("NFD", "Quản lý chất lượng")
    assert nfd != "Quản lý chất lượng"
    assert nfc(nfd + "\u200b\ufeff") == "Quản lý chất lượng"


def test_fold_unifies_tone_placement_and_case():
    assert fold("Hoà Bình") == fold("Hòa Bình") == "hòa bình"
    assert fold("Uỷ ban") == fold("Ủy ban") == "ủy ban"
    assert fold("thuỷ lợi") == fold("thủy lợi")
    assert fold("hoá đơn") == fold("hóa đơn")
    # the mark in the middle of a syllable is the same in both styles and is left alone
    assert fold("hoàn thành") == "hoàn thành"
    # "quý" keeps its mark (u belongs to "qu")
    assert fold("Quý IV") == "quý iv"


def test_strip_diacritics_for_queries_typed_without_accents():
    assert strip_diacritics("Hạn báo cáo ISO Đồng Nai") == "han bao cao iso dong nai"
    assert not has_diacritics("han bao cao iso ninh thuan")
    assert has_diacritics("hạn báo cáo")
    assert has_diacritics("Đ")


def test_syllables_keep_kh_and_cn_together():
    assert "kh&cn" in syllables("Sở KH&CN tỉnh")


def test_doc_numbers_in_any_spelling_reach_one_key():
    assert (
        doc_key("19/2014/QĐ-TTg")
        == doc_key("QĐ19/2014/QD-TTg")
        == doc_key("19/2014/qd-ttg")
        == "19/2014/qd-ttg"
    )
    assert doc_key("116/2015/tt-btc") == "116/2015/tt-btc"
    assert doc_key("nđ-cp 30/2020") == doc_key("30/2020/NĐ-CP") == "30/2020/nd-cp"
    assert doc_key("TT26") == "tt-26"
    assert doc_key("qd 19/2014") == "19/2014/qd"
    assert doc_key("310 /KH-UBND") == "310/kh-ubnd"
    assert doc_key("ngày 15/11 hàng năm") is None


def test_provinces_found_with_or_without_diacritics_and_not_inside_common_words():
    assert find_provinces("Hạn báo cáo ISO của Ninh Thuận?") == ["Ninh Thuận"]
    assert find_provinces("han bao cao iso ninh thuan") == ["Ninh Thuận"]
    assert find_provinces("Kế hoạch tỉnh Hoà Bình") == ["Hòa Bình"]
    assert find_provinces("báo cáo hàng năm") == []
    assert find_provinces("Còn Hà Tĩnh thì sao?") == ["Hà Tĩnh"]
