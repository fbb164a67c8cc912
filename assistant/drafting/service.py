"""Soạn thảo văn bản ISO: the ``Drafter`` use case (validated input → cited, current draft → .docx + Markdown)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateError

from ..domain.catalog import Catalog
from ..domain.errors import ConfigError, InvalidInputError
from ..domain.models import CurrencyWarning, Draft, DraftKindSpec
from ..domain.ports import ChatModel
from .bases import build_bases
from .citations import CitationBook, report_deadline
from .context import base_context, restructuring_warnings, source_lines
from .docx_writer import render_docx
from .inputs import DraftInput, validate_input
from .kinds import KINDS, KindDef
from .markdown_writer import render_markdown
from .markup import parse
from .ports import DeadlineSource, EvidenceLookup
from .rewrite import Rewriter

DEFAULT_PURPOSES = [
    "Xây dựng, áp dụng, duy trì và cải tiến Hệ thống quản lý chất lượng phù hợp Tiêu chuẩn quốc gia "
    "TCVN ISO 9001:2015 vào hoạt động của cơ quan",
    "Nâng cao chất lượng, hiệu quả giải quyết thủ tục hành chính, bảo đảm công khai, minh bạch, đúng hẹn",
    "Xác định rõ trách nhiệm của từng bộ phận, cán bộ, công chức trong việc triển khai Hệ thống quản lý chất lượng",
]


def make_environment(templates_dir: Path) -> Environment:
    """Jinja2 for draft templates: ``StrictUndefined`` (a missing variable fails loudly), no autoescape."""
    return Environment(
        loader=FileSystemLoader(str(templates_dir)),
        undefined=StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def _free_parts(kdef: KindDef, inp: DraftInput) -> dict[str, Any]:
    parts: dict[str, Any] = {}
    if "commitments" in kdef.llm_parts:
        parts["commitments"] = list(inp.commitments)  # type: ignore[attr-defined]
    if "purposes" in kdef.llm_parts:
        parts["purposes"] = list(DEFAULT_PURPOSES)
    return parts


class Drafter:
    """Builds drafts of the eight ISO document kinds from templates, the catalog and the knowledge base."""

    def __init__(
        self,
        catalog: Catalog,
        evidence: EvidenceLookup | None,
        deadlines: DeadlineSource | None,
        templates_dir: Path,
        llm: ChatModel | None = None,
    ) -> None:
        if not Path(templates_dir).is_dir():
            raise ConfigError(
                f"Không tìm thấy thư mục mẫu dự thảo: {templates_dir}. Kiểm tra cấu hình prompts_dir."
            )
        self._catalog = catalog
        self._evidence = evidence
        self._deadlines = deadlines
        self._env = make_environment(Path(templates_dir))
        self._rewriter = Rewriter(llm, self._env) if llm is not None else None

    def kinds(self) -> list[DraftKindSpec]:
        return [k.spec() for k in KINDS.values()]

    def kind(self, kind: str) -> KindDef:
        kdef = KINDS.get((kind or "").strip())
        if kdef is None:
            raise InvalidInputError(
                f"Không có loại dự thảo '{kind}'. Các loại có thể soạn: {', '.join(KINDS)}."
            )
        return kdef

    def draft(self, kind: str, fields: dict[str, Any]) -> Draft:
        """Raises ``InvalidInputError`` (Vietnamese, every problem listed) for an unknown kind or bad fields."""
        kdef = self.kind(kind)
        inp = validate_input(kdef.model, fields)
        book = CitationBook(self._catalog, self._evidence)
        bases, warnings = build_bases(self._catalog, kdef.bases, list(inp.extra_bases))
        warnings += restructuring_warnings(inp)

        free = _free_parts(kdef, inp)
        if self._rewriter is not None and free:
            free, llm_warnings = self._rewriter.rewrite(free, kdef.title, inp.agency)
            warnings += llm_warnings

        province = inp.province or self._catalog.find_province(inp.place) or None

        def deadline() -> str:
            fact = report_deadline(self._deadlines, province)
            if fact is None or fact.deadline is None:
                return book.hole("thời hạn gửi báo cáo hằng năm")
            return fact.deadline.raw + book.cite_fact(fact)

        ctx = base_context(kdef, inp, bases, book, free, deadline)
        try:
            text = self._env.get_template(kdef.template).render(**ctx)
        except TemplateError as exc:
            raise ConfigError(f"Mẫu dự thảo '{kdef.template}' bị lỗi: {exc}. Báo cho quản trị viên.") from exc
        text += "\n" + "\n".join(source_lines(self._catalog, book.citations, bases, book.placeholders)) + "\n"
        blocks = parse(text)
        title = f"{kdef.title} – {inp.agency}"
        return Draft(
            kind=kdef.kind,
            title=title,
            file_name=f"{kdef.kind}-{inp.year}.docx",
            docx=render_docx(blocks, title, inp.agency),
            markdown=render_markdown(blocks),
            citations=tuple(book.citations),
            placeholders=tuple(book.placeholders),
            warnings=tuple(_dedupe(warnings)),
        )


def _dedupe(warnings: list[CurrencyWarning]) -> list[CurrencyWarning]:
    seen: set[str] = set()
    out = []
    for w in warnings:
        if w.message not in seen:
            seen.add(w.message)
            out.append(w)
    return out
