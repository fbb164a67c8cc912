"""The onboarding ``Answer``: the learning path (lessons with short summaries) and the first lesson's key
cited points, renumbered [1]…[k] so every cited sentence points to an indexed passage."""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..domain.models import Answer, Citation
from .models import Lesson, LessonSummary

_MARKER = re.compile(r"\[(\d+)\]")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÀ-Ỹ0-9Đ*])")
KEY_POINTS = 4
SUMMARY_CHARS = 140


def short_summary(text: str, limit: int = SUMMARY_CHARS) -> str:
    first = _SENTENCE_END.split(text.strip(), maxsplit=1)[0].strip()
    if len(first) <= limit:
        return first
    return first[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def _plain(line: str) -> str:
    line = re.sub(r"^\s*(?:[-*]|\d+\.)\s+", "", line)
    return line.replace("**", "").replace("*", "").strip()


def key_points(lesson: Lesson, limit: int = KEY_POINTS) -> list[str]:
    """The first ``limit`` sentences of the body that carry a citation marker."""
    out: list[str] = []
    for line in lesson.body.splitlines():
        if line.lstrip().startswith("#"):
            continue
        for sentence in _SENTENCE_END.split(_plain(line)):
            if _MARKER.search(sentence) and sentence not in out:
                out.append(sentence.strip())
                if len(out) == limit:
                    return out
    return out


def compose_path_answer(lessons: Sequence[LessonSummary], first: Lesson) -> Answer:
    total = sum(s.minutes for s in lessons)
    lines = [
        "Chào bạn! Nếu mới được giao làm ISO, hãy đi theo lộ trình Học ISO gồm "
        f"{len(lessons)} bài ngắn (tổng cộng khoảng {total} phút), mỗi bài có câu hỏi kiểm tra:",
        "",
    ]
    for s in lessons:
        lines.append(f"{s.order}. **{s.title}** ({s.minutes} phút) — {short_summary(s.summary)}")
    lines += ["", f"**Bắt đầu với Bài {first.order}: {first.title}.** Những điểm chính:", ""]
    by_n = {c.n: c for c in first.citations}
    renumber: dict[int, int] = {}
    citations: list[Citation] = []
    for sentence in key_points(first):

        def swap(m: re.Match[str]) -> str:
            old = int(m.group(1))
            if old not in by_n:
                return ""
            if old not in renumber:
                renumber[old] = len(renumber) + 1
                citations.append(by_n[old].model_copy(update={"n": renumber[old]}))
            return f"[{renumber[old]}]"

        lines.append(f"- {_MARKER.sub(swap, sentence)}")
    lines += [
        "",
        f"Mở tab “Học ISO”, gõ /hoc trong Telegram hoặc chạy `isoassist learn {first.id}` để học bài đầu tiên "
        "và làm bài kiểm tra; tiến độ của bạn được lưu lại.",
    ]
    cited = {c.doc_id for c in citations}
    warnings = tuple(w for w in first.warnings if w.doc_id in cited)
    return Answer(answer="\n".join(lines), citations=tuple(citations), warnings=warnings, route="onboarding")
