"""LLM composer: the model writes the answer from labelled passages; every kept label gets a verbatim quote.

``compose(question, hits)`` returns ``None`` (let the offline composer answer) or ``(text, cited)``: ``text``
with ``[n]`` markers numbered 1..m in order of first use, ``cited[n - 1] = (hit_index, quote)`` where
``quote`` is a verbatim span of ``hits[hit_index].chunk.text``. Endpoint failures propagate as
``ModelUnavailableError`` (raised by the adapter).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..domain.ports import ChatModel
from ..domain.vntext import nfc, strip_diacritics
from .citations import claims, parse_citations
from .prompts import render
from .quotes import sentence_spans

SYSTEM_PROMPT = "answer_system.j2"
USER_PROMPT = "answer_user.j2"

_TOKEN = re.compile(r"\w+")
_MIN_QUOTE = 12  # characters
_MAX_TITLE = 120  # long official titles cost tokens and say little
_DIGITS = re.compile(r"\d")
# function words that say nothing about which sentence a claim comes from
_STOP = frozenset(
    "va cua cac la duoc cho voi trong theo tai co nhung mot nay do thi de ve khi tu den the nhu se da dang"
    " ngay nam thang so ban".split()
)


def _doc_source(hit: Any) -> str:
    """``Kế hoạch số 310/KH-UBND — <title> (Hà Tĩnh)``: what the model may name as the source."""
    d = hit.doc
    head = " ".join(
        x for x in ((d.kind or "").strip().capitalize(), f"số {d.number}" if d.number else "") if x
    )
    title = d.title or d.file_name
    if len(title) > _MAX_TITLE:
        title = title[:_MAX_TITLE].rsplit(" ", 1)[0] + "…"
    src = f"{head} — {title}" if head else title
    if d.province and d.province not in src:
        src += f" ({d.province})"
    return src


def _weights(text: str) -> dict[str, float]:
    """Accent-free tokens of ``text`` with weights: numbers and dates count most, function words not at all."""
    out: dict[str, float] = {}
    for t in _TOKEN.findall(strip_diacritics(text)):
        if t in _STOP:
            continue
        w = 3.0 if _DIGITS.search(t) else 1.0 if len(t) > 1 else 0.3
        out[t] = max(out.get(t, 0.0), w)
    return out


# "Điều 12. Chế độ báo cáo": an article's title names the topic, it does not state anything
_ARTICLE_HEADING = re.compile(r"^\s*(Điều|Chương|Mục)\s+\d+[a-z]?\.\s[^.;:]{0,110}$")


def best_quote(chunk_text: str, claim_texts: Sequence[str]) -> str:
    """The sentence of ``chunk_text`` that best overlaps the claims citing it (weighted cosine), verbatim."""
    spans = sentence_spans(chunk_text)
    # headings and list numbers ("Điều 12.", "II.") are not quotes when the chunk has real sentences
    spans = [
        sp
        for sp in spans
        if sp[1] - sp[0] >= _MIN_QUOTE and not _ARTICLE_HEADING.match(chunk_text[sp[0] : sp[1]])
    ] or spans
    if not spans:
        return chunk_text.strip() or chunk_text
    claim_w: dict[str, float] = {}
    for c in claim_texts:
        for t, w in _weights(c).items():
            claim_w[t] = max(claim_w.get(t, 0.0), w)
    norm_c = math.sqrt(sum(w * w for w in claim_w.values())) or 1.0
    best, best_score = spans[0], -1.0
    for a, b in spans:
        sw = _weights(chunk_text[a:b])
        if not sw:
            continue
        dot = sum(w * claim_w[t] for t, w in sw.items() if t in claim_w)
        score = dot / (norm_c * math.sqrt(sum(w * w for w in sw.values())))
        if score > best_score + 1e-9:
            best, best_score = (a, b), score
    return chunk_text[best[0] : best[1]]


class LLMComposer:
    """Labels the top passages 1..n, asks the model, keeps the known labels and quotes each one verbatim."""

    def __init__(
        self,
        llm: ChatModel | None,
        prompts_dir: Path | str | None,
        max_passages: int = 6,
        max_passage_chars: int = 2000,
    ) -> None:
        self.llm = llm
        self.prompts_dir = Path(prompts_dir) if prompts_dir is not None else None
        self.max_passages = max_passages
        self.max_passage_chars = max_passage_chars

    def passages(self, hits: Sequence[Any]) -> list[dict[str, Any]]:
        out = []
        for i, hit in enumerate(hits[: self.max_passages]):
            text = hit.chunk.text
            if len(text) > self.max_passage_chars:
                text = text[: self.max_passage_chars].rsplit(" ", 1)[0] + " …"
            out.append(
                {
                    "label": i + 1,
                    "source": _doc_source(hit),
                    "number": hit.doc.number or "",
                    "title": hit.doc.title,
                    "section": hit.chunk.section,
                    "heading": hit.chunk.heading,
                    "text": text,
                }
            )
        return out

    def prompts(self, question: str, hits: Sequence[Any]) -> tuple[str, str]:
        assert self.prompts_dir is not None
        system = render(self.prompts_dir, SYSTEM_PROMPT)
        user = render(
            self.prompts_dir, USER_PROMPT, question=nfc(question).strip(), passages=self.passages(hits)
        )
        return system, user

    def compose(self, question: str, hits: Sequence[Any]) -> tuple[str, list[tuple[int, str]]] | None:
        if self.llm is None or self.prompts_dir is None or not hits:
            return None
        n = min(len(hits), self.max_passages)
        system, user = self.prompts(question, hits)
        reply = nfc(self.llm.complete(system, user) or "").strip()
        if not reply:
            return None
        parsed = parse_citations(reply, range(1, n + 1))
        by_marker = claims(parsed.text)
        cited: list[tuple[int, str]] = []
        for k, label in enumerate(parsed.labels, start=1):
            hit_index = label - 1
            quote = best_quote(hits[hit_index].chunk.text, by_marker.get(k, []) or [parsed.text])
            cited.append((hit_index, quote))
        return parsed.text, cited
