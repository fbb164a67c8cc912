"""Refusal rules: when the documents cannot answer a question, and what to tell the user instead."""

from __future__ import annotations

import re

from ..domain.catalog import Catalog
from ..domain.vntext import fold, strip_diacritics
from ..retrieval.query import asks_something, years_in
from ..retrieval.retriever import Retrieval, _period
from .answer_types import FORM_Q

# a question about a document's standing (not its content) can be answered from the texts that cite it
# ("thẻ có hiệu lực mấy năm" asks how long a card is valid, not whether the document is in force)
_STATUS_Q = re.compile(
    r"hieu luc(?! (?:trong )?(?:may|bao lau|bao nhieu|toi da))|thay the|con dung|con ap dung|can cu|so may"
    r"|so hieu|ngay nao|ban hanh|bi bai bo|con gia tri|van ban nao"
)
# a law is named by its name, not a number: "Luật Ngân sách nhà nước quy định …" asks what the law says
_LAW_SUBJECT_Q = re.compile(
    r"^\W*(?:theo\s+)?(luat\s+(?!nao\b)\w+(?:\s+\w+){0,7}?)\s+(?:quy dinh|yeu cau|noi)\b"
)
_APPENDIX_Q = re.compile(r"\bphu luc\s+([ivx]+|\d+)\b")
_ISO_CLAUSE_Q = re.compile(
    r"\b(dieu khoan|khoan|muc|yeu cau)\s+\d+(\.\d+)+\b.*\biso\b|\biso\b.*\b(dieu khoan|muc)\s+\d+(\.\d+)+"
)
# the clauses or indicators of a standard ("TCVN ISO 18091:2020 gồm những điều khoản chính nào"): the base
# holds the texts that apply standards, not the standards
_STANDARD = re.compile(r"\b(?:tcvn\s+)?iso\s+\d{4,5}(?:\s*:\s*\d{4})?\b")
_STANDARD_CONTENT_Q = re.compile(r"\b(dieu khoan|bo chi so|cac chi so)\b(?! (chuyen tiep|thi hanh))")
# whether a new text has been issued since ("Bộ Tài chính đã ban hành TT sửa TT 116/2015 … chưa?", "Tài liệu đó
# đã ban hành chưa?"): the base is the texts it holds, not a register of what was issued after them
_ISSUED_YET_Q = re.compile(r"\bda (?:duoc )?ban hanh\b(?P<what>[^?.]*?)\bchua\b")
_NEW_TEXT = re.compile(r"\b(moi|sua|sua doi|thay|thay the|bo sung)\b")
# what happened to a document or a body after it was written: re-issued, amended "lần nào", "đã thành lập chưa"
_LATER_Q = re.compile(
    r"\bban hanh lai\b|\bsau (nay|do)\b[^?.]{0,30}\b(sua doi|bo sung|thay the|bai bo)\b"
    r"|\b(sua doi|bo sung)\b[^?.]{0,30}\blan nao\b|\bda (duoc )?thanh lap\b[^?.]*?\bchua\b"
)
# a form of an annex (``FORM_Q``) asked for its contents; the texts held cite their forms ("theo Mẫu 11. BCTV,
# Phụ lục I ban hành kèm theo …") without holding them
_CONTENT_Q = re.compile(
    r"\b(gom|noi dung|chi tieu|nhung gi|the nao|ra sao|nhung muc|co nhung|ghi nhung|dien nhung|cach (dien|ghi))\b"
)
# the question presupposes the 2025 restructuring ("từ 01/7/2025 không còn cấp huyện", "tỉnh Đồng Tháp mới
# (sau sáp nhập …)", "sau khi Sở TT&TT sáp nhập vào Sở KH&CN") and asks what holds after it
_AFTER_2025_Q = re.compile(
    r"khong con (cap )?huyen|bo cap huyen|chinh quyen (dia phuong )?(hai|2) cap"
    r"|\bsau (khi )?(\S+ ){0,6}?(sap nhap|hop nhat|sap xep (lai )?(bo may|don vi))"
    r"|\b(tu|sau) (ngay )?0?1/0?7/2025|\btu nam 2025\b"
    r"|\b(da )?(chuyen|phan cap) ve (dia phuong|cap tinh|cap xa)\b"
)
# "… đã chuyển về địa phương. Bây giờ nộp hồ sơ ở đâu?": "now", after a sentence that sets the scene after 2025
_NOW_Q = re.compile(r"\b(bay gio|hien nay|hien tai|luc nay)\b")
RESTRUCTURING_YEAR = 2025  # from 01/7/2025: no district level; merged provinces and bodies
# …unless it asks whether a held text still holds: that is answered from the text, with its warnings
_STILL_Q = re.compile(r"\bcon (dung|ap dung|hieu luc|gia tri|phu hop)|het hieu luc|thay the|bai bo")
# what was actually achieved ("thực tế đã kiểm tra được bao nhiêu", "kết quả đạt được") in a year after the
# plan was written: a plan states targets, not its own results
_ACTUAL_Q = re.compile(
    r"\bda co bao nhieu\b|\bthuc te\b|\bket qua (thuc te|thuc hien|dat duoc)\b|\bda (kiem tra|cap|cong bo|dat|lam|trien khai) duoc\b"
    r"|\bda duoc (cap|cong nhan) (giay )?chung nhan\b"
)
_YEAR_RANGE = re.compile(r"(?<![\d/.:])((?:19|20)\d\d)\s*[-–]\s*((?:19|20)\d\d)(?![\d/])")
_KIND_YEAR_Q = re.compile(
    r"\b(thong tu|quyet dinh|nghi dinh|nghi quyet|cong van|van ban)\b[^?]*?\bnam\s+(19|20)(\d\d)\b"
)


_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9, "x": 10}


def _appendix_number(label: str) -> int | None:
    label = label.lower()
    return int(label) if label.isdigit() else _ROMAN.get(label)


def _holds_appendix(r: Retrieval, label: str) -> bool:
    """Whether the documents the question names hold appendix ``label`` ("VI", "2"): a section or a held
    file titled "Phụ lục <n>"; a single unnumbered "Phụ lục" counts as appendix 1."""
    want = _appendix_number(label)
    names: list[str] = [c.section for d in r.routed_docs for c in r.snapshot.meta.chunks_of(d)]
    names += [r.snapshot.documents[d].title for d in r.routed_docs]
    numbers: set[int | None] = set()
    for name in names:
        for m in re.finditer(r"\bphu luc\b\s*([ivx]+|\d+)?\b", strip_diacritics(name)):
            numbers.add(_appendix_number(m.group(1)) if m.group(1) else None)
    return want in numbers or (numbers == {None} and want == 1)


def _unheld_first(qa, unheld) -> bool:
    """The question is about a document the base does not hold when it names that one first: "vb 8869/VPCP
    yêu cầu gì về QĐ 19" asks what 8869 says, not what QĐ 19 says."""
    text = fold(qa.text)
    first = min(text.find(fold(ref.raw)) for ref in unheld)
    held = [text.find(fold(ref.raw)) for ref in qa.refs if ref not in unheld]
    held = [p for p in held if p >= 0]
    return first >= 0 and bool(held) and first < min(held)


def _held_plan_first(r: Retrieval, unheld) -> bool:
    """The question names a held province's plan before the unheld document it mentions, and the plan cites
    that document: "KH ISO 2008-2010 của Tiền Giang: mục tiêu gắn với NQ 14/NQ-TU …" asks what the plan says."""
    qa = r.analysis
    if not r.mentioned or not qa.provinces:
        return False
    held = {h.doc.province for h in r.hits if h.doc.province}
    text = strip_diacritics(qa.text)
    named = [text.find(strip_diacritics(p).lower()) for p in qa.provinces if p in held]
    named = [p for p in named if p >= 0]
    first = min(text.find(strip_diacritics(fold(ref.raw))) for ref in unheld)
    return bool(named) and first >= 0 and min(named) < first


def refusal_reason(r: Retrieval, catalog: Catalog) -> str | None:
    """Why the base cannot answer, in the user's words (Vietnamese); ``None`` when it may. The reasons: a
    province it holds nothing of, a document only catalogued or not held, the ISO standard's own clauses, an
    appendix, a form or a year it does not hold, a question on what holds after the 2025 restructuring."""
    qa = r.analysis
    if r.unknown_provinces and not any(h.doc.province in qa.provinces for h in r.hits):
        return f"kho chưa có tài liệu của {', '.join(r.unknown_provinces)}"
    complete_unheld = [ref for ref in r.unheld_refs if ref.is_complete or ref.year]
    asks_status = bool(_STATUS_Q.search(strip_diacritics(qa.text)))
    if (
        complete_unheld
        and not r.routed_docs
        and (not r.mentioned or not asks_status)
        and not _held_plan_first(r, complete_unheld)
        or (complete_unheld and r.routed_docs and not asks_status and _unheld_first(qa, complete_unheld))
    ):
        names = ", ".join(ref.display for ref in complete_unheld)
        entries = [e for ref in complete_unheld for e in catalog.by_ref(ref)]
        if entries:
            return f"kho chỉ có thông tin danh mục, không có toàn văn {names}"
        return f"kho không có văn bản {names}"
    plain_q = strip_diacritics(qa.text)
    law = _LAW_SUBJECT_Q.match(plain_q)
    if law and not r.routed_docs and r.snapshot is not None:
        titles = [strip_diacritics(fold(d.title or "")) for d in r.snapshot.documents.values()]
        if not any(law.group(1) in t for t in titles):
            return f"kho không có toàn văn {qa.text[law.start(1) : law.end(1)]}"
    after_2025 = _AFTER_2025_Q.search(plain_q) and not _STILL_Q.search(plain_q)  # "… còn dùng không": warn
    # "Tại UBND huyện còn phải áp dụng tiêu chuẩn nào? Bây giờ bỏ cấp huyện rồi thì sao?": the first question
    # is answered from the plan (with its warning); only a question that asks nothing else is refused
    asking = [
        strip_diacritics(s) for s in re.split(r"(?<=[?.!;])\s+", qa.focus or qa.text) if asks_something(s)
    ]
    if after_2025 and any(not _AFTER_2025_Q.search(s) and not _NOW_Q.search(s) for s in asking):
        after_2025 = None
    if after_2025 and r.snapshot is not None:
        years = [d.year for d in r.snapshot.documents.values() if d.year]
        if years and max(years) < RESTRUCTURING_YEAR:
            return (
                "các văn bản trong kho đều ban hành trước đợt sắp xếp bộ máy, đơn vị hành chính năm 2025, "
                "nên không nói việc này được quy định thế nào sau đó"
            )
    if _ISO_CLAUSE_Q.search(plain_q):
        return "kho không có toàn văn tiêu chuẩn TCVN ISO 9001, chỉ có các văn bản áp dụng nó"
    std = _STANDARD.search(plain_q)
    if std and _STANDARD_CONTENT_Q.search(plain_q):
        return f"kho không có toàn văn tiêu chuẩn {qa.text[std.start() : std.end()].upper()}, chỉ có các văn bản nhắc đến nó"
    issued = _ISSUED_YET_Q.search(plain_q)
    if issued and (_NEW_TEXT.search(issued.group("what")) or not r.routed_docs):
        return "kho chỉ gồm các văn bản đã nạp, không theo dõi văn bản nào được ban hành sau đó"
    if _LATER_Q.search(plain_q):
        return "kho chỉ gồm nội dung các văn bản đã nạp, không theo dõi những việc diễn ra sau khi chúng ban hành"
    # the appendix the question asks about, not one its background names ("phần mềm chưa đáp ứng Phụ lục VI.
    # Bản gốc lưu ở đâu?")
    m = _APPENDIX_Q.search(strip_diacritics(qa.focus or qa.text))
    if m and r.routed_docs and r.snapshot is not None and not _holds_appendix(r, m.group(1)):
        return f"kho không có phụ lục {m.group(1).upper()} của văn bản này"
    m = FORM_Q.search(plain_q)
    if m and _CONTENT_Q.search(plain_q) and r.snapshot is not None:
        title = re.compile(rf"(?m)^\s*Mẫu\s+(?:số\s+)?0?{m.group(1)}\b", re.IGNORECASE)
        if not any(title.search(c.text) for c in r.snapshot.chunks.values()):
            return f"kho không có nội dung Mẫu {m.group(1)}, chỉ có các điều khoản dẫn chiếu đến mẫu này"
    m = _KIND_YEAR_Q.search(plain_q)
    if m and not qa.provinces and r.snapshot is not None:
        year = int(m.group(2) + m.group(3))
        held_years = {d.year for d in r.snapshot.documents.values()}
        held_years |= {e.issued.year for e in catalog if e.issued}
        if year not in held_years:
            return f"kho không có văn bản nào ban hành năm {year}"
    # a follow-up's own year is the one it asks about ("Đến hết năm 2013 thì …" after "… kế hoạch 2011-2013?")
    own_years = years_in(qa.focus or "")
    # …when each of its asking clauses has one; a clause without asks about the period the background names
    # ("Phụ lục kế hoạch năm 2022 có …. Hai đơn vị này thuộc diện nào? Sau năm 2025 còn không?")
    asking_sentences = [
        s
        for s in re.findall(r"[^?.!;]+[?.!;]?", qa.focus or qa.text)
        if s.rstrip().endswith("?") or asks_something(s)
    ]
    if own_years and not all(years_in(s) for s in asking_sentences):
        own_years = []
    years = [y for y in (own_years or qa.years) if not ("9001" in qa.text and y in (2000, 2008, 2015))]  # ISO
    if years and _ACTUAL_Q.search(plain_q) and r.snapshot is not None:
        docs = [
            d
            for d in r.snapshot.documents.values()
            if (d.province in qa.provinces if qa.provinces else d.doc_id in r.routed_docs)
        ]
        if docs and all(d.year and d.year < min(years) for d in docs):
            return (
                f"các kế hoạch trong kho ban hành trước năm {min(years)}, chỉ nêu chỉ tiêu và nhiệm vụ, không có "
                f"kết quả thực hiện năm {min(years)}"
            )
    # "Năm 2018, trước kế hoạch 2019-2020, …": a period names the plan; the year on its own is the one asked
    ranged = {int(y) for a, b in _YEAR_RANGE.findall(qa.text) for y in (a, b)}
    asked = [y for y in years if y not in ranged]
    if asked and ranged:
        years = asked
    # "Sau kế hoạch giai đoạn 2011-2013, kế hoạch giai đoạn 2014-2016 … giao bao nhiêu …?": the period of the
    # clause that asks, not the one the background names
    # …unless another sentence asks without a period of its own (as above)
    asking_clauses = [c for c in re.split(r"[,;?.!]", qa.focus or qa.text) if asks_something(c)]
    in_asking = {y for c in asking_clauses for y in years_in(c)}
    if in_asking & set(years) and set(years) - in_asking and all(years_in(s) for s in asking_sentences):
        years = [y for y in years if y in in_asking]
    if years and qa.provinces and r.snapshot is not None:
        snap = r.snapshot
        prov_docs = {d.doc_id: d for d in snap.documents.values() if d.province in qa.provinces}
        if prov_docs:
            covered = False
            for d in prov_docs.values():
                per = _period(d, catalog)
                if per and any(per[0] <= y <= per[1] for y in years):
                    covered = True
            if not covered:  # the year may still be written in the text (history, targets), not in a date
                pats = [re.compile(rf"(?<![\d/.:]){y}(?![\d/])") for y in years]
                covered = any(
                    c.doc_id in prov_docs and any(p.search(c.text) for p in pats)
                    for c in snap.chunks.values()
                )
            if not covered:
                return f"kho không có tài liệu năm {', '.join(map(str, years))} của {', '.join(qa.provinces)}"
    return None
