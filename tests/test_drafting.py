"""Drafting: every kind from its sample input as a Word file in NĐ 30/2020 format, with current bases,
cited obligations, visible placeholders, Vietnamese validation errors and the optional LLM polish."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import docx
import pytest
import yaml
from docx.oxml.ns import qn
from docx.shared import Mm

from assistant.adapters.catalog_yaml import load_catalog
from assistant.domain.errors import InvalidInputError
from assistant.domain.models import Citation, Deadline, Draft, Fact
from assistant.domain.vntext import nfc
from assistant.drafting import KINDS, Drafter

ROOT = Path(__file__).resolve().parents[1]
LEGAL = ROOT.parent / "shared" / "corpus" / "legal"
SAMPLES = ROOT / "evals" / "samples" / "drafts"
TEMPLATES = ROOT / "prompts" / "drafts"

KIND_NAMES = [
    "chinh-sach-chat-luong",
    "muc-tieu-chat-luong",
    "quy-trinh-noi-bo",
    "ke-hoach-htqlcl",
    "qd-ban-chi-dao",
    "ke-hoach-danh-gia-noi-bo",
    "bao-cao-nam",
    "qd-cong-bo",
]


# --------------------------------------------------------------------------- fakes over the real corpus


class CorpusEvidence:
    """EvidenceLookup over the real legal .txt files: the line holding the phrase, with its section path."""

    def __init__(self, folder: Path = LEGAL) -> None:
        self.texts = {p.stem: nfc(p.read_text(encoding="utf-8")) for p in folder.glob("*.txt")}
        self.calls: list[tuple[str, str]] = []

    def find(self, doc_id: str, phrase: str) -> Citation | None:
        self.calls.append((doc_id, phrase))
        text = self.texts.get(doc_id)
        if text is None:
            return None
        article = clause = point = ""
        for line in text.splitlines():
            s = line.strip()
            if m := re.match(r"Điều (\d+)\.", s):
                article, clause, point = f"Điều {m.group(1)}", "", ""
            elif article and (m := re.match(r"(\d+)\.\s", s)):
                clause, point = f"khoản {m.group(1)}", ""
            elif article and (m := re.match(r"([a-zđ])\)\s", s)):
                point = f"điểm {m.group(1)}"
            if phrase.lower() in s.lower():
                section = " > ".join(x for x in (article, clause, point) if x)
                return Citation(
                    n=99,
                    doc_id=doc_id,
                    chunk_id=f"{doc_id}#{section}",
                    title=doc_id,
                    number=None,
                    section=section,
                    quote=s,
                )
        return None


class FakeDeadlines:
    """DeadlineSource with one yearly report deadline quoted from the Hà Tĩnh plan shape."""

    def __init__(self, facts: list[Fact]) -> None:
        self.facts = facts
        self.asked: list[str | None] = []

    def deadlines(self, province: str | None) -> list[Fact]:
        self.asked.append(province)
        return [f for f in self.facts if province is None or f.province == province]


class FakeChatModel:
    """Queued replies (an Exception instance is raised instead of returned)."""

    def __init__(self, replies: list[object]) -> None:
        self.replies = list(replies)
        self.prompts: list[tuple[str, str]] = []

    def complete(self, system: str, user: str) -> str:
        self.prompts.append((system, user))
        reply = self.replies.pop(0) if self.replies else "x"
        if isinstance(reply, Exception):
            raise reply
        return str(reply)

    def stream(self, system: str, user: str) -> Iterator[str]:
        yield self.complete(system, user)


# --------------------------------------------------------------------------- fixtures and helpers


@pytest.fixture(scope="module")
def catalog():
    return load_catalog(ROOT / "knowledge" / "catalog.yaml")


@pytest.fixture(scope="module")
def drafter(catalog) -> Drafter:
    return Drafter(catalog, CorpusEvidence(), None, TEMPLATES)


def sample(kind: str) -> dict:
    return yaml.safe_load((SAMPLES / f"{kind}.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def drafts(drafter) -> dict[str, Draft]:
    return {k: drafter.draft(k, sample(k)) for k in KIND_NAMES}


def open_docx(draft: Draft):
    return docx.Document(io.BytesIO(draft.docx))


def all_paragraphs(document) -> list:
    out = list(document.paragraphs)

    def walk(tables):
        for t in tables:
            for row in t.rows:
                for cell in row.cells:
                    out.extend(cell.paragraphs)
                    walk(cell.tables)

    walk(document.tables)
    for section in document.sections:
        out.extend(section.header.paragraphs)
    return out


def full_text(document) -> str:
    return "\n".join(p.text for p in all_paragraphs(document))


def basis_lines(document) -> list[str]:
    return [p.text for p in document.paragraphs if p.text.startswith("Căn cứ ")]


# --------------------------------------------------------------------------- the kinds


def test_kinds_are_exactly_the_eight(drafter):
    assert [s.kind for s in drafter.kinds()] == KIND_NAMES
    assert list(KINDS) == KIND_NAMES


def test_kind_specs_expose_vietnamese_labels_required_flags_and_defaults(drafter):
    spec = next(s for s in drafter.kinds() if s.kind == "quy-trinh-noi-bo")
    fields = {f.name: f for f in spec.fields}
    assert fields["agency"].label == "Tên cơ quan" and fields["agency"].required
    assert fields["steps"].type == "steps" and fields["steps"].required
    assert "Trách nhiệm (responsible)" in fields["steps"].help
    assert fields["issue_no"].default == 1 and not fields["issue_no"].required
    assert fields["issue_date"].type == "date"
    assert fields["documents"].type == "list"
    members = {f.name: f for f in next(s for s in drafter.kinds() if s.kind == "qd-ban-chi-dao").fields}[
        "members"
    ]
    assert members.required and "Họ tên (name)" in members.help


@pytest.mark.parametrize("kind", KIND_NAMES)
def test_sample_draft_is_an_nd30_word_file(drafts, kind):
    draft = drafts[kind]
    document = open_docx(draft)
    section = document.sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(0.5) and abs(section.page_height - Mm(297)) < Mm(0.5)
    assert Mm(20) <= section.top_margin <= Mm(25) and Mm(20) <= section.bottom_margin <= Mm(25)
    assert Mm(30) <= section.left_margin <= Mm(35) and Mm(15) <= section.right_margin <= Mm(20)

    # Times New Roman in every slot of the default style and on every run with text
    rfonts = document.styles["Normal"].element.rPr.find(qn("w:rFonts"))
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        assert rfonts.get(qn(slot)) == "Times New Roman"
    runs = [r for p in all_paragraphs(document) for r in p.runs if r.text.strip()]
    assert runs and all(r.font.name == "Times New Roman" for r in runs)
    assert all(r._element.rPr.rFonts.get(qn("w:eastAsia")) == "Times New Roman" for r in runs)

    # two-column header table: issuing body left, Quốc hiệu / Tiêu ngữ right
    header = document.tables[0]
    left, right = header.cell(0, 0).text, header.cell(0, 1).text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in right and "Độc lập - Tự do - Hạnh phúc" in right
    assert nfc(sample(kind)["agency"]).upper() in left
    assert "ngày … tháng … năm 2026" in header.cell(1, 1).text
    quoc_hieu = header.cell(0, 1).paragraphs[0].runs[0]
    assert quoc_hieu.bold and 12 <= quoc_hieu.font.size.pt <= 13

    text = full_text(document)
    for leftover in ("{{", "{%", "::", "**", "<br>"):
        assert leftover not in text, leftover
    assert text == nfc(text)
    assert draft.file_name == f"{kind}-2026.docx" and draft.file_name.isascii()
    assert "::" not in draft.markdown and "{{" not in draft.markdown


@pytest.mark.parametrize("kind", KIND_NAMES)
def test_bases_are_current_and_from_the_catalog(drafts, kind):
    document = open_docx(drafts[kind])
    if kind == "quy-trinh-noi-bo":  # the procedure lists them under "3. Tài liệu viện dẫn"
        lines = [p.text for p in document.paragraphs if p.text.startswith("- ") and "/" in p.text]
    else:
        lines = basis_lines(document)
        assert lines and all(p.endswith(";") for p in lines[:-1]) and lines[-1].endswith(".")
        italic = [p for p in document.paragraphs if p.text.startswith("Căn cứ ")]
        assert all(r.italic for p in italic for r in p.runs if r.text.strip())
    joined = "\n".join(lines)
    assert "19/2014/QĐ-TTg ngày 05 tháng 3 năm 2014 của Thủ tướng Chính phủ" in joined
    assert "26/2014/TT-BKHCN" in joined
    if "qd101" in KINDS[kind].bases:
        assert "101/QĐ-BKHCN" in joined
    assert ("116/2015/TT-BTC" in joined) == (kind == "ke-hoach-htqlcl")
    assert "144/2006" not in joined


@pytest.mark.parametrize("kind", KIND_NAMES)
def test_every_citation_is_numbered_listed_and_verbatim(drafts, kind):
    draft = drafts[kind]
    document = open_docx(draft)
    corpus = CorpusEvidence().texts
    start = next(i for i, p in enumerate(document.paragraphs) if p.text.startswith("NGUỒN TRÍCH DẪN"))
    sources = "\n".join(p.text for p in document.paragraphs[start:])
    body = full_text(document).replace(sources, "")
    used = {int(n) for n in re.findall(r"\[(\d+)\]", body)}
    assert used == {c.n for c in draft.citations}
    assert [c.n for c in draft.citations] == list(range(1, len(draft.citations) + 1))
    for c in draft.citations:
        assert c.quote in corpus[c.doc_id]  # verbatim span of the real text
        assert f"[{c.n}]" in sources
    assert "Phụ lục I Nghị định 30/2020/NĐ-CP" in sources
    for p in draft.placeholders:
        assert p in body and p.startswith("[… cán bộ điền:")


def test_obligations_cite_the_article_that_states_them(drafts):
    draft = drafts["qd-cong-bo"]
    by_section = {c.section: c for c in draft.citations}
    assert "Điều 4 > khoản 4 > điểm b" in by_section  # internal audit + management review yearly
    assert "tối thiểu một năm một lần" in by_section["Điều 4 > khoản 4 > điểm b"].quote
    assert "Điều 4 > khoản 4 > điểm a" in by_section  # update within three months
    assert "ba tháng" in by_section["Điều 4 > khoản 4 > điểm a"].quote
    assert all(c.doc_id == "qd-19-2014-qd-ttg" for c in draft.citations)
    text = full_text(open_docx(draft))
    assert "[1] Quyết định 19/2014/QĐ-TTg, " in text


def test_procedure_has_cover_change_log_seven_sections_and_step_table(drafts):
    document = open_docx(drafts["quy-trinh-noi-bo"])
    text = full_text(document)
    for label in (
        "Mã hiệu: QT-05",
        "Lần ban hành: 01",
        "Ngày ban hành: 15/01/2026",
        "Người soạn thảo",
        "Người xem xét",
        "Người phê duyệt",
        "SỬA ĐỔI TÀI LIỆU",
    ):
        assert label in text, label
    headings = [p.text for p in document.paragraphs if re.match(r"^\d\. [A-ZĐ]", p.text)]
    assert headings == [
        "1. MỤC ĐÍCH",
        "2. PHẠM VI",
        "3. TÀI LIỆU VIỆN DẪN",
        "4. ĐỊNH NGHĨA, VIẾT TẮT",
        "5. NỘI DUNG QUY TRÌNH",
        "6. BIỂU MẪU",
        "7. HỒ SƠ CẦN LƯU",
    ]
    for sub in (
        "Cơ sở pháp lý",
        "Yêu cầu, điều kiện",
        "Thành phần hồ sơ",
        "Số lượng hồ sơ",
        "Thời gian xử lý",
        "Nơi tiếp nhận và trả kết quả",
        "Lệ phí",
    ):
        assert any(p.text.startswith("5.") and sub in p.text for p in document.paragraphs), sub
    step_table = next(t for t in document.tables if t.cell(0, 0).text == "Bước")
    assert [c.text for c in step_table.rows[0].cells] == [
        "Bước",
        "Nội dung",
        "Trách nhiệm",
        "Thời gian",
        "Biểu mẫu/Kết quả",
    ]
    assert len(step_table.rows) == 1 + 5
    assert step_table.rows[5].cells[2].text == "Công chức Bộ phận Một cửa"  # the "a | b | c" row form
    change_log = next(t for t in document.tables if t.cell(0, 0).text == "Yêu cầu sửa đổi/bổ sung")
    assert len(change_log.columns) == 4
    # forms listed from the steps: "BM-01 – Giấy tiếp nhận…" split into code and name
    forms = next(t for t in document.tables if t.cell(0, 1).text == "Mã hiệu")
    assert forms.cell(1, 1).text == "BM-01"
    assert "[… cán bộ điền: lệ phí …]" in drafts["quy-trinh-noi-bo"].placeholders


def test_layout_details_per_phu_luc_i(drafts):
    document = open_docx(drafts["ke-hoach-htqlcl"])
    paragraphs = document.paragraphs
    title = next(p for p in paragraphs if p.text == "KẾ HOẠCH")
    assert title.runs[0].bold and title.runs[0].font.size.pt in (13, 14)
    header = document.tables[0]
    number = header.cell(1, 0).paragraphs[0]
    assert number.text == "Số: …/KH-UBND" and number.runs[0].font.size.pt == 13
    place = header.cell(1, 1).paragraphs[0]
    assert place.runs[0].italic and place.text.startswith("Tân Phú, ngày")
    motto = header.cell(0, 1).paragraphs[1].runs[0]
    assert motto.bold and motto.underline and motto.font.size.pt in (13, 14)
    signature = document.tables[-1]
    label = signature.cell(0, 0).paragraphs[0].runs[0]
    assert label.text == "Nơi nhận:" and label.bold and label.italic and label.font.size.pt == 12
    assert signature.cell(0, 0).paragraphs[1].runs[0].font.size.pt == 11
    assert signature.cell(0, 0).paragraphs[-1].text == "- Lưu: VT, UBND."
    sign = [p.text for p in signature.cell(0, 1).paragraphs if p.text]
    assert sign == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Nguyễn Văn An"]
    # page number in the header, not on the first page
    section = document.sections[0]
    assert section.different_first_page_header_footer
    assert "PAGE" in section.header._element.xml


def test_report_deadline_comes_from_the_deadline_source_with_citation(catalog):
    fact = Fact(
        fact_id="f1",
        kind="deadline",
        doc_id="kh-310-2022-ha-tinh",
        chunk_id="kh-310#IV>2",
        section="IV > 2",
        quote="Báo cáo kết quả thực hiện về Sở Khoa học và Công nghệ trước ngày 15/11 hàng năm",
        province="Hà Tĩnh",
        task="Báo cáo kết quả áp dụng hệ thống quản lý chất lượng",
        deadline=Deadline(raw="trước ngày 15/11 hàng năm", kind="yearly", day=15, month=11),
    )
    source = FakeDeadlines([fact])
    fields = sample("bao-cao-nam") | {
        "province": "Hà Tĩnh",
        "place": "Hà Tĩnh",
        "parent_agency": "UBND tỉnh Hà Tĩnh",
    }
    draft = Drafter(catalog, CorpusEvidence(), source, TEMPLATES).draft("bao-cao-nam", fields)
    assert source.asked == ["Hà Tĩnh"]
    cited = next(c for c in draft.citations if c.doc_id == "kh-310-2022-ha-tinh")
    assert cited.quote == fact.quote and cited.number == "310/KH-UBND"
    text = full_text(open_docx(draft))
    assert f"Thời hạn gửi báo cáo: trước ngày 15/11 hàng năm [{cited.n}]" in text
    assert not any("thời hạn" in p for p in draft.placeholders)


def test_without_a_deadline_source_the_gap_is_visible_and_listed(drafts):
    draft = drafts["bao-cao-nam"]
    gap = "[… cán bộ điền: thời hạn gửi báo cáo hằng năm …]"
    assert gap in draft.placeholders
    assert gap in full_text(open_docx(draft))
    assert gap not in drafts["qd-cong-bo"].placeholders  # only kinds that print it list it


def test_without_evidence_obligations_get_placeholders_not_citations(catalog):
    draft = Drafter(catalog, None, None, TEMPLATES).draft(
        "chinh-sach-chat-luong", sample("chinh-sach-chat-luong")
    )
    assert draft.citations == ()
    assert "[… cán bộ điền: căn cứ đánh giá nội bộ, xem xét của lãnh đạo hằng năm …]" in draft.placeholders
    assert not re.search(r"\[\d+\]", full_text(open_docx(draft)))


def test_superseded_basis_is_replaced_by_its_successor_with_a_warning(catalog):
    fields = sample("chinh-sach-chat-luong") | {
        "extra_bases": [
            "Quyết định số 144/2006/QĐ-TTg ngày 20/6/2006 của Thủ tướng Chính phủ",
            "Thông tư 159/2010/TT-BTC",
        ],
    }
    draft = Drafter(catalog, CorpusEvidence(), None, TEMPLATES).draft("chinh-sach-chat-luong", fields)
    lines = basis_lines(open_docx(draft))
    joined = "\n".join(lines)
    assert "144/2006" not in joined and "159/2010" not in joined
    assert joined.count("19/2014/QĐ-TTg ngày") == 1  # the successor is already a basis: not twice
    assert "Căn cứ Thông tư số 116/2015/TT-BTC ngày 11 tháng 8 năm 2015 của Bộ Tài chính" in joined
    messages = {w.code: w.message for w in draft.warnings if w.doc_id == "qd-144-2006-qd-ttg"}
    assert "144/2006/QĐ-TTg" in messages["basis_replaced"] and "19/2014/QĐ-TTg" in messages["basis_replaced"]
    assert any(w.doc_id == "tt-159-2010-tt-btc" and "116/2015/TT-BTC" in w.message for w in draft.warnings)


def test_officer_basis_unknown_to_the_catalog_is_kept_as_written(drafter):
    fields = sample("qd-ban-chi-dao") | {
        "extra_bases": [
            "Quyết định số 12/QĐ-UBND ngày 02/01/2026 của UBND tỉnh Nghệ An quy định chức năng, nhiệm vụ"
        ]
    }
    lines = basis_lines(open_docx(drafter.draft("qd-ban-chi-dao", fields)))
    assert (
        lines[-1]
        == "Căn cứ Quyết định số 12/QĐ-UBND ngày 02/01/2026 của UBND tỉnh Nghệ An quy định chức năng, nhiệm vụ."
    )


# --------------------------------------------------------------------------- validation


def test_missing_fields_are_listed_in_one_vietnamese_message(drafter):
    with pytest.raises(InvalidInputError) as err:
        drafter.draft("quy-trinh-noi-bo", {"place": "Tân Phú", "year": "năm nay"})
    msg = err.value.message
    assert msg.startswith("Thiếu trường bắt buộc: ")
    for label in (
        "Tên cơ quan (agency)",
        "Họ tên người đứng đầu (head_name)",
        "Chức vụ người đứng đầu (head_title)",
        "Tên quy trình (procedure_name)",
        "Các bước thực hiện (steps)",
    ):
        assert label in msg
    assert "Năm (year) phải là số nguyên" in msg
    assert "place" not in msg


def test_nested_and_unknown_fields_are_named(drafter):
    fields = sample("quy-trinh-noi-bo") | {
        "steps": [{"content": "Tiếp nhận"}, {"responsible": "Văn thư"}],
        "issue_date": "31/02/2026",
        "colour": "đỏ",
        "agency": "   ",
    }
    with pytest.raises(InvalidInputError) as err:
        drafter.draft("quy-trinh-noi-bo", fields)
    msg = err.value.message
    assert "Các bước thực hiện (steps) › mục 2 › Nội dung (content)" in msg
    assert "Thiếu trường bắt buộc: Tên cơ quan (agency)" in msg
    assert "Ngày ban hành (issue_date): ngày không tồn tại" in msg
    assert "Trường không được hỗ trợ: colour" in msg


def test_deputy_signature_needs_the_signer(drafter):
    with pytest.raises(InvalidInputError, match="khi ký thay \\(KT.\\) cần Họ tên người ký"):
        drafter.draft("ke-hoach-htqlcl", sample("ke-hoach-htqlcl") | {"sign_as": "KT."})
    draft = drafter.draft(
        "ke-hoach-htqlcl",
        sample("ke-hoach-htqlcl")
        | {"sign_as": "KT.", "signer_name": "Lê Thị Hà", "signer_title": "Phó Chủ tịch"},
    )
    sign = [p.text for p in open_docx(draft).tables[-1].cell(0, 1).paragraphs if p.text]
    assert sign == ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Lê Thị Hà"]


def test_unknown_kind_lists_the_kinds(drafter):
    with pytest.raises(InvalidInputError) as err:
        drafter.draft("chinh-sach", {})
    assert "Không có loại dự thảo 'chinh-sach'" in err.value.message
    assert all(k in err.value.message for k in KIND_NAMES)


def test_multiline_text_and_row_lines_are_accepted(drafter):
    fields = sample("qd-ban-chi-dao") | {
        "members": "Hoàng Văn Em | Giám đốc Sở | Trưởng ban\nTrần Thị Hoa | Chuyên viên | Thư ký"
    }
    text = full_text(open_docx(drafter.draft("qd-ban-chi-dao", fields)))
    assert "1. Ông/Bà Hoàng Văn Em, Giám đốc Sở – Trưởng ban;" in text
    assert "2. Ông/Bà Trần Thị Hoa, Chuyên viên – Thư ký." in text


def test_markup_in_user_text_cannot_inject_blocks(drafter):
    fields = sample("chinh-sach-chat-luong") | {
        "commitments": ["::pagebreak", "# Tiêu đề giả | ô", "Phục vụ tận tâm"]
    }
    draft = drafter.draft("chinh-sach-chat-luong", fields)
    text = full_text(open_docx(draft))
    assert "- pagebreak;" in text.replace(":", "") and "- Tiêu đề giả / ô;" in text


def test_restructured_units_are_warned_about(drafter):
    fields = sample("ke-hoach-htqlcl") | {
        "agency": "Ủy ban nhân dân huyện Tân Phú",
        "parent_agency": "UBND tỉnh Tiền Giang",
    }
    codes = {w.code for w in drafter.draft("ke-hoach-htqlcl", fields).warnings}
    assert {"district_abolished", "merged_province"} <= codes


# --------------------------------------------------------------------------- LLM polish


def test_llm_rewords_free_text_but_never_bases_or_citations(catalog, drafts):
    n = len(sample("chinh-sach-chat-luong").get("commitments", [])) or 4
    llm = FakeChatModel(["Phục vụ người dân tận tâm, chuyên nghiệp, đúng pháp luật"] * n)
    draft = Drafter(catalog, CorpusEvidence(), None, TEMPLATES, llm=llm).draft(
        "chinh-sach-chat-luong", sample("chinh-sach-chat-luong")
    )
    text = full_text(open_docx(draft))
    assert "- Phục vụ người dân tận tâm, chuyên nghiệp, đúng pháp luật;" in text
    assert len(llm.prompts) == n and "không thêm số liệu" in llm.prompts[0][0]
    assert basis_lines(open_docx(draft)) == basis_lines(open_docx(drafts["chinh-sach-chat-luong"]))
    assert draft.citations == drafts["chinh-sach-chat-luong"].citations
    assert not draft.warnings


def test_llm_reply_that_adds_numbers_is_rejected(catalog, drafts):
    llm = FakeChatModel(["Giải quyết 100% hồ sơ đúng hạn theo Quyết định 19/2014/QĐ-TTg"] * 10)
    draft = Drafter(catalog, CorpusEvidence(), None, TEMPLATES, llm=llm).draft(
        "chinh-sach-chat-luong", sample("chinh-sach-chat-luong")
    )
    assert full_text(open_docx(draft)) == full_text(open_docx(drafts["chinh-sach-chat-luong"]))
    assert [w.code for w in draft.warnings] == ["llm_rejected"]


def test_llm_failure_keeps_template_text(catalog, drafts):
    llm = FakeChatModel([TimeoutError("hết thời gian chờ")] * 10)
    draft = Drafter(catalog, CorpusEvidence(), None, TEMPLATES, llm=llm).draft(
        "chinh-sach-chat-luong", sample("chinh-sach-chat-luong")
    )
    assert full_text(open_docx(draft)) == full_text(open_docx(drafts["chinh-sach-chat-luong"]))
    assert [w.code for w in draft.warnings] == ["llm_unavailable"]


# --------------------------------------------------------------------------- PDF and CLI


@pytest.mark.skipif(
    shutil.which("soffice") is None, reason="LibreOffice (soffice) không có trên máy: bỏ qua chuyển PDF"
)
def test_procedure_converts_to_pdf(drafts, tmp_path):
    path = tmp_path / "quy-trinh-noi-bo-2026.docx"
    path.write_bytes(drafts["quy-trinh-noi-bo"].docx)
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(path),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    from pypdf import PdfReader

    reader = PdfReader(tmp_path / "quy-trinh-noi-bo-2026.pdf")
    assert len(reader.pages) >= 3  # cover, change log + sections, step table, sources
    first = reader.pages[0]
    assert abs(float(first.mediabox.width) - 595.3) < 2 and abs(float(first.mediabox.height) - 841.9) < 2
    text = " ".join(page.extract_text() for page in reader.pages)
    for token in ("QT-05", "BM-01", "19/2014/QĐ-TTg", "ISO 9001:2015"):  # pypdf garbles stacked diacritics
        assert token in text


class _DraftOnly:
    def __init__(self, drafter: Drafter) -> None:
        self._drafter = drafter

    def draft(self, kind, fields):
        return self._drafter.draft(kind, fields)


def test_cli_writes_docx_and_markdown(drafter, tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from assistant.cli import app
    from assistant.cli import draft as draft_cli

    monkeypatch.setattr(draft_cli, "assistant_from", lambda settings: _DraftOnly(drafter))
    out, md = tmp_path / "qt.docx", tmp_path / "qt.md"
    result = CliRunner().invoke(
        app,
        [
            "draft",
            "quy-trinh-noi-bo",
            "--input",
            str(SAMPLES / "quy-trinh-noi-bo.yaml"),
            "--out",
            str(out),
            "--markdown",
            str(md),
            "--store",
            str(tmp_path),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "Đã ghi dự thảo" in result.output and "[… cán bộ điền: lệ phí …]" in result.output
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in full_text(docx.Document(str(out)))
    assert "## QUY TRÌNH" in md.read_text(encoding="utf-8")

    bad = tmp_path / "bad.yaml"
    bad.write_text("place: Tân Phú\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["draft", "qd-cong-bo", "--input", str(bad), "--out", str(out)])
    assert result.exit_code == 1 and "Thiếu trường bắt buộc" in result.output


def test_cli_lists_kinds_and_shows_kind_fields():
    from typer.testing import CliRunner

    from assistant.cli import app

    listing = CliRunner().invoke(app, ["draft", "--list"])
    assert listing.exit_code == 0
    assert all(k[:20] in listing.output for k in KIND_NAMES)
    help_text = CliRunner().invoke(app, ["draft", "qd-ban-chi-dao", "--help"], terminal_width=200)
    assert help_text.exit_code == 0
    assert "members — Thành viên Ban chỉ đạo (bắt buộc" in help_text.output
    assert "--input" in help_text.output and "--markdown" in help_text.output
