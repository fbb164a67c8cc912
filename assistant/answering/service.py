"""Answering use case: facts first, then passages; refuse when the documents do not say."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterator, Sequence

from ..config import RetrievalSettings
from ..domain.errors import AssistantError, InvalidInputError
from ..domain.models import Answer, Citation, CurrencyWarning, Filters, SearchHit, Turn
from ..domain.vntext import nfc, strip_diacritics
from ..retrieval.query import analyze
from ..retrieval.retriever import Retrieval, Retriever, Scored
from .answer_types import answer_type, asks_calendar_date, has_calendar_date, missing_label, value_type_ok
from .composer import Candidate, OfflineComposer, asks_reference, whole_lines
from .currency import CurrencyChecker
from .labels import source_label
from .outline import list_intro, marker_kind, outline_items
from .parts import answers_to_parts
from .refusals import refusal_reason
from .standing import standing_parts
from .tables import (
    asked_column,
    asked_kinds,
    header_row,
    row_quotes,
    rows_of_kinds,
    rows_summary,
    table_rows,
    with_columns,
)
from .terms import Part, coverage, query_terms, question_parts

log = logging.getLogger(__name__)

MIN_COVERAGE = 0.40  # calibrated on evals/gold/domain_v1.yaml (see evals/README.md)
# A long question ("Kế hoạch cũ của Nghệ An … . Theo Thông tư 116 hiện hành thì còn khoản chi nào …, mức tối
# đa bao nhiêu?") carries background words that no single sentence of the answer repeats, so the share of
# its words one sentence covers is lower; from LONG_QUESTION_TERMS distinct terms on, the bar is lower too
LONG_QUESTION_TERMS = 20
MIN_COVERAGE_LONG = 0.30
TABLE_HITS = 5  # a list table answers "huyện nào …" when one of its rows is among the best passages
_TABLE_WORDS = re.compile(r"\b(phu luc|phu bieu|danh sach|bang)\b", re.IGNORECASE)

_ENUM_Q = re.compile(
    r"nhung buoc nao|cac buoc|may buoc|gom nhung|bao gom nhung|nhung viec (nao|gi)|nhung noi dung|gom (cac|may)"
    r"|nhung nhiem vu|cac nhiem vu|nhung trach nhiem|cac trach nhiem|nhung (quyen|nghia vu) (nao|gi)"
    r"|trinh tu|liet ke|nhung (tai lieu|giay to|ho so) (nao|gi)"
)


class AnsweringService:
    def __init__(
        self,
        retriever: Retriever,
        composer: OfflineComposer,
        currency: CurrencyChecker,
        settings: RetrievalSettings,
        llm=None,
        prompts_dir=None,
        facts=None,
        min_coverage: float = MIN_COVERAGE,
    ) -> None:
        self.retriever = retriever
        self.composer = composer
        self.currency = currency
        self.settings = settings
        self.llm = llm
        self.prompts_dir = prompts_dir
        self.facts = facts
        self.min_coverage = min_coverage
        self.facts_margin = (
            -0.05
        )  # facts answer when they match the question about as well (tuned on the gold set)

    # ------------------------------------------------------------------ validation
    def validate_question(self, question: str) -> str:
        q = nfc(question or "").strip()
        if not q:
            raise InvalidInputError(
                "Câu hỏi đang trống. Hãy nhập câu hỏi, ví dụ: “Hạn nộp báo cáo ISO hằng năm?”"
            )
        if len(q) > self.settings.max_question_chars:
            raise InvalidInputError(
                f"Câu hỏi quá dài ({len(q)} ký tự; tối đa {self.settings.max_question_chars}). "
                "Hãy rút gọn câu hỏi hoặc tách thành nhiều câu."
            )
        return q

    # ------------------------------------------------------------------ public
    def ask(
        self, question: str, history: Sequence[Turn] | None = None, filters: Filters | None = None
    ) -> Answer:
        t0 = time.perf_counter()
        q = self.validate_question(question)
        qa = analyze(q, history, self.retriever.expander)
        timings: dict[str, float] = {}
        # 1. passages
        t1 = time.perf_counter()
        r = self.retriever.retrieve(qa.text, filters=filters, analysis=qa)
        timings["retrieval"] = (time.perf_counter() - t1) * 1000
        t2 = time.perf_counter()
        answer = self._standing_answer(r) or self._compose(r)
        # 2. structured facts for deadline / agency / amount / target questions, when they match the
        #    question at least as well as the passages do
        fa = None if answer.route == "standing" else self._facts_answer(qa, filters, r, answer)
        if fa is not None:
            answer = fa
        timings["composition"] = (time.perf_counter() - t2) * 1000
        timings["total"] = (time.perf_counter() - t0) * 1000
        return answer.model_copy(update={"timings_ms": timings})

    def _facts_answer(self, qa, filters, r: Retrieval, passage_answer: Answer) -> Answer | None:
        if self.facts is None or passage_answer.refused and refusal_reason(r, self.retriever.catalog):
            return None
        try:
            fa = self.facts.answer(qa.text, filters)
        except AssistantError:
            raise
        except Exception:  # a facts bug must not take answering down
            log.exception("facts routing failed")
            return None
        if fa is None or fa.refused or not fa.citations:
            return None
        asked = qa.focus or qa.text
        if asks_reference(asked):
            return None  # "theo phụ lục nào": the facts hold dates, bodies and amounts, not where a form is
        at = answer_type(asked)
        if not any(
            value_type_ok(asked, qa.intents, c.quote)
            and at.matches(c.quote)
            and (has_calendar_date(c.quote) or not asks_calendar_date(asked))
            for c in fa.citations
        ):
            return None
        idf = r.snapshot.idf_plain if r.snapshot else {}
        terms = query_terms(qa.expanded)
        fact_cov = max(coverage(terms, c.quote + " " + (c.title or ""), idf) for c in fa.citations)
        if passage_answer.refused:
            return fa if fact_cov >= self.min_coverage else None
        pass_cov = max(
            coverage(terms, c.quote + " " + (c.title or ""), idf) for c in passage_answer.citations
        )
        return fa if fact_cov >= pass_cov + self.facts_margin else None

    def ask_stream(
        self, question: str, history: Sequence[Turn] | None = None, filters: Filters | None = None
    ) -> Iterator[str | Answer]:
        answer = self.ask(question, history, filters)
        for line in re.split(r"(?<=\n)", answer.answer):
            if line:
                yield line
        yield answer

    # ------------------------------------------------------------------ composing
    def _nearest(self, r: Retrieval, n: int = 3) -> tuple[SearchHit, ...]:
        return tuple(
            SearchHit(
                chunk_id=h.chunk.chunk_id,
                doc_id=h.doc.doc_id,
                title=h.doc.title,
                number=h.doc.number,
                section=h.chunk.section,
                text=h.chunk.text[:400],
                score=round(h.score, 6),
            )
            for h in r.hits[:n]
        )

    def refusal(self, r: Retrieval, reason: str = "") -> Answer:
        lines = [
            "Tài liệu trong kho không có thông tin để trả lời câu hỏi này"
            + (f" ({reason})" if reason else "")
            + "."
        ]
        near = self._nearest(r)
        if near:
            lines.append("Các nguồn gần nhất bạn có thể xem thêm:")
            for h in near:
                label = " ".join(x for x in (h.number, h.title[:80]) if x)
                lines.append(f"- {label} — mục {h.section or 'phần đầu'}")
        return Answer(answer="\n".join(lines), refused=True, nearest=near)

    def _standing_answer(self, r: Retrieval) -> Answer | None:
        parts = standing_parts(r, self.retriever.catalog)
        return self._cited_answer(r, parts, route="standing") if parts else None

    def _compose(self, r: Retrieval) -> Answer:
        if not r.hits:
            return self.refusal(r)
        reason = refusal_reason(r, self.retriever.catalog)
        if reason:
            return self.refusal(r, reason)
        table = self._table_answer(r)
        if table is not None:
            return table
        terms = self._terms(r)
        focus = r.analysis.focus
        cands = self.composer.candidates(
            terms,
            r.analysis.intents,
            r.hits,
            r.snapshot.idf_plain if r.snapshot else {},
            focus_terms=frozenset(query_terms(focus)) if focus else frozenset(),
            question=r.analysis.expanded,
            asked=r.analysis.original,
        )
        # the documents say something when one of the best sentences covers enough of the question (the best
        # by score may be a shorter, more precise one that covers less)
        bar = self._coverage_bar(terms)
        if not cands or max(c.coverage for c in cands[:3]) < bar:
            return self.refusal(r)
        # the answer must be of the asked type: an amount for "bao nhiêu tiền", a number for "bao nhiêu"
        cands = [
            c for c in cands if value_type_ok(r.analysis.focus or r.analysis.text, r.analysis.intents, c.text)
        ]
        if not cands or max(c.coverage for c in cands[:3]) < bar:
            return self.refusal(r, "các đoạn liên quan không nêu con số hoặc số tiền được hỏi")
        # …and of the asked kind: "bao nhiêu cơ quan" needs a number next to "cơ quan", "số điện
        # thoại" a phone number, "ai là trưởng ban" a person's name
        at = answer_type(r.analysis.focus or r.analysis.text)
        if at.kind != "any":
            typed = [c for c in cands if at.matches(c.text, r.hits[c.hit_index].chunk.index_text[:300])]
            if not typed or max(c.coverage for c in typed[:3]) < bar:
                return self.refusal(r, missing_label(at))
            cands = typed
        parts = question_parts(r.analysis.focus or r.analysis.text)
        chosen = self.composer.select(
            cands,
            r.analysis.intents,
            question=r.analysis.text,
            parts=parts,
            idf=r.snapshot.idf_plain if r.snapshot else {},
        )
        # "trước ngày nào" is answered by a day of the calendar, not by "định kỳ 6 tháng"
        if asks_calendar_date(r.analysis.focus or r.analysis.text) and not any(
            has_calendar_date(c.text) for c in chosen
        ):
            return self.refusal(r, "các đoạn liên quan không nêu ngày, tháng được hỏi")
        if self.llm is not None:
            llm_answer = self._llm_compose(r)
            if llm_answer is not None:
                return llm_answer
        # a list question is answered by the list that a close-scoring chosen passage introduces
        top = max(c.score for c in chosen)
        for c in sorted(chosen, key=lambda c: -c.score):
            if c.score < 0.9 * top:
                break
            outline = self._outline_answer(r, c, [x for x in cands[:60] if x is not c], parts)
            if outline is not None:
                return outline
        return self._extractive(r, whole_lines(chosen, [h.chunk.text for h in r.hits]))

    def _coverage_bar(self, terms: list[str]) -> float:
        """How much of the question one of the best sentences must cover for the documents to say something."""
        if len(set(terms)) >= LONG_QUESTION_TERMS:
            return min(self.min_coverage, MIN_COVERAGE_LONG)
        return self.min_coverage

    @staticmethod
    def _terms(r: Retrieval) -> list[str]:
        """Question terms for sentence scoring; a document number that routed the search is not a term
        (it is in the passage header, not in the sentence that answers)."""
        text = r.analysis.expanded
        if r.routed_docs:
            for ref in r.analysis.refs:
                text = text.replace(ref.raw, " ")
        return query_terms(text)

    def _cite(self, hit: Scored, n: int, quote: str) -> Citation:
        return Citation(
            n=n,
            doc_id=hit.doc.doc_id,
            chunk_id=hit.chunk.chunk_id,
            title=hit.doc.title,
            number=hit.doc.number,
            section=hit.chunk.section,
            quote=quote,
        )

    def warnings_for(self, hits_and_quotes: Sequence[tuple[Scored, str]]) -> list[CurrencyWarning]:
        cat = self.retriever.catalog
        out: list[CurrencyWarning] = []
        snap = self.retriever.reader.snapshot()
        for hit, quote in hits_and_quotes:
            entry = cat.get(hit.doc.catalog_id) if hit.doc.catalog_id else None
            out.extend(self.currency.entry_warnings(entry, hit.doc.doc_id))
            out.extend(
                self.currency.bases_warnings(hit.doc.doc_id, entry, snap.preamble.get(hit.doc.doc_id, []))
            )
            out.extend(self.currency.passage_warnings(quote, entry, hit.doc.doc_id))
        return self.currency.dedupe(out)

    def _outline_answer(
        self, r: Retrieval, best, others: Sequence[Candidate] = (), asked: Sequence[Part] = ()
    ) -> Answer | None:
        """ "Gồm những bước nào?" answered by the list itself: the intro and the first line of each item
        at the list's top level (also from the next chunk when the article goes on there). Each chunk's
        part is one citation whose quote is the whole verbatim span from the intro to its last item. A part
        of the question the list does not answer ("… có được dạy thêm chuyên đề khác không?") gets the best
        sentence of the same passage that answers it (``others``, best first)."""
        plain_q = strip_diacritics(r.analysis.focus or r.analysis.text)
        if not _ENUM_Q.search(plain_q) or r.snapshot is None:
            return None
        hit = r.hits[best.hit_index]
        text = hit.chunk.text
        intro_end = list_intro(text, best.start)
        if intro_end is None:
            return None
        items, kind = outline_items(text, intro_end)
        if len(items) < 2:
            return None
        parts: list[tuple[Scored, int, int, list[tuple[int, int]]]] = [(hit, best.start, intro_end, items)]
        # the article may go on in the next chunk ("Điều 4 > khoản 4")
        article = (hit.chunk.section or "").split(" > ")[0]
        if article:
            following = sorted(
                (
                    c
                    for c in r.snapshot.meta.chunks_of(hit.doc.doc_id)
                    if c.ordinal > hit.chunk.ordinal and c.section.split(" > ")[0] == article
                ),
                key=lambda c: c.ordinal,
            )
            for chunk in following[:3]:
                more, _k = outline_items(chunk.text, 0, kind)
                if not more:
                    break
                parts.append(
                    (Scored(chunk=chunk, doc=hit.doc, score=hit.score), more[0][0], more[0][0], more)
                )
        if sum(len(p[3]) for p in parts) > 15:
            return None
        cited: list[tuple[Scored, str, str]] = []
        for part_hit, a, intro_b, its in parts:
            t = part_hit.chunk.text
            shown = [" ".join(t[a:intro_b].split())] if intro_b > a else []
            shown += [t[x:y] if marker_kind(t[x:y]) in ("dash", "plus") else f"- {t[x:y]}" for x, y in its]
            cited.append((part_hit, t[a : its[-1][1]], "\n".join(shown)))
        said = " ".join(q for _h, q, _s in cited)
        for x in answers_to_parts(best, items[-1][1], others, asked, said, r.snapshot.idf_plain):
            cited.append((r.hits[x.hit_index], x.text, x.text))
        return self._cited_answer(r, cited)

    def _extractive(self, r: Retrieval, chosen) -> Answer:
        return self._cited_answer(r, [(r.hits[c.hit_index], c.text, self._shown(r, c)) for c in chosen])

    def _table_answer(self, r: Retrieval) -> Answer | None:
        """ "UBND huyện nào phải mở rộng phạm vi?" over a list table (the Ninh Thuận appendix): the rows of the
        kind asked, each under its column names, then which of them are marked in the column asked. Only when
        the question names the table ("phụ lục", "danh sách") or one of its columns, and one of the best
        passages is a row of it; ``None`` otherwise."""
        question = r.analysis.focus or r.analysis.text
        kinds = asked_kinds(question)
        if not kinds or r.snapshot is None:
            return None
        for hit in r.hits[:TABLE_HITS]:
            if "\t" not in hit.chunk.text.strip():
                continue
            chunks = self._section_chunks(r, hit)
            header = header_row(x.text for x in chunks)
            if not header:
                continue
            texts = [x.text for x in chunks]
            every = table_rows(texts, header)
            column = asked_column(question, header, every)
            if column is None and not _TABLE_WORDS.search(strip_diacritics(question)):
                return None
            rows = rows_of_kinds(every, kinds, column)
            if len(rows) < 2:
                return None
            parts = [
                (Scored(chunk=chunks[i], doc=hit.doc, score=hit.score), quote, shown)
                for i, quote, shown in row_quotes(texts, header, every, rows)
            ]
            ans = self._cited_answer(r, parts, route="table")
            summary = rows_summary(rows, header, column)
            return ans.model_copy(update={"answer": f"{ans.answer}\n{summary}"})
        return None

    @staticmethod
    def _section_chunks(r: Retrieval, hit: Scored) -> list:
        """The chunks of ``hit``'s section (a table split over several chunks), in document order."""
        if r.snapshot is None:
            return [hit.chunk]
        return sorted(
            (
                x
                for x in r.snapshot.chunks.values()
                if x.doc_id == hit.chunk.doc_id and x.section == hit.chunk.section
            ),
            key=lambda x: x.ordinal,
        )

    def _shown(self, r: Retrieval, c: Candidate) -> str:
        """A quoted table row with its column headers (see ``tables``); other quotes as they are."""
        if "\t" not in c.text.strip() or r.snapshot is None:
            return c.text
        header = header_row(x.text for x in self._section_chunks(r, r.hits[c.hit_index]))
        return with_columns(c.text, header) if header else c.text

    def _cited_answer(
        self, r: Retrieval, parts: Sequence[tuple[Scored, str, str]], route: str = "passages"
    ) -> Answer:
        """One answer line (or block) per ``(hit, quote, shown text)``, each ending with its ``[n]``; the
        first part from a chunk names the document and section. ``quote`` is the verbatim citation."""
        citations: list[Citation] = []
        lines: list[str] = []
        for hit, quote, shown in parts:
            n = len(citations) + 1
            first = not any(c.chunk_id == hit.chunk.chunk_id for c in citations)
            citations.append(self._cite(hit, n, quote))
            prefix = f"Theo {source_label(hit, quote)}:" if first else ""
            sep = "\n" if shown.startswith("- ") else " "
            lines.append(f"{prefix}{sep if prefix else ''}{shown} [{n}]")
        return Answer(
            answer="\n".join(lines),
            refused=False,
            citations=tuple(citations),
            warnings=tuple(self.warnings_for([(h, q) for h, q, _s in parts])),
            nearest=self._nearest(r),
            route=route,
        )

    def _llm_compose(self, r: Retrieval) -> Answer | None:
        """LLM composer when configured; ``None`` makes the caller fall back to the offline composer."""
        from ..domain.errors import ModelError
        from .llm_composer import LLMComposer

        try:
            result = LLMComposer(self.llm, self.prompts_dir).compose(r.analysis.text, r.hits)
        except ModelError as exc:  # endpoint down/slow/broken; a missing prompt file (ConfigError) stays loud
            log.warning("LLM composer failed, falling back to the offline composer: %s", exc.message)
            fallback = self._extractive(
                r,
                self.composer.select(
                    self.composer.candidates(
                        query_terms(r.analysis.expanded),
                        r.analysis.intents,
                        r.hits,
                        r.snapshot.idf_plain if r.snapshot else {},
                        question=r.analysis.expanded,
                    ),
                    r.analysis.intents,
                ),
            )
            w = CurrencyWarning(
                code="llm_unavailable",
                message="Mô hình ngôn ngữ không phản hồi; câu trả lời được trích nguyên văn từ tài liệu.",
            )
            return fallback.model_copy(update={"warnings": (w, *fallback.warnings)})
        if result is None:
            return None
        text, cited = result  # cited: list of (hit index, quote)
        if not cited:
            return self.refusal(r, "mô hình không đưa ra được trích dẫn hợp lệ")
        citations = [self._cite(r.hits[i], n + 1, q) for n, (i, q) in enumerate(cited)]
        warnings = self.warnings_for([(r.hits[i], q) for i, q in cited])
        return Answer(
            answer=text,
            citations=tuple(citations),
            warnings=tuple(warnings),
            nearest=self._nearest(r),
            route="llm",
        )
