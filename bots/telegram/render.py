"""Render assistant results as Telegram HTML (pure: models in, strings out).

Every dynamic string goes through ``esc``; the only markup is ours (``<b>``, ``<i>``).
"""

from __future__ import annotations

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
    for h in hits[:5]:
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


def render_deadlines(facts: Sequence[Fact], label: Labeler, title: str, limit: int = 15) -> str:
    lines = [f"<b>{esc(title)}</b>", ""]
    sources: dict[tuple[str, str], int] = {}
    for f in facts[:limit]:
        n = sources.setdefault((f.doc_id, f.section), len(sources) + 1)
        what = f.task or _shorten(f.quote, 160)
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


def render_agencies(facts: Sequence[Fact], label: Labeler, task_words: str, limit: int = 10) -> str:
    lines = [f"<b>Cơ quan chủ trì / phối hợp: {esc(task_words)}</b>", ""]
    sources: dict[tuple[str, str], int] = {}
    for f in facts[:limit]:
        n = sources.setdefault((f.doc_id, f.section), len(sources) + 1)
        what = f.task or _shorten(f.quote, 160)
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
    "title": "Tên",
    "kind": "Loại",
    "number": "Số, ký hiệu",
    "issuer": "Cơ quan ban hành",
    "province": "Tỉnh",
    "issued": "Ngày ban hành",
    "effective": "Ngày hiệu lực",
    "period": "Giai đoạn",
    "iso_version": "Phiên bản ISO",
    "status": "Tình trạng",
    "held": "Có toàn văn trong kho",
    "replaces": "Thay thế",
    "replaced_by": "Bị thay thế bởi",
    "current_successor": "Văn bản đang áp dụng",
    "successor": "Văn bản đang áp dụng",
    "cited_by": "Được trích dẫn bởi",
    "unconfirmed": "Chưa xác nhận",
    "notes": "Ghi chú",
}
_SKIP = {"id", "files", "documents", "restructuring"}


def _value_text(value: object) -> str:
    if isinstance(value, bool):
        return "có" if value else "không"
    if isinstance(value, Mapping):
        for key in ("display_name", "number", "title", "id", "doc_id"):
            if value.get(key):
                main = str(value[key])
                extra = value.get("quote")
                return f"{main}: “{_shorten(str(extra), 160)}”" if extra else main
        return ", ".join(f"{k}: {v}" for k, v in value.items())
    if hasattr(value, "isoformat") and hasattr(value, "day"):
        return f"{value.day:02d}/{value.month:02d}/{value.year}"  # type: ignore[attr-defined]
    return str(value)


def render_doc_info(info: Mapping[str, object]) -> str:
    """Tolerant rendering of ``Assistant.doc_info`` (known keys get Vietnamese labels)."""
    entry = info.get("entry") if isinstance(info.get("entry"), Mapping) else None
    merged: dict[str, object] = {**(entry or {}), **{k: v for k, v in info.items() if k != "entry"}}
    name = merged.get("display_name") or merged.get("number") or merged.get("title") or "Văn bản"
    lines = [f"<b>{esc(name)}</b>"]
    for key, value in merged.items():
        if key in _SKIP or key == "display_name" or value in (None, "", [], (), {}):
            continue
        label = _INFO_LABELS.get(key, key)
        if isinstance(value, list | tuple):
            lines.append(f"<b>{esc(label)}:</b>")
            lines.extend(f"• {esc(_value_text(v))}" for v in value[:20])
            if len(value) > 20:
                lines.append(f"<i>… và {len(value) - 20} mục khác</i>")
        else:
            lines.append(f"<b>{esc(label)}:</b> {esc(_value_text(value))}")
    for note in merged.get("restructuring") or ():
        msg = note.get("message") if isinstance(note, Mapping) else getattr(note, "message", note)
        lines.append(f"⚠️ {esc(msg)}")
    return "\n".join(lines)
