"""ChatModel adapter for an OpenAI-compatible endpoint (llama.cpp server, vLLM, Ollama, OpenAI…) via
``langchain_openai.ChatOpenAI``. Every vendor, HTTP and timeout failure becomes ``ModelUnavailableError``."""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlsplit, urlunsplit

import httpx
import openai
from langchain_core.messages import BaseMessage, HumanMessage, SystemMessage
from langchain_openai import ChatOpenAI
from pydantic import SecretStr

from ..config import LLMSettings
from ..domain.errors import ModelUnavailableError

# reasoning models served locally (Qwen3, DeepSeek-R1…) may put their thinking in the content
_THINK = re.compile(r"<think>.*?</think>\s*", re.DOTALL)


def _public_url(url: str) -> str:
    """The endpoint as it may be shown to users: no credentials, no query string."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path, "", ""))


def _is_openai(url: str) -> bool:
    return (urlsplit(url).hostname or "").endswith("openai.com")


def _content_text(message: BaseMessage) -> str:
    content = message.content
    if isinstance(content, str):
        return content
    parts = []
    for block in content:
        if isinstance(block, str):
            parts.append(block)
        elif isinstance(block, dict) and block.get("type") == "text":
            parts.append(str(block.get("text", "")))
    return "".join(parts)


class OpenAIChatModel:
    """``ChatModel`` over an OpenAI-compatible ``/v1/chat/completions`` endpoint (no retries: the answering
    service falls back to the offline composer instead)."""

    def __init__(self, settings: LLMSettings) -> None:
        if not settings.base_url:
            raise ModelUnavailableError(
                "Chưa cấu hình địa chỉ mô hình ngôn ngữ (ISOASSIST_LLM__BASE_URL); trợ lý dùng chế độ trích dẫn ngoại tuyến."
            )
        self.settings = settings
        self._where = _public_url(settings.base_url)
        key = settings.api_key.get_secret_value() if settings.api_key is not None else ""
        self._client = ChatOpenAI(
            base_url=settings.base_url,
            api_key=SecretStr(key or "none"),
            model=settings.model,
            timeout=settings.timeout_s,
            max_retries=0,
            temperature=settings.temperature,
            max_completion_tokens=settings.max_tokens,
            # ChatOpenAI sends only ``max_completion_tokens``; llama.cpp, Ollama, LM Studio and older vLLM
            # read ``max_tokens``
            extra_body=None if _is_openai(settings.base_url) else {"max_tokens": settings.max_tokens},
        )

    # ------------------------------------------------------------------ ChatModel
    def complete(self, system: str, user: str) -> str:
        try:
            message = self._client.invoke(self._messages(system, user))
        except Exception as exc:  # noqa: BLE001 - mapped below, unknown ones re-raised
            mapped = self._map(exc)
            if mapped is None:
                raise
            raise mapped from exc
        return _THINK.sub("", _content_text(message)).strip()

    def stream(self, system: str, user: str) -> Iterator[str]:
        try:
            for chunk in self._client.stream(self._messages(system, user)):
                text = _content_text(chunk)
                if text:
                    yield text
        except Exception as exc:  # noqa: BLE001
            mapped = self._map(exc)
            if mapped is None:
                raise
            raise mapped from exc

    # ------------------------------------------------------------------ helpers
    @staticmethod
    def _messages(system: str, user: str) -> list[BaseMessage]:
        return [SystemMessage(content=system), HumanMessage(content=user)]

    def _map(self, exc: Exception) -> ModelUnavailableError | None:
        """Vendor exception → ``ModelUnavailableError`` with a Vietnamese message (never the API key)."""
        where = self._where
        if isinstance(exc, openai.APITimeoutError | httpx.TimeoutException | TimeoutError):
            msg = (
                f"Mô hình ngôn ngữ tại {where} không trả lời trong {self.settings.timeout_s:g} giây. "
                "Hãy thử lại sau hoặc tăng ISOASSIST_LLM__TIMEOUT_S."
            )
        elif isinstance(exc, openai.APIConnectionError | httpx.TransportError | ConnectionError):
            msg = (
                f"Không kết nối được tới mô hình ngôn ngữ tại {where}. "
                "Hãy kiểm tra máy chủ mô hình đã chạy và địa chỉ ISOASSIST_LLM__BASE_URL."
            )
        elif isinstance(exc, openai.AuthenticationError | openai.PermissionDeniedError):
            msg = (
                f"Máy chủ mô hình ngôn ngữ tại {where} từ chối khóa truy cập (HTTP {exc.status_code}). "
                "Hãy kiểm tra ISOASSIST_LLM__API_KEY."
            )
        elif isinstance(exc, openai.NotFoundError):
            msg = (
                f"Máy chủ mô hình ngôn ngữ tại {where} không có mô hình “{self.settings.model}” hoặc sai "
                "đường dẫn (HTTP 404). Hãy kiểm tra ISOASSIST_LLM__MODEL và ISOASSIST_LLM__BASE_URL (thường kết thúc bằng /v1)."
            )
        elif isinstance(exc, openai.RateLimitError):
            msg = f"Máy chủ mô hình ngôn ngữ tại {where} đang quá tải (HTTP 429). Hãy thử lại sau ít phút."
        elif isinstance(exc, openai.APIStatusError):
            msg = (
                f"Máy chủ mô hình ngôn ngữ tại {where} báo lỗi (HTTP {exc.status_code}). "
                "Hãy thử lại sau hoặc xem nhật ký của máy chủ mô hình."
            )
        elif isinstance(exc, openai.OpenAIError | httpx.HTTPError | ValueError | KeyError | TypeError):
            # malformed replies surface as validation/parsing errors inside the client
            msg = (
                f"Máy chủ mô hình ngôn ngữ tại {where} trả về phản hồi không hợp lệ. "
                "Hãy kiểm tra máy chủ có tương thích OpenAI (/v1/chat/completions) không."
            )
        else:
            return None
        return ModelUnavailableError(msg)
