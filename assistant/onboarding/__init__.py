"""Học ISO: the onboarding curriculum (lessons, quizzes, progress, glossary) — see README.md here."""

from .models import GlossaryTerm, Lesson, LessonSummary, Progress, QuizQuestion, QuizResult
from .service import OnboardingService

__all__ = [
    "GlossaryTerm",
    "Lesson",
    "LessonSummary",
    "OnboardingService",
    "Progress",
    "QuizQuestion",
    "QuizResult",
]
