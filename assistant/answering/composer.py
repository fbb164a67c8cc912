"""Offline extractive composer: picks the sentences that answer from the best passages and quotes them
verbatim with ``[n]`` markers. No LLM; deadlines, agencies, amounts and counts stay as written."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..domain.vntext import strip_diacritics
from .quotes import sentence_spans

_QWORDS = frozenset(
    "gi nao bao nhieu khi ai la khong thi sao nhu the nhung cac co duoc theo quy dinh hay cho biet vay con"
    " minh toi em can phai lam viec nhu the nao".split()
)
_TOKEN = re.compile(r"\w+")
_DATE = re.compile(r"\b\d{1,2}/\d{1,2}(/\d{2,4})?\b|\btháng \d{1,2}\b|\bquý [IVX1-4]+\b|\bhàng năm\b|\bhằng năm\b"
                   r"|\bnăm \d{4}\b|\bngày\b", re.IGNORECASE)
_MONEY = re.compile(r"\d[\d.]*\s*(đồng|triệu|tỷ|nghìn)|kinh phí|mức chi", re.IGNORECASE)
_NUMBER = re.compile(r"\d+\s*%|\b\d+\b")
_AGENCY = re.compile(r"chủ trì|phối hợp|\bSở\b|UBND|Ủy ban|Văn phòng|Bộ\b|Chi cục|giao", re.IGNORECASE)


@dataclass
class Candidate:
    hit_index: int
    start: int
    end: int
    text: str
    score: float
    coverage: float


def query_terms(text: str) -> list[str]:
    return [t for t in _TOKEN.findall(strip_diacritics(text)) if t not in _QWORDS and len(t) > 1 or t.isdigit()]


class OfflineComposer:
    """Scores sentences by idf-weighted coverage of the question's terms, plus intent cues."""

    def candidates(self, question_terms: list[str], intents: frozenset[str], hits, idf: dict[str, float],
                   max_hits: int = 5) -> list[Candidate]:
        terms = list(dict.fromkeys(question_terms))
        weights = {t: idf.get(t, 3.0) for t in terms}
        total = sum(weights.values()) or 1.0
        bigrams = {f"{a} {b}" for a, b in zip(terms, terms[1:], strict=False)}
        out: list[Candidate] = []
        for hi, hit in enumerate(hits[:max_hits]):
            text = hit.chunk.text
            chunk_terms = set(_TOKEN.findall(strip_diacritics(hit.chunk.index_text)))
            for a, b in sentence_spans(text):
                sent = text[a:b]
                if len(sent) < 12:
                    continue
                toks = _TOKEN.findall(strip_diacritics(sent))
                st = set(toks)
                # terms found in the sentence count fully; terms only in the chunk's header/context count a little
                cov = sum(weights[t] * (1.0 if t in st else 0.35 if t in chunk_terms else 0.0) for t in terms) / total
                plain = " ".join(toks)
                bg = sum(1 for g in bigrams if g in plain) / max(len(bigrams), 1)
                score = cov + 0.25 * bg + 0.12 / (1 + hi)
                if "deadline" in intents and _DATE.search(sent):
                    score += 0.2
                if "amount" in intents and _MONEY.search(sent):
                    score += 0.2
                if "agency" in intents and _AGENCY.search(sent):
                    score += 0.15
                if "count" in intents and _NUMBER.search(sent):
                    score += 0.1
                if len(sent) > 500:
                    score -= 0.1
                out.append(Candidate(hi, a, b, sent, score, cov))
        out.sort(key=lambda c: -c.score)
        return out

    def select(self, cands: list[Candidate], max_sentences: int = 3, ratio: float = 0.8) -> list[Candidate]:
        if not cands:
            return []
        best = cands[0].score
        chosen: list[Candidate] = []
        for c in cands:
            if len(chosen) >= max_sentences:
                break
            if c.score < best * ratio:
                break
            if any(c.hit_index == x.hit_index and not (c.end <= x.start or c.start >= x.end) for x in chosen):
                continue
            if any(c.text in x.text or x.text in c.text for x in chosen):
                continue
            chosen.append(c)
        # keep document order within a passage, passages in rank order
        chosen.sort(key=lambda c: (c.hit_index, c.start))
        return chosen
