"""Typed models of the onboarding curriculum (Học ISO): lessons, quiz, glossary, progress (frozen pydantic).

``*Spec`` models are the lesson files as written (quotes not yet located in the index); the service turns
them into ``Lesson`` with ``Citation``s that point to indexed chunks.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from ..domain.models import Citation, CurrencyWarning, Frozen

TailorBlock = Literal["report_deadline", "lead_agency", "inspection"]


class SourceRef(Frozen):
    """Nguồn như tệp bài học ghi: tài liệu, mục, đoạn trích nguyên văn."""

    doc_id: str
    section: str = ""
    quote: str


class NumberedSource(SourceRef):
    """Nguồn đánh số [n] trong thân bài học."""

    n: int


class QuizQuestion(Frozen):
    """Câu hỏi kiểm tra: trắc nghiệm (``choice``, đáp án là chỉ số) hoặc trả lời ngắn (``short``)."""

    id: str
    type: Literal["choice", "short"]
    question: str
    choices: tuple[str, ...] = ()
    answer: int | str
    accept: tuple[str, ...] = ()
    explanation: str
    citation: SourceRef

    def public(self) -> dict:
        """What a front end may show before the user answers (no answer, accept list or explanation)."""
        return {"id": self.id, "type": self.type, "question": self.question, "choices": list(self.choices)}

    @property
    def answer_text(self) -> str:
        """The correct answer as text (the choice's text for ``choice`` questions)."""
        if self.type == "choice" and isinstance(self.answer, int):
            return self.choices[self.answer]
        return str(self.answer)


class LessonSpec(Frozen):
    """Bài học như trong tệp ``knowledge/onboarding/lessons/NN-slug.yaml``."""

    id: str
    order: int
    title: str
    summary: str
    minutes: int
    tailor: tuple[TailorBlock, ...] = ()
    body: str
    citations: tuple[NumberedSource, ...]
    quiz: tuple[QuizQuestion, ...] = ()


class LessonSummary(Frozen):
    """Một dòng của lộ trình học."""

    id: str
    order: int
    title: str
    summary: str
    minutes: int
    quiz_count: int = 0


class Lesson(Frozen):
    """Bài học đã sẵn sàng hiển thị: trích dẫn trỏ tới đoạn đã lập chỉ mục, có thể kèm phần riêng của tỉnh."""

    id: str
    order: int
    title: str
    summary: str
    minutes: int
    body: str  # Markdown with [n] markers
    citations: tuple[Citation, ...]
    quiz: tuple[QuizQuestion, ...] = ()
    province: str | None = None
    province_block: str = ""  # Markdown with [n] markers continuing the lesson's numbering
    warnings: tuple[CurrencyWarning, ...] = ()

    @property
    def markdown(self) -> str:
        """Body and province block as one Markdown text."""
        return (
            self.body.rstrip() + ("\n\n" + self.province_block.strip() if self.province_block else "") + "\n"
        )


class QuizResult(Frozen):
    """Kết quả chấm một câu trả lời."""

    lesson_id: str
    question_id: str
    correct: bool
    given: str
    correct_answer: str
    explanation: str
    citation: Citation


class LessonScore(Frozen):
    """Điểm bài kiểm tra của một bài học (lần trả lời gần nhất của mỗi câu)."""

    correct: int
    answered: int
    total: int


class Progress(Frozen):
    """Tiến độ học của một người dùng."""

    user_id: str
    completed: tuple[str, ...] = ()  # lesson ids, in curriculum order
    scores: dict[str, LessonScore] = Field(default_factory=dict)
    next_lesson: LessonSummary | None = None
    total_lessons: int = 0


class GlossaryTerm(Frozen):
    """Thuật ngữ hoặc viết tắt, với định nghĩa ngắn và một đoạn nguyên văn trong kho dùng thuật ngữ đó."""

    term: str
    abbreviations: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    definition: str
    source: SourceRef | None = None
    note: str | None = None
