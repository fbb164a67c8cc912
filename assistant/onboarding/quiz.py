"""Quiz scoring (pure): choice by index / letter / text, short answers ignoring case, diacritics,
tone placement and punctuation, with the question's ``accept`` list."""

from __future__ import annotations

import re

from ..domain.errors import InvalidInputError
from ..domain.vntext import fold, strip_diacritics
from .models import QuizQuestion

_PUNCT = re.compile(r"[^\w&%/]+")
_LETTERS = "abcdefgh"


def normalize_answer(text: str) -> str:
    """``Sở KH&CN.`` → ``so kh&cn``: folded, accent-free, punctuation dropped, spaces collapsed."""
    return " ".join(_PUNCT.sub(" ", strip_diacritics(fold(text))).split())


def _choice_index(question: QuizQuestion, answer: int | str) -> int:
    if isinstance(answer, bool):
        raise InvalidInputError("Câu trả lời trắc nghiệm phải là số thứ tự hoặc nội dung một lựa chọn.")
    n = len(question.choices)
    if isinstance(answer, int):
        index = answer
    else:
        text = answer.strip()
        norm = normalize_answer(text)
        by_text = [i for i, c in enumerate(question.choices) if normalize_answer(c) == norm]
        if by_text:
            index = by_text[0]
        elif re.fullmatch(r"\d{1,2}", text):
            index = int(text) - 1  # as a person types it: 1 = the first choice
        elif len(norm) == 1 and norm in _LETTERS:
            index = _LETTERS.index(norm)
        else:
            raise InvalidInputError(
                f"Không hiểu câu trả lời “{text}”. Hãy chọn một chữ cái A–{_LETTERS[n - 1].upper()} "
                f"hoặc số 1–{n}."
            )
    if not 0 <= index < n:
        raise InvalidInputError(f"Lựa chọn không hợp lệ. Câu hỏi này có {n} lựa chọn.")
    return index


def score_answer(question: QuizQuestion, answer: int | str) -> tuple[bool, str]:
    """(correct?, the answer as text to store and show)."""
    if question.type == "choice":
        index = _choice_index(question, answer)
        return index == question.answer, question.choices[index]
    if not isinstance(answer, str) or not answer.strip():
        raise InvalidInputError("Câu trả lời đang trống. Hãy gõ câu trả lời ngắn.")
    given = normalize_answer(answer)
    candidates = {normalize_answer(str(question.answer)), *(normalize_answer(a) for a in question.accept)}
    candidates.discard("")
    if given in candidates:
        return True, answer.strip()
    # a longer answer that contains a multi-word accepted form ("Sở Khoa học và Công nghệ tỉnh Hà Tĩnh")
    padded = f" {given} "
    correct = any(len(c.split()) >= 2 and f" {c} " in padded for c in candidates)
    return correct, answer.strip()
