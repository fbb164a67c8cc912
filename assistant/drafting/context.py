"""What a draft template sees: header, bases, signature, recipients, citations and placeholders."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from ..domain.catalog import Catalog
from ..domain.models import Citation, CurrencyWarning
from ..domain.vntext import fold
from .bases import Basis, punctuate
from .citations import CitationBook
from .inputs import DraftInput
from .kinds import KindDef

DEFAULT_RECIPIENTS: dict[str, list[str]] = {
    "chinh-sach-chat-luong": ["Các phòng, ban, bộ phận trực thuộc", "Niêm yết tại trụ sở cơ quan"],
    "muc-tieu-chat-luong": ["Các phòng, ban, bộ phận trực thuộc", "Ban chỉ đạo ISO"],
    "quy-trinh-noi-bo": [],
    "ke-hoach-htqlcl": ["Sở Khoa học và Công nghệ (để báo cáo)", "Các phòng, ban, bộ phận trực thuộc"],
    "qd-ban-chi-dao": ["Như Điều 3", "Sở Khoa học và Công nghệ (để báo cáo)"],
    "ke-hoach-danh-gia-noi-bo": ["Đoàn đánh giá", "Các phòng, ban, bộ phận được đánh giá"],
    "bao-cao-nam": ["Như trên"],
    "qd-cong-bo": ["Như Điều 3", "Sở Khoa học và Công nghệ (để theo dõi, tổng hợp)"],
}


def is_people_committee(agency: str) -> bool:
    low = fold(agency)
    return low.startswith("ủy ban nhân dân") or low.startswith("ubnd")


def collective_name(agency: str) -> str:
    """The collective a TM. signature names: ``ỦY BAN NHÂN DÂN`` for a People's Committee."""
    return "ỦY BAN NHÂN DÂN" if is_people_committee(agency) else agency.upper()


def signature(kdef: KindDef, inp: DraftInput) -> tuple[list[str], str]:
    sign_as = inp.sign_as
    if sign_as is None:
        sign_as = "TM." if kdef.collective_sign and is_people_committee(inp.agency) else ""
    head = inp.head_title.upper()
    if sign_as == "TM.":
        lines = [f"TM. {collective_name(inp.agency)}", head]
    elif sign_as == "KT.":
        lines = [f"KT. {head}", inp.signer_title.upper()]
    elif sign_as == "Q.":
        lines = [f"Q. {head}"]
    else:
        lines = [head]
    return lines, inp.signer_name or inp.head_name


def recipients(kdef: KindDef, inp: DraftInput) -> list[str]:
    """Nơi nhận lines per NĐ 30: ``- X;`` each, the last ``- Lưu: VT, ….``."""
    items = list(inp.recipients) or DEFAULT_RECIPIENTS[kdef.kind]
    lines = [f"- {item.rstrip(';.').strip()};" for item in items if item.strip(" ;.")]
    lines.append(f"- Lưu: VT, {inp.agency_abbr or '…'}.")
    return lines


def place_date(inp: DraftInput) -> str:
    return f"{inp.place}, ngày … tháng … năm {inp.year}"


def section_words(section: str) -> str:
    """``Điều 4 > khoản 4 > điểm b`` → ``điểm b khoản 4 Điều 4``; ``II > 3 > a`` → ``mục II.3.a``."""
    parts = [p.strip() for p in section.split(">") if p.strip()]
    if not parts:
        return "phần mở đầu"
    if parts[0].startswith("Điều"):
        return " ".join(reversed(parts))
    if parts[0].startswith("Phụ lục"):
        return " – ".join(parts)
    return "mục " + ".".join(parts)


def source_lines(
    catalog: Catalog, citations: list[Citation], bases: list[Basis], placeholders: list[str]
) -> list[str]:
    """The source list appended to every draft: each [n] → document and section, then the bases."""
    lines = ["::sources NGUỒN TRÍCH DẪN (để cán bộ đối chiếu; xóa trước khi trình ký)"]
    for c in citations:
        entry = catalog.get(c.doc_id)
        name = entry.display_name if entry else (f"{c.title} {c.number}" if c.number else c.title)
        quote = re.sub(r"\s+", " ", c.quote).strip()
        lines.append(f"::source [{c.n}] {name}, {section_words(c.section)}: “{quote}”")
    held = [b.entry.display_name for b in bases if b.entry is not None]
    if held:
        lines.append(
            "::source Các căn cứ lấy từ danh mục văn bản, đều đang còn hiệu lực theo danh mục: "
            + "; ".join(held)
            + "."
        )
    lines.append("::source Thể thức trình bày theo Phụ lục I Nghị định 30/2020/NĐ-CP.")
    if placeholders:
        lines.append(f"::source Còn {len(placeholders)} chỗ cần cán bộ điền (đánh dấu [… cán bộ điền: … …]).")
    return lines


_DISTRICT = re.compile(r"\b(ủy ban nhân dân|ubnd|uỷ ban nhân dân)\s+(huyện|quận|thị xã)\b")
_MERGED = {
    "ninh thuận": "Ninh Thuận đã hợp nhất vào tỉnh Khánh Hòa",
    "tiền giang": "Tiền Giang đã hợp nhất với Đồng Tháp (tên mới: tỉnh Đồng Tháp)",
    "bình phước": "Bình Phước đã hợp nhất với Đồng Nai (tên mới: Đồng Nai)",
}


def restructuring_warnings(inp: DraftInput) -> list[CurrencyWarning]:
    """Agencies and provinces that no longer exist after the 2025 restructuring (DOMAIN.md §3)."""
    values = [v for v in inp.model_dump().values() if isinstance(v, str)]
    values += [x for v in inp.model_dump().values() if isinstance(v, list) for x in v if isinstance(x, str)]
    text = fold(" \n ".join(values))
    out: list[CurrencyWarning] = []
    if "9001:2008" in text:
        out.append(
            CurrencyWarning(
                code="old_standard",
                message=(
                    "Dữ liệu nhắc đến TCVN ISO 9001:2008; phiên bản hiện hành là TCVN ISO 9001:2015, cán bộ kiểm tra lại."
                ),
            )
        )
    if inp.year < 2025:
        return out
    if _DISTRICT.search(text) or "cấp huyện" in text:
        out.append(
            CurrencyWarning(
                code="district_abolished",
                message=(
                    "Từ 01/07/2025 không còn cấp huyện (UBND huyện, quận, thị xã); cán bộ sửa lại tên cơ quan, nơi nhận."
                ),
            )
        )
    if "sở thông tin và truyền thông" in text:
        out.append(
            CurrencyWarning(
                code="renamed_body",
                message=(
                    "Sở Thông tin và Truyền thông đã hợp nhất vào Sở Khoa học và Công nghệ từ năm 2025."
                ),
            )
        )
    if "tổng cục tiêu chuẩn đo lường chất lượng" in text:
        out.append(
            CurrencyWarning(
                code="renamed_body",
                message=(
                    "Tổng cục Tiêu chuẩn Đo lường Chất lượng nay là Ủy ban Tiêu chuẩn Đo lường Chất lượng Quốc gia."
                ),
            )
        )
    for name, message in _MERGED.items():
        if name in text:
            out.append(CurrencyWarning(code="merged_province", message=f"Từ 01/07/2025, {message}."))
    return out


def base_context(
    kdef: KindDef,
    inp: DraftInput,
    bases: list[Basis],
    book: CitationBook,
    free: dict[str, Any],
    deadline: Callable[[], str],
) -> dict[str, Any]:
    """Everything a template may use. Templates call ``cite(key)`` and ``v(value, what)`` while rendering."""
    sign_lines, signer = signature(kdef, inp)
    number = ""
    if kdef.doc_code:
        number = f"Số: …/{kdef.doc_code}-{inp.agency_abbr or '…'}"

    def v(value: Any, what: str) -> str:
        if value is None or (isinstance(value, str) and not value.strip()):
            return book.hole(what)
        return str(value)

    return {
        "f": inp,
        "kind": kdef,
        "hdr": {
            "parent": inp.parent_agency,
            "issuer": inp.agency,
            "number": number,
            "placedate": place_date(inp),
        },
        "bases": punctuate([b.line for b in bases]),
        "sign": sign_lines,
        "signer": signer,
        "recipients": recipients(kdef, inp),
        "cite": book.cite,
        "hole": book.hole,
        "v": v,
        "free": free,
        "deadline": deadline,  # called by the templates that need it, so unused gaps are not listed
        "refs": [b.line.removeprefix("Căn cứ ").strip() for b in bases],
        "agency": inp.agency,
        "year": inp.year,
    }
