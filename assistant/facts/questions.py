"""Read a question for the facts route: which kinds of facts it asks for, which province, the topic words.

Works with or without diacritics ("hạn báo cáo ISO Đồng Nai" = "han bao cao iso dong nai").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..domain.geo import find_provinces
from ..domain.vntext import strip_diacritics

# accent-free cues → intent
_CUES: dict[str, tuple[str, ...]] = {
    "deadline": (
        r"\bhan\b(?! che)",
        r"khi nao",
        r"thoi han",
        r"bao gio",
        r"ngay nao",
        r"thang nao",
        r"luc nao",
        r"han chot",
        r"thoi diem nao",
        r"truoc ngay nao",
    ),
    "agency": (
        r"ai chu tri",
        r"\bchu tri\b",
        r"co quan nao",
        r"don vi nao",
        r"\bphoi hop\b",
        r"ai phu trach",
        r"ai lam",
        r"so nao",
        r"ai thuc hien",
        r"ai chiu trach nhiem",
    ),
    "amount": (
        r"bao nhieu tien",
        r"kinh phi",
        r"muc chi",
        r"chi phi",
        r"ngan sach",
        r"bao nhieu dong",
        r"\btrieu\b",
        r"du toan",
    ),
    "target": (
        r"chi tieu",
        r"bao nhieu co quan",
        r"bao nhieu phan tram",
        r"bao nhieu %",
        r"muc tieu",
        r"bao nhieu don vi",
        r"bao nhieu lop",
        r"bao nhieu truong",
        r"ty le",
        r"\bphan tram\b",
    ),
}
_CUE_RE = {k: re.compile("|".join(v)) for k, v in _CUES.items()}
# words that belong to the question form, not to its topic
_FORM_WORDS = re.compile(
    r"\b(?:"
    + "|".join(p.replace(r"\b", "").replace("(?! che)", "") for v in _CUES.values() for p in v)
    + r"|la|gi|vay|a|nhi|the nao|bao nhieu|cho biet|xin|hoi|can|phai|nop|ngay|thang|tinh|thanh pho|theo|"
    r"quy dinh|duoc|cua|o|tai|dinh ky)\b"
)


@dataclass(frozen=True)
class FactQuestion:
    intents: tuple[str, ...]  # deadline | agency | amount | target, in the order they should be answered
    provinces: tuple[str, ...]  # provinces named in the question (canonical spelling)
    topic: str  # accent-free topic words ("bao cao iso")


def read_question(question: str) -> FactQuestion:
    plain = strip_diacritics(question)
    intents = tuple(k for k, rx in _CUE_RE.items() if rx.search(plain))
    provinces = tuple(find_provinces(question))
    topic = plain
    for p in provinces:
        topic = re.sub(r"\b" + re.escape(strip_diacritics(p)) + r"\b", " ", topic)
    topic = _FORM_WORDS.sub(" ", re.sub(r"[^\w%]+", " ", topic))
    return FactQuestion(intents=intents, provinces=provinces, topic=" ".join(topic.split()))
