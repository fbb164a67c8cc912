"""Deadlines (table + .ics) and drafting (kinds, Markdown preview, .docx download)."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, ConfigDict, Field

from assistant.domain.models import Draft

from .api_docs import find_info
from .security import Principal
from .state import AssistantDep, Reader

router = APIRouter(tags=["hạn chót và soạn thảo"])

DOCX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def attachment(file_name: str) -> str:
    """Content-Disposition for a download whose name may be Vietnamese (RFC 6266 / 5987)."""
    ascii_name = file_name.encode("ascii", "ignore").decode().replace('"', "") or "tai-lieu"
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(file_name)}"


def _deadline_facts(assistant, province, agency, date_from, date_to):
    return assistant.deadlines(
        province=province or None, agency=agency or None, date_from=date_from, date_to=date_to
    )


@router.get("/deadlines", summary="Hạn chót trích từ các kế hoạch, có nguồn")
def deadlines(
    province: str | None = Query(None, max_length=100, description="Tỉnh"),
    agency: str | None = Query(None, max_length=200, description="Cơ quan chủ trì hoặc phối hợp"),
    date_from: dt.date | None = Query(None, alias="from", description="Từ ngày (YYYY-MM-DD)"),
    date_to: dt.date | None = Query(None, alias="to", description="Đến ngày (YYYY-MM-DD)"),
    principal: Principal = Reader,
    assistant=AssistantDep,
) -> list[dict]:
    facts = _deadline_facts(assistant, province, agency, date_from, date_to)
    infos = assistant.documents() if facts else []
    out = []
    for f in facts:
        item = f.model_dump(mode="json")
        info = find_info(infos, f.doc_id)
        entry = info.entry if info is not None else None
        item["title"] = entry.title if entry else (info.documents[0].title if info else f.doc_id)
        item["number"] = entry.number if entry else None
        item["status"] = entry.status.value if entry else None
        out.append(item)
    return out


@router.get(
    "/deadlines.ics",
    summary="Tải lịch hạn chót (.ics)",
    response_class=Response,
    responses={200: {"content": {"text/calendar": {}}}},
)
def deadlines_ics(
    province: str | None = Query(None, max_length=100),
    agency: str | None = Query(None, max_length=200),
    date_from: dt.date | None = Query(None, alias="from"),
    date_to: dt.date | None = Query(None, alias="to"),
    principal: Principal = Reader,
    assistant=AssistantDep,
) -> Response:
    facts = _deadline_facts(assistant, province, agency, date_from, date_to)
    data = assistant.deadlines_ics(facts)
    return Response(
        data,
        media_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": attachment("han-chot-iso.ics")},
    )


class DraftRequest(BaseModel):
    """Loại dự thảo và giá trị các trường."""

    model_config = ConfigDict(extra="forbid")

    kind: str = Field(max_length=100)
    fields: dict[str, Any] = Field(default_factory=dict)


def _draft_json(draft: Draft) -> dict:
    return draft.model_dump(mode="json", exclude={"docx"})


@router.get("/draft-kinds", summary="Các loại dự thảo và trường nhập của chúng")
def draft_kinds(principal: Principal = Reader, assistant=AssistantDep) -> list[dict]:
    return [k.model_dump(mode="json") for k in assistant.draft_kinds()]


@router.post(
    "/drafts",
    summary="Soạn dự thảo và tải về tệp .docx",
    response_class=Response,
    responses={200: {"content": {DOCX_MEDIA_TYPE: {}}}},
)
def draft_docx(body: DraftRequest, principal: Principal = Reader, assistant=AssistantDep) -> Response:
    draft = assistant.draft(body.kind, body.fields)
    return Response(
        draft.docx, media_type=DOCX_MEDIA_TYPE, headers={"Content-Disposition": attachment(draft.file_name)}
    )


@router.post("/drafts/preview", summary="Xem trước dự thảo (Markdown)")
def draft_preview(body: DraftRequest, principal: Principal = Reader, assistant=AssistantDep) -> dict:
    return _draft_json(assistant.draft(body.kind, body.fields))
