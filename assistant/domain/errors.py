"""Error tree of the assistant.

Messages are Vietnamese (they reach users through the edges) and say what to do next.
"""

from __future__ import annotations


class AssistantError(Exception):
    """Root of every error the assistant raises on purpose."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ConfigError(AssistantError):
    """Cấu hình sai hoặc thiếu."""


class KnowledgeBaseError(AssistantError):
    """Lỗi cơ sở tri thức (tài liệu, chỉ mục)."""


class DocumentParseError(KnowledgeBaseError):
    """Không đọc được một tệp tài liệu."""


class UnsupportedDocumentError(DocumentParseError):
    """Định dạng tệp không được hỗ trợ."""


class MissingToolError(DocumentParseError):
    """Thiếu công cụ hệ thống cần để đọc tệp (ví dụ antiword cho .doc)."""


class IndexNotBuiltError(KnowledgeBaseError):
    """Chưa có chỉ mục nào được xây dựng trong thư mục lưu trữ."""


class IndexLockedError(KnowledgeBaseError):
    """Một tiến trình lập chỉ mục khác đang chạy."""


class ModelError(AssistantError):
    """Lỗi mô hình (nhúng hoặc ngôn ngữ)."""


class ModelUnavailableError(ModelError):
    """Không gọi được mô hình (máy chủ tắt, hết thời gian chờ…)."""


class InvalidInputError(AssistantError):
    """Đầu vào của người dùng không hợp lệ (câu hỏi rỗng, quá dài, thiếu trường…)."""


class NotFoundError(AssistantError):
    """Không tìm thấy đối tượng được yêu cầu (tài liệu, đoạn, bài học…)."""
