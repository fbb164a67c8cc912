"""Deadlines as an iCalendar file (RFC 5545) that Outlook and Google Calendar import.

Yearly deadlines are all-day events repeating every year (``RRULE:FREQ=YEARLY``); one-off dates are single
all-day events; months, quarters, years and periods are an all-day event on their last day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from icalendar import Calendar, Event

from ..domain.models import Fact
from .schedule import due_date, is_recurring, next_due

PRODID = "-//Tro ly ISO//isoassist//VI"


def _summary(f: Fact) -> str:
    task = " ".join((f.task or "Thời hạn").split())
    if len(task) > 110:
        task = task[:109].rsplit(" ", 1)[0] + "…"
    return f"{task} — {f.lead}" if f.lead else task


def to_ics(
    facts: Iterable[Fact],
    source_name: Callable[[str], str] | None = None,
    today: dt.date | None = None,
    now: dt.datetime | None = None,
) -> bytes:
    """Deadline facts → ``.ics`` bytes. ``source_name(doc_id)`` names the document ("Kế hoạch 310/KH-UBND")."""
    today = today or dt.date.today()
    stamp = now or dt.datetime.now(dt.UTC)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", "Thời hạn ISO (Trợ lý ISO)")
    for f in facts:
        d = f.deadline
        if d is None:
            continue
        start = next_due(d, today) if is_recurring(d) else due_date(d)
        if start is None:
            continue
        ev = Event()
        ev.add("uid", f"{f.fact_id}@tro-ly-iso")
        ev.add("dtstamp", stamp)
        ev.add("dtstart", start)
        ev.add("dtend", start + dt.timedelta(days=1))
        ev.add("summary", _summary(f))
        name = source_name(f.doc_id) if source_name else f.doc_id
        where = f", mục {f.section}" if f.section else ""
        lines = [f"Thời hạn: {d.raw}", f"Trích dẫn: “{' '.join(f.quote.split())}”", f"Nguồn: {name}{where}"]
        if f.cooperating:
            lines.insert(1, f"Phối hợp: {'; '.join(f.cooperating)}")
        ev.add("description", "\n".join(lines))
        ev.add("transp", "TRANSPARENT")
        if is_recurring(d):
            ev.add("rrule", {"freq": "yearly"})
        cal.add_component(ev)
    return cal.to_ical()
