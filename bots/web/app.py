"""App factory: API routers under ``/api``, the interface under ``/`` (static, no build step)."""

from __future__ import annotations

import logging
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import FileResponse, HTMLResponse
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool

from assistant.config import Settings

from . import api_ask, api_docs, api_learn, api_tools
from .errors import install_error_handlers
from .security import BodyLimitMiddleware
from .state import WebState

log = logging.getLogger("bots.web")

STATIC_DIR = Path(__file__).resolve().parent / "static"
UPLOAD_PATHS = frozenset({"/api/documents"})
MULTIPART_SLACK = 64 * 1024  # multipart headers around an uploaded file

# Document text is untrusted: the interface builds DOM with textContent, and the page forbids inline
# scripts as a second line of defence.
PAGE_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
        "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-cache",
}
PAGE_ROUTES = ("/", "/chat", "/deadlines", "/drafts", "/documents", "/learn")


def create_app(settings: Settings, assistant=None) -> FastAPI:
    """The web app over ``assistant`` (built lazily from ``settings`` when not given)."""
    state = WebState(settings, assistant)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        if assistant is None:
            try:
                await run_in_threadpool(state.assistant)
            except Exception as exc:  # requests retry the build and report the error in Vietnamese
                log.warning("Chưa khởi tạo được trợ lý khi khởi động: %s", exc)
        yield

    app = FastAPI(
        title="Trợ lý ISO",
        description=(
            "API hỏi đáp, tra cứu, hạn chót và soạn thảo văn bản HTQLCL TCVN ISO 9001:2015 cho cơ quan "
            "hành chính nhà nước. Xác thực bằng tiêu đề `X-API-Key` hoặc `Authorization: Bearer`."
        ),
        version="0.3.7",
        lifespan=lifespan,
        docs_url=None,  # served below from local files: the default page loads Swagger UI from a CDN
    )
    app.state.web = state
    install_error_handlers(app)
    app.add_middleware(
        BodyLimitMiddleware,
        json_limit=settings.web.max_body_kb * 1024,
        upload_limit=settings.web.max_upload_mb * 1024 * 1024 + MULTIPART_SLACK,
        upload_paths=UPLOAD_PATHS,
    )
    for module in (api_ask, api_docs, api_tools, api_learn):
        app.include_router(module.router, prefix="/api")

    index_html = STATIC_DIR / "index.html"

    async def page() -> FileResponse:
        return FileResponse(index_html, media_type="text/html; charset=utf-8", headers=PAGE_HEADERS)

    for route in PAGE_ROUTES:
        app.add_api_route(route, page, methods=["GET"], include_in_schema=False)
    app.add_api_route("/documents/{doc_id:path}", page, methods=["GET"], include_in_schema=False)
    app.add_api_route("/learn/{lesson_id}", page, methods=["GET"], include_in_schema=False)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    _offline_docs(app)
    return app


def _offline_docs(app: FastAPI) -> None:
    """OpenAPI docs at /docs with Swagger UI from the ``swagger-ui-bundle`` wheel (no internet needed)."""
    from fastapi.openapi.docs import get_swagger_ui_html
    from swagger_ui_bundle import swagger_ui_path

    app.mount("/docs-static", StaticFiles(directory=str(swagger_ui_path)), name="docs-static")

    async def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=app.openapi_url or "/openapi.json",
            title="Trợ lý ISO — API",
            swagger_js_url="/docs-static/swagger-ui-bundle.js",
            swagger_css_url="/docs-static/swagger-ui.css",
            swagger_favicon_url="/static/favicon.ico",
        )

    app.add_api_route("/docs", docs, methods=["GET"], include_in_schema=False)


def app_factory() -> FastAPI:
    """For ``uvicorn --factory bots.web:app_factory``: settings from the environment (``ISOASSIST_…``)."""
    return create_app(Settings())
