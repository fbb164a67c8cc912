"""The one place where errors become HTTP statuses with ``{"error": "<Vietnamese message>"}``."""

from __future__ import annotations

import logging

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from assistant.domain.errors import (
    AssistantError,
    DocumentParseError,
    IndexLockedError,
    IndexNotBuiltError,
    InvalidInputError,
    ModelUnavailableError,
    NotFoundError,
    UnsupportedDocumentError,
)

log = logging.getLogger("bots.web")

INTERNAL_MESSAGE = "Đã xảy ra lỗi nội bộ. Vui lòng thử lại sau hoặc báo cho quản trị viên."
NOT_READY_MESSAGE = "Chức năng này chưa sẵn sàng trong phiên bản hiện tại."
INDEX_HINT = (
    "Chưa có chỉ mục tài liệu. Hãy chạy: isoassist index --source knowledge (rồi khởi động lại dịch vụ)."
)

# Most specific first: the first class in an error's MRO found here decides the status.
_STATUS: dict[type[AssistantError], int] = {
    InvalidInputError: 422,
    NotFoundError: 404,
    IndexNotBuiltError: 503,
    IndexLockedError: 409,
    ModelUnavailableError: 503,
    UnsupportedDocumentError: 415,
    DocumentParseError: 422,
}


def status_and_message(exc: BaseException) -> tuple[int, str]:
    """HTTP status and user-facing Vietnamese message of any exception (no internals for 500s)."""
    if isinstance(exc, AssistantError):
        for cls in type(exc).__mro__:
            if cls in _STATUS:
                status = _STATUS[cls]
                if cls is IndexNotBuiltError and "isoassist index" not in exc.message:
                    return status, f"{exc.message} {INDEX_HINT}".strip()
                return status, exc.message
        return 500, INTERNAL_MESSAGE
    if isinstance(exc, NotImplementedError):
        return 501, NOT_READY_MESSAGE
    return 500, INTERNAL_MESSAGE


def error_response(status: int, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status, headers=headers)


def install_error_handlers(app: FastAPI) -> None:
    async def on_error(request: Request, exc: Exception) -> JSONResponse:
        status, message = status_and_message(exc)
        if status >= 500 and status != 503:
            log.exception("Lỗi khi xử lý %s %s", request.method, request.url.path, exc_info=exc)
        return error_response(status, message)

    async def on_http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        detail = exc.detail if isinstance(exc.detail, str) else "Yêu cầu không hợp lệ."
        if exc.status_code == 404 and detail == "Not Found":
            detail = "Không tìm thấy địa chỉ được yêu cầu."
        elif exc.status_code == 405:
            detail = "Phương thức không được hỗ trợ cho địa chỉ này."
        return error_response(exc.status_code, detail, getattr(exc, "headers", None))

    async def on_validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        parts = []
        for err in exc.errors()[:5]:
            where = ".".join(str(p) for p in err.get("loc", ()) if p not in ("body", "query", "path"))
            parts.append(f"{where or 'dữ liệu'}: {_vi_validation(err)}")
        return error_response(422, "Dữ liệu gửi lên không hợp lệ — " + "; ".join(parts) + ".")

    app.add_exception_handler(AssistantError, on_error)
    app.add_exception_handler(NotImplementedError, on_error)
    app.add_exception_handler(StarletteHTTPException, on_http)
    app.add_exception_handler(HTTPException, on_http)
    app.add_exception_handler(RequestValidationError, on_validation)


def _vi_validation(err: dict) -> str:
    kind = str(err.get("type", ""))
    if kind == "missing":
        return "thiếu trường bắt buộc"
    if kind in ("json_invalid", "json_type"):
        return "JSON không hợp lệ"
    if kind.startswith("string_too_long"):
        return "quá dài"
    if kind.startswith("string"):
        return "phải là chuỗi ký tự"
    if kind.startswith(("int", "float")):
        return "phải là số"
    if kind.startswith("bool"):
        return "phải là đúng/sai (true/false)"
    if kind.startswith(("date", "datetime")):
        return "ngày không hợp lệ (định dạng YYYY-MM-DD)"
    if kind in ("list_type", "dict_type", "model_type", "model_attributes_type"):
        return "sai kiểu dữ liệu"
    if kind == "extra_forbidden":
        return "trường không được phép"
    if kind.startswith("greater_than") or kind.startswith("less_than"):
        return "giá trị ngoài khoảng cho phép"
    return "giá trị không hợp lệ"
