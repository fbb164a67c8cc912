"""Recognise onboarding questions ("Tôi mới được giao làm ISO, bắt đầu từ đâu?") — pure and fast.

Every other question must return ``False`` so normal questions go to retrieval untouched.
"""

from __future__ import annotations

import re

from ..domain.vntext import strip_diacritics

_ISO = r"(iso|htqlcl|he thong quan ly chat luong|quan ly chat luong)"
_STRONG = [
    # "mới được giao / phân công làm ISO", "mới làm ISO", "mới phụ trách ISO"
    rf"\bmoi\s+(duoc\s+)?(giao|phan cong|nhan|lam|phu trach|tiep nhan|chuyen sang)\b.{{0,40}}?\b{_ISO}",
    rf"\b(nguoi|can bo|thu ky)\s+moi\b.{{0,40}}?\b{_ISO}",
    rf"\b{_ISO}\b.{{0,30}}?\b(nguoi moi|cho nguoi moi|moi bat dau)\b",
    rf"\bhoc\s+{_ISO}\b.{{0,30}}?\b(bat dau|tu dau|the nao|o dau|lo trinh)",
    r"\b(can|nen|phai)\s+hoc\s+(gi|nhung gi|cai gi)\b",
    r"\blo trinh\s+(hoc|tim hieu)\b",
    rf"\b(bat dau|khoi dau)\s+(tim hieu|hoc|lam)\s+{_ISO}",
    rf"\b(lam quen|nhap mon)\b.{{0,20}}?\b{_ISO}",
]
_START = r"\b(bat dau|nen bat dau)\s+(tu dau|tu cai gi|tu viec gi|the nao|nhu the nao|ra sao)\b"
_STRONG_RE = [re.compile(p) for p in _STRONG]
_START_RE = re.compile(_START)
_ISO_RE = re.compile(rf"\b{_ISO}\b")
# a document by its number ("19/2014", "310/KH-UBND") or by kind and number ("Kế hoạch 310", "Điều 9")
_DOC_NUMBER = re.compile(
    r"\d+\s*/\s*(\d{4}|[a-z])|\b(ke hoach|quyet dinh|thong tu|nghi dinh|cong van|qd|tt|kh|nd|dieu)\s*(so\s*)?\d+\b",
    re.IGNORECASE,
)
_LEARN = re.compile(
    r"\b(nen|can|phai) (doc|hoc|xem|tim hieu|nam|lam (nhung )?(gi|viec gi))\b"
)  # "nên đọc văn bản nào trước": a path
# a question of its own after "tôi mới làm ISO": who, when, how long, how many, which one, what, yes or no,
# this or that
_SPECIFIC = re.compile(
    r"\b(ai|khi nao|luc nao|bao lau|bao nhieu|thoi han|han chot)\b"
    r"|\b(?!the\b)\w+ nao\b(?! ?(bat dau|hoc))"  # "văn bản nào", "cơ quan nào"; not "làm thế nào"
    r"|\bco\s+\w+.{0,80}\b(khong|ko)\b"  # "có phải … không", "có tính trung tâm y tế … không"
    r"|\bnhung (\w+ ){0,2}gi\b|\b\w+ hay (la )?\w+"  # "những thông tin gì", "tự làm hay chờ Sở"
    r"|\b(ghi|viet|dien|trinh bay|danh so|dong dau)\s+(\w+\s+){0,2}gi\b"  # "ghi chữ viết tắt gì": a form's detail
)
MAX_CHARS = 300


def is_onboarding_question(question: str) -> bool:
    """True for "where do I start / what must I learn" questions of an officer new to ISO."""
    if not question or len(question) > MAX_CHARS:
        return False
    plain = " ".join(strip_diacritics(question).split())
    if _DOC_NUMBER.search(plain):  # about a specific document: a normal question
        return False
    strong = [m for p in _STRONG_RE for m in [p.search(plain)] if m]
    if strong:
        # "Tôi mới làm thư ký ISO, danh mục hồ sơ do ai duyệt?" asks that question; the newcomer is context
        rest = plain
        for m in strong:
            rest = rest.replace(m.group(0), " ")
        rest = _START_RE.sub(" ", rest)
        # several questions in a row ("… ghi gì? Ký thừa ủy quyền thì ghi gì?") are questions of their own too
        return bool(_LEARN.search(rest)) or not (_SPECIFIC.search(rest) or rest.count("?") >= 2)
    if _START_RE.search(plain):
        # "bắt đầu từ đâu?" alone, or with ISO / "tôi" context; not "kế hoạch … bắt đầu từ năm nào"
        words = len(plain.split())
        return words <= 6 or bool(_ISO_RE.search(plain)) or bool(re.search(r"\b(toi|em|minh)\b", plain))
    return False
