"""The document catalog (knowledge/catalog.yaml), its YAML loader, and document-number parsing."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from pathlib import Path

import pytest

from assistant.adapters.catalog_yaml import RESTRUCTURING_CODES, load_catalog
from assistant.domain.catalog import Catalog
from assistant.domain.errors import ConfigError
from assistant.domain.models import DocStatus
from assistant.domain.vntext import fold, parse_doc_numbers

REPO = Path(__file__).resolve().parents[1]
CATALOG_PATH = REPO / "knowledge" / "catalog.yaml"
DOCUMENTS = REPO / "knowledge" / "documents"
LEGAL = REPO.parent / "shared" / "corpus" / "legal"

# Document ids of the held files (project contract).
HELD = {
    "000_a5180ff903824546.txt": "kh-dong-nai-2019",
    "001_e90ca5f9138f3124.txt": "qd-37-2012-nghe-an",
    "002_4d03c45630b33bb7.txt": "kh-ninh-thuan-2022",
    "003_b3603c36b7cc60a7.txt": "kh-310-2022-ha-tinh",
    "004_992f1e8524a3d073.txt": "kh-tien-giang-2008",
    "qd-19-2014-qd-ttg.txt": "qd-19-2014-qd-ttg",
    "tt-26-2014-tt-bkhcn.txt": "tt-26-2014-tt-bkhcn",
    "tt-116-2015-tt-btc.txt": "tt-116-2015-tt-btc",
    "nd-30-2020-nd-cp.docx": "nd-30-2020-nd-cp",
    "nd-30-2020-nd-cp-phu-luc-I.docx": "nd-30-2020-nd-cp-phu-luc-i",
    "nd-30-2020-nd-cp-phu-luc-I.doc": "nd-30-2020-nd-cp-phu-luc-i-doc",
}

# Canonical DocRef key of every number written in the catalog (a new numbered entry must be added here).
EXPECTED_KEYS = {
    "qd-37-2012-nghe-an": "37/qd-ubnd",
    "kh-310-2022-ha-tinh": "310/kh-ubnd",
    "qd-19-2014-qd-ttg": "19/2014/qd-ttg",
    "tt-26-2014-tt-bkhcn": "26/2014/tt-bkhcn",
    "tt-116-2015-tt-btc": "116/2015/tt-btc",
    "nd-30-2020-nd-cp": "30/2020/nd-cp",
    "qd-144-2006-qd-ttg": "144/2006/qd-ttg",
    "qd-118-2009-qd-ttg": "118/2009/qd-ttg",
    "tt-159-2010-tt-btc": "159/2010/tt-btc",
    "tt-27-2011-tt-bkhcn": "27/2011/tt-bkhcn",
    "tt-01-2010-tt-bkhcn": "01/2010/tt-bkhcn",
    "tt-09-2011-tt-bkhcn": "09/2011/tt-bkhcn",
    "tt-08-2009-tt-bkhcn": "08/2009/tt-bkhcn",
    "tt-10-2011-tt-bkhcn": "10/2011/tt-bkhcn",
    "qd-101-2019-bkhcn": "101/qd-bkhcn",
    "qd-2968-2010-bkhcn": "2968/qd-bkhcn",
    "cv-3003-bkhcn": "3003/bkhcn",
    "cv-8869-vpcp-kstt": "8869/vpcp-kstt",
    "nq-36a-2015-nq-cp": "36a/nq-cp",
    "nq-202-2025-qh15": "202/2025/qh15",
    "nd-110-2004-nd-cp": "110/2004/nd-cp",
    "nd-09-2010-nd-cp": "09/2010/nd-cp",
    "qd-618-2008-tien-giang": "618/qd-ubnd",
    "kh-898-2005-tien-giang": "898/kh-ubnd",
    "qd-1634-2006-tien-giang": "1634/qd-ubnd",
    "nq-14-2004-tu-tien-giang": "14/nq-tu",
    "qd-3504-2021-ha-tinh": "3504/qd-ubnd",
    "ttr-1088-2011-khcn-nghe-an": "1088/tt-khcn",
}
# Numbers vntext.parse_doc_numbers cannot read yet (reported to the lead; vntext.py is not ours).
UNPARSED_NUMBERS = {
    "nq-36a-2015-nq-cp": "số có chữ cái: 36a/NQ-CP",
    "nq-202-2025-qh15": "ký hiệu Quốc hội không có gạch nối: 202/2025/QH15",
}
# Format examples inside Phụ lục I NĐ 30/2020 (not real documents), not expected in the catalog.
FORMAT_EXAMPLES = {"15/qd-bnv", "05/bnv-vp", "12/ubnd-vx"}


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(CATALOG_PATH)


def _texts() -> dict[str, str]:
    """Texts of every held file that is plain text or .docx (the .doc needs antiword)."""
    import docx  # python-docx, a project dependency

    out = {p.name: p.read_text(encoding="utf-8") for p in sorted(DOCUMENTS.glob("*.txt"))}
    out.update({p.name: p.read_text(encoding="utf-8") for p in sorted(LEGAL.glob("*.txt"))})
    for p in sorted(LEGAL.glob("*.docx")):
        d = docx.Document(str(p))
        cells = [c.text for t in d.tables for r in t.rows for c in r.cells]
        out[p.name] = "\n".join([par.text for par in d.paragraphs] + cells)
    return out


# --------------------------------------------------------------------------- the real catalog


def test_real_catalog_loads_and_is_nfc(catalog: Catalog) -> None:
    assert len(catalog) >= 30
    raw = CATALOG_PATH.read_text(encoding="utf-8")
    assert unicodedata.normalize("NFC", raw) == raw
    assert raw.lstrip().startswith("#"), "the catalog starts with a comment header"
    for status in DocStatus:
        assert status.value in raw.split("- id:")[0], f"header must list status {status.value!r}"


@pytest.mark.parametrize("folder", [DOCUMENTS, LEGAL], ids=["documents", "legal"])
def test_every_held_file_is_in_the_catalog(catalog: Catalog, folder: Path) -> None:
    files = sorted(p.name for p in folder.iterdir() if p.is_file())
    assert files
    for name in files:
        entry = catalog.by_file(name)
        assert entry is not None, f"{name} is not in the catalog"
        assert entry.id == HELD[name]


def test_catalog_files_exist(catalog: Catalog) -> None:
    on_disk = {p.name for p in DOCUMENTS.iterdir()} | {p.name for p in LEGAL.iterdir()}
    for e in catalog:
        for f in e.files:
            assert f in on_disk, f"{e.id}: {f} does not exist"
    assert {e.id for e in catalog if e.files} == set(HELD.values())


def test_by_number_and_successors(catalog: Catalog) -> None:
    found = catalog.by_number("qd 144/2006")
    assert [e.id for e in found] == ["qd-144-2006-qd-ttg"]
    chain = catalog.successors("qd-144-2006-qd-ttg")
    assert chain and chain[-1].id == "qd-19-2014-qd-ttg"
    assert [e.id for e in catalog.by_number("TT26")] == ["tt-26-2014-tt-bkhcn"]
    assert catalog.successors("qd-118-2009-qd-ttg")[-1].id == "qd-19-2014-qd-ttg"
    assert catalog.successors("tt-159-2010-tt-btc")[-1].id == "tt-116-2015-tt-btc"
    assert catalog.successors("tt-27-2011-tt-bkhcn")[-1].id == "tt-26-2014-tt-bkhcn"
    assert catalog.successors("tcvn-iso-9001-2000")[-1].id == "tcvn-iso-9001-2015"
    assert [e.id for e in catalog.by_number("Quyết định 37/QĐ-UBND")] == ["qd-37-2012-nghe-an"]
    assert [e.id for e in catalog.by_number("kế hoạch 310 /KH-UBND")] == ["kh-310-2022-ha-tinh"]
    assert [e.id for e in catalog.by_number("công văn 3003/BKHCN")] == ["cv-3003-bkhcn"]
    # the plan issued with a decision is found by the decision's number
    (ref,) = parse_doc_numbers("QĐ 618/QĐ-UBND")
    assert [e.id for e in catalog.issued_under(ref)] == ["kh-tien-giang-2008"]
    assert catalog.issued_under(parse_doc_numbers("TT 26/2014/TT-BKHCN")[0]) == []


def test_statuses(catalog: Catalog) -> None:
    replaced = {
        "qd-144-2006-qd-ttg": "qd-19-2014-qd-ttg",
        "qd-118-2009-qd-ttg": "qd-19-2014-qd-ttg",
        "tt-159-2010-tt-btc": "tt-116-2015-tt-btc",
        "tt-27-2011-tt-bkhcn": "tt-26-2014-tt-bkhcn",
    }
    for old, new in replaced.items():
        e = catalog.get(old)
        assert e is not None and e.status == DocStatus.REPLACED and e.replaced_by == (new,)
    for current in ("qd-19-2014-qd-ttg", "tt-26-2014-tt-bkhcn", "tt-116-2015-tt-btc", "qd-101-2019-bkhcn"):
        assert catalog.is_current(current)
    for plan in ("kh-dong-nai-2019", "qd-37-2012-nghe-an", "kh-ninh-thuan-2022", "kh-tien-giang-2008"):
        assert catalog.get(plan).status == DocStatus.PERIOD_ENDED  # type: ignore[union-attr]
    hatinh = catalog.get("kh-310-2022-ha-tinh")
    assert hatinh is not None and hatinh.period == "2022-2030" and hatinh.status == DocStatus.IN_FORCE
    qd19 = catalog.get("qd-19-2014-qd-ttg")
    assert qd19 is not None
    assert (qd19.issued, qd19.effective) == (dt.date(2014, 3, 5), dt.date(2014, 5, 18))


def test_plans_without_a_number_say_so(catalog: Catalog) -> None:
    for plan_id in ("kh-dong-nai-2019", "kh-ninh-thuan-2022"):
        e = catalog.get(plan_id)
        assert e is not None and e.number is None
        assert any("Số" in u for u in e.unconfirmed)


def test_numbers_parse_to_one_expected_key(catalog: Catalog) -> None:
    numbered = {e.id: e.number for e in catalog if e.number}
    assert set(numbered) == set(EXPECTED_KEYS)
    for entry_id, number in numbered.items():
        if entry_id in UNPARSED_NUMBERS:
            continue
        refs = parse_doc_numbers(number)
        assert len(refs) == 1, f"{entry_id}: {number!r} → {[r.key for r in refs]}"
        assert refs[0].key == EXPECTED_KEYS[entry_id]
        assert refs[0].number in entry_id.split("-"), entry_id


@pytest.mark.parametrize("entry_id", sorted(UNPARSED_NUMBERS))
def test_numbers_with_letter_suffix_or_qh_issuer(catalog: Catalog, entry_id: str) -> None:
    number = catalog.get(entry_id).number  # type: ignore[union-attr]
    assert [r.key for r in parse_doc_numbers(number)] == [EXPECTED_KEYS[entry_id]]


def test_every_document_cited_in_the_texts_is_catalogued(catalog: Catalog) -> None:
    missing = []
    for name, text in _texts().items():
        for ref in parse_doc_numbers(text):
            if ref.is_complete and ref.key not in FORMAT_EXAMPLES and not catalog.by_ref(ref):
                missing.append(f"{name}: {ref.raw}")
    assert not missing


def test_restructuring_notes_match_the_texts(catalog: Catalog) -> None:
    texts = _texts()
    for name, entry_id in HELD.items():
        if name not in texts or not name[0].isdigit():
            continue  # seed plans only (legal texts are checked below)
        entry = catalog.get(entry_id)
        assert entry is not None
        text = fold(texts[name])
        codes = [n.code for n in entry.restructuring]
        assert ("district_abolished" in codes) == bool(re.search(r"\bhuyện\b", text)), entry_id
        mentions_ttt = "thông tin và truyền thông" in text
        notes_ttt = any("Thông tin và Truyền thông" in n.message for n in entry.restructuring)
        assert mentions_ttt == notes_ttt, entry_id
        mentions_tc = "tổng cục tiêu chuẩn" in text or "tổng cục tcđlcl" in text
        notes_tc = any("Tổng cục" in n.message for n in entry.restructuring)
        assert mentions_tc == notes_tc, entry_id
    merged = {e.id for e in catalog if any(n.code == "merged_province" for n in e.restructuring)}
    assert {"kh-dong-nai-2019", "kh-ninh-thuan-2022", "kh-tien-giang-2008"} <= merged
    assert not merged & {"qd-37-2012-nghe-an", "kh-310-2022-ha-tinh"}
    assert "Khánh Hòa" in catalog.get("kh-ninh-thuan-2022").restructuring[0].message  # type: ignore[union-attr]
    codes = {n.code for n in catalog.get("tt-26-2014-tt-bkhcn").restructuring}  # type: ignore[union-attr]
    assert {"district_abolished", "renamed_body"} <= codes
    for e in catalog:
        for n in e.restructuring:
            assert n.code in RESTRUCTURING_CODES
            assert "2025" in n.message and n.message.endswith("."), (e.id, n.message)


# --------------------------------------------------------------------------- loader errors

GOOD = """\
- id: qd-19-2014-qd-ttg
  kind: quyết định
  number: 19/2014/QĐ-TTg
  title: Quyết định 19
  status: còn hiệu lực
  replaces: [qd-144-2006-qd-ttg]
- id: qd-144-2006-qd-ttg
  kind: quyết định
  number: 144/2006/QĐ-TTg
  title: Quyết định 144
  issued: "20/06/2006"
  status: bị thay thế
  replaced_by: [qd-19-2014-qd-ttg]
"""


def _write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "catalog.yaml"
    p.write_text(text, encoding="utf-8")
    return p


def test_loader_accepts_minimal_catalog(tmp_path: Path) -> None:
    cat = load_catalog(_write(tmp_path, GOOD))
    assert len(cat) == 2
    assert cat.get("qd-144-2006-qd-ttg").issued == dt.date(2006, 6, 20)  # type: ignore[union-attr]
    assert [e.id for e in cat.successors("qd-144-2006-qd-ttg")] == ["qd-19-2014-qd-ttg"]


def test_loader_normalises_nfd_text(tmp_path: Path) -> None:
    cat = load_catalog(_write(tmp_path, unicodedata.normalize("NFD", GOOD)))
    assert cat.get("qd-19-2014-qd-ttg").kind == "quyết định"  # type: ignore[union-attr]
    assert cat.get("qd-19-2014-qd-ttg").status == DocStatus.IN_FORCE  # type: ignore[union-attr]


def test_missing_file_is_an_error(tmp_path: Path) -> None:
    missing = tmp_path / "nope" / "catalog.yaml"
    with pytest.raises(ConfigError) as exc:
        load_catalog(missing)
    assert str(missing) in exc.value.message


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("- id: a\n  title: [unclosed\n", "YAML"),
        ("", "rỗng"),
        ("id: a\ntitle: b\n", "danh sách"),
    ],
    ids=["bad-yaml", "empty", "not-a-list"],
)
def test_file_level_errors(tmp_path: Path, text: str, needle: str) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(ConfigError) as exc:
        load_catalog(path)
    assert needle in exc.value.message and str(path) in exc.value.message


ENTRY = "- id: {id}\n  kind: quyết định\n  title: T\n  status: {status}\n"


@pytest.mark.parametrize(
    ("text", "entry_id", "needle"),
    [
        (ENTRY.format(id="x-1", status="còn hiệu lực") + "  color: red\n", "x-1", "color"),
        (ENTRY.format(id="x-2", status="đang áp dụng"), "x-2", "trạng thái"),
        (ENTRY.format(id="x-3", status="còn hiệu lực") * 2, "x-3", "trùng"),
        (ENTRY.format(id="x-4", status="còn hiệu lực") + "  replaces: [ghost]\n", "x-4", "ghost"),
        (
            ENTRY.format(id="x-5", status="còn hiệu lực")
            + "  replaces: [x-6]\n"
            + ENTRY.format(id="x-6", status="hết hiệu lực"),
            "x-5",
            "replaced_by",
        ),
        (
            ENTRY.format(id="x-7", status="còn hiệu lực")
            + ENTRY.format(id="x-8", status="bị thay thế")
            + "  replaced_by: [x-7]\n",
            "x-8",
            "replaces",
        ),
        (ENTRY.format(id="x-9", status="còn hiệu lực") + "  issued: 31/02/2014\n", "x-9", "issued"),
        (ENTRY.format(id="x-10", status="còn hiệu lực") + "  period: 2022\n", "x-10", "dấu nháy"),
        (ENTRY.format(id="x-11", status="còn hiệu lực") + "  title: again\n", "x-11", "lặp"),
        (ENTRY.format(id="x-18", status="còn hiệu lực") + '  iso_version: "ISO 9001"\n', "x-18", "9001:2015"),
        (ENTRY.format(id="x-19", status="còn hiệu lực") + '  period: "2022 - 2030"\n', "x-19", "period"),
        (
            ENTRY.format(id="x-12", status="còn hiệu lực")
            + "  files: [a.txt]\n"
            + ENTRY.format(id="x-13", status="còn hiệu lực")
            + "  files: [A.TXT]\n",
            "x-13",
            "x-12",
        ),
        (ENTRY.format(id="x-14", status="bị thay thế"), "x-14", "replaced_by"),
        (
            ENTRY.format(id="x-15", status="còn hiệu lực")
            + "  restructuring:\n    - {code: moved, message: M}\n",
            "x-15",
            "moved",
        ),
        (ENTRY.format(id="X_16", status="còn hiệu lực"), "X_16", "chữ thường"),
        (ENTRY.format(id="x-17", status="còn hiệu lực").replace("  title: T\n", ""), "x-17", "title"),
        (ENTRY.format(id="x-20", status="còn hiệu lực") + "  issued_with: ghost\n", "x-20", "ghost"),
    ],
    ids=[
        "unknown-field",
        "bad-status",
        "duplicate-id",
        "unknown-replaces",
        "replaces-not-mirrored",
        "replaced-by-not-mirrored",
        "bad-date",
        "unquoted-period",
        "duplicate-key",
        "bad-iso-version",
        "bad-period",
        "duplicate-file",
        "replaced-without-successor",
        "bad-restructuring-code",
        "bad-id",
        "missing-title",
        "unknown-issued-with",
    ],
)
def test_entry_errors_name_the_entry(tmp_path: Path, text: str, entry_id: str, needle: str) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(ConfigError) as exc:
        load_catalog(path)
    msg = exc.value.message
    assert entry_id in msg and needle in msg and str(path) in msg, msg


def test_entry_error_without_id_names_the_index(tmp_path: Path) -> None:
    path = _write(tmp_path, ENTRY.format(id="ok-1", status="còn hiệu lực") + "- kind: luật\n  title: T\n")
    with pytest.raises(ConfigError) as exc:
        load_catalog(path)
    assert "mục #2" in exc.value.message and "id" in exc.value.message


# --------------------------------------------------------------------------- vntext document numbers


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("qd 19/2014", "19/2014/qd"),
        ("QĐ19", "qd-19"),
        ("TT26", "tt-26"),
        ("116/2015/tt-btc", "116/2015/tt-btc"),
        ("nđ-cp 30/2020", "30/2020/nd-cp"),
        ("QĐ19/2014/QD-TTg", "19/2014/qd-ttg"),
        ("310 /KH-UBND", "310/kh-ubnd"),
        ("3003/BKHCN", "3003/bkhcn"),
        ("Quyet dinh 19/2014", "19/2014/qd"),
        ("thông tư 26/2014", "26/2014/tt"),
        ("Căn cứ Quyết định số 19/2014/QĐ-TTg ngày 05/3/2014 của Thủ tướng", "19/2014/qd-ttg"),
        ("văn bản số 8869/VPCP-KSTT ngày 04/12/2021", "8869/vpcp-kstt"),
        (unicodedata.normalize("NFD", "Nghị định 30/2020/NĐ-CP"), "30/2020/nd-cp"),
    ],
)
def test_parse_doc_numbers_realistic_spellings(text: str, key: str) -> None:
    assert [r.key for r in parse_doc_numbers(text)] == [key]


def test_loose_refs_match_full_refs() -> None:
    full = parse_doc_numbers("19/2014/QĐ-TTg")[0]
    for loose in ("qd 19/2014", "QĐ19", "QĐ 19"):
        assert parse_doc_numbers(loose)[0].matches(full), loose
    assert not parse_doc_numbers("TT26")[0].matches(full)
    assert not parse_doc_numbers("QĐ 19/2015")[0].matches(full)


@pytest.mark.parametrize("text", ["II. NỘI DUNG KẾ HOẠCH\n\n1. Mục tiêu", "CHỈ THỊ \n14"])
def test_headings_followed_by_numbers_are_not_refs(text: str) -> None:
    assert parse_doc_numbers(text) == []
