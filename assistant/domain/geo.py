"""Provinces of Viet Nam (the 63 names in the documents, before the 2025 merger) and detection in text."""

from __future__ import annotations

import re

from .vntext import fold, has_diacritics, strip_diacritics

PROVINCES: tuple[str, ...] = (
    "Hà Nội",
    "Hồ Chí Minh",
    "Hải Phòng",
    "Đà Nẵng",
    "Cần Thơ",
    "An Giang",
    "Bà Rịa - Vũng Tàu",
    "Bắc Giang",
    "Bắc Kạn",
    "Bạc Liêu",
    "Bắc Ninh",
    "Bến Tre",
    "Bình Định",
    "Bình Dương",
    "Bình Phước",
    "Bình Thuận",
    "Cà Mau",
    "Cao Bằng",
    "Đắk Lắk",
    "Đắk Nông",
    "Điện Biên",
    "Đồng Nai",
    "Đồng Tháp",
    "Gia Lai",
    "Hà Giang",
    "Hà Nam",
    "Hà Tĩnh",
    "Hải Dương",
    "Hậu Giang",
    "Hòa Bình",
    "Hưng Yên",
    "Khánh Hòa",
    "Kiên Giang",
    "Kon Tum",
    "Lai Châu",
    "Lâm Đồng",
    "Lạng Sơn",
    "Lào Cai",
    "Long An",
    "Nam Định",
    "Nghệ An",
    "Ninh Bình",
    "Ninh Thuận",
    "Phú Thọ",
    "Phú Yên",
    "Quảng Bình",
    "Quảng Nam",
    "Quảng Ngãi",
    "Quảng Ninh",
    "Quảng Trị",
    "Sóc Trăng",
    "Sơn La",
    "Tây Ninh",
    "Thái Bình",
    "Thái Nguyên",
    "Thanh Hóa",
    "Thừa Thiên Huế",
    "Tiền Giang",
    "Trà Vinh",
    "Tuyên Quang",
    "Vĩnh Long",
    "Vĩnh Phúc",
    "Yên Bái",
)
_ALIASES = {
    "Thừa Thiên Huế": ("Huế",),
    "Hồ Chí Minh": ("TP.HCM", "TPHCM", "Sài Gòn"),
    "Bà Rịa - Vũng Tàu": ("Vũng Tàu", "Bà Rịa"),
}


def _pattern(name: str) -> str:
    parts = [re.escape(p) for p in re.split(r"[\s\-]+", name) if p]
    return r"(?<!\w)" + r"[\s\-]+".join(parts) + r"(?!\w)"


_FOLDED = [(p, re.compile(_pattern(fold(n)))) for p in PROVINCES for n in (p, *_ALIASES.get(p, ()))]
_PLAIN = [
    (p, re.compile(_pattern(strip_diacritics(n)))) for p in PROVINCES for n in (p, *_ALIASES.get(p, ()))
]


def find_provinces(text: str) -> list[str]:
    """Provinces named in ``text`` (canonical spelling), in order of first appearance.

    Text typed without diacritics is matched accent-free; text with diacritics is matched exactly
    (folded), so "hàng năm" never reads as "Hà Nam".
    """
    if has_diacritics(text):
        src, pats = fold(text), _FOLDED
    else:
        src, pats = strip_diacritics(text), _PLAIN
    hits: dict[str, int] = {}
    for prov, pat in pats:
        m = pat.search(src)
        if m and (prov not in hits or m.start() < hits[prov]):
            hits[prov] = m.start()
    # "Hà Nam" inside "Hà Nam Ninh" etc. are rare; longest names win when spans overlap
    return sorted(hits, key=hits.get)
