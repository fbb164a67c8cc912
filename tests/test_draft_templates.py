"""Draft templates render under StrictUndefined (full and minimal input) to valid block markup;
the markup parser and the Markdown writer behave as documented."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from jinja2 import UndefinedError

from assistant.domain.catalog import Catalog
from assistant.domain.models import CatalogEntry, Citation, DocStatus
from assistant.drafting.bases import build_bases
from assistant.drafting.citations import CitationBook, window
from assistant.drafting.context import base_context, section_words
from assistant.drafting.inputs import validate_input
from assistant.drafting.kinds import KINDS
from assistant.drafting.markdown_writer import render_markdown
from assistant.drafting.markup import MarkupError, parse, spans
from assistant.drafting.rewrite import acceptable
from assistant.drafting.service import make_environment

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = ROOT / "prompts" / "drafts"
SAMPLES = ROOT / "evals" / "samples" / "drafts"

COMMON = {
    "agency": "Ủy ban nhân dân xã Hòa Bình",
    "place": "Hòa Bình",
    "head_name": "Ngô Văn Khánh",
    "head_title": "Chủ tịch",
    "year": 2026,
}
MINIMAL = {
    "chinh-sach-chat-luong": {},
    "muc-tieu-chat-luong": {"objectives": ["Trả kết quả đúng hẹn"]},
    "quy-trinh-noi-bo": {"procedure_name": "Chứng thực bản sao", "steps": ["Tiếp nhận hồ sơ"]},
    "ke-hoach-htqlcl": {},
    "qd-ban-chi-dao": {"members": ["Ngô Văn Khánh"]},
    "ke-hoach-danh-gia-noi-bo": {"audit_time": "Tháng 10/2026", "auditors": ["Lý Thị Mai"]},
    "bao-cao-nam": {},
    "qd-cong-bo": {"scope_items": ["Thủ tục chứng thực"], "reannounce": True},
}


class NoEvidence:
    def find(self, doc_id: str, phrase: str) -> Citation | None:
        return Citation(
            n=0,
            doc_id=doc_id,
            chunk_id=f"{doc_id}#1",
            title=doc_id,
            number=None,
            section="Điều 4 > khoản 4 > điểm b",
            quote=f"… {phrase} …",
        )


CATALOG = Catalog(
    [
        CatalogEntry(
            id="qd-19-2014-qd-ttg",
            kind="quyết định",
            number="19/2014/QĐ-TTg",
            title="Quyết định về việc áp dụng",
            issuer="Thủ tướng Chính phủ",
            status=DocStatus.IN_FORCE,
        ),
        CatalogEntry(
            id="tt-26-2014-tt-bkhcn",
            kind="thông tư",
            number="26/2014/TT-BKHCN",
            title="Thông tư quy định chi tiết",
            issuer="Bộ Khoa học và Công nghệ",
            status=DocStatus.IN_FORCE,
        ),
    ]
)


def render(kind: str, fields: dict, drop: str | None = None) -> tuple[str, CitationBook]:
    kdef = KINDS[kind]
    inp = validate_input(kdef.model, fields)
    book = CitationBook(CATALOG, NoEvidence())
    bases, _ = build_bases(CATALOG, kdef.bases, list(inp.extra_bases))
    free = {"commitments": ["Cam kết A"], "purposes": ["Mục đích A"]}
    ctx = base_context(kdef, inp, bases, book, free, lambda: book.hole("thời hạn gửi báo cáo hằng năm"))
    if drop:
        ctx.pop(drop)
    return make_environment(TEMPLATES).get_template(kdef.template).render(**ctx), book


@pytest.mark.parametrize("kind", list(KINDS))
@pytest.mark.parametrize("variant", ["sample", "minimal"])
def test_template_renders_to_valid_markup(kind, variant):
    fields = (
        yaml.safe_load((SAMPLES / f"{kind}.yaml").read_text(encoding="utf-8"))
        if variant == "sample"
        else (COMMON | MINIMAL[kind])
    )
    text, book = render(kind, fields)
    assert "{{" not in text and "{%" not in text and "#}" not in text
    blocks = parse(text)  # raises MarkupError on an unknown directive
    kinds = [b.kind for b in blocks]
    assert kinds[0] == "header" and "title" in kinds
    assert blocks[0].header["issuer"] == fields["agency"]
    if kind != "quy-trinh-noi-bo":
        assert kinds.count("signature") == 1 and sum(b.kind == "basis" for b in blocks) == 2
    if variant == "minimal" and kind in ("quy-trinh-noi-bo", "bao-cao-nam"):
        assert book.placeholders and all(p in text for p in book.placeholders)
    for c in book.citations:
        assert f"[{c.n}]" in text


@pytest.mark.parametrize("kind", list(KINDS))
def test_missing_variable_fails_loudly(kind):
    with pytest.raises(UndefinedError):
        render(kind, COMMON | MINIMAL[kind], drop="hdr")


def test_rewrite_prompts_render():
    env = make_environment(TEMPLATES)
    assert "không thêm số liệu" in env.get_template("_rewrite_system.j2").render()
    user = env.get_template("_rewrite_user.j2").render(
        text="Câu A", kind_title="Chính sách", agency="UBND xã"
    )
    assert "Câu A" in user and "UBND xã" in user
    with pytest.raises(UndefinedError):
        env.get_template("_rewrite_user.j2").render(text="Câu A")


def test_parser_groups_tables_and_signature():
    blocks = parse(
        "::issuer SỞ A\n::placedate A, ngày … tháng … năm 2026\n::title KẾ HOẠCH\n# I. MỤC ĐÍCH\n"
        "::widths 1,3\n| STT | Nội dung |\n| 1 | **Việc** a |\n::plain\n| x | y |\n- một\n+ hai\nĐoạn văn\n"
        "::sign TM. ỦY BAN NHÂN DÂN\n::sign CHỦ TỊCH\n::signname Ngô Văn Khánh\n::recipient - Như trên;\n"
    )
    assert [b.kind for b in blocks] == [
        "header",
        "title",
        "h1",
        "table",
        "table",
        "bullet",
        "subbullet",
        "para",
        "signature",
    ]
    first, second = blocks[3], blocks[4]
    assert first.widths == [1.0, 3.0] and first.has_header and first.rows[1] == ["1", "**Việc** a"]
    assert not second.has_header and second.widths == []
    assert blocks[-1].sign == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"] and blocks[-1].recipients == ["- Như trên;"]
    assert spans("a **b** c") == [("a ", False), ("b", True), (" c", False)]
    with pytest.raises(MarkupError):
        parse("::unknown x")


def test_markdown_preview_shows_every_part():
    md = render_markdown(
        parse(
            "::parent UBND TỈNH A\n::issuer SỞ B\n::number Số: …/KH-SB\n::placedate A, ngày … tháng … năm 2026\n"
            "::title kế hoạch\n::subject Về việc X\n::basis Căn cứ Y;\n- một\nĐoạn\n| a | b |\n| 1 | 2 |\n"
            "::sign GIÁM ĐỐC\n::signname Lê C\n::recipient - Lưu: VT.\n::sources NGUỒN\n::source [1] Z\n"
        )
    )
    for piece in (
        "**SỞ B**",
        "Số: …/KH-SB",
        "*A, ngày … tháng … năm 2026*",
        "## KẾ HOẠCH",
        "*Căn cứ Y;*",
        "- một\n\nĐoạn",
        "| a | b |\n|---|---|\n| 1 | 2 |",
        "**GIÁM ĐỐC**",
        "**Lê C**",
        "- Lưu: VT.",
        "[1] Z",
    ):
        assert piece in md, piece
    assert "::" not in md


def test_helpers():
    assert section_words("Điều 4 > khoản 4 > điểm b") == "điểm b khoản 4 Điều 4"
    assert section_words("II > 3 > a") == "mục II.3.a"
    assert section_words("") == "phần mở đầu"
    long = "Mở đầu " * 80 + "đánh giá nội bộ tối thiểu một năm một lần" + " kết thúc" * 80
    short = window(long, "đánh giá nội bộ tối thiểu một năm một lần")
    assert "đánh giá nội bộ tối thiểu một năm một lần" in short and short in long and len(short) <= 320
    assert acceptable("Phục vụ tận tâm", "Phục vụ người dân tận tâm")
    assert not acceptable("Phục vụ tận tâm", "Phục vụ 100% tận tâm")
    assert not acceptable("Phục vụ tận tâm", "Theo QĐ 19/2014 phục vụ")
    assert not acceptable("Phục vụ tận tâm", "[1] Phục vụ tận tâm")
