"""The words of a question that say what it asks about (accent- and neighbour-aware), the parts of a
question that asks several things, and how much of a question a text covers. Pure functions."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import NamedTuple

from ..domain.vntext import fold, strip_diacritics

QWORDS = frozenset(
    "gi nao bao nhieu khi ai la khong thi sao nhu the nhung cac co duoc theo quy dinh hay cho biet vay con"
    " minh toi em can phai lam viec nhu the nao may ko khong luc dau roi ma chung".split()
)
TOKEN = re.compile(r"\w+")

# a question in several parts ("… bao lâu có kết quả, giấy mới có giá trị đến khi nào?"): clauses split at
# punctuation and "và/hay/hoặc/còn", each part being a clause that asks something
_CLAUSE_SPLIT = re.compile(r"[,;?]|\s(?:và|hay|hoặc|rồi|còn|va|hoac|roi|con)\s")
_ASKS_RX = re.compile(
    r"\b(bao lâu|bao nhiêu|bao giờ|nào|ai|đâu|gì|không|ra sao|mấy"
    r"|bao lau|bao nhieu|bao gio|nao|gi|khong)\b"
)

# The written forms in which a word of QWORDS asks rather than says: typed with its marks, "thẻ" (card),
# "tối" (tối đa), "cán" (cán bộ), "báo" (báo cáo), "lâm", "đầu" are content words, and only "thế", "có",
# "tôi", "cần", "làm", "đâu" are the question's frame. "cơ" stays out with "có": "cơ quan" is in nearly
# every passage of the base and says nothing about which one answers.
_QWORD_FORMS = frozenset(
    "gì nào nhiêu khi ai là không thì như thế thể những nhưng các có được theo hay hãy cho biết vậy còn"
    " mình tôi em cần phải làm việc mấy ko khong cơ đâu rồi mà".split()
)
# Words without marks whose reading the neighbours decide: "bao nhiêu" asks, "bao gồm" does not; "tại
# sao" asks, "sao y" is a copy; "quy định" is frame, "quy trình" is not; and, typed without marks,
# "can bo", "toi da", "con dau", "the chuyen gia" are content words.
_ASKS_AFTER = {
    "bao": frozenset({"nhieu", "lau", "gio"}),
    "quy": frozenset({"dinh"}),
    "luc": frozenset({"nao"}),
    "chung": frozenset({"toi", "ta"}),  # "chúng tôi", not "chứng nhận" or "quy định chung"
}
_ASKS_BEFORE = {"sao": frozenset({"tai", "vi", "the", "thi", "lam", "ra"}), "dinh": frozenset({"quy"})}
_SAYS_BEFORE = {
    "can": frozenset({"bo"}),
    "toi": frozenset({"da", "thieu"}),
    "con": frozenset({"dau"}),
    "the": frozenset({"chuyen"}),
    "ma": frozenset({"so", "dinh", "vach", "hoa", "qr", "ho"}),  # "ma so" is "mã số", typed without marks
}


def _asks(words: list[str], plain: list[str], i: int) -> bool:
    """Whether word ``i`` of a question is part of its frame ("bao nhiêu", "có … không") rather than
    what it asks about."""
    p = plain[i]
    if p not in QWORDS:
        return False
    nxt = plain[i + 1] if i + 1 < len(plain) else ""
    prev = plain[i - 1] if i else ""
    if p in _ASKS_AFTER:
        return nxt in _ASKS_AFTER[p]
    if p in _ASKS_BEFORE:
        return prev in _ASKS_BEFORE[p] or p == "sao" and not nxt
    if words[i] != p:  # typed with marks: the marks say which word it is
        return words[i] in _QWORD_FORMS
    if p == "dau":  # "gui dau" asks where, "lan dau" / "con dau" do not
        return prev in {"o", "gui", "ve", "nop", "tu"}
    return nxt not in _SAYS_BEFORE.get(p, ())


def query_terms(text: str) -> list[str]:
    """The accent-free words of a question that say what it is about. One-letter syllables are list markers
    ("a)", "b)") except "y" ("Sở Y tế", "ý kiến"), the one that is a word in these texts."""
    words = TOKEN.findall(fold(text))
    plain = [strip_diacritics(w) for w in words]
    return [
        p
        for i, p in enumerate(plain)
        if (len(p) > 1 or p == "y") and not _asks(words, plain, i) or p.isdigit()
    ]


def accent_forms(question: str) -> dict[str, frozenset[str]]:
    """For a question typed with diacritics: each accent-free term → the written (folded) forms the question
    uses for it. Words typed without marks are left out (they may be unaccented typing, or "iso")."""
    forms: dict[str, set[str]] = {}
    words = TOKEN.findall(fold(question))
    plains = [strip_diacritics(w) for w in words]
    for i, (w, plain) in enumerate(zip(words, plains, strict=True)):
        if plain != w and not _asks(words, plains, i):
            forms.setdefault(plain, set()).add(w)
    return {t: frozenset(f) for t, f in forms.items()}


# "hồ sơ là gì", "lập hồ sơ là làm gì", "đơn vị chủ trì được định nghĩa thế nào": what is to be defined
_DEFINE_Q = re.compile(
    r"([\w ]{2,60}?)\s+(?:la gi|la lam gi|la the nao|la nhu the nao|duoc (?:dinh nghia|hieu) (?:the nao|nhu the nao|la gi))\b"
)
_DEFINE_LEAD = frozenset({"thi", "vay", "con", "ma", "theo", "cho", "biet", "hoi", "va", "la"})


def defined_terms(question: str) -> list[str]:
    """The accent-free phrases a question asks to define ("ho so", "lap ho so"), longest first; the words
    just before "là gì", up to four, after the last "thì", "vậy", "còn" or number."""
    out: list[str] = []
    for m in _DEFINE_Q.finditer(strip_diacritics(question)):
        words = m.group(1).split()[-4:]
        cut = max((i + 1 for i, w in enumerate(words) if w in _DEFINE_LEAD or w.isdigit()), default=0)
        words = words[cut:]
        for n in range(len(words), 0, -1):
            if n >= 2 or len(words) == 1:
                out.append(" ".join(words[-n:]))
    return sorted(dict.fromkeys(out), key=len, reverse=True)


class Part(NamedTuple):
    """One part of a several-part question: the words only it has (``own``) and all its words (``terms``)."""

    own: list[str]
    terms: list[str]


def question_parts(question: str) -> list[Part]:
    """The parts of a question that asks several things, each with its own terms (words that the parts share
    say what the whole question is about) and all its terms ("còn bản chính thì lưu ở đâu" after "bản gốc
    lưu ở văn thư …": "chính" is its own word, "bản chính … lưu" what it asks); ``[]`` for a one-part
    question."""
    clauses = [c for c in _CLAUSE_SPLIT.split(fold(question)) if c and c.strip()]
    parts: list[str] = []
    pending = ""
    for c in clauses:
        if _ASKS_RX.search(c):
            parts.append(f"{pending} {c}")
            pending = ""
        else:
            pending = f"{pending} {c}"
    if len(parts) < 2:
        return []
    terms = [list(dict.fromkeys(query_terms(p))) for p in parts]
    own = [
        [t for t in ts if not any(t in o for o in terms[:i] + terms[i + 1 :])] for i, ts in enumerate(terms)
    ]
    return [Part(o, ts) for o, ts in zip(own, terms, strict=True) if o]


def coverage(terms: Sequence[str], text: str, idf: Mapping[str, float]) -> float:
    """Share of the question's (idf-weighted) terms that appear in ``text``."""
    uniq = list(dict.fromkeys(terms))
    if not uniq:
        return 0.0
    present = set(TOKEN.findall(strip_diacritics(text)))
    total = sum(idf.get(t, 3.0) for t in uniq) or 1.0
    return sum(idf.get(t, 3.0) for t in uniq if t in present) / total
