"""Extract structured facts from the chunks of one document (pure, deterministic).

Kinds: ``task`` (assignment with lead/cooperating agencies and deadline when stated), ``deadline``,
``amount``, ``target``, ``legal_ref``. Every ``quote`` is a verbatim slice of ``chunk.text``.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..domain.models import CatalogEntry, Chunk, Deadline, Document, Fact
from ..domain.vntext import parse_doc_numbers
from .agencies import agency_at, agency_list_at, clean_agency, find_agencies, split_agency_cell
from .outline import Line, OutlineState, walk_lines
from .patterns import find_amounts, find_deadlines, find_targets
from .tables import TableState, read_row

_SENT = re.compile(r"(?<=[.;!?])\s+(?=[A-ZĐÀ-Ỹ\-–+(“\"])")
_BULLET = re.compile(r"^\s*(?:[-–+•*]\s*|[a-zđ]\)\s*|\d{1,2}\.\s+|[IVX]{1,5}\.\s+)*")
_LABEL = re.compile(
    r"^\s*(?:[a-zđ]\)\s*|[-–+]\s*)?(?P<label>(?:Cơ quan|Đơn vị)\s+chủ trì|(?:Cơ quan|Đơn vị)\s+phối hợp|"
    r"Thời gian thực hiện|Thời gian hoàn thành|Thời hạn(?: hoàn thành)?)\s*:\s*(?P<value>.+?)\s*$",
    re.IGNORECASE,
)
_YEAR_HEADING = re.compile(
    r"^\s*\d{1,2}\.\s*Năm\s+(?:19|20)\d\d(?:\s+và\s+(?:19|20)\d\d)?\s*:?\s*$", re.IGNORECASE
)
_NO_TARGET = re.compile(r"mức chi|mức thuê|tối đa|không quá|kinh phí|ít nhất", re.IGNORECASE)
_PAST = re.compile(r"KẾT QUẢ ĐẠT ĐƯỢC|THỜI GIAN QUA", re.IGNORECASE)
_TARGET_YEAR = re.compile(
    r"(?:đến|trong|năm)\s+(?:hết\s+)?(?:năm\s+)?((?:19|20)\d\d)(?:\s+và\s+((?:19|20)\d\d))?", re.IGNORECASE
)
_NOUN_END = re.compile(
    r"[,;:(]|\s(?:trên địa bàn|được|xây dựng|áp dụng|đạt|theo|thực hiện|về|cho|nhằm|tại)\s", re.IGNORECASE
)
_CHU_TRI = re.compile(r"chủ trì", re.IGNORECASE)
_COOP_AFTER = re.compile(r"\s*,?\s*(?:tổ chức\s+)?phối hợp\s+(?:với\s+)?", re.IGNORECASE)
_LEAD_GAP = re.compile(
    r"^\s*(?:chịu trách nhiệm|có trách nhiệm|là cơ quan|là đơn vị)?\s*,?\s*$", re.IGNORECASE
)
_COOP_START = re.compile(r"^(?:(?:có|chịu) trách nhiệm\s+)?phối hợp\s+(?:với\s+)?", re.IGNORECASE)
_GIAO = re.compile(r"\bGiao\s+", re.IGNORECASE)
MAX_TASK = 220


def _short(text: str, limit: int = MAX_TASK) -> str:
    text = " ".join(text.split()).strip(" ,;:.-")
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


@dataclass
class _Pending:
    """A task assembled from labelled lines ("Cơ quan chủ trì: …")."""

    line: Line
    start: int
    end: int
    lead: str | None = None
    coop: list[str] = field(default_factory=list)
    deadline: Deadline | None = None
    title: str = ""


class _Extractor:
    def __init__(self, document: Document, entry: CatalogEntry | None) -> None:
        self.doc = document
        self.province = document.province or (entry.province if entry else None)
        own = [n for n in (document.number, entry.number if entry else None) if n]
        self.own_keys = {r.key for n in own for r in parse_doc_numbers(n)}
        self.facts: list[Fact] = []
        self.ids: set[str] = set()
        self.seen_refs: set[str] = set()
        self.outline = OutlineState()
        self.table = TableState()
        self.dash_context = ""  # "- Chi hoạt động thuê tổ chức tư vấn:" heading the "+" bullets below it

    # ------------------------------------------------------------------ output
    def add(
        self, chunk: Chunk, section: str, kind: str, start: int, end: int, disc: str = "", **fields
    ) -> None:
        quote = chunk.text[start:end].strip()
        if not quote:
            return
        digest = hashlib.sha1(
            "\x1f".join((self.doc.doc_id, chunk.chunk_id, kind, quote, disc)).encode("utf-8")
        ).hexdigest()[:16]
        if digest in self.ids:
            return
        self.ids.add(digest)
        self.facts.append(
            Fact(
                fact_id=digest,
                kind=kind,
                doc_id=self.doc.doc_id,
                chunk_id=chunk.chunk_id,
                section=section,
                quote=quote,
                province=self.province,
                **fields,
            )
        )

    # ------------------------------------------------------------------ chunks
    def chunk(self, chunk: Chunk) -> None:
        pending: _Pending | None = None
        for line in walk_lines(chunk, self.outline):
            label = _LABEL.match(line.text)
            if line.heading_label and pending and not label:
                self.flush(chunk, pending)
                pending = None
            row = read_row(line.text, self.table)
            if row is not None:
                self.table_row(chunk, line, row)
                continue
            if "\t" in line.text and self.table.cols:
                continue
            if label:
                pending = self.label(chunk, line, label, pending)
                continue
            if _YEAR_HEADING.match(line.text):
                self.year_heading(chunk, line)
                continue
            if line.heading_label:
                self.dash_context = ""
            elif re.match(r"^\s*[-–]\s", line.text):
                body = _BULLET.sub("", line.text).strip()
                self.dash_context = body.rstrip(":").strip() if body.endswith(":") else ""
            for s_start, s_end in _sentences(line.text):
                self.sentence(chunk, line, line.start + s_start, line.start + s_end)
        if pending:
            self.flush(chunk, pending)

    def label(self, chunk: Chunk, line: Line, m: re.Match, pending: _Pending | None) -> _Pending:
        if pending is None:
            title = next(
                (t for t in reversed(line.titles) if not _LABEL.match(t + ":") and not _LABEL.match(t)), ""
            )
            pending = _Pending(line=line, start=line.start, end=line.start + len(line.text), title=title)
        pending.end = line.start + len(line.text)
        name, value = m.group("label").lower(), m.group("value")
        if "chủ trì" in name:
            names = split_agency_cell(value)
            pending.lead = names[0] if names else value.strip(" .")
        elif "phối hợp" in name:
            pending.coop = split_agency_cell(value)
        else:
            for span in find_deadlines(value, in_slot=True):
                pending.deadline = pending.deadline or span.deadline
                self.add(
                    chunk,
                    line.section,
                    "deadline",
                    line.start,
                    line.start + len(line.text),
                    disc=span.deadline.raw,
                    task=_short(pending.title) or None,
                    lead=pending.lead,
                    cooperating=tuple(pending.coop),
                    deadline=span.deadline,
                )
        return pending

    def flush(self, chunk: Chunk, p: _Pending) -> None:
        if p.lead or p.coop:
            section = " > ".join(p.line.section.split(" > ")[:-1]) if _is_letter(p.line) else p.line.section
            self.add(
                chunk,
                section,
                "task",
                p.start,
                p.end,
                task=_short(p.title) or None,
                lead=p.lead,
                cooperating=tuple(p.coop),
                deadline=p.deadline,
            )

    def year_heading(self, chunk: Chunk, line: Line) -> None:
        """ "1. Năm 2011" then the work for that year on the next line(s)."""
        for span in find_deadlines(line.text, in_slot=True):
            self.add(
                chunk,
                line.section,
                "deadline",
                line.start,
                line.start + len(line.text),
                disc=span.deadline.raw,
                task=None,
                lead=line.owner,
                deadline=span.deadline,
            )

    # ------------------------------------------------------------------ tables
    def table_row(self, chunk: Chunk, line: Line, row) -> None:
        a, b = line.start, line.start + len(line.text)
        deadlines = [s.deadline for s in find_deadlines(row.time, in_slot=True)] if row.time else []
        lead = ", ".join(row.lead) or None
        if row.lead or row.coop:
            self.add(
                chunk,
                line.section,
                "task",
                a,
                b,
                task=_short(row.task),
                lead=lead,
                cooperating=row.coop,
                deadline=deadlines[0] if deadlines else None,
            )
        for dl in deadlines:
            self.add(
                chunk,
                line.section,
                "deadline",
                a,
                b,
                disc=dl.raw,
                task=_short(row.task),
                lead=lead,
                cooperating=row.coop,
                deadline=dl,
            )
        for year, cell in row.year_cells:
            for t in find_targets(cell):
                self.add(
                    chunk,
                    line.section,
                    "target",
                    a,
                    b,
                    disc=f"{year}:{t.value}:{t.unit}",
                    task=_short(row.task),
                    target_value=t.value,
                    target_unit=t.unit,
                    target_year=year,
                    unit_type=row.sub or _noun(cell, t.noun_start),
                )

    # ------------------------------------------------------------------ prose
    def sentence(self, chunk: Chunk, line: Line, a: int, b: int) -> None:
        text = chunk.text[a:b]
        legal = line.section.startswith("Điều")
        self.refs(chunk, line, a, b, text)
        self.amounts(chunk, line, a, b, text)
        assignment = self.assignment(chunk, line, a, b, text)
        for span in [] if _PAST.search(line.trail) else find_deadlines(text):
            if line.heading_label and not _BULLET.sub("", text).replace(span.deadline.raw, "").strip(" .:"):
                continue  # "a) Đến năm 2025" heads a list of targets
            lead, coop = assignment if assignment else (self.subject(text, span.end) or line.owner, ())
            self.add(
                chunk,
                line.section,
                "deadline",
                a,
                b,
                disc=span.deadline.raw,
                task=_short(_BULLET.sub("", text)),
                lead=lead,
                cooperating=tuple(coop),
                deadline=span.deadline,
            )
        if not legal and not _PAST.search(line.trail) and not _NO_TARGET.search(text):
            for t in find_targets(text):
                self.add(
                    chunk,
                    line.section,
                    "target",
                    a,
                    b,
                    disc=f"{t.start}:{t.value}",
                    task=_short(_BULLET.sub("", text)),
                    target_value=t.value,
                    target_unit=t.unit,
                    target_year=_target_year(text, line.trail),
                    unit_type=_noun(text, t.noun_start),
                )

    def refs(self, chunk: Chunk, line: Line, a: int, b: int, text: str) -> None:
        for ref in parse_doc_numbers(text):
            if ref.key in self.own_keys or ref.key in self.seen_refs or not (ref.issuer or ref.year):
                continue
            self.seen_refs.add(ref.key)
            self.add(
                chunk,
                line.section,
                "legal_ref",
                a,
                b,
                disc=ref.key,
                ref_key=ref.key,
                ref_number=ref.raw.strip(),
            )

    def amounts(self, chunk: Chunk, line: Line, a: int, b: int, text: str) -> None:
        for amt in find_amounts(text):
            before = text[: amt.start]
            clause = re.split(r"[:;]\s*(?=\S)", before.rstrip(" :"))[-1] if before.strip() else ""
            clause = re.sub(
                r"^\s*(?:mức chi tối đa|mức chi)\s*(?:cho\s+)?", "", _BULLET.sub("", clause), flags=re.I
            )
            clause = re.sub(r"\s+(?:là|tối đa|mức chi tối đa|từ)\s*:?\s*$", "", clause.strip(), flags=re.I)
            if text.lstrip().startswith("+") and self.dash_context:
                clause = f"{self.dash_context} – {clause}"
            if len(clause.split()) < 4:
                head = re.split(r":\s*", _BULLET.sub("", before))[0]
                clause = head if len(head.split()) >= len(clause.split()) else clause
            purpose = _short(f"{clause} ({amt.per})" if amt.per else clause, 200) or _short(line.heading_text)
            self.add(
                chunk,
                line.section,
                "amount",
                a,
                b,
                disc=f"{amt.start}:{amt.vnd}",
                amount_vnd=amt.vnd,
                amount_purpose=purpose or None,
            )

    def subject(self, text: str, pos: int) -> str | None:
        """An agency written right after ``pos`` (", các cơ quan, đơn vị … báo cáo")."""
        m = re.match(r"\s*,?\s*", text[pos:])
        found = agency_at(text, pos + (m.end() if m else 0))
        return found.group(0) if found else None

    def assignment(self, chunk: Chunk, line: Line, a: int, b: int, text: str) -> tuple[str, list[str]] | None:
        """Emit a task for "X chủ trì, phối hợp Y …", "Giao X …" or "Phối hợp với Y …" (under owner X)."""
        body_start = _BULLET.match(text).end()  # type: ignore[union-attr]
        result: tuple[str, list[str], int] | None = None
        for m in _CHU_TRI.finditer(text):
            before = text[: m.start()]
            if re.search(r"(?:đơn vị|cơ quan)\s*$", before, re.I):
                continue
            lead = None
            for ag in find_agencies(before):
                if _LEAD_GAP.match(before[ag.end() :]):
                    lead = clean_agency(ag.group(0))
            clause = re.split(r"[;:]", before[body_start:])[-1]
            if lead is None and not re.sub(r"(?i)\b(?:giao|đồng thời|hàng năm|hằng năm)\b", "", clause).strip(
                " ,-+"
            ):
                lead = line.owner
            if lead is None:
                continue
            coop: list[str] = []
            end = m.end()
            pm = _COOP_AFTER.match(text, end)
            if pm:
                coop, end = agency_list_at(text, pm.end())
                end = end if coop else m.end()
            result = (lead, coop, end)
            break
        if result is None:
            g = _GIAO.search(text)
            ag = agency_at(text, g.end()) if g else None
            if (
                ag
                and g
                and not text[body_start : g.start()].strip(" ,")
                and len(text[ag.end() :].split()) >= 3
            ):
                result = (clean_agency(ag.group(0)), [], ag.end())
        if result is None and line.owner:
            pm = _COOP_START.match(text[body_start:])
            if pm:
                coop, end = agency_list_at(text, body_start + pm.end())
                if coop:
                    result = (line.owner, coop, end)
        if result is None:
            return None
        lead, coop, end = result
        rest = text[end:].strip(" ,.;:")
        deadlines = find_deadlines(text)
        task = _short(rest) if len(rest.split()) >= 3 else _short(line.heading_text)
        self.add(
            chunk,
            line.section,
            "task",
            a,
            b,
            disc=lead,
            task=task or None,
            lead=lead,
            cooperating=tuple(coop),
            deadline=deadlines[0].deadline if deadlines else None,
        )
        return lead, coop


def _is_letter(line: Line) -> bool:
    last = line.section.split(" > ")[-1] if line.section else ""
    return bool(re.fullmatch(r"[a-zđ]|điểm [a-zđ]", last))


def _sentences(text: str) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    pos = 0
    for piece in _SENT.split(text):
        start = text.find(piece, pos)
        end = start + len(piece)
        pos = end
        stripped_l = len(piece) - len(piece.lstrip())
        stripped_r = len(piece) - len(piece.rstrip())
        if piece.strip():
            out.append((start + stripped_l, end - stripped_r))
    return out


def _target_year(text: str, trail: str) -> int | None:
    for source in (text, trail):
        years = [int(y) for m in _TARGET_YEAR.finditer(source) for y in m.groups() if y]
        if years:
            return years[-1] if source is trail else years[0]
    return None


def _noun(text: str, start: int) -> str | None:
    rest = text[start:].strip()
    m = _NOUN_END.search(rest)
    noun = (rest[: m.start()] if m else rest).strip(" .;,")
    return _short(noun, 80) or None


def extract_facts(document: Document, chunks: Sequence[Chunk], entry: CatalogEntry | None) -> list[Fact]:
    """All facts of one document, in chunk order."""
    ex = _Extractor(document, entry)
    for chunk in sorted(chunks, key=lambda c: c.ordinal):
        ex.chunk(chunk)
    return ex.facts
