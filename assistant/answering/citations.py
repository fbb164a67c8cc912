"""Citation labels in a model's answer (pure).

The model is given passages labelled ``[1]``…``[n]`` and asked to cite them. Models write the labels in many
ways: ``[1]``, ``[1, 3]``, ``[1][2]``, ``[S1]``, ``[Nguồn 2]``, ``[1-3]``, ``[[1]]``. This module keeps the
labels that were given to the model, drops invented ones (``[0]``, ``[99]``) from the text, and renumbers the
kept labels 1..m in order of first use, each as its own ``[n]`` marker (what the front ends link).
Brackets that are not labels (``[Điều 4]``, ``[ghi chú]``) are left alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

# one label inside a group: optional prefix ("S1", "#1", "Nguồn 1", "đoạn 1"), a number or a range "1-3"
_PREFIX = r"(?:[Ss]|#|[Nn]guồn\s*|[Đđ]oạn\s*|[Tt]rích\s+dẫn\s*)?"
_ONE = rf"{_PREFIX}\d{{1,4}}(?:\s*[-–]\s*{_PREFIX}\d{{1,4}})?"
_BODY = rf"{_ONE}(?:\s*[,;]\s*(?:và\s+)?{_ONE}|\s+và\s+{_ONE})*"
_GROUP = re.compile(rf"\[\s*(?P<body>{_BODY})\s*\]")
# a run of adjacent groups ("[1][2]", "[1] [S3]") with the blanks around it
_RUN = re.compile(rf"(?P<ws>[ \t]*)(?P<run>\[\s*{_BODY}\s*\](?:[ \t]*\[\s*{_BODY}\s*\])*)(?P<tail>[ \t]*)")
_NUM = re.compile(r"\d{1,4}(?:\s*[-–]\s*\D{0,12}?\d{1,4})?")
# "[[1]]" or "[[1], [2]]": an outer bracket holding nothing but label groups
_NESTED = re.compile(rf"\[\s*((?:\[\s*{_ONE}(?:\s*[,;]\s*{_ONE})*\s*\]\s*[,;]?\s*)+)\]")
_MARKER = re.compile(r"\[(\d+)\]")
_REPEAT = re.compile(r"(\[\d+\])(?:[ \t]*\1)+")
_MAX_RANGE = 20  # "[1-999]" is not a citation of 999 passages


@dataclass(frozen=True)
class ParsedCitations:
    """Kết quả phân tích nhãn trích dẫn.

    ``text``: the answer with kept labels renumbered ``[1]``..``[m]`` and invented ones removed;
    ``labels``: the original label of each new number (``labels[k - 1]`` is what ``[k]`` cites);
    ``dropped``: invented labels that were removed, in order of appearance.
    """

    text: str
    labels: tuple[int, ...]
    dropped: tuple[int, ...]


def _numbers(body: str) -> list[int]:
    out: list[int] = []
    for m in _NUM.finditer(body):
        nums = [int(x) for x in re.findall(r"\d+", m.group(0))]
        if len(nums) == 2 and 0 <= nums[1] - nums[0] <= _MAX_RANGE:
            out.extend(range(nums[0], nums[1] + 1))
        else:
            out.extend(nums)
    return out


def _tidy(text: str) -> str:
    text = _REPEAT.sub(r"\1", text)
    text = re.sub(r"[ \t]+([.,;:!?])", r"\1", text)  # "câu [99] ." → "câu."
    text = re.sub(r"[ \t]{2,}", " ", text)
    text = re.sub(r"[ \t]+\n", "\n", text)
    return text.strip()


def parse_citations(text: str, allowed: Iterable[int]) -> ParsedCitations:
    """Keep labels in ``allowed``, drop the others, renumber kept labels 1..m in order of first use."""
    allowed_set = set(allowed)
    text = _NESTED.sub(lambda m: "".join(re.findall(r"\[[^\[\]]*\]", m.group(1))), text)
    order: dict[int, int] = {}  # original label -> new number
    dropped: list[int] = []

    def repl(m: re.Match[str]) -> str:
        kept: list[int] = []
        for g in _GROUP.finditer(m.group("run")):
            for n in _numbers(g.group("body")):
                if n not in allowed_set:
                    dropped.append(n)
                    continue
                new = order.setdefault(n, len(order) + 1)
                if new not in kept:
                    kept.append(new)
        if kept:
            return m.group("ws") + "".join(f"[{k}]" for k in kept) + m.group("tail")
        line_start = m.start() == 0 or text[m.start() - 1] == "\n"
        at_end = m.end() == len(text) or text[m.end()] == "\n"
        # "A [99] B" → "A B"; "A [99]." → "A."; "\n[99] B" → "\nB"
        return "" if line_start or at_end else (m.group("tail") and " ")

    cleaned = _RUN.sub(repl, text)
    return ParsedCitations(text=_tidy(cleaned), labels=tuple(order), dropped=tuple(dropped))


def markers(text: str) -> list[tuple[int, int, int]]:
    """``(number, start, end)`` of every ``[n]`` marker in an already parsed text."""
    return [(int(m.group(1)), m.start(), m.end()) for m in _MARKER.finditer(text)]


_SENT_END = re.compile(r"[.!?;:]\s+|\n+")


def claims(text: str) -> dict[int, list[str]]:
    """For each marker number, the sentences of ``text`` that cite it (markers removed).

    A marker cites the sentence it closes (``… ngày 15/11 [1].`` or ``… ngày 15/11. [1]``); a marker that
    opens a line (``[1] Theo …``) cites the sentence after it.
    """
    out: dict[int, list[str]] = {}
    ms = markers(text)
    for n, start, end in ms:
        before = _MARKER.sub("", text[:start])
        line = before[before.rfind("\n") + 1 :]
        claim = ""
        # a marker after text on its line closes a sentence: drop the closing punctuation, take that sentence
        if line.strip(" \t-+*•"):
            body = before.rstrip().rstrip(".!?;:")
            cut = 0
            for b in _SENT_END.finditer(body):
                cut = b.end()
            claim = body[cut:].strip()
        if not claim:  # marker opens the sentence
            after = _MARKER.sub("", text[end:])
            stop = _SENT_END.search(after)
            claim = (after[: stop.start()] if stop else after).strip()
        if claim:
            out.setdefault(n, []).append(claim)
    return out
