"""OnboardingService: the Học ISO curriculum — lessons with resolved citations, province tailoring,
quizzes, progress, glossary, and the answer to "Tôi mới được giao làm ISO, bắt đầu từ đâu?"."""

from __future__ import annotations

import threading
from pathlib import Path

from ..answering.currency import CurrencyChecker
from ..domain.errors import InvalidInputError, NotFoundError
from ..domain.models import Answer, Citation, CurrencyWarning
from ..domain.vntext import nfc, strip_diacritics
from .loader import load_glossary, load_lessons
from .models import (
    GlossaryTerm,
    Lesson,
    LessonScore,
    LessonSpec,
    LessonSummary,
    Progress,
    QuizResult,
    SourceRef,
)
from .path_answer import compose_path_answer
from .progress import ProgressStore
from .quiz import score_answer
from .router import is_onboarding_question
from .sources import SourceResolver
from .tailoring import ProvinceTailor


class OnboardingService:
    """Built by ``assistant.bootstrap._onboarding``; every front end (CLI, web, bot) calls this object.

    ``content_dir`` holds ``lessons/*.yaml`` and ``glossary.yaml``; progress lives in
    ``<store_path>/onboarding.sqlite``; ``reader`` is the ``IndexReader`` (quotes are located in its chunks);
    ``facts`` is a facts service (``deadlines``, ``agencies``, ``citation``, ``warnings_for``) or ``None``.
    """

    def __init__(self, content_dir: Path, store_path: Path, reader, facts) -> None:
        self.content_dir = Path(content_dir)
        self._reader = reader
        self._facts = facts
        self._resolver = SourceResolver(reader)
        self._tailor = ProvinceTailor(facts, self._resolver)
        self._progress = ProgressStore(Path(store_path))
        self._specs: list[LessonSpec] | None = None
        self._glossary: list[GlossaryTerm] | None = None
        self._currency: CurrencyChecker | None = None
        self._lock = threading.Lock()

    # ------------------------------------------------------------------ content
    def _lessons(self) -> list[LessonSpec]:
        if self._specs is None:
            with self._lock:
                if self._specs is None:
                    self._specs = load_lessons(self.content_dir / "lessons")
        return self._specs

    def _spec(self, lesson_id: str) -> LessonSpec:
        for s in self._lessons():
            if s.id == lesson_id:
                return s
        ids = ", ".join(s.id for s in self._lessons())
        raise NotFoundError(f"Không có bài học mã “{lesson_id}”. Các bài hiện có: {ids}.")

    def lessons(self) -> list[LessonSummary]:
        """Lộ trình học: các bài theo thứ tự."""
        return [
            LessonSummary(
                id=s.id,
                order=s.order,
                title=s.title,
                summary=s.summary,
                minutes=s.minutes,
                quiz_count=len(s.quiz),
            )
            for s in self._lessons()
        ]

    def lesson(self, lesson_id: str, province: str | None = None) -> Lesson:
        """One lesson, its citations located in the index; with ``province`` and ``tailor`` entries, a block of
        that province's deadlines and lead agencies is appended (numbering continues after the lesson's)."""
        spec = self._spec(lesson_id)
        citations = [self._cite(c, c.n) for c in sorted(spec.citations, key=lambda c: c.n)]
        warnings = [w for c in citations for w in self._citation_warnings(c)]
        block = ""
        if province and province.strip() and spec.tailor:
            start = max((c.n for c in citations), default=0) + 1
            block, extra, extra_warnings = self._tailor.block(province, spec.tailor, start)
            citations += extra
            warnings += extra_warnings
            warnings += self._bases_warnings({c.doc_id for c in extra})
        return Lesson(
            id=spec.id,
            order=spec.order,
            title=spec.title,
            summary=spec.summary,
            minutes=spec.minutes,
            body=spec.body,
            citations=tuple(citations),
            quiz=spec.quiz,
            province=province.strip() if province and block else None,
            province_block=block,
            warnings=tuple(dedupe_warnings(warnings)),
        )

    def _cite(self, src: SourceRef, n: int) -> Citation:
        found = self._resolver.resolve(src.doc_id, src.quote, n)
        if found is not None:
            return found
        # the document is not indexed (yet): keep the citation, without a chunk to open
        return Citation(
            n=n,
            doc_id=src.doc_id,
            chunk_id="",
            title=src.doc_id,
            number=None,
            section=src.section,
            quote=src.quote,
        )

    # ------------------------------------------------------------------ currency
    def _catalog(self):
        catalog = getattr(self._facts, "catalog", None) if self._facts is not None else None
        if catalog is None:
            path = self.content_dir.parent / "catalog.yaml"
            if not path.exists():
                return None
            from ..adapters.catalog_yaml import load_catalog

            catalog = load_catalog(path)
        return catalog

    def _checker(self) -> CurrencyChecker | None:
        if self._currency is None:
            catalog = self._catalog()
            if catalog is not None:
                self._currency = CurrencyChecker(catalog)
        return self._currency

    def _citation_warnings(self, c: Citation) -> list[CurrencyWarning]:
        if not c.chunk_id:
            return [
                CurrencyWarning(
                    code="source_not_indexed",
                    doc_id=c.doc_id,
                    message=f"Tài liệu “{c.doc_id}” chưa có trong chỉ mục nên chưa mở được đoạn trích dẫn; "
                    "hãy lập chỉ mục cả thư mục văn bản pháp luật.",
                )
            ]
        checker = self._checker()
        if checker is None:
            return []
        entry = checker.catalog.get(c.doc_id)
        return checker.entry_warnings(entry, c.doc_id) + checker.passage_warnings(c.quote, entry, c.doc_id)

    def _bases_warnings(self, doc_ids: set[str]) -> list[CurrencyWarning]:
        checker = self._checker()
        if checker is None:
            return []
        snap = self._reader.snapshot()
        out: list[CurrencyWarning] = []
        for doc_id in sorted(doc_ids):
            out += checker.bases_warnings(doc_id, checker.catalog.get(doc_id), snap.preamble.get(doc_id, []))
        return out

    # ------------------------------------------------------------------ glossary
    def glossary(self) -> list[GlossaryTerm]:
        """Thuật ngữ và viết tắt, theo thứ tự trong tệp."""
        if self._glossary is None:
            self._glossary = load_glossary(self.content_dir / "glossary.yaml")
        return list(self._glossary)

    def lookup(self, term: str) -> GlossaryTerm | None:
        """The glossary entry whose term, abbreviation or alias is ``term`` (case, diacritics and tone
        placement ignored); ``None`` when the glossary has no such term."""
        key = _key(term)
        if not key:
            return None
        terms = self.glossary()
        for t in terms:
            if key in {_key(x) for x in (t.term, *t.abbreviations, *t.aliases)}:
                return t
        return None

    # ------------------------------------------------------------------ quiz and progress
    def answer_quiz(self, user_id: str, lesson_id: str, question_id: str, answer: int | str) -> QuizResult:
        """Chấm một câu trả lời và lưu kết quả. ``answer``: for ``choice`` questions an ``int`` is the 0-based
        index; a string may be the choice text, a letter (A, B…) or a 1-based number as a person types it.
        For ``short`` questions the text is compared ignoring case, diacritics and punctuation."""
        _check_user(user_id)
        spec = self._spec(lesson_id)
        question = next((q for q in spec.quiz if q.id == question_id), None)
        if question is None:
            raise NotFoundError(f"Bài “{lesson_id}” không có câu hỏi “{question_id}”.")
        correct, given = score_answer(question, answer)
        self._progress.record_answer(user_id, lesson_id, question_id, correct, given)
        return QuizResult(
            lesson_id=lesson_id,
            question_id=question_id,
            correct=correct,
            given=given,
            correct_answer=question.answer_text,
            explanation=question.explanation,
            citation=self._cite(question.citation, 1),
        )

    def complete_lesson(self, user_id: str, lesson_id: str) -> Progress:
        """Đánh dấu đã học xong một bài; trả về tiến độ mới."""
        _check_user(user_id)
        self._spec(lesson_id)
        self._progress.complete(user_id, lesson_id)
        return self.progress(user_id)

    def progress(self, user_id: str) -> Progress:
        """Bài đã học, điểm bài kiểm tra từng bài, bài nên học tiếp theo."""
        _check_user(user_id)
        done = self._progress.completed(user_id)
        answers = self._progress.answers(user_id)
        summaries = self.lessons()
        scores: dict[str, LessonScore] = {}
        for s in self._lessons():
            got = {qid: ok for qid, ok in answers.get(s.id, {}).items() if any(q.id == qid for q in s.quiz)}
            if got:
                scores[s.id] = LessonScore(correct=sum(got.values()), answered=len(got), total=len(s.quiz))
        return Progress(
            user_id=user_id,
            completed=tuple(s.id for s in summaries if s.id in done),
            scores=scores,
            next_lesson=next((s for s in summaries if s.id not in done), None),
            total_lessons=len(summaries),
        )

    # ------------------------------------------------------------------ routing
    def route_question(self, question: str) -> Answer | None:
        """An ``Answer`` (route ``onboarding``) for "where do I start" questions; ``None`` for every other
        question (cheap: a few regular expressions, nothing is loaded)."""
        if not is_onboarding_question(question):
            return None
        summaries = self.lessons()
        if not summaries:
            return None
        first = self.lesson(summaries[0].id)
        return compose_path_answer(summaries, first)


def dedupe_warnings(warnings: list[CurrencyWarning]) -> list[CurrencyWarning]:
    """One warning per (code, document): the facts table and the catalog word the same note differently."""
    seen: set[tuple[str, str | None]] = set()
    out: list[CurrencyWarning] = []
    for w in warnings:
        if (w.code, w.doc_id) not in seen:
            seen.add((w.code, w.doc_id))
            out.append(w)
    return out


def _key(text: str) -> str:
    return " ".join(strip_diacritics(nfc(text)).replace("&", " & ").split())


def _check_user(user_id: str) -> None:
    if not isinstance(user_id, str) or not user_id.strip() or len(user_id) > 200:
        raise InvalidInputError("Thiếu mã người học (ví dụ “web:<khóa>” hoặc “tg:<id>”).")
