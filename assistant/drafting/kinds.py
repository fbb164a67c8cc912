"""The eight draft kinds: their input models and what the drafter needs to know about each."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, Field

from ..domain.models import DraftKindSpec
from .inputs import DateValue, DraftInput, RequiredText, Row, Text, TextList, _split_lines, field_specs

# --------------------------------------------------------------------------- rows


class Step(Row):
    """Một bước của quy trình."""

    content: RequiredText = Field(title="Nội dung")
    responsible: Text = Field("", title="Trách nhiệm")
    time: Text = Field("", title="Thời gian")
    form: Text = Field("", title="Biểu mẫu/Kết quả")


class Member(Row):
    """Thành viên (Ban chỉ đạo, đoàn đánh giá)."""

    name: RequiredText = Field(title="Họ tên")
    title: Text = Field("", title="Chức vụ")
    role: Text = Field("", title="Nhiệm vụ")


class Objective(Row):
    """Một mục tiêu chất lượng."""

    content: RequiredText = Field(title="Mục tiêu")
    measure: Text = Field("", title="Chỉ tiêu đo lường")
    responsible: Text = Field("", title="Trách nhiệm")
    time: Text = Field("", title="Thời gian")


class Task(Row):
    """Một nhiệm vụ của kế hoạch."""

    content: RequiredText = Field(title="Nội dung")
    lead: Text = Field("", title="Chủ trì")
    time: Text = Field("", title="Thời gian")
    output: Text = Field("", title="Sản phẩm")


class AuditSlot(Row):
    """Một dòng lịch đánh giá nội bộ."""

    time: RequiredText = Field(title="Thời gian")
    unit: RequiredText = Field(title="Đơn vị/quá trình được đánh giá")
    auditors: Text = Field("", title="Chuyên gia đánh giá")


def _rows(row: type[Row], min_items: int = 0):
    return Annotated[list[row], BeforeValidator(_split_lines), Field(min_length=min_items)]  # type: ignore[valid-type]


DEFAULT_COMMITMENTS = [
    "Giải quyết công việc, thủ tục hành chính đúng quy định của pháp luật, công khai, minh bạch, đúng hẹn",
    "Lấy sự hài lòng của người dân, tổ chức làm thước đo chất lượng phục vụ",
    "Duy trì và cải tiến thường xuyên Hệ thống quản lý chất lượng phù hợp Tiêu chuẩn quốc gia TCVN ISO 9001:2015",
    "Mọi cán bộ, công chức hiểu, thực hiện chính sách chất lượng và có đủ năng lực để hoàn thành nhiệm vụ",
]

# --------------------------------------------------------------------------- inputs


class QualityPolicyInput(DraftInput):
    commitments: TextList = Field(
        default_factory=lambda: list(DEFAULT_COMMITMENTS), title="Cam kết", description="Mỗi dòng một cam kết"
    )
    scope: Text = Field(
        "", title="Phạm vi áp dụng", description="Ví dụ: các thủ tục hành chính thuộc thẩm quyền giải quyết"
    )


class QualityObjectivesInput(DraftInput):
    objectives: _rows(Objective, 1) = Field(title="Mục tiêu chất lượng")  # type: ignore[valid-type]


class ProcedureInput(DraftInput):
    procedure_name: RequiredText = Field(title="Tên quy trình", description="Ví dụ: Cấp giấy phép xây dựng")
    code: Text = Field("", title="Mã hiệu", description="Ví dụ: QT-01")
    issue_no: int = Field(1, ge=1, le=99, title="Lần ban hành")
    issue_date: DateValue = Field(None, title="Ngày ban hành", description="dd/mm/yyyy")
    purpose: Text = Field("", title="Mục đích")
    scope: Text = Field("", title="Phạm vi")
    legal_basis: TextList = Field(
        default_factory=list,
        title="Cơ sở pháp lý",
        description="Văn bản quy định thủ tục, mỗi dòng một văn bản",
    )
    requirements: TextList = Field(default_factory=list, title="Yêu cầu, điều kiện")
    documents: TextList = Field(default_factory=list, title="Thành phần hồ sơ")
    copies: Text = Field("01 (một) bộ", title="Số lượng hồ sơ")
    processing_time: Text = Field("", title="Thời gian xử lý", description="Ví dụ: 15 ngày làm việc")
    receiving_place: Text = Field("", title="Nơi tiếp nhận và trả kết quả")
    fee: Text = Field("", title="Lệ phí")
    steps: _rows(Step, 1) = Field(title="Các bước thực hiện")  # type: ignore[valid-type]
    forms: TextList = Field(
        default_factory=list, title="Biểu mẫu", description="Mỗi dòng: mã hiệu – tên biểu mẫu"
    )
    records: TextList = Field(default_factory=list, title="Hồ sơ cần lưu")
    definitions: TextList = Field(
        default_factory=lambda: [
            "TTHC: Thủ tục hành chính",
            "HTQLCL: Hệ thống quản lý chất lượng",
            "CBCC: Cán bộ, công chức",
        ],
        title="Định nghĩa, viết tắt",
    )
    prepared_by: Text = Field("", title="Người soạn thảo")
    reviewed_by: Text = Field("", title="Người xem xét")


class QmsPlanInput(DraftInput):
    scope: Text = Field(
        "", title="Phạm vi áp dụng", description="Ví dụ: toàn bộ TTHC thuộc thẩm quyền giải quyết"
    )
    tasks: _rows(Task) = Field(  # type: ignore[valid-type]
        default_factory=list, title="Nhiệm vụ", description="Để trống để dùng các bước theo QĐ 19/2014/QĐ-TTg"
    )
    budget: Text = Field("", title="Kinh phí", description="Ví dụ: 15.000.000 đồng")
    lead_unit: Text = Field("", title="Đơn vị tham mưu", description="Ví dụ: Văn phòng HĐND và UBND xã")


class SteeringCommitteeInput(DraftInput):
    members: _rows(Member, 1) = Field(title="Thành viên Ban chỉ đạo")  # type: ignore[valid-type]
    duties: TextList = Field(default_factory=list, title="Nhiệm vụ của Ban chỉ đạo")


class InternalAuditPlanInput(DraftInput):
    audit_time: RequiredText = Field(title="Thời gian đánh giá", description="Ví dụ: tháng 10/2026")
    scope: Text = Field("", title="Phạm vi đánh giá")
    criteria: TextList = Field(
        default_factory=lambda: [
            "Tiêu chuẩn quốc gia TCVN ISO 9001:2015",
            "Hệ thống tài liệu, quy trình của Hệ thống quản lý chất lượng",
            "Quy định pháp luật liên quan đến hoạt động xử lý công việc",
        ],
        title="Chuẩn mực đánh giá",
    )
    auditors: _rows(Member, 1) = Field(title="Đoàn đánh giá")  # type: ignore[valid-type]
    schedule: _rows(AuditSlot) = Field(default_factory=list, title="Lịch đánh giá")  # type: ignore[valid-type]


class AnnualReportInput(DraftInput):
    recipient: Text = Field("", title="Kính gửi", description="Ví dụ: Sở Khoa học và Công nghệ tỉnh Đồng Nai")
    tthc_total: int | None = Field(None, ge=0, title="Số TTHC thuộc thẩm quyền")
    tthc_applied: int | None = Field(None, ge=0, title="Số TTHC áp dụng HTQLCL")
    internal_audit: Text = Field(
        "", title="Đánh giá nội bộ", description="Thời gian, kết quả đánh giá nội bộ"
    )
    management_review: Text = Field("", title="Xem xét của lãnh đạo", description="Thời gian họp xem xét")
    updates: Text = Field("", title="Cập nhật văn bản pháp luật", description="Các quy trình đã cập nhật")
    announcement: Text = Field(
        "", title="Công bố HTQLCL", description="Số, ngày quyết định công bố/công bố lại"
    )
    results: TextList = Field(default_factory=list, title="Kết quả đạt được")
    limitations: TextList = Field(default_factory=list, title="Tồn tại, hạn chế")
    proposals: TextList = Field(default_factory=list, title="Kiến nghị, đề xuất")


class AnnouncementInput(DraftInput):
    scope_items: TextList = Field(
        min_length=1,
        title="Phạm vi công bố",
        description="Các TTHC, hoạt động được công bố, mỗi dòng một mục",
    )
    standard: Text = Field("TCVN ISO 9001:2015", title="Tiêu chuẩn")
    reannounce: bool = Field(
        False, title="Công bố lại", description="Có khi điều chỉnh, mở rộng, thu hẹp phạm vi"
    )
    previous_decision: Text = Field(
        "", title="Quyết định công bố trước", description="Số, ngày quyết định cũ"
    )


# --------------------------------------------------------------------------- registry


@dataclass(frozen=True)
class KindDef:
    kind: str
    title: str  # Vietnamese name of the kind, for lists and forms
    model: type[BaseModel]
    doc_type: str  # tên loại văn bản on the page ("" for ISO documents without one)
    doc_code: str | None  # ký hiệu tên loại: KH, QĐ, BC; None = no "Số:" line
    bases: tuple[str, ...]  # keys of bases.BASES
    collective_sign: bool  # UBND signs "TM." by default for this kind
    llm_parts: tuple[str, ...] = ()  # free-text parts an LLM may reword

    @property
    def template(self) -> str:
        return f"{self.kind}.j2"

    def spec(self) -> DraftKindSpec:
        return DraftKindSpec(kind=self.kind, title=self.title, fields=field_specs(self.model))


_ALL = ("qd19", "tt26")
KINDS: dict[str, KindDef] = {
    k.kind: k
    for k in (
        KindDef(
            "chinh-sach-chat-luong",
            "Chính sách chất lượng",
            QualityPolicyInput,
            "CHÍNH SÁCH CHẤT LƯỢNG",
            None,
            (*_ALL, "qd101"),
            False,
            ("commitments",),
        ),
        KindDef(
            "muc-tieu-chat-luong",
            "Mục tiêu chất lượng",
            QualityObjectivesInput,
            "MỤC TIÊU CHẤT LƯỢNG",
            None,
            (*_ALL, "qd101"),
            False,
        ),
        KindDef(
            "quy-trinh-noi-bo",
            "Quy trình nội bộ (quy trình xử lý công việc)",
            ProcedureInput,
            "QUY TRÌNH",
            None,
            (*_ALL, "qd101"),
            False,
        ),
        KindDef(
            "ke-hoach-htqlcl",
            "Kế hoạch xây dựng, áp dụng, duy trì HTQLCL",
            QmsPlanInput,
            "KẾ HOẠCH",
            "KH",
            (*_ALL, "qd101", "tt116"),
            True,
            ("purposes",),
        ),
        KindDef(
            "qd-ban-chi-dao",
            "Quyết định thành lập Ban chỉ đạo ISO",
            SteeringCommitteeInput,
            "QUYẾT ĐỊNH",
            "QĐ",
            (*_ALL, "qd101"),
            False,
        ),
        KindDef(
            "ke-hoach-danh-gia-noi-bo",
            "Kế hoạch đánh giá nội bộ",
            InternalAuditPlanInput,
            "KẾ HOẠCH",
            "KH",
            _ALL,
            False,
        ),
        KindDef(
            "bao-cao-nam",
            "Báo cáo tình hình áp dụng HTQLCL hằng năm",
            AnnualReportInput,
            "BÁO CÁO",
            "BC",
            _ALL,
            True,
        ),
        KindDef(
            "qd-cong-bo",
            "Quyết định công bố HTQLCL phù hợp TCVN ISO 9001:2015",
            AnnouncementInput,
            "QUYẾT ĐỊNH",
            "QĐ",
            (*_ALL, "qd101"),
            False,
        ),
    )
}


def kind_specs() -> list[DraftKindSpec]:
    """Every kind with its fields (static: needs no catalog, used by CLI help and forms)."""
    return [k.spec() for k in KINDS.values()]
