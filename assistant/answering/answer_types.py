"""What kind of answer a question asks for, and whether a passage sentence can be that answer (pure).

"Bao nhiêu cơ quan…?" is answered by a number written next to "cơ quan" ("106 cơ quan", "42 đơn vị"),
not by "100% TTHC"; "bao nhiêu phần trăm" by a percentage; "số điện thoại" by a phone number; "ai là
trưởng ban" by a person's name. A passage that has none of these does not answer the question, however
many of its words it shares; the answering service refuses instead of quoting a neighbour.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..domain.vntext import has_diacritics, nfc, strip_diacritics

# counted noun in the question (accent-free) → nouns that may stand next to the number in the text
_UNITS: dict[str, tuple[str, ...]] = {
    "co quan": ("co quan", "don vi", "cq", "so", "nganh"),
    "don vi": ("don vi", "co quan", "dv"),
    "so nganh": ("so", "nganh", "co quan", "don vi"),
    "hoc vien": ("hoc vien", "nguoi"),
    "nguoi": ("nguoi", "hoc vien", "thanh vien", "can bo"),
    "thanh vien": ("thanh vien", "nguoi"),
    "khoa": ("khoa", "lop"),
    "lop": ("lop", "khoa"),
    "tiet": ("tiet",),
    "buoi": ("buoi",),
    "nam": ("nam",),
    "thang": ("thang",),
    "ngay": ("ngay", "ngay lam viec"),
    "tuan": ("tuan",),
    "buoc": ("buoc",),
    "diem": ("diem",),
    "truong": ("truong",),
    "xa": ("xa",),
    "huyen": ("huyen",),
    "benh vien": ("benh vien",),
    "thu tuc": ("thu tuc", "tthc"),
    "tthc": ("tthc", "thu tuc"),
    "quy trinh": ("quy trinh",),
    "lan": ("lan",),
    "dot": ("dot",),
    "ban": ("ban",),
    "tinh": ("tinh",),
    "chuyen gia": ("chuyen gia", "nguoi"),
    "to chuc": ("to chuc",),
}
_SO_SAFE = frozenset(
    "co quan|don vi|nguoi|hoc vien|tthc|thu tuc|quy trinh|truong|xa|huyen|benh vien|lan|dot|to chuc".split(
        "|"
    )
)
_PERCENT_Q = re.compile(r"\b(bao nhieu|may) (phan tram|%)|\bty le\b.*\b(bao nhieu|may)\b|\bbao nhieu %")
# a lookahead, so that "trụ sở bao nhiêu cơ quan" finds "bao nhiêu cơ quan" after the "sở bao" it overlaps
_COUNT_Q = re.compile(r"\b(?=(bao nhieu|may|so luong|so)\s+(\w+(?:\s\w+)?))")
# a count as the documents write it (lower case, with its marks: "sáu" is six, "sau" is not); not a year,
# not a part of a document number ("số 01/2010"), but a fraction ("1/3 số cơ quan"); "tư" is left out: in
# these texts it is "Thông tư"
_COUNT_NUM = re.compile(
    r"(?<![\w/.:-])(?:\d/\d(?![\d/])|\d[\d.,]*(?:\s*[-–]\s*\d+)?|một|hai|ba|bốn|năm|sáu|bảy|tám|chín|mười|mươi|trăm"
    r"|nghìn)(?:\s*\([^)]{1,20}\))?(?![\w/:])"
)
_YEAR = re.compile(r"(?:19|20)\d\d")
_PLAIN_NUM = (
    r"(?:\d[\d.,]*(?:\s*[-–]\s*\d+)?|mot|hai|ba|bon|tu|nam|sau|bay|tam|chin|muoi|tram|nghin)"
    r"(?:\s*\([^)]{1,20}\))?"
)
_PERCENT = re.compile(r"\d+(?:[.,]\d+)?\s*%|\bphần trăm\b", re.IGNORECASE)
_PHONE_Q = re.compile(r"\b(so dien thoai|dien thoai|sdt|hotline|so fax|fax)\b")
_PHONE = re.compile(r"(?<![\d/])(?:0|\+84)(?:[ .]?\d){8,10}(?![\d/])")
_EMAIL_Q = re.compile(r"\b(email|e-mail|thu dien tu|hop thu)\b")
_EMAIL = re.compile(r"[\w.-]+@[\w-]+\.[\w.]+")
_WEB_Q = re.compile(r"\b(website|trang web|dia chi web|duong link|link)\b")
_WEB = re.compile(r"https?://|www\.|\.gov\.vn|\.vn/", re.IGNORECASE)
_PERSON_Q = re.compile(
    r"\bai la (truong|pho truong|giam doc|pho giam doc|chu tich|pho chu tich|chanh van phong|to truong"
    r"|thu ky|bi thu)\b"
    # "họ tên trưởng ban là gì", "cho biết họ tên …"; not "có được ghi 'TS.' trước họ tên người ký không"
    r"|\b(cho biet|xin) (ho ten|ho va ten|ten)\b"
    r"|\b(ho ten|ho va ten|ten (cua )?(ong|ba|nguoi|can bo|lanh dao))\b[^.?!,;]{0,40}?\b(la gi|gi|la ai|ai)\b"
)
# a form of an annex ("Mẫu 11. BCTV", "mẫu số 3"), accent-free; the texts held cite their forms without holding
# them
FORM_Q = re.compile(r"\bmau\s+(?:so\s+)?(\d{1,2})\b")
_PERSON = re.compile(r"\b(Ông|Bà|ông|bà|đồng chí|Đồng chí|Đ/c|đ/c)\s+[A-ZĐÂĂÊÔƠƯ][\wÀ-ỹ]*", re.UNICODE)


@dataclass(frozen=True)
class AnswerType:
    """The kind of value the question asks for; ``None`` fields mean "any text may answer"."""

    kind: str  # "count", "percent", "phone", "email", "web", "person" or "any"
    unit: str | None = None
    more_units: tuple[str, ...] = ()  # "mấy lần kiểm tra, mỗi lần bao nhiêu tiết": either count answers

    def matches(self, text: str, context: str = "") -> bool:
        """Whether ``text`` (a sentence) can be that answer; ``context`` is its passage's header
        (a table row's column headers name the unit its numbers count)."""
        if self.kind == "any":
            return True
        if self.kind == "percent":
            return bool(_PERCENT.search(text))
        if self.kind == "phone":
            return bool(_PHONE.search(text))
        if self.kind == "email":
            return bool(_EMAIL.search(text))
        if self.kind == "web":
            return bool(_WEB.search(text))
        if self.kind == "person":
            return bool(_PERSON.search(text))
        # count: a number written next to the counted noun
        plain = strip_diacritics(text)
        nouns = [n for u in (self.unit, *self.more_units) for n in _UNITS.get(u or "", (u,))]
        alt = "|".join(re.escape(n) for n in nouns if n)
        if _count_next_to(text, plain, alt):
            return True
        # "gồm mấy bước, là những bước nào": the numbered steps are the count ("1. Tiếp nhận … 2. Đăng ký …")
        if "buoc" in nouns and len(_ITEM_MARK.findall(text)) >= 2:
            return True
        # a table row: numbers in cells, the noun in the column header
        if "|" in text and re.search(r"\d", text):
            return bool(re.search(rf"(?<!\w)(?:{alt})(?!\w)", strip_diacritics(context)))
        return False


ANY = AnswerType("any")
_ITEM_MARK = re.compile(r"(?:^|\s)(?:\d{1,2}\.|[a-zđ]\))\s+\w")  # a numbered or lettered list item


def _count_next_to(text: str, plain: str, nouns: str) -> bool:
    """A count directly before one of ``nouns`` (one word may stand between: "106 cơ quan", "15 Sở,
    ngành"). Number words are read with their marks, so "sau khi các cơ quan" has no six in it; "Thông tư
    số" is not "four Sở"; a year ("năm 2022 các cơ quan") is not a count."""
    low = nfc(text).lower()
    after = re.compile(rf"\s+(?:\w+\s+)?(?:{nouns})(?!\w)")
    next_to = re.compile(rf"(?:\s*\([^)]{{1,20}}\))?\s+(?:{nouns})(?!\w)")
    if len(low) != len(plain) or not has_diacritics(low):  # typed without marks: read the bare letters
        return bool(re.search(rf"(?<!\w){_PLAIN_NUM}{after.pattern}", plain))
    for m in _COUNT_NUM.finditer(low):
        word = m.group(0).split("(")[0].strip()
        if _YEAR.fullmatch(word) or word[0].isdigit() and low[: m.start()].endswith("năm "):
            continue
        if word == "năm" and re.match(r"\s+\d", low[m.end() :]):  # "năm 2022", a year
            continue
        # a number word names its noun at once ("ba cơ quan"): "hằng năm tại cơ quan" counts nothing
        if after.match(plain, m.end()) and (word[0].isdigit() or next_to.match(plain, m.end())):
            return True
    return False


# "mấy" is also "a few": "Mấy TTHC tương tự nhau có được gộp chung không?", "xin thẻ cho mấy chuyên gia mới
# tuyển thì chờ bao lâu?" ask something else; "có mấy bước", "gồm mấy", "là mấy" still ask a count
_ASKS_OTHERWISE = re.compile(
    r"\b(khong|ko|chua)\s*\??\s*$|\bbao lau\b|\bkhi nao\b|\bluc nao\b|\bo dau\b|\bai\b|\bthe nao\b|\bra sao\b"
)
_COUNTING_VERB = re.compile(r"\b(co|gom|la|duoc|tong|mat|chia|lam|trong|bao gom|tat ca)\s+may\b")


def may_is_indefinite(plain: str) -> bool:
    """Whether "mấy" in an accent-free question means "some" rather than "how many"."""
    return bool(_ASKS_OTHERWISE.search(plain)) and not _COUNTING_VERB.search(plain)


_AMOUNT_Q = re.compile(
    r"bao nhieu (tien|dong|kinh phi|chi phi|ngan sach)|(kinh phi|chi phi|ngan sach)( \w+){0,4} bao nhieu"
    r"|ty dong|trieu dong|bao nhieu\s*\??$"
)
_WHO_Q = re.compile(r"\b(ai|co quan nao|don vi nao|so nao)\b")
_MONEY = re.compile(r"\d[\d.,]*\s*(đồng|triệu|tỷ|nghìn|ngàn)", re.IGNORECASE)
_ANY_NUMBER = re.compile(r"\d|\b(một|hai|ba|bốn|năm|sáu|bảy|tám|chín|mười|mươi|trăm)\b", re.IGNORECASE)


def value_type_ok(question: str, intents: frozenset[str], text: str) -> bool:
    """Whether ``text`` can answer a question that asks for an amount ("bao nhiêu tiền": a sum of money) or
    a number ("bao nhiêu", "mấy": any number); a "who" question, or one of another kind, takes any text."""
    plain_q = strip_diacritics(question)
    if (
        "amount" in intents
        and not ("agency" in intents and _WHO_Q.search(plain_q))
        and _AMOUNT_Q.search(plain_q)
    ):
        return bool(_MONEY.search(text))
    if "count" in intents and (
        "bao nhieu" in plain_q or re.search(r"\bmay\b", plain_q) and not may_is_indefinite(plain_q)
    ):
        return bool(_ANY_NUMBER.search(text))
    return True


# "gửi báo cáo trước ngày nào", "hạn chót là ngày nào": a day of the calendar, which "định kỳ 6 tháng" is not
_CALENDAR_Q = re.compile(r"\b(truoc|cham nhat|han chot|han cuoi|thoi han cuoi)( la)? ngay nao\b|\bngay may\b")
_CALENDAR = re.compile(
    r"\bngày\s+\d{1,2}\b|(?<![\d/])\d{1,2}\s*/\s*\d{1,2}(?![\d])|\btháng\s+(?:\d{1,2}|[IVX]{1,4})\b",
    re.IGNORECASE,
)


def asks_calendar_date(question: str) -> bool:
    """Whether the question asks for a day of the calendar ("trước ngày nào"), not a period or a delay."""
    return bool(_CALENDAR_Q.search(strip_diacritics(question)))


def has_calendar_date(text: str) -> bool:
    """Whether ``text`` names a day or month of the calendar ("ngày 15", "15/12", "tháng 12")."""
    return bool(_CALENDAR.search(text))


def answer_type(question: str) -> AnswerType:
    """The answer type a question asks for (accent-insensitive)."""
    plain = strip_diacritics(question)
    if _PHONE_Q.search(plain):
        return AnswerType("phone")
    if _EMAIL_Q.search(plain):
        return AnswerType("email")
    if _WEB_Q.search(plain):
        return AnswerType("web")
    if _PERSON_Q.search(plain):
        return AnswerType("person")
    if _PERCENT_Q.search(plain):
        return AnswerType("percent")
    lower = nfc(question).lower()
    accented = has_diacritics(question)
    units: list[str] = []
    for m in _COUNT_Q.finditer(plain):
        words = m.group(2).split()
        for unit in (" ".join(words[:2]), words[0]):
            if unit not in _UNITS or m.group(1) == "may" and (unit == "tinh" or may_is_indefinite(plain)):
                continue  # "máy tính", or "mấy" as "a few"
            if m.group(1) == "so":
                # "số cơ quan", not "Sở Khoa học", "sổ", "sơ bộ"; without diacritics only safe nouns
                written = lower[m.start(1) : m.end(1)] if len(lower) == len(plain) else "so"
                if written != ("số" if accented else "so") or unit not in _SO_SAFE:
                    continue
            if unit not in units:
                units.append(unit)
            break
    return AnswerType("count", units[0], tuple(units[1:])) if units else ANY


_LABELS = {
    "count": "con số được hỏi",
    "percent": "tỷ lệ phần trăm được hỏi",
    "phone": "số điện thoại",
    "email": "địa chỉ thư điện tử",
    "web": "địa chỉ trang web",
    "person": "họ tên người được hỏi",
}


def missing_label(at: AnswerType) -> str:
    """Vietnamese words for what the documents do not give, used in a refusal."""
    return f"các đoạn liên quan không nêu {_LABELS.get(at.kind, 'thông tin được hỏi')}"


# ---------------------------------------------------------------- questions about a document's standing
_ISSUED_Q = re.compile(
    r"ban hanh (vao )?(ngay|luc|khi|thoi gian) nao|ngay ban hanh|ban hanh (vao )?(nam|thang) (nao|may)"
    r"|ky (ban hanh )?ngay nao|(?<!dinh )(?<!hoc )\bky (vao )?thang (nao|may)"
    r"|ban hanh ngay|ngay nao ban hanh|ngay ky|ban hanh\W.{0,20}\bngay nao"
)
_EFFECTIVE_Q = re.compile(
    r"hieu luc (thi hanh )?(tu |ke tu |vao |tu khi )?(ngay|luc|khi|thoi gian) nao|ngay (co )?hieu luc"
    r"|hieu luc tu ngay|bat dau (co )?hieu luc"
)
# "ai ban hành quyết định kiểm tra" asks who issues something else, not who issued the document named
_OBJECT = r"(?!\s+(quyet dinh|ke hoach|van ban|thong bao|giay|danh muc|quy trinh|bao cao|chuong trinh)\b)"
_ISSUER_Q = re.compile(
    rf"(do )?ai ban hanh{_OBJECT}|co quan nao ban hanh{_OBJECT}|ai ky{_OBJECT}|noi ban hanh"
)


# "kế hoạch ISO 2022 của Ninh Thuận ai ký?": who signed the document itself (the service needs the document)
# ("ai ký kế hoạch ISO 2008 …" is the plan itself; "ai ký quyết định kiểm tra" another document)
_SIGNER_Q = re.compile(
    r"\b(ai ky|nguoi ky|ai da ky|ky ten|chuc vu (cua )?nguoi ky)\b"
    r"(?!\s+(quyet dinh|ke hoach|van ban|thong bao|giay|bao cao|bien ban)\s+(?!iso\b|nay\b|so\b|nam\b|cua\b|\d))"
)
# "ai có thẩm quyền ký, cấp phó được ký thay những văn bản nào", "dòng họ tên người ký in hoa hay in thường":
# the rules of signing (NĐ 30), not who signed the document named
_SIGNING_RULES = re.compile(
    r"\bky thay\b(?! ai\b)|tham quyen ky|ky thua (uy quyen|lenh)|\b(ho ten|chuc vu|quyen han|chu ky)( cua)? nguoi ky\b"
    r"|\bky so\b"  # "chữ ký số", "ký số"
)
# a signature block: "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH / Lê Huyền", "TM. CHÍNH PHỦ THỦ TƯỚNG … Nguyễn Xuân Phúc"
_SIGN_START = re.compile(r"(?<![\w.])(KT|TM|TL|TUQ)\.\s*(?=[A-ZĐ])")
_NAME_WORD = re.compile(r"\w+")


def standing_asks(question: str) -> tuple[str, ...]:
    """Which facts of a document's standing the question asks: "issued", "effective", "issuer", "signer"."""
    plain = strip_diacritics(question)
    out = []
    rules = bool(_SIGNING_RULES.search(plain))  # "ai ký" there asks who may sign, not who signed
    if _ISSUER_Q.search(plain) and not rules:
        out.append("issuer")
    if _SIGNER_Q.search(plain) and not rules:
        out.append("signer")
    if _ISSUED_Q.search(plain) and "ban hanh lai" not in plain:  # re-issued: a later document's date
        out.append("issued")
    if _EFFECTIVE_Q.search(plain):
        out.append("effective")
    return tuple(out)


def _is_name(words: list[str]) -> bool:
    """A person's name: two to five words, each capitalised and the rest lower case ("Lê Ngọc Châu")."""
    return 2 <= len(words) <= 5 and all(w[0].isupper() and w[1:].islower() and w.isalpha() for w in words)


def signature_span(text: str) -> tuple[int, int] | None:
    """Offsets of a signature block in ``text``: from "KT."/"TM." to the end of the signer's name, which
    follows within 200 characters (``None`` when there is none)."""
    for m in _SIGN_START.finditer(text):
        words = [w for w in _NAME_WORD.finditer(text, m.end(), min(len(text), m.end() + 200))]
        for i in range(len(words)):
            for n in (5, 4, 3, 2):  # the longest name that starts here
                run = words[i : i + n]
                gaps = [text[a.end() : b.start()] for a, b in zip(run, run[1:], strict=False)]
                if len(run) == n and _is_name([w.group(0) for w in run]) and all(g == " " for g in gaps):
                    return m.start(), run[-1].end()
    return None


def date_pattern(d) -> re.Pattern[str]:
    """A date as Vietnamese documents write it: 05/03/2014, 5/3/2014, 05-03-2014, ngày 05 tháng 3 năm 2014."""
    day, month, year = d.day, d.month, d.year
    dd = rf"0?{day}"
    mm = rf"0?{month}"
    return re.compile(
        rf"(?<!\d){dd}\s*[/.-]\s*{mm}\s*[/.-]\s*{year}(?!\d)"
        rf"|(?<!\d){dd}\s+tháng\s+{mm}\s+năm\s+{year}(?!\d)",
        re.IGNORECASE,
    )
