"""Render assistant results as Telegram HTML (pure: models in, strings out).

Every dynamic string goes through ``esc``; the only markup is ours (``<b>``, ``<i>``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence

from assistant.domain.models import Answer, Chunk, Citation, Fact, SearchHit

from .htmlsplit import esc

# doc_id (+ fallbacks) -> human name of the document, e.g. "Kế hoạch 310/KH-UBND Hà Tĩnh"
Labeler = Callable[[str, str | None, str | None], str]

QUOTE_MAX = 300


def default_label(doc_id: str, number: str | None, title: str | None) -> str:
    if title and number and number not in title:
        return f"{title} ({number})"
    return title or number or doc_id


def section_label(section: str) -> str:
    """``II > 3 > a`` → ``mục II > 3 > a``; ``Điều 4 > khoản 4 > điểm a`` → ``điểm a khoản 4 Điều 4``."""
    section = (section or "").strip()
    if not section:
        return "phần mở đầu"
    parts = [p.strip() for p in section.split(">") if p.strip()]
    if parts and parts[0].startswith("Điều"):
        return " ".join(reversed(parts))
    if parts and parts[0].lower().startswith("phụ lục"):
        return " > ".join(parts)
    return "mục " + " > ".join(parts)


def source_line(n: int, name: str, section: str) -> str:
    return f"[{n}] {esc(name)} — {esc(section_label(section))}"


def _shorten(text: str, limit: int = QUOTE_MAX) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut + " …"


def render_answer(answer: Answer, label: Labeler = default_label) -> str:
    """Warnings first, then the answer text with its [n] markers, then the sources block."""
    lines: list[str] = []
    seen: set[str] = set()
    for w in answer.warnings:
        if w.message in seen:
            continue
        seen.add(w.message)
        lines.append(f"⚠️ {esc(w.message)}")
    if lines:
        lines.append("")
    if answer.refused:
        lines.append("<b>Chưa tìm thấy căn cứ trong tài liệu để trả lời câu hỏi này.</b>")
        if answer.answer.strip():
            lines.append(esc(answer.answer.strip()))
        if answer.nearest:
            lines.append("")
            lines.append("<b>Các nguồn gần nhất:</b>")
            lines.extend(_nearest_lines(answer.nearest, label))
        lines.append("")
        lines.append("<i>Hãy hỏi cụ thể hơn (tên tỉnh, số văn bản, việc cần làm).</i>")
        return "\n".join(lines).strip()
    lines.append(esc(answer.answer.strip()))
    if answer.citations:
        lines.append("")
        lines.append("<b>Nguồn:</b>")
        for c in answer.citations:
            lines.append(source_line(c.n, label(c.doc_id, c.number, c.title), c.section))
    return "\n".join(lines).strip()


def _nearest_lines(hits: Sequence[SearchHit], label: Labeler) -> list[str]:
    out = []
    seen: set[tuple[str, str]] = set()
    for h in hits:
        if (h.doc_id, h.section) in seen or len(seen) >= 5:
            continue
        seen.add((h.doc_id, h.section))
        out.append(f"• {esc(label(h.doc_id, h.number, h.title))} — {esc(section_label(h.section))}")
        out.append(f"  <i>{esc(_shorten(h.text, 160))}</i>")
    return out


def render_passage(citation: Citation, chunk: Chunk, name: str) -> str:
    """Full passage of one citation; the quoted span is in bold."""
    head = f"<b>[{citation.n}] {esc(name)}</b> — {esc(section_label(chunk.section))}"
    lines = [head]
    if chunk.heading:
        lines.append(f"<i>{esc(chunk.heading)}</i>")
    lines.append("")
    text = chunk.text
    quote = citation.quote.strip()
    pos = text.find(quote) if quote else -1
    if pos >= 0:
        body = esc(text[:pos]) + "<b>" + esc(quote) + "</b>" + esc(text[pos + len(quote) :])
    else:
        body = esc(text)
    lines.append(body.strip())
    return "\n".join(lines)


def _deadline_text(f: Fact) -> str:
    if f.deadline is not None:
        return f.deadline.raw
    return "(không ghi thời hạn)"


def _warning_lines(warnings: Sequence[str]) -> list[str]:
    unique = list(dict.fromkeys(warnings))
    return [f"⚠️ {esc(w)}" for w in unique] + ([""] if unique else [])


def render_deadlines(
    facts: Sequence[Fact], label: Labeler, title: str, warnings: Sequence[str] = (), limit: int = 15
) -> str:
    lines = [*_warning_lines(warnings), f"<b>{esc(title)}</b>", ""]
    sources: dict[tuple[str, str], int] = {}
    for f in facts[:limit]:
        n = sources.setdefault((f.doc_id, f.section), len(sources) + 1)
        what = _shorten(f.task or f.quote, 200)
        line = f"• <b>{esc(_deadline_text(f))}</b> — {esc(what)}"
        if f.lead:
            line += f" (chủ trì: {esc(f.lead)})"
        lines.append(f"{line} [{n}]")
    if len(facts) > limit:
        lines.append(f"<i>… và {len(facts) - limit} thời hạn khác (tải lịch .ics để xem đủ).</i>")
    lines.append("")
    lines.append("<b>Nguồn:</b>")
    for (doc_id, section), n in sources.items():
        lines.append(source_line(n, label(doc_id, None, None), section))
    return "\n".join(lines)


def render_agencies(
    facts: Sequence[Fact], label: Labeler, task_words: str, warnings: Sequence[str] = (), limit: int = 10
) -> str:
    lines = [*_warning_lines(warnings), f"<b>Cơ quan chủ trì / phối hợp: {esc(task_words)}</b>", ""]
    sources: dict[tuple[str, str], int] = {}
    for f in facts[:limit]:
        n = sources.setdefault((f.doc_id, f.section), len(sources) + 1)
        what = _shorten(f.task or f.quote, 200)
        lines.append(f"• {esc(what)} [{n}]")
        lines.append(f"  Chủ trì: {esc(f.lead or 'không ghi')}")
        if f.cooperating:
            lines.append(f"  Phối hợp: {esc(', '.join(f.cooperating))}")
    lines.append("")
    lines.append("<b>Nguồn:</b>")
    for (doc_id, section), n in sources.items():
        lines.append(source_line(n, label(doc_id, None, None), section))
    return "\n".join(lines)


_INFO_LABELS = {
    "kind": "Loại",
    "title": "Tên",
    "issuer": "Cơ quan ban hành",
    "province": "Tỉnh",
    "issued": "Ngày ban hành",
    "effective": "Ngày hiệu lực",
    "period": "Giai đoạn",
    "iso_version": "Phiên bản ISO",
    "status": "Tình trạng",
    "replaces": "Thay thế",
    "replaced_by": "Bị thay thế bởi",
    "current_successor": "Văn bản đang áp dụng",
    "held": "Có toàn văn trong kho",
    "cited_by": "Được trích dẫn bởi",
    "unconfirmed": "Chưa xác nhận",
    "notes": "Ghi chú",
}
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def _value_text(value: object) -> str:
    if isinstance(value, bool):
        return "có" if value else "không"
    if isinstance(value, Mapping):
        main = next(
            (
                str(value[k])
                for k in ("name", "display_name", "number", "title", "id", "doc_id")
                if value.get(k)
            ),
            "",
        )
        if value.get("section") is not None and "quote" in value:
            main = f"{main} — {section_label(str(value['section']))}"
        if value.get("quote"):
            main = f"{main}: “{_shorten(str(value['quote']), 160)}”"
        return main or ", ".join(f"{k}: {v}" for k, v in value.items())
    if isinstance(value, dt.date):
        return f"{value.day:02d}/{value.month:02d}/{value.year}"
    m = _ISO_DATE.match(str(value))
    if m:
        return f"{m.group(3)}/{m.group(2)}/{m.group(1)}"
    return str(value)


def render_doc_info(info: Mapping[str, object]) -> str:
    """``Assistant.doc_info``: warnings first, then the catalog facts with Vietnamese labels."""
    name = (
        info.get("display_name") or info.get("number") or info.get("title") or info.get("query") or "Văn bản"
    )
    lines: list[str] = []
    notes = [*(info.get("warnings") or ()), *(info.get("restructuring") or ())]  # type: ignore[misc]
    for note in notes:
        msg = note.get("message") if isinstance(note, Mapping) else getattr(note, "message", note)
        lines.append(f"⚠️ {esc(msg)}")
    if lines:
        lines.append("")
    lines.append(f"<b>{esc(name)}</b>")
    if info.get("found_in_catalog") is False:
        lines.append("<i>Văn bản này chưa có trong danh mục; chỉ biết qua các văn bản trích dẫn nó.</i>")
    for key, label in _INFO_LABELS.items():
        value = info.get(key)
        if value in (None, "", [], (), {}):
            continue
        if isinstance(value, list | tuple):
            lines.append(f"<b>{esc(label)}:</b>")
            lines.extend(f"• {esc(_value_text(v))}" for v in value[:15])
            if len(value) > 15:
                lines.append(f"<i>… và {len(value) - 15} mục khác</i>")
        else:
            lines.append(f"<b>{esc(label)}:</b> {esc(_value_text(value))}")
    return "\n".join(lines)
