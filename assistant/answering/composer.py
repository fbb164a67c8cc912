"""Offline extractive composer: picks the sentences that answer from the best passages and quotes them
verbatim with ``[n]`` markers. No LLM; deadlines, agencies, amounts and counts stay as written."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..domain.vntext import fold, strip_diacritics
from .outline import parent_line
from .parts import PART_COVERED, PART_MIN_SCORE, best_for_part
from .quotes import sentence_spans
from .tables import header_row, row_name
from .terms import QWORDS, TOKEN, Part, accent_forms, coverage, defined_terms, query_terms

_STEP_WORDS = frozenset({"buoc", "viec", "gom"})
# chosen on held-out sets 1–4 pooled (fifth session); 0.5 had been chosen on domain_v1
PHRASE_WEIGHT = 0.8
PRECISION_WEIGHT = 0.25
LEGAL_BASIS_BONUS = 0.3  # × coverage, a "Căn cứ …" line, for "căn cứ vào đâu", "dựa trên luật nào"
INHERITED_WEIGHT = 0.35  # words a follow-up inherits from the previous question, against its own
ACCENT_MISMATCH = 0.5  # a question word found only with other marks ("tư" for "tự") counts half
_DATE = re.compile(
    r"\b\d{1,2}/\d{1,2}(/\d{2,4})?\b|\btháng \d{1,2}\b|\bquý [IVX1-4]+\b|\bhàng năm\b|\bhằng năm\b"
    r"|\bnăm \d{4}\b|\bngày\b",
    re.IGNORECASE,
)
_MONEY = re.compile(r"\d[\d.]*\s*(đồng|triệu|tỷ|nghìn)|kinh phí|mức chi", re.IGNORECASE)
_NUMBER = re.compile(r"\d+\s*%|\b\d+\b")
_HEADING = re.compile(r"^\s*(Điều\s+\d+[a-z]?\.|[IVX]{1,5}\.|\d{1,2}\.|[a-zđ]\))\s")
_CAN_CU = re.compile(r"\s*(Căn cứ|Thực hiện (Quyết định|Kế hoạch|Công văn|văn bản))", re.IGNORECASE)
_DOC_DATE = re.compile(r"(số\s+\S+\s+)?ngày\s+\d{1,2}\s*/\s*\d{1,2}\s*/\s*\d{4}", re.IGNORECASE)
_AGENCY_STRICT = re.compile(r"chủ trì|phối hợp|giao cho|giao \S+ |trách nhiệm|thực hiện:", re.IGNORECASE)
_ARTICLE = re.compile(r"\s*Điều\s+\d+[a-z]?\.")  # an article's title ("Điều 13. Nhiệm vụ của …")
_ATTACHED = re.compile(r"\s*\(?\s*(Ban hành )?kèm theo\b", re.IGNORECASE)  # an appendix's "attached to" note
_CONTINUES = re.compile(r"(Trong đó|Trong số đó|Cụ thể|Bao gồm|Theo đó)\b", re.IGNORECASE)
# a table row of a number, one name and marks ("X", "-", empty cells)
_MARKS_ROW = re.compile(r"^\d{1,3}\.?\t[^\t]+(?:\t(?:[xX]|-|–|)?)+$")
REF_BONUS = 0.3  # a sentence naming an appendix, form or article when the question asks "theo phụ lục nào"
OTHER_CASE_PENALTY = 0.3  # "c) Đối với hồ sơ giấy: …" when the question asks about "hồ sơ điện tử" (item d)
NAMED_ROW_BONUS = 0.5  # a table row whose name cell the question names ("UBND huyện Thuận Nam … thì sao?")
DEFINITION_BONUS = 0.3  # a sentence that defines what a "… là gì" question asks about
_SUBJECT_AGENCY = re.compile(
    r"\s*(?:[-+•]|[a-zđ]\)|\d{1,2}\.|[IVX]{1,5}\.)?\s*(?:Sở|Ủy ban|UBND|Văn phòng|Bộ|Chi cục|Ban|Các sở|Cơ quan|"
    r"Đài|Báo|Công an|Thanh tra|Kho bạc|Trường|Bệnh viện|Chủ tịch|Liên đoàn|Hội)\b"
)
# "a) Nhiệm vụ của Sở Khoa học và Công nghệ:" — a parent line that names the body doing its items
_DUTIES_OF = re.compile(
    r"\s*(?:[a-zđ]\)|\d{1,2}\.|[-+•])?\s*(?:Nhiệm vụ|Trách nhiệm|Quyền hạn|Quyền và nghĩa vụ)(?: và \w+(?: \w+)?)?"
    r" (?:của )?(?:Sở|Ủy ban|UBND|Văn phòng|Bộ|Chi cục|Ban|Cơ quan|Tổng cục|Thủ trưởng|Người đứng đầu)\b",
    re.IGNORECASE,
)
_AGENCY = re.compile(r"chủ trì|phối hợp|\bSở\b|UBND|Ủy ban|Văn phòng|Bộ\b|Chi cục|giao", re.IGNORECASE)


@dataclass
class Candidate:
    hit_index: int
    start: int
    end: int
    text: str
    score: float
    coverage: float


class OfflineComposer:
    """Scores sentences by idf-weighted coverage of the question's terms, plus intent cues."""

    def candidates(
        self,
        question_terms: list[str],
        intents: frozenset[str],
        hits,
        idf: dict[str, float],
        max_hits: int = 8,
        focus_terms: frozenset[str] = frozenset(),
        question: str = "",
        for_ranking: bool = False,
        asked: str = "",
    ) -> list[Candidate]:
        """Scored sentences of the first ``max_hits`` hits, best first. ``for_ranking``: the scores rank
        passages (the reranker), so a line made only of the question's words — an article title that
        matches the question — is evidence, not a non-answer. ``asked``: the user's own turn (a follow-up
        without the earlier question), where the names of table rows are looked for; ``question`` when
        empty."""
        terms = list(dict.fromkeys(question_terms))
        accents = accent_forms(question)
        # "hồ sơ là gì": the sentence that defines it begins with it ("14. “Hồ sơ” là tập hợp …", "4. Đơn vị
        # chủ trì là đơn vị giúp …")
        defined = defined_terms(question)
        defines = (
            re.compile(rf"^\W*(?:(?:\d{{1,2}}\.|[a-zđ]\))\W*)?(?:{'|'.join(map(re.escape, defined))})\W+la\b")
            if defined
            else None
        )
        weights = {
            t: idf.get(t, 3.0) * (1.0 if not focus_terms or t in focus_terms else INHERITED_WEIGHT)
            for t in terms
        }
        if "steps" in intents:  # "bước", "việc" say what kind of answer is wanted, not what it is about
            for t in _STEP_WORDS & weights.keys():
                weights[t] *= 0.1
        total = sum(weights.values()) or 1.0
        # lists, not sets: float sums in a fixed order give the same ranking on every run
        bigrams = list(dict.fromkeys(f"{a} {b}" for a, b in zip(terms, terms[1:], strict=False)))
        # a phrase of the question found as a phrase ("công bố", not "công" here and "bố" there) weighs
        # what the phrase is worth: its own idf in the index
        phrase_w = {
            g: idf[g.replace(" ", "_")]
            * (1.0 if not focus_terms or set(g.split()) <= focus_terms else INHERITED_WEIGHT)
            for g in bigrams
            if g.replace(" ", "_") in idf
        }
        if focus_terms:
            bigrams = [g for g in bigrams if set(g.split()) <= focus_terms] or bigrams
        phrase_total = sum(phrase_w.values())
        named = _name_form(asked or question)
        # "theo phụ lục nào", "tại điều nào": the sentence that names one ("… tại Phụ lục IV Nghị định này")
        ref_kinds = [_REF_KINDS[k] for k in _REF_Q.findall(strip_diacritics(question))]
        ref_rx = (
            re.compile(rf"\b(?:{'|'.join(ref_kinds)})\s+(?:[IVX]+|\d+)\b", re.IGNORECASE)
            if ref_kinds
            else None
        )
        qterms = set(terms)
        out: list[Candidate] = []
        for hi, hit in enumerate(hits[:max_hits]):
            text = hit.chunk.text
            chunk_terms = set(TOKEN.findall(strip_diacritics(hit.chunk.index_text)))
            # what the document is — its kind ("kế hoạch", "thông tư") and a plan's province — is said by
            # the document, not by each of its sentences
            doc = getattr(hit, "doc", None)
            given = set(query_terms(f"{doc.province or ''} {doc.kind or ''}")) if doc is not None else set()
            # a chunk cut from the middle of an article ("Điều 13 > khoản 6–khoản 7") has lost the article's
            # title ("Điều 13. Nhiệm vụ của Bộ Khoa học và Công nghệ"), which is every khoản's subject: it
            # stands above each sentence like a parent line (an appendix's heading, its column headers, does
            # not: a bare name cell would take the plan's words)
            top = (getattr(hit.chunk, "heading", "") or "").split(" > ")[0]
            title_ctx = (
                " ".join(TOKEN.findall(strip_diacritics(top)))
                if _ARTICLE.match(top) and fold(top)[:40] not in fold(text[:400])
                else ""
            )
            header = header_row([text]) if "\t" in text else None
            cases = _cases(text)
            for a, b in sentence_spans(text):
                own_start = a  # before the quote is widened to its parent line
                sent = text[a:b]
                if len(sent) < 12:
                    continue
                if header and [c.strip() for c in sent.split("\t")] == header:
                    continue  # a table's column names answer nothing alone; its rows are shown under them
                toks = TOKEN.findall(strip_diacritics(sent))
                st = set(toks) | given
                # terms found in the sentence count fully; terms only in the chunk's header/context count a
                # little; terms of the list item's parent line ("4. Sở Nội vụ:", "b) Đối với … cấp tỉnh:")
                # count nearly fully, because the item says nothing without it
                parent = parent_line(text, a)
                # and the lines above it ("c) Đối với cơ quan cấp Chi cục:" / "- Chi thuê tư vấn:" / "+ Lần
                # đầu: 40 triệu"): the item's subject can be two levels up
                ctx: list[str] = []
                written = set(TOKEN.findall(fold(sent))) if accents else set()
                up = parent
                while up and len(ctx) < 3:
                    ctx.append(" ".join(TOKEN.findall(strip_diacritics(text[up[0] : up[1]]))))
                    if accents:
                        written |= set(TOKEN.findall(fold(text[up[0] : up[1]])))
                    up = parent_line(text, up[0])
                if title_ctx and len(ctx) < 3:
                    ctx.append(title_ctx)
                pt = {t for line in ctx for t in line.split()}
                # "tự xây dựng" typed with its marks: "tư vấn" has the letters, not the word
                wrong = {t for t, forms in accents.items() if (t in st or t in pt) and not forms & written}
                cov = (
                    sum(
                        weights[t]
                        * (
                            (ACCENT_MISMATCH if t in wrong else 1.0)
                            if t in st
                            else (0.7 * ACCENT_MISMATCH if t in wrong else 0.7)
                            if t in pt
                            else 0.35
                            if t in chunk_terms
                            else 0.0
                        )
                        for t in terms
                    )
                    / total
                )
                if parent and a - parent[1] <= 600:
                    own = sum(weights[t] for t in terms if t in st) / total
                    # "- Chủ trì, phối hợp với Sở KH&CN …" under "4. Sở Nội vụ:": the doer is in the parent
                    parent_text = text[parent[0] : parent[1]]
                    agency_ctx = (
                        "agency" in intents
                        and not _SUBJECT_AGENCY.match(sent)
                        and bool(_SUBJECT_AGENCY.match(parent_text) or _DUTIES_OF.match(parent_text))
                    )
                    if agency_ctx or cov - own >= 0.15:
                        a = parent[0]  # quote from the parent line on (contiguous, verbatim)
                        sent = text[a:b]
                plain = " ".join(toks)
                bg = sum(1 for g in bigrams if g in plain) / max(len(bigrams), 1)
                ph = sum(
                    w * (1.0 if g in plain else 0.7 if any(g in line for line in ctx) else 0.0)
                    for g, w in phrase_w.items()
                ) / (total + phrase_total)
                # a sentence made of the question's words ("2. Áp dụng Hệ thống quản lý chất lượng:") is
                # more to the point than one that also says much else
                prec = sum(1 for t in toks if t in weights) / max(len(toks), 1)
                if not for_ranking and _MARKS_ROW.match(sent.strip()):
                    # "22 | UBND Huyện Ninh Sơn | - | X" is short because it is a name and marks, not precise
                    prec = 0.0
                score = cov + 0.25 * bg + PHRASE_WEIGHT * ph + PRECISION_WEIGHT * prec + 0.12 / (1 + hi)
                if _CAN_CU.match(sent):
                    # a legal-basis line mentions everything and answers nothing else — except the legal basis
                    # (in proportion to how much of the question it covers: the preamble of the document asked
                    # about, not any "Căn cứ" line)
                    score += LEGAL_BASIS_BONUS * cov if "legal" in intents else -0.3
                if defines is not None and defines.match(strip_diacritics(sent[:150])):
                    score += DEFINITION_BONUS
                if "deadline" in intents and _DATE.search(_DOC_DATE.sub("", sent)):
                    score += 0.2
                if "amount" in intents and _MONEY.search(sent):
                    score += 0.2
                if "agency" in intents and _AGENCY.search(sent):
                    score += 0.15
                if "count" in intents and _NUMBER.search(sent):
                    score += 0.1
                if len(sent) > 500:
                    score -= 0.1
                if ref_rx is not None and ref_rx.search(sent):
                    score += REF_BONUS
                if cases and _other_case(text, own_start, cases, qterms):
                    score -= OTHER_CASE_PENALTY
                # (a row says a body is on the list and under which column, not what the body does)
                if "steps" not in intents and "\t" in sent and _named_row(sent, named):
                    score += NAMED_ROW_BONUS
                only_question_words = not any(t not in weights and t not in QWORDS for t in toks)
                title = sent.isupper() and not _HEADING.match(sent)  # "TỈNH NINH THUẬN NĂM 2022"
                # "của Ủy ban nhân dân tỉnh Ninh Thuận)", not the list item "b) Bản chính văn bản lưu tại …"
                line_tail = len(sent) < 60 and sent[0].islower() and not _HEADING.match(sent)
                # a table cell that only names a body ("Sở Giáo dục và Đào tạo") answers "which body", nothing else
                bare_name = (
                    "agency" not in intents
                    and len(sent) < 45
                    and bool(_SUBJECT_AGENCY.match(sent))
                    and not re.search(r"[\d:;,.]", sent)
                )
                attached = bool(_ATTACHED.match(sent))  # "(Kèm theo Kế hoạch số: /KH-UBND ngày /02/2022"
                if not for_ranking and (only_question_words or title or line_tail or bare_name or attached):
                    score -= 0.3  # says nothing by itself
                is_heading = (
                    (_HEADING.match(sent) or a == 0) and len(sent) < 120 and not sent.rstrip().endswith(".")
                )
                if sent.rstrip().endswith(":") or is_heading:
                    # an intro or a section heading: what it announces is the list that follows
                    nb = self._extend_list(text, b)
                    if is_heading and nb == b:
                        score -= 0.25  # a bare heading repeats the question's words but says nothing
                    elif "list" in intents and nb > b and sent.rstrip().endswith(":"):
                        score += 0.15  # "gồm những nội dung nào": the line that introduces the list
                    b = nb
                    sent = text[a:b]
                out.append(Candidate(hi, a, b, sent, score, cov))
        out.sort(key=lambda c: -c.score)
        return out

    @staticmethod
    def _extend_list(text: str, end: int, limit: int = 700) -> int:
        """An intro ending with ':' takes the list lines that follow it (same quote, still verbatim)."""
        pos = end
        while pos < len(text) and pos - end < limit:
            nl = text.find("\n", pos + 1)
            nxt = len(text) if nl == -1 else nl
            line = text[pos:nxt].strip()
            if not line:
                pos = nxt
                continue
            if pos > end and _HEADING.match(line) and not re.match(r"^\s*([a-zđ]\)|\d{1,2}\.|[-+])", line):
                break
            if nxt - end > limit:
                break
            pos = nxt
        return pos

    def select(
        self,
        cands: list[Candidate],
        intents: frozenset[str] = frozenset(),
        max_sentences: int = 4,
        ratio: float = 0.8,
        question: str = "",
        parts: Sequence[Part] = (),
        idf: Mapping[str, float] | None = None,
    ) -> list[Candidate]:
        """The best sentence (and a "Trong đó, …" sentence right after it); for a deadline/agency/amount/count
        question also the sentence of the same passage that carries the asked kind of fact; then close
        runners-up."""
        if not cands:
            return []
        best = cands[0]
        # the clause that holds the best sentence, when it scores about as well: "3. Công bố …:" and its
        # text, not one sentence cut out of it
        holders = [
            c
            for c in cands[1:40]
            if c.hit_index == best.hit_index
            and c.start <= best.start
            and c.end >= best.end
            and c.score >= 0.9 * best.score
            and len(c.text) <= 900
        ]
        if holders:
            best = max(holders, key=lambda c: c.score)
        chosen: list[Candidate] = [best]
        # "Trong đó, có 32 đơn vị …" right after the best sentence breaks it down: it goes with it
        follow = [
            c
            for c in cands
            if c.hit_index == best.hit_index and 0 <= c.start - best.end <= 3 and _CONTINUES.match(c.text)
        ]
        if follow:
            chosen.append(follow[0])

        def overlaps(c: Candidate) -> bool:
            return any(
                c.hit_index == x.hit_index and not (c.end <= x.start or c.start >= x.end) for x in chosen
            ) or any(c.text in x.text or x.text in c.text for x in chosen)

        agency_rx = _AGENCY_STRICT
        if question:
            plain_q = strip_diacritics(question)
            if "chu tri" in plain_q:
                agency_rx = re.compile(r"chủ trì", re.IGNORECASE)
            elif "phoi hop" in plain_q:
                agency_rx = re.compile(r"phối hợp", re.IGNORECASE)
        for intent, rx in (
            ("agency", agency_rx),
            ("deadline", _DATE),
            ("amount", _MONEY),
            ("count", _NUMBER),
        ):
            if intent not in intents or any(rx.search(x.text) for x in chosen):
                continue
            same = [
                c for c in cands if c.hit_index == best.hit_index and rx.search(c.text) and not overlaps(c)
            ]
            other = [
                c for c in cands[:12] if rx.search(c.text) and c.score >= 0.6 * best.score and not overlaps(c)
            ]
            pick = (same or other or [None])[0]
            if pick is not None and len(chosen) < max_sentences:
                chosen.append(pick)
        for c in cands[1:]:
            if len(chosen) >= max_sentences or c.score < best.score * ratio:
                break
            if not overlaps(c):
                chosen.append(c)
        # a part of the question that no chosen sentence speaks to gets the sentence that speaks to it best,
        # from the passages already quoted or the first three
        idf = idf or {}
        hits_used = {x.hit_index for x in chosen} | {0, 1, 2}

        def covers(part: Part, text: str) -> tuple[float, float]:
            return coverage(part.own, text, idf), coverage(part.terms, text, idf)

        for part in parts:
            if any(min(covers(part, x.text)) >= PART_COVERED for x in chosen):
                continue
            pick = best_for_part(
                part,
                [
                    c
                    for c in cands[:60]
                    if c.hit_index in hits_used and c.score >= PART_MIN_SCORE * best.score and not overlaps(c)
                ],
                idf,
            )
            if pick is not None:
                chosen.append(pick)
        # keep document order within a passage, passages in rank order
        chosen.sort(key=lambda c: (c.hit_index, c.start))
        return chosen


def whole_lines(
    chosen: Sequence[Candidate], texts: Sequence[str], back: int = 400, ahead: int = 300
) -> list[Candidate]:
    """Each chosen sentence quoted with the rest of its line — the list item or paragraph it was cut from —
    when that rest is short: "Trường hợp có thay đổi …, phải báo cáo ngay" says whose duty it is only with
    "6. Báo cáo kết quả đào tạo từng khóa …" before it. Never runs into another chosen quote."""
    out: list[Candidate] = []
    for c in chosen:
        text = texts[c.hit_index]
        a, b = c.start, c.end
        ls = text.rfind("\n", 0, a) + 1
        if text[ls:a].strip() and a - ls <= back:
            a = ls
        le = text.find("\n", b)
        le = len(text) if le == -1 else le
        if text[b:le].strip() and le - b <= ahead:
            b = le
        others = [x for x in chosen if x is not c and x.hit_index == c.hit_index]
        if any(not (b <= x.start or a >= x.end) for x in others):
            a, b = c.start, c.end
        while b > a and text[b - 1].isspace():
            b -= 1
        out.append(
            c if (a, b) == (c.start, c.end) else Candidate(c.hit_index, a, b, text[a:b], c.score, c.coverage)
        )
    return out


def _named_row(line: str, named: str) -> bool:
    """A table row ("25\tUBND Huyện Thuận Nam\t-\tX") whose name — its longest cell that is not a number — the
    question names, word for word (``named``: the question in ``_name_form``)."""
    name = _name_form(row_name(c.strip() for c in line.split("\t"))).strip()
    return len(name) >= 6 and f" {name} " in named


_UBND_SHORT = re.compile(r"\bubnd\b")


def _name_form(text: str) -> str:
    """Accent-free words between spaces, without the "(UBND)" an expanded question adds and with "UBND"
    written out, so that "Văn phòng UBND tỉnh" in a cell and in a question are the same words."""
    words = " ".join(TOKEN.findall(strip_diacritics(re.sub(r"\([^()]*\)", " ", text))))
    return f" {_UBND_SHORT.sub('uy ban nhan dan', words)} "


_REF_Q = re.compile(r"\b(phu luc|mau|dieu|chuong)\s+nao\b")
_REF_KINDS = {"phu luc": "phụ lục", "mau": "mẫu(?: số)?", "dieu": "điều", "chuong": "chương"}


def asks_reference(question: str) -> bool:
    """Whether a question asks which appendix, form, article or chapter ("theo phụ lục nào")."""
    return bool(_REF_Q.search(strip_diacritics(question)))


# a list item that states its case ("c) Đối với hồ sơ giấy:", "- Đối với cơ quan cấp huyện:")
_CASE = re.compile(r"(?m)^[ \t]*(?:[a-zđ]\)|\d{1,2}\.|[-+•])?[ \t]*Đối với ([^:\n]{3,80}):")


def _cases(text: str) -> list[tuple[int, frozenset[str]]]:
    """The case items of a passage: (line start, accent-free words of the case)."""
    return [
        (text.rfind("\n", 0, m.start(1)) + 1, frozenset(TOKEN.findall(strip_diacritics(m.group(1)))))
        for m in _CASE.finditer(text)
    ]


def _other_case(text: str, pos: int, cases: list[tuple[int, frozenset[str]]], qterms: set[str]) -> bool:
    """Whether the sentence at ``pos`` starts an item of one case while the question names only a sibling's:
    its own words (those the siblings do not share) are not asked, and a sibling's own words are."""
    line = text.rfind("\n", 0, pos) + 1 if pos else 0
    mine = next((words for start, words in cases if start == line), None)
    if mine is None or len(cases) < 2:
        return False
    others = [words for start, words in cases if start != line]
    own = mine - frozenset().union(*others)
    return bool(own) and not own & qterms and any((w - mine) & qterms for w in others)
