"""Extract structured facts from the chunks of one document (pure, deterministic).

Kinds: ``task`` (assignment with lead/cooperating agencies and deadline when stated), ``deadline``,
``amount``, ``target``, ``legal_ref``. Every ``quote`` is a verbatim slice of ``chunk.text``.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence

from ..domain.models import CatalogEntry, Chunk, Document, Fact
from ..domain.vntext import parse_doc_numbers
from .agencies import AGENCY, agency_after, clean_agency, owner_of_heading, split_agency_cell
from .assignments import LABEL, PendingTask, find_assignment
from .outline import Line, OutlineState, is_letter, walk_lines
from .patterns import find_amounts, find_deadlines, find_targets
from .prose import BULLET, NO_TARGET, PAST, amount_purpose, noun_at, sentences, short, target_year_of
from .tables import TableState, read_row

_YEAR_HEADING = re.compile(
    r"^\s*\d{1,2}\.\s*Năm\s+(?:19|20)\d\d(?:\s+và\s+(?:19|20)\d\d)?\s*:?\s*$", re.IGNORECASE
)


_SUPPORT_ROLE = re.compile(
    r"^\s*(?:[-–+]\s*)?(?:Là cơ quan|(?:Có trách nhiệm\s+|Chịu trách nhiệm\s+)?phối hợp)", re.IGNORECASE
)


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
        self.owner_pending: tuple[Chunk, Line, str] | None = None  # owner heading awaiting its first duty
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
        pending: PendingTask | None = None
        for line in walk_lines(chunk, self.outline):
            label = LABEL.match(line.text)
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
                self.owner_heading(chunk, line)
            else:
                self.owner_duty(line.text)
            if line.heading_label:
                self.dash_context = ""
            elif re.match(r"^\s*[-–]\s", line.text):
                body = BULLET.sub("", line.text).strip()
                self.dash_context = body.rstrip(":").strip() if body.endswith(":") else ""
            for s_start, s_end in sentences(line.text):
                self.sentence(chunk, line, line.start + s_start, line.start + s_end)
        if pending:
            self.flush(chunk, pending)

    def label(self, chunk: Chunk, line: Line, m: re.Match, pending: PendingTask | None) -> PendingTask:
        if pending is None:
            title = next(
                (t for t in reversed(line.titles) if not LABEL.match(t + ":") and not LABEL.match(t)), ""
            )
            pending = PendingTask(line=line, start=line.start, end=line.start + len(line.text), title=title)
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
                    task=short(pending.title) or None,
                    lead=pending.lead,
                    cooperating=tuple(pending.coop),
                    deadline=span.deadline,
                )
        return pending

    def flush(self, chunk: Chunk, p: PendingTask) -> None:
        if p.lead or p.coop:
            section = " > ".join(p.line.section.split(" > ")[:-1]) if is_letter(p.line) else p.line.section
            self.add(
                chunk,
                section,
                "task",
                p.start,
                p.end,
                task=short(p.title) or None,
                lead=p.lead,
                cooperating=tuple(p.coop),
                deadline=p.deadline,
            )

    def owner_heading(self, chunk: Chunk, line: Line) -> None:
        """ "3. Sở Y tế: Chỉ đạo …" or "7. Các sở, ban, ngành cấp tỉnh" heading its own duties: a task.

        The agency leads unless its first duty (inline or on the next line) is a supporting role
        ("Là cơ quan thường trực …, có trách nhiệm phối hợp …", "Phối hợp với …")."""
        self.owner_pending = None
        owner = owner_of_heading(line.text)
        if not owner or line.section.startswith("Điều") or not AGENCY.fullmatch(clean_agency(owner)):
            return
        self.owner_pending = (chunk, line, clean_agency(owner))
        duty = line.text.split(":", 1)[1] if ":" in line.text else ""
        if duty.strip():
            self.owner_duty(duty)

    def owner_duty(self, text: str) -> None:
        """Decide the pending owner heading on its first duty line."""
        if self.owner_pending is None or not text.strip():
            return
        chunk, line, owner = self.owner_pending
        self.owner_pending = None
        if _SUPPORT_ROLE.match(text):
            return
        self.add(
            chunk,
            line.section,
            "task",
            line.start,
            line.start + len(line.text),
            disc=owner,
            task=short(BULLET.sub("", text).strip()) or None,
            lead=owner,
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
                task=short(row.task),
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
                task=short(row.task),
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
                    task=short(row.task),
                    target_value=t.value,
                    target_unit=t.unit,
                    target_year=year,
                    unit_type=row.sub or noun_at(cell, t.noun_start),
                )

    # ------------------------------------------------------------------ prose
    def sentence(self, chunk: Chunk, line: Line, a: int, b: int) -> None:
        text = chunk.text[a:b]
        legal = line.section.startswith("Điều")
        self.refs(chunk, line, a, b, text)
        self.amounts(chunk, line, a, b, text)
        assignment = self.assignment(chunk, line, a, b, text)
        for span in [] if PAST.search(line.trail) else find_deadlines(text):
            lead, coop = assignment if assignment else (agency_after(text, span.end) or line.owner, ())
            self.add(
                chunk,
                line.section,
                "deadline",
                a,
                b,
                disc=span.deadline.raw,
                task=short(BULLET.sub("", text)),
                lead=lead,
                cooperating=tuple(coop),
                deadline=span.deadline,
            )
        if not legal and not PAST.search(line.trail) and not NO_TARGET.search(text):
            for t in find_targets(text):
                self.add(
                    chunk,
                    line.section,
                    "target",
                    a,
                    b,
                    disc=f"{t.start}:{t.value}",
                    task=short(BULLET.sub("", text)),
                    target_value=t.value,
                    target_unit=t.unit,
                    target_year=target_year_of(text, line.trail),
                    unit_type=noun_at(text, t.noun_start),
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
            purpose = amount_purpose(text, amt, self.dash_context) or short(line.heading_text)
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

    def assignment(self, chunk: Chunk, line: Line, a: int, b: int, text: str) -> tuple[str, list[str]] | None:
        """Emit a task for "X chủ trì, phối hợp Y …", "Giao X …" or "Phối hợp với Y …" (under owner X)."""
        result = find_assignment(text, line.owner)
        if result is None:
            return None
        lead, coop, end = result
        rest = text[end:].strip(" ,.;:")
        deadlines = find_deadlines(text)
        task = short(rest) if len(rest.split()) >= 3 else short(line.heading_text)
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


def extract_facts(document: Document, chunks: Sequence[Chunk], entry: CatalogEntry | None) -> list[Fact]:
    """All facts of one document, in chunk order."""
    ex = _Extractor(document, entry)
    for chunk in sorted(chunks, key=lambda c: c.ordinal):
        ex.chunk(chunk)
    return ex.facts
