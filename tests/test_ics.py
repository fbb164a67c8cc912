"""Deadlines → .ics: parses back with icalendar; yearly events repeat; stable UIDs."""

from __future__ import annotations

import datetime as dt

from icalendar import Calendar

from assistant.domain.models import Deadline, Fact
from assistant.facts.ics import PRODID, to_ics


def _fact(fid: str, deadline: Deadline, **kw) -> Fact:
    return Fact(
        fact_id=fid,
        kind="deadline",
        doc_id="kh-dong-nai-2019",
        chunk_id="c1",
        section="IV > 4 > b",
        quote=kw.pop("quote", "Báo cáo cho Sở Khoa học và Công nghệ trước ngày 15/11 hàng năm."),
        province="Đồng Nai",
        deadline=deadline,
        **kw,
    )


YEARLY = _fact(
    "a1",
    Deadline(raw="trước ngày 15/11 hàng năm", kind="yearly", day=15, month=11),
    task="Báo cáo kết quả áp dụng HTQLCL",
    lead="Các Sở, ban, ngành",
    cooperating=("Sở Nội vụ",),
)
QUARTER = _fact(
    "b2",
    Deadline(raw="Quý IV/2019", kind="quarter", quarter=4, year=2019),
    task="Đào tạo",
    lead="Sở Khoa học và Công nghệ",
)
MONTHLY = _fact(
    "c3", Deadline(raw="Định kỳ hàng năm (trong tháng 12)", kind="yearly", month=12), task="Tổng hợp"
)
UNDATED = Fact(fact_id="d4", kind="task", doc_id="x", chunk_id="c", section="", quote="q")

TODAY = dt.date(2026, 11, 24)
NOW = dt.datetime(2026, 11, 24, 8, 0, tzinfo=dt.UTC)


def _events(data: bytes) -> dict[str, object]:
    cal = Calendar.from_ical(data)
    assert str(cal["PRODID"]) == PRODID and str(cal["VERSION"]) == "2.0"
    return {str(e["UID"]): e for e in cal.walk("VEVENT")}


def test_yearly_deadline_is_a_recurring_all_day_event():
    ev = _events(to_ics([YEARLY, QUARTER, MONTHLY, UNDATED], lambda d: "Kế hoạch (Đồng Nai)", TODAY, NOW))
    assert set(ev) == {"a1@tro-ly-iso", "b2@tro-ly-iso", "c3@tro-ly-iso"}
    y = ev["a1@tro-ly-iso"]
    assert y["RRULE"]["FREQ"] == ["YEARLY"]
    start = y.decoded("DTSTART")
    assert type(start) is dt.date and start == dt.date(2027, 11, 15)  # next occurrence after 24/11/2026
    assert y.decoded("DTEND") == dt.date(2027, 11, 16)
    assert str(y["SUMMARY"]) == "Báo cáo kết quả áp dụng HTQLCL — Các Sở, ban, ngành"
    desc = str(y["DESCRIPTION"])
    assert "trước ngày 15/11 hàng năm" in desc and "Kế hoạch (Đồng Nai), mục IV > 4 > b" in desc
    assert "Sở Nội vụ" in desc
    assert y.decoded("DTSTAMP") == NOW


def test_quarter_and_month_fall_on_the_last_day():
    ev = _events(to_ics([QUARTER, MONTHLY], today=TODAY, now=NOW))
    q = ev["b2@tro-ly-iso"]
    assert q.decoded("DTSTART") == dt.date(2019, 12, 31)
    assert "RRULE" not in q
    m = ev["c3@tro-ly-iso"]
    assert m.decoded("DTSTART") == dt.date(2026, 12, 31) and m["RRULE"]["FREQ"] == ["YEARLY"]


def test_uids_are_stable_between_exports():
    first = _events(to_ics([YEARLY, QUARTER]))
    second = _events(to_ics([QUARTER, YEARLY]))
    assert set(first) == set(second)


def test_lines_are_crlf_and_folded():
    data = to_ics([YEARLY], today=TODAY, now=NOW)
    assert data.startswith(b"BEGIN:VCALENDAR\r\n")
    assert all(len(line) <= 75 for line in data.split(b"\r\n"))
