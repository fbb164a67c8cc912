"""Who is assigned a task: labelled lines ("Cơ quan chủ trì: …") and prose assignments.

Prose: "X chủ trì, phối hợp Y …", "Giao X …", or "Phối hợp với Y …" under a section owned by X.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..domain.models import Deadline
from .agencies import agency_at, agency_list_at, clean_agency, find_agencies
from .outline import Line
from .prose import BULLET

LABEL = re.compile(
    r"^\s*(?:[a-zđ]\)\s*|[-–+]\s*)?(?P<label>(?:Cơ quan|Đơn vị)\s+chủ trì|(?:Cơ quan|Đơn vị)\s+phối hợp|"
    r"Thời gian thực hiện|Thời gian hoàn thành|Thời hạn(?: hoàn thành)?)\s*:\s*(?P<value>.+?)\s*$",
    re.IGNORECASE,
)
_CHU_TRI = re.compile(r"chủ trì", re.IGNORECASE)
_COOP_AFTER = re.compile(r"\s*,?\s*(?:tổ chức\s+)?phối hợp\s+(?:với\s+)?", re.IGNORECASE)
_LEAD_GAP = re.compile(
    r"^\s*(?:chịu trách nhiệm|có trách nhiệm|là cơ quan|là đơn vị)?\s*,?\s*$", re.IGNORECASE
)
_COOP_START = re.compile(r"^(?:(?:có|chịu) trách nhiệm\s+)?phối hợp\s+(?:với\s+)?", re.IGNORECASE)
_GIAO = re.compile(r"\bGiao\s+", re.IGNORECASE)


@dataclass
class PendingTask:
    """A task assembled from labelled lines ("Cơ quan chủ trì: …")."""

    line: Line
    start: int
    end: int
    lead: str | None = None
    coop: list[str] = field(default_factory=list)
    deadline: Deadline | None = None
    title: str = ""


def find_assignment(text: str, owner: str | None) -> tuple[str, list[str], int] | None:
    """(lead, cooperating agencies, end of the assignment in ``text``) or None when nothing is assigned.

    ``owner`` is the agency the enclosing section assigns work to: the lead of a bare "chủ trì" and of
    "Phối hợp với Y …".
    """
    body_start = BULLET.match(text).end()  # type: ignore[union-attr]
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
            lead = owner
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
        if ag and g and not text[body_start : g.start()].strip(" ,") and len(text[ag.end() :].split()) >= 3:
            result = (clean_agency(ag.group(0)), [], ag.end())
    if result is None and owner:
        pm = _COOP_START.match(text[body_start:])
        if pm:
            coop, end = agency_list_at(text, body_start + pm.end())
            if coop:
                result = (owner, coop, end)
    return result
