"""Recognise agencies (cơ quan) in plan text, exactly as written.

``AGENCY`` matches one agency name ("Sở Khoa học và Công nghệ", "UBND cấp huyện", "các Sở, ban, ngành
cấp tỉnh", "Văn phòng UBND tỉnh"…). ``agency_list_at`` reads a list of them ("Sở Nội vụ, Sở Tài chính và
UBND cấp huyện"); ``split_agency_cell`` splits a delimited value ("Sở Y tế, các bệnh viện công lập").
"""

from __future__ import annotations

import re

_I = re.IGNORECASE | re.UNICODE

_DEPTS = [
    "Khoa học và Công nghệ",
    "Khoa học Công nghệ",
    "KH&CN",
    "KHCN",
    "Nội vụ",
    "Tài chính",
    "Kế hoạch và Đầu tư",
    "KH&ĐT",
    "Tư pháp",
    "Công Thương",
    "Nông nghiệp và Phát triển nông thôn",
    "Nông nghiệp và PTNT",
    "Nông nghiệp và Môi trường",
    "Giao thông vận tải",
    "Giao thông và Vận tải",
    "Xây dựng",
    "Tài nguyên và Môi trường",
    "Thông tin và Truyền thông",
    "TT&TT",
    "Lao động Thương binh và Xã hội",
    "Lao động - Thương binh và Xã hội",
    "Lao động, Thương binh và Xã hội",
    "Văn hóa Thể thao và Du lịch",
    "Văn hoá Thể thao và Du lịch",
    "Văn hóa, Thể thao và Du lịch",
    "Văn hóa - Thể thao - Du lịch",
    "Văn hoá - Thể thao - Du lịch",
    "Giáo dục và Đào tạo",
    "GD&ĐT",
    "Y tế",
    "Ngoại vụ",
    "Dân tộc và Tôn giáo",
]
DEPT = "(?:" + "|".join(re.escape(d) for d in sorted(_DEPTS, key=len, reverse=True)) + ")"
# A proper name: capitalised words ("Long Khánh", "Biên Hòa", "Phan Rang-Tháp Chàm").
_NAME = r"(?-i:[A-ZĐÀ-Ỹ][\wÀ-ỹ&]*(?:[ -][A-ZĐÀ-Ỹ][\wÀ-ỹ&]*)*)"
_UB = r"(?:UBND|Ủy ban nhân dân|Uỷ ban nhân dân)"
_PLACE = r"(?:thành phố|thị xã|thị trấn|quận|huyện|xã|phường)"

_ALTERNATIVES = [
    rf"Sở\s+{DEPT}",
    rf"Bộ\s+{DEPT}",
    rf"(?:Văn phòng|VP)\s+{_UB}\s+tỉnh(?:\s+{_NAME})?",
    r"Văn phòng\s+(?:Tỉnh ủy|Tỉnh uỷ|HĐND&ĐĐBQH tỉnh|Đoàn đại biểu Quốc hội và HĐND)",
    # UBND các huyện, thành phố Long Khánh và thành phố Biên Hòa / UBND cấp huyện / UBND tỉnh
    rf"{_UB}\s+các\s+(?:huyện|xã|quận)(?:\s*,\s*{_PLACE}(?:\s+{_NAME})?)*(?:\s+và\s+{_PLACE}\s+{_NAME})?",
    rf"{_UB}\s+cấp\s+(?:tỉnh|huyện|xã)",
    rf"{_UB}\s+(?:tỉnh|{_PLACE})(?:\s+{_NAME})?",
    r"(?:các\s+)?cơ quan\s+HCNN\s+cấp\s+(?:tỉnh|II|huyện)",
    r"(?:các\s+)?sở,\s*ban,\s*ngành(?:,\s*đoàn thể)?(?:\s+(?:cấp tỉnh|thuộc (?:UBND|Ủy ban nhân dân) tỉnh|liên quan))?",
    r"(?:các\s+)?sở,\s*ngành(?:,\s*địa phương)?(?:\s+(?:cấp tỉnh|liên quan|tỉnh))?",
    r"các\s+cơ quan,\s*đơn vị(?:,\s*địa phương)?(?:\s+(?:có liên quan|liên quan|đang áp dụng(?:\s+ISO)?|áp dụng ISO))?",
    r"các\s+cơ quan\s+(?:thông tin của tỉnh|liên quan|và các đơn vị khác có liên quan)",
    r"các\s+đơn vị\s+(?:có\s+)?liên quan",
    r"các\s+cấp chính quyền địa phương",
    r"(?:các\s+)?bệnh viện công lập",
    r"các\s+trường(?:\s+THPT công lập)?",
    r"Chi cục\s+Tiêu chuẩn\s+Đo lường\s+Chất lượng",
    r"Chi cục\s+(?:TĐC|TCĐLCL)\b",
    rf"Chi cục\s+{_NAME}",
    rf"Đài\s+{_NAME}",
    r"Thông tấn xã Việt Nam",
    r"các\s+cơ quan thông tin đại chúng(?:\s+khác)?",
    r"các\s+Bộ,\s*ngành,\s*địa phương(?:\s+có liên quan)?",
    r"Tổng cục\s+Tiêu chuẩn\s+Đo lường\s+Chất lượng",
    r"Ban\s+Thi đua\s*-?\s*Khen thưởng(?:\s+tỉnh)?",
    rf"Ban\s+{_NAME}",
    r"Thanh tra tỉnh",
    r"Công an tỉnh",
    r"Ủy ban Mặt trận Tổ quốc(?:\s+tỉnh)?",
    r"Tổ công tác\s+ISO\s*-\s*Hành chính tỉnh",
]
AGENCY = re.compile("(?:" + "|".join(_ALTERNATIVES) + ")", _I)
# a Sở named by its field after "các Sở:": "các Sở: Kế hoạch và Đầu tư, Khoa học và Công nghệ, Nội vụ"
_SO_LIST = re.compile(rf"các\s+Sở\s*:\s*(?P<list>{DEPT}(?:\s*,\s*{DEPT})*(?:\s+và\s+{DEPT})?)", _I)
_LIST_SEP = re.compile(r"\s*(?:,|;|\bvà\b)\s*(?:với\s+)?", _I)
_TITLE = r"\s*(?:Giám đốc|Thủ trưởng|Chủ tịch|Chánh Văn phòng)\s+(?=\S)"
_PREFIX = re.compile("^" + _TITLE, _I)
_PREFIX_AT = re.compile(_TITLE, _I)  # for ``match(text, pos)``: "^" never matches past the string's start


def agency_at(text: str, pos: int) -> re.Match[str] | None:
    """An agency name starting exactly at ``pos`` (after an optional title such as "Giám đốc")."""
    m = _PREFIX_AT.match(text, pos)
    if m:
        pos = m.end()
    return AGENCY.match(text, pos)


def agency_after(text: str, pos: int) -> str | None:
    """An agency written right after ``pos`` (", các cơ quan, đơn vị … báo cáo")."""
    m = re.match(r"\s*,?\s*", text[pos:])
    found = agency_at(text, pos + (m.end() if m else 0))
    return found.group(0) if found else None


def agency_list_at(text: str, pos: int) -> tuple[list[str], int]:
    """Agencies listed from ``pos``: ``(names as written, end position)``; ``([], pos)`` when none."""
    m = _SO_LIST.match(text, pos)
    if m:
        names = [f"Sở {d.group(0).strip()}" for d in re.finditer(DEPT, m.group("list"), _I)]
        return names, m.end()
    names: list[str] = []
    end = pos
    cur = pos
    while True:
        m = agency_at(text, cur)
        if not m:
            break
        names.append(m.group(0).strip())
        end = m.end()
        sep = _LIST_SEP.match(text, end)
        if not sep or sep.end() == end:
            break
        cur = sep.end()
    return names, end


def find_agencies(text: str) -> list[re.Match[str]]:
    return list(AGENCY.finditer(text))


_CELL_HEAD = re.compile(
    r"(?:Sở|các|UBND|Ủy ban|Uỷ ban|Văn phòng|VP|Ban|Chi cục|Cục|Bộ|Tổng cục|Thanh tra|Công an|Trung tâm|Trường|"
    r"Bệnh viện|Phòng|HĐND|Tỉnh ủy|Đài|Hội|Tổ)\b",
    _I,
)


def split_agency_cell(value: str) -> list[str]:
    """Split a delimited list of agencies (a label value or a table cell), keeping names as written."""
    out: list[str] = []
    for part in re.split(r"\s*;\s*", value):
        part = part.strip().lstrip("-+• ").strip().rstrip(".").strip()
        if not part:
            continue
        if AGENCY.fullmatch(part):
            out.append(part)
            continue
        pieces = [part]
        for sep in (r",\s*", r"\s+và\s+"):
            nxt: list[str] = []
            for p in pieces:
                bits = re.split(f"({sep})", p)
                cur = bits[0]
                for i in range(1, len(bits), 2):
                    following = bits[i + 1]
                    if _CELL_HEAD.match(following) and not re.match(r"(?:ban|ngành)\b", following, _I):
                        nxt.append(cur)
                        cur = following
                    else:
                        cur += bits[i] + following
                nxt.append(cur)
            pieces = nxt
        out.extend(p.strip() for p in pieces if p.strip())
    return out


_OWNER_LEAD = re.compile(r"^\s*(?:Giao\s+|Đề nghị\s+)?", _I)


def owner_of_heading(text: str) -> str | None:
    """The agency a heading assigns work to: "1. Sở Khoa học và Công nghệ: Tổ chức…" → "Sở Khoa học và Công nghệ"."""
    body = re.sub(r"^\s*(?:Điều\s+\d+[a-z]?|[IVX]{1,5}|\d{1,2}|[a-zđ])[.)]\s*", "", text)
    duty = re.match(r"Nhiệm vụ của\s+(?P<who>.+?)\s*$", body, _I)
    if duty:  # legal texts: "Điều 12. Nhiệm vụ của Bộ, ngành, Ủy ban nhân dân cấp tỉnh"
        return duty.group("who").rstrip(".:")
    pos = _OWNER_LEAD.match(body).end()  # type: ignore[union-attr]
    rest = body[pos:]
    if not (agency_at(rest, 0) or re.match(r"(?:Thủ trưởng|Chủ tịch|Các\s+(?:sở|cơ quan))", rest, _I)):
        return None
    value = rest.split(":", 1)[0]
    value = re.sub(r"\s+(?:có trách nhiệm|chịu trách nhiệm)\s*$", "", value.strip()).rstrip(".").strip()
    if len(value) > 160:
        m = agency_at(rest, 0)
        return m.group(0).strip() if m else None
    return value or None


def clean_agency(name: str) -> str:
    """Drop a leading title ("Giám đốc Sở Tài chính" → "Sở Tài chính")."""
    return _PREFIX.sub("", name).strip()
