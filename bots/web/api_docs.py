"""Library: documents, sections, chunks, upload and re-index (admin), health."""

from __future__ import annotations

from fastapi import APIRouter, File, HTTPException, Request, UploadFile

from assistant.domain.errors import NotFoundError
from assistant.domain.models import Chunk, DocStatus, DocumentInfo

from .security import Principal
from .state import Admin, AssistantDep, Reader, web_state

router = APIRouter(tags=["tài liệu"])


def info_json(info: DocumentInfo) -> dict:
    """A library entry for the interface: catalog facts + the indexed files (no server paths)."""
    docs = [d.model_dump(mode="json", exclude={"source_path"}) for d in info.documents]
    if info.entry is not None:
        out = info.entry.model_dump(mode="json")
    else:
        first = info.documents[0]
        out = {
            "id": first.doc_id,
            "kind": first.kind or "tài liệu",
            "number": first.number,
            "title": first.title,
            "province": first.province,
            "status": DocStatus.UNKNOWN.value,
            "replaces": [],
            "replaced_by": [],
            "restructuring": [],
            "unconfirmed": [],
        }
    out["held"] = info.held
    out["documents"] = docs
    out["doc_ids"] = [d["doc_id"] for d in docs]
    return out


def find_info(infos: list[DocumentInfo], doc_id: str) -> DocumentInfo | None:
    """The library entry whose catalog id or one of whose files is ``doc_id``."""
    for info in infos:
        if any(d.doc_id == doc_id for d in info.documents):
            return info
    for info in infos:
        if info.entry is not None and info.entry.id == doc_id:
            return info
    return None


def chunk_json(chunk: Chunk) -> dict:
    return chunk.model_dump(mode="json", exclude={"index_text"})


@router.get("/documents", summary="Thư viện văn bản (có trong kho hoặc chỉ được trích dẫn)")
def documents(principal: Principal = Reader, assistant=AssistantDep) -> list[dict]:
    return [info_json(i) for i in assistant.documents()]


@router.get("/documents/{doc_id}", summary="Toàn văn một tài liệu theo mục, mỗi đoạn có chunk_id")
def document(doc_id: str, principal: Principal = Reader, assistant=AssistantDep) -> dict:
    info = find_info(assistant.documents(), doc_id)
    held_id = doc_id
    if info is not None and info.documents and all(d.doc_id != doc_id for d in info.documents):
        held_id = info.documents[0].doc_id  # a catalog id whose file has another document id
    try:
        sections = assistant.document_sections(held_id)
    except NotFoundError:
        if info is None:
            raise
        sections = []  # cited only: the catalog entry without text
    return {
        "id": held_id,
        "info": info_json(info) if info is not None else None,
        "sections": [
            {"section": s.section, "heading": s.heading, "chunks": [chunk_json(c) for c in s.chunks]}
            for s in sections
        ],
    }


@router.get("/chunks/{chunk_id:path}", summary="Một đoạn tài liệu và văn bản chứa nó")
def chunk(chunk_id: str, principal: Principal = Reader, assistant=AssistantDep) -> dict:
    found = assistant.chunk(chunk_id)
    info = find_info(assistant.documents(), found.doc_id)
    out = chunk_json(found)
    out["document"] = info_json(info) if info is not None else None
    return out


@router.post("/documents", summary="Tải lên một tài liệu và lập chỉ mục (quản trị)")
def upload(
    request: Request, file: UploadFile = File(...), principal: Principal = Admin, assistant=AssistantDep
) -> dict:
    limit = web_state(request).settings.web.max_upload_mb
    data = file.file.read(limit * 1024 * 1024 + 1)
    if len(data) > limit * 1024 * 1024:
        raise HTTPException(413, f"Tệp tải lên quá lớn: tối đa {limit} MB.")
    if not data:
        raise HTTPException(422, "Tệp tải lên rỗng.")
    name = (file.filename or "tai-lieu").replace("\\", "/").rsplit("/", 1)[-1]
    report = assistant.upload(name, data)
    return report.model_dump(mode="json")


@router.post("/reindex", summary="Lập lại chỉ mục các nguồn (quản trị)")
def reindex(principal: Principal = Admin, assistant=AssistantDep) -> dict:
    return assistant.reindex().model_dump(mode="json")


@router.get("/me", summary="Vai trò của người gọi")
def me(request: Request, principal: Principal = Reader) -> dict:
    return {"who": principal.who, "role": principal.role, "open_mode": web_state(request).access.open_mode}


@router.get("/health", summary="Tình trạng dịch vụ và chỉ mục")
def health(request: Request, assistant=AssistantDep) -> dict:
    out = dict(assistant.health())
    out.setdefault("status", "ok")
    out["open_mode"] = web_state(request).access.open_mode
    return out
