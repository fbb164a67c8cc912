"""Học ISO: lessons, quizzes, progress and the glossary (``/api/learn/…``) over ``Assistant.onboarding()``.

The learner is named like the audit log names the caller: ``web:<principal.who>`` — ``web:key:<fingerprint>``
with an API key, ``web:ip:<client ip>`` in open mode. Quiz answers never leave the server before the user
has answered (only ``QuizQuestion.public()`` is sent).
"""

from __future__ import annotations

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field

from assistant.domain.vntext import nfc, strip_diacritics

from .api_docs import find_info
from .security import Principal
from .state import AssistantDep, Reader

router = APIRouter(prefix="/learn", tags=["học ISO"])

MAX_GLOSSARY = 50


def learner_id(principal: Principal) -> str:
    """Progress key of a web caller (``web:key:…`` or ``web:ip:…``)."""
    return f"web:{principal.who}"


class QuizAnswer(BaseModel):
    """Câu trả lời cho một câu hỏi kiểm tra: chỉ số lựa chọn (từ 0) hoặc câu trả lời ngắn."""

    model_config = ConfigDict(extra="forbid")

    question_id: str = Field(max_length=100)
    answer: int | str = Field(union_mode="left_to_right")


def _progress_json(progress) -> dict:
    out = progress.model_dump(mode="json")
    out["done_count"] = len(progress.completed)
    return out


def _score_json(progress, lesson_id: str) -> dict | None:
    score = progress.scores.get(lesson_id)
    return score.model_dump(mode="json") if score is not None else None


@router.get("/lessons", summary="Lộ trình học: các bài và tiến độ của người học")
def lessons(principal: Principal = Reader, assistant=AssistantDep) -> dict:
    svc = assistant.onboarding()
    progress = svc.progress(learner_id(principal))
    done = set(progress.completed)
    items = []
    for s in svc.lessons():
        item = s.model_dump(mode="json")
        item["done"] = s.id in done
        item["score"] = _score_json(progress, s.id)
        items.append(item)
    return {"lessons": items, "progress": _progress_json(progress)}


@router.get("/lessons/{lesson_id}", summary="Một bài học (Markdown, trích dẫn, câu hỏi không kèm đáp án)")
def lesson(
    lesson_id: str,
    province: str | None = Query(None, max_length=100, description="Tỉnh (để thêm phần riêng của tỉnh)"),
    principal: Principal = Reader,
    assistant=AssistantDep,
) -> dict:
    svc = assistant.onboarding()
    found = svc.lesson(lesson_id, province=province or None)
    progress = svc.progress(learner_id(principal))
    return {
        "id": found.id,
        "order": found.order,
        "title": found.title,
        "summary": found.summary,
        "minutes": found.minutes,
        "markdown": found.markdown,
        "province": found.province,
        "citations": [c.model_dump(mode="json") for c in found.citations],
        "warnings": [w.model_dump(mode="json") for w in found.warnings],
        "quiz": [q.public() for q in found.quiz],
        "done": found.id in progress.completed,
        "score": _score_json(progress, found.id),
        "total_lessons": progress.total_lessons,
    }


@router.post("/lessons/{lesson_id}/quiz", summary="Chấm một câu trả lời (kèm giải thích và nguồn)")
def quiz(lesson_id: str, body: QuizAnswer, principal: Principal = Reader, assistant=AssistantDep) -> dict:
    svc = assistant.onboarding()
    user = learner_id(principal)
    result = svc.answer_quiz(user, lesson_id, body.question_id, body.answer)
    out = result.model_dump(mode="json")
    out["score"] = _score_json(svc.progress(user), lesson_id)
    return out


@router.post("/lessons/{lesson_id}/done", summary="Đánh dấu đã học xong một bài")
def done(lesson_id: str, principal: Principal = Reader, assistant=AssistantDep) -> dict:
    progress = assistant.onboarding().complete_lesson(learner_id(principal), lesson_id)
    return _progress_json(progress)


@router.get("/progress", summary="Tiến độ học của người gọi")
def progress(principal: Principal = Reader, assistant=AssistantDep) -> dict:
    return _progress_json(assistant.onboarding().progress(learner_id(principal)))


def _key(text: str) -> str:
    return " ".join(strip_diacritics(nfc(text)).split())


@router.get("/glossary", summary="Thuật ngữ và viết tắt (tìm không phân biệt dấu, hoa thường)")
def glossary(
    q: str = Query("", max_length=200, description="Từ cần tra (để trống: tất cả)"),
    principal: Principal = Reader,
    assistant=AssistantDep,
) -> dict:
    svc = assistant.onboarding()
    terms = svc.glossary()
    key = _key(q)
    if key:
        exact = svc.lookup(q)
        names = lambda t: [t.term, *t.abbreviations, *t.aliases]  # noqa: E731
        by_name = [t for t in terms if t != exact and any(key in _key(n) for n in names(t))]
        by_text = [t for t in terms if t != exact and t not in by_name and key in _key(t.definition)]
        terms = ([exact] if exact is not None else []) + by_name + by_text
    shown = [t.model_dump(mode="json") for t in terms[:MAX_GLOSSARY]]
    infos = assistant.documents() if any(t["source"] for t in shown) else []
    for t in shown:
        if t["source"]:
            info = find_info(infos, t["source"]["doc_id"])
            entry = info.entry if info is not None else None
            t["source"]["label"] = (entry.number or entry.title) if entry else t["source"]["doc_id"]
    return {"query": q, "total": len(terms), "terms": shown}
