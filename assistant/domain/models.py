"""Typed models that cross module boundaries (frozen pydantic).

Identifiers are English; the Vietnamese term is in the docstring. User-facing strings are Vietnamese.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class DocStatus(StrEnum):
    """Tình trạng hiệu lực của văn bản (as written in the catalog)."""

    IN_FORCE = "còn hiệu lực"
    EXPIRED = "hết hiệu lực"
    REPLACED = "bị thay thế"
    PERIOD_ENDED = "giai đoạn đã kết thúc"
    UNKNOWN = "chưa xác định"


class RestructuringNote(Frozen):
    """Ghi chú sắp xếp bộ máy 2025 ảnh hưởng đến văn bản."""

    code: str  # merged_province | district_abolished | renamed_body | other
    message: str


class CatalogEntry(Frozen):
    """Một mục trong danh mục văn bản (văn bản có trong kho hoặc được trích dẫn)."""

    id: str
    kind: str  # quyết định, thông tư, nghị định, kế hoạch, công văn, mô hình khung, tiêu chuẩn…
    number: str | None = None  # exactly as written: "19/2014/QĐ-TTg", "310/KH-UBND"
    title: str
    issuer: str | None = None
    province: str | None = None
    issued: dt.date | None = None
    effective: dt.date | None = None
    period: str | None = None  # "2022-2030" for plans
    iso_version: str | None = None  # "9001:2015"
    status: DocStatus = DocStatus.UNKNOWN
    replaces: tuple[str, ...] = ()
    replaced_by: tuple[str, ...] = ()
    files: tuple[str, ...] = ()  # file names (not paths) of texts that hold this document
    # the catalogued decision that issued this document ("Ban hành kèm theo Quyết định số 618/QĐ-UBND"): a
    # question naming that decision's number asks about this document
    issued_with: str | None = None
    restructuring: tuple[RestructuringNote, ...] = ()
    unconfirmed: tuple[str, ...] = ()  # which facts of this entry are not confirmed
    notes: str | None = None

    @property
    def display_name(self) -> str:
        """ "Quyết định 19/2014/QĐ-TTg" or the title when there is no number."""
        if self.number:
            return f"{self.kind.capitalize()} {self.number}"
        extra = ", ".join(x for x in (self.province, self.period) if x)
        if extra:
            return f"{self.kind.capitalize()} ({extra})"
        return self.title


class Document(Frozen):
    """Một tệp tài liệu đã lập chỉ mục."""

    doc_id: str
    catalog_id: str | None = None
    source_path: str
    file_name: str
    content_hash: str
    format: str  # txt, md, docx, pdf, html, doc
    title: str
    number: str | None = None
    kind: str | None = None
    province: str | None = None
    year: int | None = None


class Chunk(Frozen):
    """Một đoạn (chunk) của tài liệu, có đường dẫn mục (section path)."""

    chunk_id: str
    doc_id: str
    ordinal: int
    section: str  # "Điều 4 > khoản 4 > điểm a" or "II > 3 > a"; "" for the preamble
    heading: str = ""  # human heading of the section ("Điều 4. Trình tự xây dựng…")
    text: str  # original text, what users see and what quotes are taken from
    index_text: str  # header + text, what BM25 and the embedder see


class SearchHit(Frozen):
    """Kết quả tìm kiếm."""

    chunk_id: str
    doc_id: str
    title: str
    number: str | None
    section: str
    text: str
    score: float


class Filters(Frozen):
    """Bộ lọc truy vấn."""

    kinds: tuple[str, ...] = ()
    provinces: tuple[str, ...] = ()
    doc_ids: tuple[str, ...] = ()
    in_force_only: bool = False


class Citation(Frozen):
    """Trích dẫn: số thứ tự [n] → tài liệu, mục và đoạn trích nguyên văn."""

    n: int
    doc_id: str
    chunk_id: str
    title: str
    number: str | None
    section: str
    quote: str  # verbatim span of the indexed chunk text


class CurrencyWarning(Frozen):
    """Cảnh báo nguồn đã cũ / bị thay thế / cơ quan không còn tồn tại."""

    code: str
    message: str
    doc_id: str | None = None


class Turn(Frozen):
    """Một lượt hội thoại trước đó."""

    question: str
    answer: str = ""


class Answer(Frozen):
    """Câu trả lời có trích dẫn."""

    answer: str
    refused: bool = False
    citations: tuple[Citation, ...] = ()
    warnings: tuple[CurrencyWarning, ...] = ()
    nearest: tuple[SearchHit, ...] = ()  # the nearest sources, shown when refused
    timings_ms: dict[str, float] = Field(default_factory=dict)
    route: str = "passages"  # passages | facts | catalog | onboarding | standing | table | llm


class IndexReport(Frozen):
    """Tóm tắt một lần lập chỉ mục."""

    added: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    failed: tuple[tuple[str, str], ...] = ()  # (path, Vietnamese reason)
    chunks: int = 0
    embedded: int = 0
    seconds: float = 0.0
    embed_seconds: float = 0.0
    version: str | None = None
    switched: bool = False


class Deadline(Frozen):
    """Thời hạn: a date, a recurring yearly date, a month, a quarter, a year or a period."""

    raw: str  # exactly as the document writes it: "trước ngày 15/11 hàng năm"
    kind: str  # date | yearly | month | quarter | year | period
    day: int | None = None
    month: int | None = None
    quarter: int | None = None
    year: int | None = None
    year_end: int | None = None  # for periods "2022-2025"


class Fact(Frozen):
    """Dữ kiện có cấu trúc trích từ tài liệu, gắn với đoạn và mục nguồn."""

    fact_id: str
    kind: str  # task | deadline | amount | target | legal_ref
    doc_id: str
    chunk_id: str
    section: str
    quote: str  # verbatim span of the chunk text
    province: str | None = None
    task: str | None = None
    lead: str | None = None  # cơ quan chủ trì
    cooperating: tuple[str, ...] = ()  # cơ quan phối hợp
    deadline: Deadline | None = None
    amount_vnd: int | None = None
    amount_purpose: str | None = None
    target_value: float | None = None
    target_unit: str | None = None  # percent | count
    target_year: int | None = None
    unit_type: str | None = None  # cấp tỉnh, cấp huyện, cấp xã…
    ref_key: str | None = None  # canonical DocRef key
    ref_number: str | None = None  # as written


class DraftField(Frozen):
    """Một trường nhập của một loại dự thảo."""

    name: str
    label: str  # Vietnamese label
    type: str = "text"  # text | int | date | list | steps | longtext
    required: bool = True
    help: str = ""
    default: object | None = None


class DraftKindSpec(Frozen):
    """Loại dự thảo và các trường nhập của nó."""

    kind: str  # chinh-sach-chat-luong, muc-tieu-chat-luong, quy-trinh-noi-bo, …
    title: str  # Vietnamese
    fields: tuple[DraftField, ...]


class Draft(Frozen):
    """Dự thảo văn bản đã sinh."""

    kind: str
    title: str
    file_name: str
    docx: bytes
    markdown: str
    citations: tuple[Citation, ...] = ()
    placeholders: tuple[str, ...] = ()  # visible gaps left for the officer
    warnings: tuple[CurrencyWarning, ...] = ()


class DocumentInfo(Frozen):
    """Văn bản trong thư viện: mục danh mục + các tệp đã lập chỉ mục (nếu có)."""

    entry: CatalogEntry | None
    documents: tuple[Document, ...] = ()

    @property
    def held(self) -> bool:
        return bool(self.documents)


class Section(Frozen):
    """Một mục của tài liệu với các đoạn của nó."""

    section: str
    heading: str
    chunks: tuple[Chunk, ...]
