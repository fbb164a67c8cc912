"""LLM composer: the OpenAI adapter against a real local fake server, the composer with a hand-written fake
model, and end to end through a real Assistant (real index) talking to the fake server."""

from __future__ import annotations

import re
from collections import deque
from pathlib import Path

import pytest
from fake_openai import FakeOpenAI
from pydantic import SecretStr

from assistant.adapters.llm_openai import OpenAIChatModel
from assistant.answering.llm_composer import LLMComposer, best_quote
from assistant.config import LLMSettings
from assistant.domain.errors import ModelUnavailableError
from assistant.domain.models import Chunk, Document
from assistant.retrieval.retriever import Scored

PROMPTS = Path(__file__).resolve().parents[1] / "prompts"
SECRET = "sk-test-khong-duoc-lo-ra"


@pytest.fixture(scope="module")
def server():
    with FakeOpenAI(slow_s=4.0) as srv:
        yield srv


@pytest.fixture
def fake(server):
    server.reset()
    yield server
    server.reset()


def _free_port_url() -> str:
    import socket

    with socket.socket() as s:  # bound then closed: nothing listens there afterwards
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/v1"


# --------------------------------------------------------------------------- adapter


def test_adapter_complete_sends_prompt_and_key(fake):
    fake.queue("<think>suy nghĩ</think>Báo cáo gửi trong tháng 12 [1].")
    model = OpenAIChatModel(
        LLMSettings(base_url=fake.base_url, api_key=SecretStr(SECRET), model="qwen", timeout_s=2)
    )
    assert model.complete("Hệ thống", "Người dùng hỏi") == "Báo cáo gửi trong tháng 12 [1]."
    req = fake.requests[-1]
    assert req["authorization"] == f"Bearer {SECRET}"
    assert req["json"]["model"] == "qwen"
    assert req["json"]["temperature"] == 0.0
    assert req["json"]["max_tokens"] == 800  # what local servers read
    assert [m["role"] for m in req["json"]["messages"]] == ["system", "user"]
    assert req["json"]["messages"][1]["content"] == "Người dùng hỏi"


def test_adapter_without_key_sends_placeholder(fake):
    model = OpenAIChatModel(LLMSettings(base_url=fake.base_url, timeout_s=2))
    model.complete("s", "u")
    assert fake.requests[-1]["authorization"] == "Bearer none"


def test_adapter_stream_yields_pieces(fake):
    fake.queue("Một hai ba bốn năm")
    model = OpenAIChatModel(LLMSettings(base_url=fake.base_url, timeout_s=2))
    pieces = list(model.stream("s", "u"))
    assert len(pieces) > 1
    assert "".join(pieces) == "Một hai ba bốn năm"
    assert fake.requests[-1]["json"]["stream"] is True


@pytest.mark.parametrize(
    ("mode", "phrase"), [("error500", "HTTP 500"), ("slow", "không trả lời trong 1 giây")]
)
def test_adapter_maps_failures(fake, mode, phrase):
    fake.mode = mode
    model = OpenAIChatModel(LLMSettings(base_url=fake.base_url, api_key=SecretStr(SECRET), timeout_s=1))
    with pytest.raises(ModelUnavailableError) as err:
        model.complete("s", "u")
    assert phrase in err.value.message
    assert SECRET not in err.value.message
    assert len(fake.requests) == 1  # max_retries=0: one attempt only


def test_adapter_server_down_hides_credentials():
    url = _free_port_url().replace("http://", "http://user:matkhau@")
    model = OpenAIChatModel(LLMSettings(base_url=url, api_key=SecretStr(SECRET), timeout_s=1))
    with pytest.raises(ModelUnavailableError) as err:
        list(model.stream("s", "u"))
    assert "Không kết nối được" in err.value.message
    assert "matkhau" not in err.value.message and SECRET not in err.value.message


# --------------------------------------------------------------------------- composer with a fake model


class FakeChatModel:
    """Queued replies; records the prompts it was given."""

    def __init__(self, *replies: str) -> None:
        self.replies = deque(replies)
        self.calls: list[tuple[str, str]] = []

    def complete(self, system: str, user: str) -> str:
        self.calls.append((system, user))
        return self.replies.popleft()

    def stream(self, system: str, user: str):
        yield self.complete(system, user)


def _hit(doc_id: str, number: str, section: str, text: str) -> Scored:
    doc = Document(
        doc_id=doc_id,
        source_path=f"/x/{doc_id}.txt",
        file_name=f"{doc_id}.txt",
        content_hash="h",
        format="txt",
        title=f"Văn bản {number}",
        number=number,
        kind="quyết định",
    )
    chunk = Chunk(
        chunk_id=f"{doc_id}:{section}", doc_id=doc_id, ordinal=0, section=section, text=text, index_text=text
    )
    return Scored(chunk=chunk, doc=doc, score=1.0)


HITS = [
    _hit(
        "qd-19",
        "19/2014/QĐ-TTg",
        "Điều 12",
        "Điều 12. Chế độ báo cáo\n1. Định kỳ vào tháng 12 hàng năm, các Bộ báo cáo Bộ Khoa học và Công nghệ. "
        "2. Bộ Khoa học và Công nghệ tổng hợp, báo cáo Thủ tướng Chính phủ.",
    ),
    _hit(
        "tt-116",
        "116/2015/TT-BTC",
        "Điều 4 > khoản 3",
        "3. Duy trì, cải tiến hệ thống: mức chi tối đa 15 triệu đồng/năm/cơ quan; chi khác theo thực tế.",
    ),
    _hit(
        "qd-19",
        "19/2014/QĐ-TTg",
        "Điều 4 > khoản 4",
        "4. Duy trì, cải tiến: cập nhật trong thời hạn ba tháng; đánh giá nội bộ ít nhất một lần một năm.",
    ),
]


def test_composer_keeps_valid_labels_with_verbatim_quotes():
    llm = FakeChatModel(
        "Chi duy trì tối đa 15 triệu đồng/năm [2]. Các Bộ báo cáo vào tháng 12 hàng năm [1, 7]."
    )
    text, cited = LLMComposer(llm, PROMPTS).compose("Kinh phí duy trì và hạn báo cáo?", HITS)
    assert text == "Chi duy trì tối đa 15 triệu đồng/năm [1]. Các Bộ báo cáo vào tháng 12 hàng năm [2]."
    assert [i for i, _ in cited] == [1, 0]
    for i, quote in cited:
        assert quote in HITS[i].chunk.text
    assert cited[0][1] == "3. Duy trì, cải tiến hệ thống: mức chi tối đa 15 triệu đồng/năm/cơ quan;"
    assert cited[1][1] == "1. Định kỳ vào tháng 12 hàng năm, các Bộ báo cáo Bộ Khoa học và Công nghệ."
    # the prompt carried every passage under its label, with document number and section
    system, user = llm.calls[0]
    assert "Tài liệu không nêu" in system
    for n, hit in enumerate(HITS, start=1):
        assert f"[{n}] Quyết định số {hit.doc.number}" in user
        assert f"mục {hit.chunk.section}" in user
        assert hit.chunk.text in user


def test_composer_only_invented_labels_gives_no_citation():
    text, cited = LLMComposer(FakeChatModel("Theo quy định là 30 ngày [4][0]."), PROMPTS).compose(
        "Hạn?", HITS
    )
    assert cited == []
    assert text == "Theo quy định là 30 ngày."


def test_composer_limits_passages_and_labels():
    hits = HITS * 3  # nine passages, only six go to the model
    llm = FakeChatModel("Đánh giá nội bộ ít nhất một lần một năm [9]. Cập nhật trong ba tháng [3].")
    text, cited = LLMComposer(llm, PROMPTS, max_passages=6).compose("Đánh giá nội bộ?", hits)
    assert "[7]" not in llm.calls[0][1]
    assert text == "Đánh giá nội bộ ít nhất một lần một năm. Cập nhật trong ba tháng [1]."
    assert cited == [(2, "4. Duy trì, cải tiến: cập nhật trong thời hạn ba tháng;")]


def test_composer_empty_reply_or_no_model_defers_to_offline():
    assert LLMComposer(FakeChatModel("   "), PROMPTS).compose("Hạn?", HITS) is None
    assert LLMComposer(None, PROMPTS).compose("Hạn?", HITS) is None
    assert LLMComposer(FakeChatModel("x [1]."), PROMPTS).compose("Hạn?", []) is None


def test_best_quote_prefers_numbers_and_dates():
    text = HITS[0].chunk.text
    assert best_quote(text, ["Thủ tướng Chính phủ nhận báo cáo tổng hợp"]).startswith(
        "2. Bộ Khoa học và Công nghệ tổng hợp"
    )
    assert best_quote(text, ["hạn là tháng 12"]).startswith("1. Định kỳ vào tháng 12")


# --------------------------------------------------------------------------- end to end (real index)

QUESTION = "Cơ quan hành chính có được thuê tổ chức chứng nhận không?"
_PASSAGE = re.compile(r"^\[(\d+)\] .*\n(.+)$", re.MULTILINE)


def _passages(prompt: str) -> dict[int, str]:
    """label → first line of the passage text, read back from the prompt the server received."""
    return {int(m.group(1)): m.group(2) for m in _PASSAGE.finditer(prompt)}


def _words(line: str, n: int = 12) -> str:
    return " ".join(line.split()[:n])


@pytest.fixture(scope="module")
def llm_assistant(built_store, make_settings, server):
    from assistant.bootstrap import build_assistant

    return build_assistant(make_settings(built_store, llm=LLMSettings(base_url=server.base_url, timeout_s=2)))


def test_e2e_valid_labels_kept_and_quotes_verbatim(fake, llm_assistant):
    def reply(body):
        user = next(m["content"] for m in body["messages"] if m["role"] == "user")
        p = _passages(user)
        return f"{_words(p[2])} [2][99]. {_words(p[1])} [S1]. Tổng hợp [1, 2]."

    fake.queue(reply)
    ans = llm_assistant.ask(QUESTION)
    assert not ans.refused and ans.route == "llm"
    prompt = fake.last_user_prompt()
    assert QUESTION in prompt
    p = _passages(prompt)
    assert len(p) >= 2
    assert ans.answer == f"{_words(p[2])} [1]. {_words(p[1])} [2]. Tổng hợp [2][1]."
    assert [c.n for c in ans.citations] == [1, 2]
    for c, label in zip(ans.citations, (2, 1), strict=True):
        chunk = llm_assistant.chunk(c.chunk_id)
        assert c.quote in chunk.text  # verbatim
        # the passage the model was shown under that label
        assert chunk.text.startswith(p[label].rstrip(" …")[:40])
        assert c.section == chunk.section


def test_e2e_only_invented_labels_is_refused(fake, llm_assistant):
    fake.queue("Cơ quan được thuê tổ chức chứng nhận theo Quyết định 999/2030/QĐ-TTg [42].")
    ans = llm_assistant.ask(QUESTION)
    assert ans.refused
    assert not ans.citations
    assert "999/2030" not in ans.answer


@pytest.mark.parametrize("failure", ["error500", "slow", "down"])
def test_e2e_endpoint_failure_answers_offline_with_warning(
    fake, llm_assistant, built_store, make_settings, failure
):
    if failure == "down":
        from assistant.bootstrap import build_assistant

        asst = build_assistant(
            make_settings(built_store, llm=LLMSettings(base_url=_free_port_url(), timeout_s=2))
        )
    else:
        fake.mode = failure
        asst = llm_assistant
    ans = asst.ask(QUESTION)
    assert not ans.refused
    assert ans.route == "passages"
    assert ans.warnings and ans.warnings[0].code == "llm_unavailable"
    assert ans.citations
    for c in ans.citations:
        assert c.quote in asst.chunk(c.chunk_id).text
