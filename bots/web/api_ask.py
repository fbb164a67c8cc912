"""Questions: ``/api/ask``, ``/api/ask/stream`` (SSE), ``/api/search``, ``/api/feedback``.

Every question is written to the audit log with who asked, whether it was refused and what it cited.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import AsyncIterator
from typing import Any

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, ConfigDict, Field
from sse_starlette import EventSourceResponse
from starlette.concurrency import iterate_in_threadpool, run_in_threadpool

from assistant.domain.models import Answer, Filters, Turn

from .errors import status_and_message
from .security import Principal
from .state import AssistantDep, Reader, WebState, web_state

log = logging.getLogger("bots.web")
router = APIRouter(tags=["hỏi đáp"])

MAX_HISTORY = 10


class AskRequest(BaseModel):
    """Câu hỏi, các lượt hội thoại trước (để hỏi tiếp) và bộ lọc."""

    model_config = ConfigDict(extra="forbid")

    question: str = Field(max_length=8000)
    history: list[Turn] = Field(default_factory=list, max_length=50)
    filters: Filters | None = None

    def recent_history(self) -> list[Turn] | None:
        return self.history[-MAX_HISTORY:] or None


class FeedbackRequest(BaseModel):
    """Góp ý về một câu trả lời: hữu ích hay không, kèm nhận xét."""

    model_config = ConfigDict(extra="forbid")

    question: str = Field(max_length=8000)
    answer: str = Field(default="", max_length=40000)
    citations: list[dict[str, Any]] = Field(default_factory=list, max_length=100)
    useful: bool
    comment: str = Field(default="", max_length=4000)


def _audit_question(
    state: WebState, who: str, question: str, answer: Answer | None, error: str | None, t0: float
) -> None:
    try:
        state.audit.record_question(
            who, question, answer, error=error, ms=round((time.perf_counter() - t0) * 1000, 1)
        )
    except Exception:  # the answer matters more than its audit row; the failure is logged
        log.exception("Không ghi được nhật ký câu hỏi")


@router.post("/ask", summary="Hỏi một câu, nhận câu trả lời có trích dẫn")
def ask(body: AskRequest, request: Request, principal: Principal = Reader, assistant=AssistantDep) -> dict:
    state = web_state(request)
    t0 = time.perf_counter()
    try:
        answer = assistant.ask(body.question, body.recent_history(), body.filters)
    except Exception as exc:
        _audit_question(state, principal.who, body.question, None, type(exc).__name__, t0)
        raise
    _audit_question(state, principal.who, body.question, answer, None, t0)
    return answer.model_dump(mode="json")


@router.post(
    "/ask/stream",
    summary="Hỏi và nhận câu trả lời dạng luồng (SSE)",
    description=(
        'Sự kiện `delta`: `{"text": "…"}` từng phần câu trả lời; sự kiện `answer`: toàn bộ Answer JSON '
        '(trích dẫn, cảnh báo); sự kiện `error`: `{"error": "…", "status": …}`.'
    ),
)
async def ask_stream(
    body: AskRequest, request: Request, principal: Principal = Reader
) -> EventSourceResponse:
    state = web_state(request)

    async def events() -> AsyncIterator[dict]:
        t0 = time.perf_counter()
        answer: Answer | None = None
        try:
            assistant = await run_in_threadpool(state.assistant)
            pieces = assistant.ask_stream(body.question, body.recent_history(), body.filters)
            async for item in iterate_in_threadpool(pieces):
                if isinstance(item, Answer):
                    answer = item
                elif item:
                    yield {"event": "delta", "data": json.dumps({"text": item}, ensure_ascii=False)}
            if answer is None:
                raise RuntimeError("ask_stream ended without an Answer")
        except Exception as exc:
            status, message = status_and_message(exc)
            if status >= 500 and status != 503:
                log.exception("Lỗi khi trả lời dạng luồng", exc_info=exc)
            await run_in_threadpool(
                _audit_question, state, principal.who, body.question, None, type(exc).__name__, t0
            )
            yield {
                "event": "error",
                "data": json.dumps({"error": message, "status": status}, ensure_ascii=False),
            }
            return
        await run_in_threadpool(_audit_question, state, principal.who, body.question, answer, None, t0)
        yield {"event": "answer", "data": answer.model_dump_json()}

    return EventSourceResponse(events(), ping=15)


@router.get("/search", summary="Tìm các đoạn tài liệu liên quan")
def search(
    q: str = Query(min_length=1, max_length=2000, description="Câu truy vấn"),
    k: int = Query(10, ge=1, le=50),
    principal: Principal = Reader,
    assistant=AssistantDep,
) -> dict:
    hits = assistant.search(q, k)
    return {"query": q, "hits": [h.model_dump(mode="json") for h in hits]}


@router.post("/feedback", summary="Gửi góp ý về một câu trả lời")
def feedback(body: FeedbackRequest, request: Request, principal: Principal = Reader) -> dict:
    state = web_state(request)
    row_id = state.audit.record_feedback(
        principal.who, body.question, body.answer, body.citations, body.useful, body.comment
    )
    return {"ok": True, "id": row_id, "message": "Cảm ơn bạn đã góp ý!"}
