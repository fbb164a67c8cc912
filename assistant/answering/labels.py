"""How an answer names the source of a quote (pure): the document's short label, the section, and for a
legal text the title of the article the quote belongs to."""

from __future__ import annotations

import re

from ..retrieval.retriever import Scored

_ARTICLE_TITLE = re.compile(r"^\s*Điều\s+\d+[a-z]?\.\s*(.+?)\s*$")


def doc_label(hit: Scored) -> str:
    """ "Thông tư 26/2014/TT-BKHCN", "Kế hoạch 310/KH-UBND (Hà Tĩnh)"; the title when there is no number."""
    d = hit.doc
    label = " ".join(x for x in ((d.kind or "").capitalize(), d.number or "") if x) or d.title
    if d.province and d.province not in label:
        label += f" ({d.province})"
    return label


def article_title(heading: str) -> str:
    """The title of the article a passage belongs to ("Trách nhiệm của Người đứng đầu cơ quan" from "Điều 11.
    Trách nhiệm của …"): it says whose duty or what matter the quoted items are about; "" for a plan."""
    for part in heading.split(" > "):
        m = _ARTICLE_TITLE.match(part)
        if m:
            title = m.group(1)
            return title if len(title) <= 160 else title[:159].rstrip() + "…"
    return ""


_MARKER = re.compile(r"^\s*(?:\d{1,2}(?:\.\d{1,2})*\.|[a-zđ]\)|[IVX]{1,5}\.)\s*")


def section_title(heading: str) -> str:
    """The heading of the plan section a passage belongs to, without its number ("Ủy ban nhân dân các huyện,
    thành phố, thị xã" from "IV. TỔ CHỨC THỰC HIỆN > 8. Ủy ban nhân dân …"): in a plan it names the body whose
    tasks the quoted bullets are. "" for an upper-case title ("TỔ CHỨC THỰC HIỆN") or an appendix."""
    last = heading.split(" > ")[-1].strip() if heading else ""
    if not _MARKER.match(last) or last.isupper():
        return ""
    title = _MARKER.sub("", last).rstrip(":").strip()
    return title if len(title) <= 160 else title[:159].rstrip() + "…"


def source_label(hit: Scored, quote: str) -> str:
    """ "Thông tư 26/2014/TT-BKHCN, mục Điều 22 > khoản 2 > điểm g (Quyền và nghĩa vụ của tổ chức …)", "Kế
    hoạch 310/KH-UBND (Hà Tĩnh), mục IV > 8 (Ủy ban nhân dân các huyện, thành phố, thị xã)"; the title is left
    out when the quote itself has it (a heading may have been cut short: "…")."""
    heading = hit.chunk.heading or ""
    title = article_title(heading) or section_title(heading)
    about = f" ({title})" if title and title.rstrip("…") not in quote else ""
    return f"{doc_label(hit)}, mục {hit.chunk.section or 'phần đầu'}{about}"
