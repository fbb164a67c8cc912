"""Answers about a document's standing — when it was issued, when it takes effect, who issued and who signed
it — quoted from the document itself (pure: a retrieval in, cited parts out)."""

from __future__ import annotations

import re

from ..domain.catalog import Catalog
from ..domain.vntext import strip_diacritics
from ..retrieval.query import asks_something
from ..retrieval.retriever import Retrieval, Scored
from .answer_types import FORM_Q, date_pattern, signature_span, standing_asks
from .quotes import sentence_spans

# the documents a question relates the named one to: its bases ("căn cứ"), the one it replaced ("thay thế TT 27")
_BASIS_Q = re.compile(r"\bcan cu\b|\bthay the\b")
_META_LINE = re.compile(r"\s*(Ngày ban hành|Ngày có hiệu lực|Cơ quan ban hành|Số)\s*:", re.IGNORECASE)
# a document's own date line when its date is not catalogued — its place-and-date line ("Phan Rang, ngày   tháng
# 02 năm 2022") or its appendix's "Kèm theo Kế hoạch số: /KH-UBND ngày /02/2022", blanks and all (a "Căn cứ"
# line dates other documents)
_OWN_DATE = re.compile(
    r"(?m)^[^\S\n]*(?:\(?\s*(?:Ban hành )?kèm theo [^\n]{0,80}?|[A-ZĐ][^\W\d_]+(?: [^\W\d_]+){0,3}, )"
    r"ngày[\s\d]*(?:/\s*\d{1,2}\s*/|tháng[\s\d]*năm)\s*\d{4}",
    re.IGNORECASE,
)


def standing_parts(r: Retrieval, catalog: Catalog) -> list[tuple[Scored, str, str]] | None:
    """ "Thông tư 26/2014 có hiệu lực từ ngày nào?", "QĐ 19/2014 do ai ban hành?", "kế hoạch … ai ký?": the
    catalog knows the dates and the issuer, and the answer quotes the sentence of the document itself that
    states them (a date in any of its written forms); the signer is quoted from the signature block. The
    parts to cite, or ``None`` when the question is not about standing or the document cannot be found."""
    # a follow-up that asks its own question ("Nếu có vướng mắc thì phản ánh về đâu?" after "… có hiệu lực từ
    # ngày nào?") asks only that; one that only changes the subject ("Còn Nghị định 30?") asks the same again
    qa = r.analysis
    asked = qa.focus if qa.focus and asks_something(qa.focus) else qa.text
    asks = standing_asks(asked)
    # "QĐ 37 căn cứ những quyết định nào (số, ngày ban hành)?": the dates asked are the bases', not its own
    if not asks or r.snapshot is None or _BASIS_Q.search(strip_diacritics(asked)):
        return None
    if r.unheld_refs and _BASIS_Q.search(strip_diacritics(qa.text)):
        return None  # "QĐ 37 có căn cứ TT 159/2010. TT này do ai ban hành, ngày nào?": the basis's standing
    if FORM_Q.search(strip_diacritics(qa.text)):
        return None  # "Mẫu 3. GĐKTV/ĐG … ai ký?": who signs the form, not who signed the document
    snap = r.snapshot
    docs = list(r.routed_docs)
    if not docs and r.hits and r.hits[0].doc.province in qa.provinces:
        docs = [r.hits[0].doc.doc_id]  # "kế hoạch ISO 2022 của Ninh Thuận ai ký / ban hành tháng mấy"
    for doc_id in docs:
        doc = snap.documents.get(doc_id)
        entry = catalog.get(doc.catalog_id) if doc is not None and doc.catalog_id else None
        if doc is None:
            continue
        chunks = sorted(snap.meta.chunks_of(doc_id), key=lambda c: c.ordinal)
        picked: list[tuple[int, int, object]] = []  # (chunk index, span start, span end) per ask
        if "signer" in asks:  # the signature block, as the document prints it
            for ci, chunk in enumerate(chunks):
                span = signature_span(chunk.text)
                if span:
                    picked.append((ci, *span))
                    break
        for what in asks:
            if what == "signer" or entry is None or what == "issuer" and picked:
                continue  # "ai ký": the signature names the body it signs for
            value = {"issued": entry.issued, "effective": entry.effective, "issuer": entry.issuer}[what]
            if not value and what == "issued":  # not catalogued: the date the document prints, if any
                own = [
                    (ci, m.start(), m.end())
                    for ci, c in enumerate(chunks)
                    for m in _OWN_DATE.finditer(c.text)
                ]
                if own:
                    ci, a, b = own[0]
                    line_end = chunks[ci].text.find("\n", b)
                    picked.append((ci, a, len(chunks[ci].text) if line_end == -1 else line_end))
                continue
            if not value:
                continue
            if what == "issuer":
                rx = re.compile(re.escape(value), re.IGNORECASE)
            else:
                rx = date_pattern(value)
            best = None
            for ci, chunk in enumerate(chunks):
                for a, b in sentence_spans(chunk.text):
                    sent = chunk.text[a:b]
                    if not rx.search(sent):
                        continue
                    plain = strip_diacritics(sent)
                    # prefer the sentence that says what the value is ("có hiệu lực…", "ban hành")
                    cue = {"issued": "ban hanh", "effective": "hieu luc", "issuer": "ban hanh"}[what]
                    # the article ("Điều 44. Hiệu lực thi hành") before a file's header lines
                    header = what != "issuer" and bool(_META_LINE.match(sent))
                    rank = (cue not in plain, header, len(sent) > 300, ci)
                    if best is None or rank < best[0]:
                        best = (rank, ci, a, b)
            if best is not None:
                picked.append((best[1], best[2], best[3]))
        if not picked:
            continue
        parts: list[tuple[Scored, str, str]] = []
        for ci, a, b in dict.fromkeys(picked):
            quote = chunks[ci].text[a:b]
            parts.append((Scored(chunk=chunks[ci], doc=doc, score=1.0), quote, quote))
        return parts
    return None
