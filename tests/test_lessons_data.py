"""Onboarding curriculum content (knowledge/onboarding/lessons/*.yaml) checked against its sources.

Fast: reads the lesson YAML and the cited documents directly (.txt as text, .docx paragraphs + tables
with python-docx). Every quote must be found verbatim (NFC, whitespace collapsed) in the cited document,
inside the cited article (``Điều N``, ``khoản K``) for legal texts and inside the cited Roman section for
plans; every number a lesson line states must appear in a quote that line cites.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
import yaml
from sources import DOC_FILES, document_lines, nfc_lines, norm

REPO = Path(__file__).resolve().parents[1]
LESSONS_DIR = REPO / "knowledge" / "onboarding" / "lessons"
PLAN_IDS = {
    "kh-dong-nai-2019",
    "qd-37-2012-nghe-an",
    "kh-ninh-thuan-2022",
    "kh-310-2022-ha-tinh",
    "kh-tien-giang-2008",
}
TAILOR_BLOCKS = {"report_deadline", "lead_agency", "inspection"}
TEAM_NOTE = "ghi chú của nhóm biên soạn, theo Nghị quyết 202/2025/QH15"
TEAM_NOTE_PREFIX = "ghi chú của nhóm biên soạn"  # the team's own (uncited) statements carry this
REQUIRED_TOPICS = 13  # the brief's thirteen required lessons

MARKER_RE = re.compile(r"\[(\d+)\]")
ROMAN_RE = re.compile(r"^(I|II|III|IV|V|VI|VII|VIII|IX|X)\.\s")
# Names that carry digits but state no deadline/number: document numbers, standards, article references.
NAME_PATTERNS = [
    re.compile(r"^\s*(?:[-*]\s+)?\d+[.)]\s+"),  # list numbering
    re.compile(r"\b\d+/\d{4}/[A-ZĐ0-9]+(?:-[A-ZĐ0-9]+)*"),  # 19/2014/QĐ-TTg, 202/2025/QH15
    re.compile(r"\b\d+/[A-ZĐ]+(?:-[A-ZĐ&]+)*"),  # 310/KH-UBND, 101/QĐ-BKHCN, 3003/BKHCN
    re.compile(r"(?:TCVN\s+)?ISO\s+\d+(?::\s?\d{4})?"),  # TCVN ISO 9001:2015, ISO 18091
    re.compile(r"\b\d{4}\s*(?:→|->)\s*\d{4}\b"),
    re.compile(r"(?i)\b(?:phiên )?bản\s+\d{4}\b"),  # "bản 2015" = the standard's edition
    re.compile(r"(?i)\b(?:điều|khoản|phụ lục|bài|bước|mục)\s+\d+"),
    re.compile(r"\[\d+\]"),
]
NUMBER_RE = re.compile(r"\d+(?:[.,/]\d+)*")


def _span(lines: tuple[str, ...], start: re.Pattern[str], stop: re.Pattern[str]) -> str | None:
    """Text from the first line matching ``start`` up to (excluding) the next line matching ``stop``."""
    for i, line in enumerate(lines):
        if start.match(line):
            end = next((j for j in range(i + 1, len(lines)) if stop.match(lines[j])), len(lines))
            return norm("\n".join(lines[i:end]))
    return None


def section_text(doc_id: str, section: str) -> str:
    """The part of the document the section path names (the whole document when it cannot be located)."""
    lines = document_lines(doc_id)
    parts = [p.strip() for p in section.split(">")] if section.strip() else []
    article = re.fullmatch(r"Điều (\d+)", parts[0]) if parts else None
    if article:
        n = article.group(1)
        text = _span(lines, re.compile(rf"Điều {n}\.\s"), re.compile(r"Điều \d+\.\s"))
        assert text is not None, f"{doc_id}: no heading 'Điều {n}.'"
        clause = re.fullmatch(r"khoản (\d+)", parts[1]) if len(parts) > 1 else None
        if clause:
            k = int(clause.group(1))
            body = tuple(nfc_lines("\n".join(_article_lines(lines, n))))
            sub = _span(body, re.compile(rf"{k}\.\s"), re.compile(rf"(?:{k + 1}\.\s|Điều \d+\.\s)"))
            assert sub is not None, f"{doc_id}: no 'khoản {k}' in Điều {n}"
            return sub
        return text
    if doc_id in PLAN_IDS:
        first_roman = next((i for i, line in enumerate(lines) if ROMAN_RE.match(line)), None)
        if not parts:  # preamble
            return norm("\n".join(lines[: first_roman if first_roman is not None else len(lines)]))
        if parts[0] == "Phụ lục":
            start = next((i for i, line in enumerate(lines) if line.lower().startswith("phụ lục")), None)
            assert start is not None, f"{doc_id}: no 'Phụ lục'"
            return norm("\n".join(lines[start:]))
        if ROMAN_RE.match(parts[0] + ". "):
            text = _span(lines, re.compile(rf"{parts[0]}\.\s"), ROMAN_RE)
            assert text is not None, f"{doc_id}: no section '{parts[0]}.'"
            return text
        if re.fullmatch(r"\d+", parts[0]) and first_roman is None:
            k = int(parts[0])
            text = _span(lines, re.compile(rf"{k}\.\s"), re.compile(rf"(?:{k + 1}\.\s|phụ lục)", re.I))
            assert text is not None, f"{doc_id}: no section '{k}.'"
            return text
    return norm("\n".join(lines))


def _article_lines(lines: tuple[str, ...], n: str) -> list[str]:
    start = next(i for i, line in enumerate(lines) if re.match(rf"Điều {n}\.\s", line))
    end = next((j for j in range(start + 1, len(lines)) if re.match(r"Điều \d+\.\s", lines[j])), len(lines))
    return list(lines[start + 1 : end])


LESSON_FILES = sorted(LESSONS_DIR.glob("*.yaml"))


def _lesson(path: Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{path.name}: not a mapping"
    return data


def _all_citations(lesson: dict) -> list[tuple[str, dict]]:
    cites = [(f"citation {c.get('n')}", c) for c in lesson.get("citations", [])]
    cites += [(f"quiz {q.get('id')}", q["citation"]) for q in lesson.get("quiz", []) if "citation" in q]
    return cites


def _stated_numbers(text: str) -> set[str]:
    for pattern in NAME_PATTERNS:
        text = pattern.sub(" ", text)
    return set(NUMBER_RE.findall(text))


# ---------------------------------------------------------------- the curriculum as a whole


def test_curriculum_has_enough_lessons_with_unique_ids_and_orders() -> None:
    lessons = [(path, _lesson(path)) for path in LESSON_FILES]
    assert len(lessons) >= max(10, REQUIRED_TOPICS)
    ids = [lesson["id"] for _, lesson in lessons]
    orders = [lesson["order"] for _, lesson in lessons]
    assert len(set(ids)) == len(ids), f"duplicate ids: {ids}"
    assert len(set(orders)) == len(orders), f"duplicate orders: {orders}"
    assert sorted(orders) == list(range(1, len(orders) + 1)), "orders must run 1..N without gaps"


def test_restructuring_lesson_marks_the_team_note() -> None:
    bodies = [_lesson(path)["body"] for path in LESSON_FILES]
    noted = [body for body in bodies if TEAM_NOTE in body]
    assert noted, "the 2025 restructuring lesson must carry the team-note marker"
    for body in bodies:
        for line in body.splitlines():
            if TEAM_NOTE_PREFIX in line:
                assert not MARKER_RE.search(line), f"team notes are not cited to the knowledge base: {line!r}"


# ---------------------------------------------------------------- one lesson at a time


@pytest.mark.parametrize("path", LESSON_FILES, ids=lambda p: p.name)
def test_lesson_shape(path: Path) -> None:
    lesson = _lesson(path)
    for key in ("id", "order", "title", "summary", "minutes", "body", "citations", "quiz"):
        assert key in lesson, f"{path.name}: missing {key}"
    assert re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", lesson["id"]), "id must be an ascii slug"
    assert path.name == f"{lesson['order']:02d}-{lesson['id']}.yaml", "file name must be NN-<id>.yaml"
    assert isinstance(lesson["minutes"], int) and 1 <= lesson["minutes"] <= 60
    assert set(lesson.get("tailor") or []) <= TAILOR_BLOCKS
    for key in ("title", "summary", "body"):
        text = lesson[key]
        assert isinstance(text, str) and text.strip()
        assert unicodedata.is_normalized("NFC", text), f"{key} is not NFC"


@pytest.mark.parametrize("path", LESSON_FILES, ids=lambda p: p.name)
def test_body_length_is_300_to_800_words(path: Path) -> None:
    words = len(MARKER_RE.sub(" ", _lesson(path)["body"]).split())
    assert 300 <= words <= 800, f"{path.name}: {words} words"


@pytest.mark.parametrize("path", LESSON_FILES, ids=lambda p: p.name)
def test_markers_and_citations_match(path: Path) -> None:
    lesson = _lesson(path)
    numbers = [c["n"] for c in lesson["citations"]]
    assert len(set(numbers)) == len(numbers), "citation numbers repeat"
    used = {int(n) for n in MARKER_RE.findall(lesson["body"])}
    assert used, "a lesson without any citation"
    assert used <= set(numbers), f"markers without citation: {sorted(used - set(numbers))}"
    assert set(numbers) <= used, f"citations never used: {sorted(set(numbers) - used)}"


@pytest.mark.parametrize("path", LESSON_FILES, ids=lambda p: p.name)
def test_every_quote_is_verbatim_in_the_cited_section(path: Path) -> None:
    problems = []
    for where, cite in _all_citations(_lesson(path)):
        doc_id, section, quote = cite["doc_id"], cite.get("section", ""), norm(cite["quote"])
        if doc_id not in DOC_FILES:
            problems.append(f"{where}: unknown doc_id {doc_id!r}")
        elif not unicodedata.is_normalized("NFC", cite["quote"]):
            problems.append(f"{where}: quote not NFC")
        elif not 10 <= len(quote) <= 300:
            problems.append(f"{where}: quote length {len(quote)}")
        elif quote not in norm("\n".join(document_lines(doc_id))):
            problems.append(f"{where}: not verbatim in {doc_id}: {quote!r}")
        elif quote not in section_text(doc_id, section):
            problems.append(f"{where}: not in {doc_id} {section!r}: {quote!r}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("path", LESSON_FILES, ids=lambda p: p.name)
def test_numbers_in_the_body_come_from_the_cited_quotes(path: Path) -> None:
    lesson = _lesson(path)
    quotes = {c["n"]: norm(c["quote"]) for c in lesson["citations"]}
    problems = []
    for line in lesson["body"].splitlines():
        if line.lstrip().startswith("#") or TEAM_NOTE_PREFIX in line:
            continue
        stated = _stated_numbers(line)
        cited = [quotes[int(n)] for n in MARKER_RE.findall(line) if int(n) in quotes]
        missing = sorted(n for n in stated if not any(n in q for q in cited))
        if missing:
            problems.append(f"{missing} not in the quotes cited by: {line.strip()!r}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("path", LESSON_FILES, ids=lambda p: p.name)
def test_quiz(path: Path) -> None:
    quiz = _lesson(path)["quiz"]
    assert len(quiz) >= 5
    ids = [q["id"] for q in quiz]
    assert len(set(ids)) == len(ids), "quiz ids repeat"
    for q in quiz:
        assert q["question"].strip() and q["explanation"].strip(), f"{q['id']}: question/explanation empty"
        assert "citation" in q, f"{q['id']}: no citation"
        texts = [
            q["question"],
            q["explanation"],
            *q.get("choices", []),
            str(q["answer"]),
            *q.get("accept", []),
        ]
        assert all(unicodedata.is_normalized("NFC", t) for t in texts), f"{q['id']}: text not NFC"
        quote = norm(q["citation"]["quote"])
        if q["type"] == "choice":
            choices = q["choices"]
            assert len(choices) >= 2 and len(set(choices)) == len(choices)
            assert isinstance(q["answer"], int) and 0 <= q["answer"] < len(choices), f"{q['id']}: bad answer"
            correct = choices[q["answer"]]
        else:
            assert q["type"] == "short", f"{q['id']}: unknown type {q['type']!r}"
            assert isinstance(q["answer"], str) and q["answer"].strip()
            assert isinstance(q.get("accept", []), list)
            correct = q["answer"]
        missing = [n for n in _stated_numbers(correct) if n not in quote]
        assert not missing, f"{q['id']}: answer numbers {missing} not in its quote"
