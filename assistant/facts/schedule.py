"""When a deadline falls: its interval in a given year, whether it meets a date range, the next due date.

A deadline is due on the last day of what it names: ``15/11`` on that day, ``tháng 12`` on 31/12,
``Quý IV/2019`` on 31/12/2019, ``năm 2013`` on 31/12/2013, ``2019-2020`` on 31/12/2020.
Recurring deadlines (``yearly``, or a month/quarter without a year) repeat every year.
"""

from __future__ import annotations

import calendar
import datetime as dt

from ..domain.models import Deadline

_MIN_YEAR, _MAX_YEAR = 1990, 2100


def is_recurring(d: Deadline) -> bool:
    return d.kind == "yearly" or (d.kind in ("month", "quarter") and d.year is None)


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _safe_date(year: int, month: int, day: int) -> dt.date:
    return dt.date(year, month, min(day, calendar.monthrange(year, month)[1]))


def interval(d: Deadline, year: int | None = None) -> tuple[dt.date, dt.date] | None:
    """The days the deadline covers (in ``year`` for recurring ones)."""
    y = d.year if d.year is not None else year
    if d.kind == "date" and d.year and d.month and d.day:
        day = _safe_date(d.year, d.month, d.day)
        return day, day
    if d.kind == "yearly" and y is not None and d.month:
        if d.day:
            day = _safe_date(y, d.month, d.day)
            return day, day
        return dt.date(y, d.month, 1), _month_end(y, d.month)
    if d.kind == "month" and y is not None and d.month:
        return dt.date(y, d.month, 1), _month_end(y, d.month)
    if d.kind == "quarter" and y is not None and d.quarter:
        first = 3 * (d.quarter - 1) + 1
        return dt.date(y, first, 1), _month_end(y, first + 2)
    if d.kind == "year" and d.year:
        return dt.date(d.year, 1, 1), dt.date(d.year, 12, 31)
    if d.kind == "period" and d.year:
        return dt.date(d.year, 1, 1), dt.date(d.year_end or d.year, 12, 31)
    return None


def due_date(d: Deadline, year: int | None = None) -> dt.date | None:
    span = interval(d, year)
    return span[1] if span else None


def overlaps(d: Deadline, date_from: dt.date | None, date_to: dt.date | None) -> bool:
    """Does the deadline fall (in some year, for recurring ones) within ``[date_from, date_to]``?"""
    lo = date_from or dt.date(_MIN_YEAR, 1, 1)
    hi = date_to or dt.date(_MAX_YEAR, 12, 31)
    if lo > hi:
        return False
    years = range(lo.year, hi.year + 1) if is_recurring(d) else [None]
    for y in years:
        span = interval(d, y)
        if span and span[0] <= hi and span[1] >= lo:
            return True
    return False


def next_due(d: Deadline, today: dt.date) -> dt.date | None:
    """The next due date on or after ``today`` (recurring), or the due date itself (one-off)."""
    if is_recurring(d):
        for y in (today.year, today.year + 1):
            due = due_date(d, y)
            if due and due >= today:
                return due
        return None
    return due_date(d)


def sort_key(d: Deadline | None, today: dt.date) -> tuple[int, int]:
    """Upcoming deadlines first (soonest first), then past ones (most recent first), then unknown."""
    due = next_due(d, today) if d else None
    if due is None:
        return (2, 0)
    delta = (due - today).days
    return (0, delta) if delta >= 0 else (1, -delta)
