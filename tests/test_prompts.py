"""Render tests for the answering prompts (``prompts/*.j2``; ``prompts/drafts/`` is tested by the drafting tests)."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from jinja2 import UndefinedError

from assistant.answering.prompts import render
from assistant.domain.errors import ConfigError

PROMPTS = Path(__file__).resolve().parents[1] / "prompts"

PASSAGES = [
    {
        "label": 1,
        "source": "Quyết định số 19/2014/QĐ-TTg — Áp dụng TCVN ISO 9001:2008",
        "number": "19/2014/QĐ-TTg",
        "title": "Áp dụng TCVN ISO 9001:2008",
        "section": "Điều 12",
        "heading": "Điều 12. Chế độ báo cáo",
        "text": "Định kỳ vào tháng 12 hàng năm, các Bộ, cơ quan ngang Bộ báo cáo…",
    },
    {
        "label": 2,
        "source": "Kế hoạch số 310/KH-UBND — Hà Tĩnh",
        "number": "310/KH-UBND",
        "title": "Hà Tĩnh",
        "section": "",
        "heading": "",
        "text": "Căn cứ Quyết định số 19/2014/QĐ-TTg;",
    },
]
VARIABLES = {
    "answer_system.j2": {},
    "answer_user.j2": {"question": "Hạn nộp báo cáo ISO hằng năm?", "passages": PASSAGES},
}


def test_every_answer_prompt_has_a_render_case():
    assert sorted(p.name for p in PROMPTS.glob("*.j2")) == sorted(VARIABLES)


@pytest.mark.parametrize("name", sorted(VARIABLES))
def test_prompt_renders_nfc_vietnamese(name):
    out = render(PROMPTS, name, **VARIABLES[name])
    assert out.strip()
    assert unicodedata.is_normalized("NFC", out)
    assert "{{" not in out and "{%" not in out


def test_system_prompt_states_the_rules():
    out = render(PROMPTS, "answer_system.j2")
    for phrase in ("Tài liệu không nêu", "[1]", "nguyên văn", "số hiệu"):
        assert phrase in out


def test_user_prompt_carries_labelled_passages():
    out = render(PROMPTS, "answer_user.j2", **VARIABLES["answer_user.j2"])
    assert "Câu hỏi: Hạn nộp báo cáo ISO hằng năm?" in out
    assert (
        "[1] Quyết định số 19/2014/QĐ-TTg — Áp dụng TCVN ISO 9001:2008 — mục Điều 12 (Điều 12. Chế độ báo cáo)"
        in out
    )
    assert "[2] Kế hoạch số 310/KH-UBND — Hà Tĩnh — phần đầu văn bản" in out
    assert (
        out.index("[1]")
        < out.index("Định kỳ vào tháng 12")
        < out.index("[2]")
        < out.index("Căn cứ Quyết định")
    )


def test_missing_variable_fails_loudly():
    with pytest.raises(UndefinedError):
        render(PROMPTS, "answer_user.j2", question="Câu hỏi")
    with pytest.raises(UndefinedError):
        render(PROMPTS, "answer_user.j2", question="Câu hỏi", passages=[{"label": 1}])


def test_missing_template_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError) as err:
        render(tmp_path, "answer_user.j2", question="x", passages=[])
    assert "answer_user.j2" in err.value.message
