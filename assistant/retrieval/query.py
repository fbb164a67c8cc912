"""Query understanding (pure): normalisation, follow-ups, abbreviations, document numbers, provinces, years."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..domain.geo import find_provinces
from ..domain.models import Turn
from ..domain.vntext import DocRef, fold, has_diacritics, nfc, parse_doc_numbers, strip_diacritics


@dataclass(frozen=True)
class GlossaryPair:
    """An abbreviation and its long form (from the onboarding glossary)."""

    short: str
    long: str
    canonical: str = ""  # the abbreviation written in the rewritten query (the term's first one)
    one_way: bool = False  # a typing shorthand ("VB"): replaced by its long form; the long form is left alone


class Expander:
    """Adds the long form of abbreviations in a query, and the abbreviation of long forms."""

    def __init__(self, pairs: Sequence[GlossaryPair]) -> None:
        self._pairs = []
        for p in pairs:
            short_plain = strip_diacritics(p.short)
            long_plain = strip_diacritics(p.long)
            if p.one_way:  # not inside a document number ("310/KH-UBND") nor a joined name ("KH&CN")
                short_re = re.compile(rf"(?<![\w/&-]){re.escape(short_plain)}(?![\w/&-])")
            else:
                short_re = re.compile(rf"(?<!\w){re.escape(short_plain)}(?!\w)")
            long_re = None if p.one_way else re.compile(rf"(?<!\w){re.escape(long_plain)}(?!\w)")
            self._pairs.append((p, short_re, long_re))

    def expand(self, text: str) -> str:
        """Rewrite every abbreviation or long form in place as ``long (SHORT)``, so that both spellings
        of a question become the same query."""
        plain = strip_diacritics(text)
        if len(plain) != len(text):  # offsets would not line up (unusual characters): append instead
            return text
        spans: list[tuple[int, int, GlossaryPair]] = []
        for pair, short_re, long_re in self._pairs:
            for rx in (long_re, short_re):
                if rx is not None:
                    spans.extend((m.start(), m.end(), pair) for m in rx.finditer(plain))
        spans.sort(key=lambda x: (x[0], -(x[1] - x[0])))
        out: list[str] = []
        pos = 0
        for a, b, pair in spans:
            if a < pos:
                continue
            out.append(text[pos:a])
            out.append(pair.long if pair.one_way else f"{pair.long} ({pair.canonical or pair.short})")
            pos = b
        out.append(text[pos:])
        return "".join(out)


_FOLLOWUP = re.compile(
    r"^\s*(còn|thế còn|vậy còn|con|the con|vay con|còn với|đối với|ở|o|trong (số )?đó|trong (so )?do"
    r"|thế riêng|vậy riêng|riêng|the rieng|vay rieng|rieng)\b"
    r"|thì sao\s*\??\s*$|thi sao\s*\??\s*$",
    re.IGNORECASE,
)
# a word that points back to the previous turn: "việc đó", "tổ này", "đoàn kiểm tra ấy", "Đó là …", "Thế nếu …"
# (typed without marks only after a noun that takes it: "do ai" is "by whom", "nay" also "now")
_POINTS_BACK = re.compile(
    r"\b\w+\s+(đó|này|ấy)\b|^\s*(đó|thế nếu|vậy nếu|nếu vậy|nếu thế)\b"
    r"|\b(viec|to|doan|co quan|don vi|van ban|ke hoach|quy dinh|phan|muc|dieu|khoan|noi dung|truong hop)"
    r"\s+(do|nay|ay)\b(?!\s+(ai|la ai))|^\s*(the neu|vay neu|neu vay|neu the)\b",
    re.IGNORECASE,
)
# a year, but not the version of a standard ("ISO 9001:2015", "18091:2020") nor part of a number ("19/2014")
_YEAR = re.compile(r"(?<![\d:/.])(19[89]\d|20[0-4]\d)(?![\d/])")


@dataclass(frozen=True)
class QueryAnalysis:
    original: str
    text: str  # the standalone question (follow-up resolved), NFC
    expanded: str  # with abbreviation expansions
    accented: bool
    refs: tuple[DocRef, ...] = ()
    provinces: tuple[str, ...] = ()
    years: tuple[int, ...] = ()
    followup_of: str | None = None
    intents: frozenset[str] = field(default_factory=frozenset)
    # what this turn itself asks when it was joined to the previous question ("Bước công bố cần làm gì?"
    # after "QĐ 19 quy định mấy bước?"): its words weigh more when the answering sentence is chosen
    focus: str | None = None


_INTENTS = {
    "deadline": r"\b(khi nao|bao gio|han|thoi han|thoi gian|truoc ngay|ngay nao|thang nao|nam nao|luc nao|dinh ky)\b",
    "agency": r"\b(ai|co quan nao|don vi nao|chu tri|phoi hop|trach nhiem|so nao|giao cho)\b",
    "amount": r"\b(bao nhieu tien|kinh phi|muc chi|chi phi|le phi|muc phi|bao nhieu dong|trieu dong|ty dong|trieu|ngan sach|du toan"
    r"|tien)\b",
    "count": r"\b(bao nhieu|may|so luong|ty le|chi tieu|phan tram|%)\b",
    "legal": r"\b(can cu|van ban nao|quyet dinh nao|thong tu nao|nghi dinh nao|luat nao|so hieu|so may"
    r"|thay the|dua (tren|vao))\b",
    "steps": r"\b(buoc|cac buoc|trinh tu|quy trinh|thu tuc|ho so|lam gi|nhung gi|can lam)\b",
    "list": r"\b(gom nhung|bao gom nhung|gom (cac|may)|nhung (noi dung|nhiem vu|trach nhiem|viec|buoc|tai lieu|giay to|ho so)"
    r" (nao|gi)|cac buoc|liet ke)\b",
}


def years_in(text: str) -> tuple[int, ...]:
    """The years a text names, sorted (not "9001:2015", not "19/2014")."""
    return tuple(sorted({int(y) for y in _YEAR.findall(text)}))


def detect_intents(text: str) -> frozenset[str]:
    plain = strip_diacritics(text)
    return frozenset(k for k, pat in _INTENTS.items() if re.search(pat, plain))


def resolve_followup(question: str, history: Sequence[Turn] | None) -> tuple[str, str | None]:
    """ "Còn Hà Tĩnh thì sao?" after a question about Ninh Thuận → that question, about Hà Tĩnh."""
    if not history:
        return question, None
    prev = history[-1].question
    short = len(question.split()) <= 8
    if not (_FOLLOWUP.search(question) or short or _POINTS_BACK.search(question)):
        return question, None
    new_prov = find_provinces(question)
    base = prev
    if new_prov:
        for p in find_provinces(prev):
            for variant in {p, fold(p), strip_diacritics(p)}:
                base = re.sub(re.escape(variant), new_prov[0], base, flags=re.IGNORECASE)
        if base == prev and new_prov[0] not in prev:
            base = f"{prev} {new_prov[0]}"
        rest = _FOLLOWUP.sub("", question).strip(" ?")
        rest = re.sub(re.escape(new_prov[0]), "", rest, flags=re.IGNORECASE).strip(" ,?")
        if rest and fold(rest) not in ("", "tỉnh", "tinh", "của", "cua"):
            base = f"{base} {rest}"
        return base, prev
    new_years = _YEAR.findall(question)
    if new_years and _YEAR.search(prev):  # "Năm 2023 thì sao?" asks the same about another year
        base = _YEAR.sub(new_years[0], prev)
        rest = _YEAR.sub("", _FOLLOWUP.sub("", question)).strip(" ,?")
        rest = re.sub(r"^(năm|nam)\b", "", rest, flags=re.IGNORECASE).strip(" ,?")
        return (f"{base} {rest}" if rest else base), prev
    return f"{prev} {question}", prev


# How people ask → how the texts say it. Appended to the search text (not to what is shown or quoted):
# a new officer asks "bắt đầu từ đâu", the decision says "các bước xây dựng và áp dụng".
_PHRASINGS = (
    (
        re.compile(
            r"\bbat dau (tu dau|nhu the nao|the nao|ra sao)|\blam (the nao|sao) de (xay dung|ap dung)"
        ),
        "các bước xây dựng và áp dụng",
    ),
    (re.compile(r"\bbat buoc\b|\bco (phai|can) .{3,60} (khong|ko)\b"), "phải đối tượng áp dụng"),
)


# "một Sở thuê tư vấn…", "sở được chi…": a department in general (not "Chi cục thuộc Sở"), which the texts call
# "cơ quan chuyên môn thuộc Ủy ban nhân dân cấp tỉnh" (read with marks: "số" is a number, "sổ" a book)
_A_SO = re.compile(
    r"\b(?:(?:một|mỗi|các|cho|đối với)\s+sở\b(?!\s+[A-ZĐ])|(?<!thuộc )sở\s+(?:thuê|được|phải|có|muốn|cần|tự|xây dựng"
    r"|áp dụng|mở rộng|duy trì|chi|làm)\b)",
)
_A_SO_TERMS = "cơ quan chuyên môn thuộc Ủy ban nhân dân cấp tỉnh"


def phrasing_terms(text: str) -> str:
    plain = strip_diacritics(text)
    out = [add for rx, add in _PHRASINGS if rx.search(plain)]
    if _A_SO.search(re.sub(r"\bSở\b", "sở", nfc(text))):
        out.append(_A_SO_TERMS)
    return " ".join(out)


# a sentence that asks: a question word or a question mark ("Cơ quan tôi định thuê tư vấn. Theo Thông tư 116,
# tiền thuê được chi cho những việc gì?" tells, then asks)
# (read with the marks when it has them: "lần đầu" does not ask "đâu")
_ASKS = re.compile(r"\?\s*$|\b(bao lâu|bao nhiêu|bao giờ|nào|ai|đâu|gì|không|ko|ra sao|mấy|thế nào|sao)\b")
_ASKS_PLAIN = re.compile(
    r"\?\s*$|\b(bao lau|bao nhieu|bao gio|nao|ai|dau|gi|khong|ko|ra sao|may|the nao|sao)\b"
)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZĐÀ-Ỹ])")


def _has_question_word(text: str) -> bool:
    return bool((_ASKS if has_diacritics(text) else _ASKS_PLAIN).search(fold(text)))


def asks_something(text: str) -> bool:
    """Whether a sentence or turn asks a question of its own ("… thì phản ánh về đâu?"), rather than only
    pointing to another subject ("Còn Nghị định 30?")."""
    return _has_question_word(_FOLLOWUP.sub(" ", text).rstrip(" ?"))


def asked_sentences(question: str) -> str | None:
    """The sentences of a question that ask, when others only tell (the background the user gives); ``None``
    when every sentence asks or there is only one."""
    sents = [s for s in _SENTENCE_END.split(question) if s.strip()]
    if len(sents) < 2:
        return None
    asked = [s for s in sents if _has_question_word(s)]
    if not asked or len(asked) == len(sents):
        return None
    return " ".join(asked)


def analyze(question: str, history: Sequence[Turn] | None, expander: Expander | None) -> QueryAnalysis:
    q = nfc(question).strip()
    text, prev = resolve_followup(q, history)
    expanded = expander.expand(text) if expander else text
    extra = phrasing_terms(text)
    if extra:
        expanded = f"{expanded} {extra}"
    focus = q if prev is not None and text.endswith(q) and text != q else None
    if prev is None:
        # the background a user gives before asking weighs less than what is asked, as an earlier turn does
        focus = asked_sentences(q)
    # a follow-up joined to the previous question asks what it asks itself ("Bước công bố cần làm gì?"
    # after "mấy bước?" wants steps, not a count); its own intents win when it has any
    intents = (detect_intents(focus) if focus else frozenset()) or detect_intents(text)
    return QueryAnalysis(
        original=q,
        text=text,
        expanded=expanded,
        accented=has_diacritics(text),
        refs=tuple(parse_doc_numbers(text)),
        provinces=tuple(find_provinces(text)),
        years=years_in(text),
        followup_of=prev,
        intents=intents,
        focus=focus,
    )
