"""``isoassist serve``: the web app (API + interface) with uvicorn."""

from __future__ import annotations

import os
from pathlib import Path

import typer

from ..config import Settings
from .common import StoreOption, console, fail, settings_from


def check_exposure(settings: Settings) -> str | None:
    """A Vietnamese reason to refuse serving, or ``None``.

    Open mode (no key needed to read) is refused on a non-loopback host unless API keys are set.
    """
    from bots.web.security import is_loopback

    web = settings.web
    if is_loopback(web.host) or web.api_keys:
        return None
    if web.open_mode:
        return (
            f"Không thể chạy ở chế độ mở (không cần khóa) trên địa chỉ {web.host}: ai trong mạng cũng truy cập "
            'được. Hãy đặt khóa API (ISOASSIST_WEB__API_KEYS=\'{"<khóa>": "admin"}\'), hoặc chạy trên '
            "127.0.0.1, hoặc tắt chế độ mở (ISOASSIST_WEB__OPEN_MODE=false)."
        )
    return (
        f"Trên địa chỉ {web.host} cần có khóa API, nếu không sẽ không ai dùng được dịch vụ. Hãy đặt "
        'ISOASSIST_WEB__API_KEYS=\'{"<khóa>": "admin"}\' hoặc chạy trên 127.0.0.1.'
    )


def register(app: typer.Typer) -> None:
    @app.command("serve")
    def serve(
        host: str = typer.Option(None, "--host", help="Địa chỉ lắng nghe (mặc định 127.0.0.1)."),
        port: int = typer.Option(None, "--port", help="Cổng (mặc định 8000)."),
        workers: int = typer.Option(None, "--workers", min=1, help="Số tiến trình uvicorn."),
        store: Path | None = StoreOption,
    ) -> None:
        """Chạy ứng dụng web: giao diện hỏi đáp và API (tài liệu API tại /docs)."""
        import uvicorn

        settings = settings_from(store)
        web = settings.web.model_copy(
            update={
                k: v for k, v in {"host": host, "port": port, "workers": workers}.items() if v is not None
            }
        )
        settings = settings.model_copy(update={"web": web})
        reason = check_exposure(settings)
        if reason:
            fail(reason)
        # Workers are separate processes that read Settings() from the environment: pass the overrides.
        os.environ["ISOASSIST_STORE__PATH"] = str(settings.store.path)
        os.environ["ISOASSIST_WEB__HOST"] = web.host
        os.environ["ISOASSIST_WEB__PORT"] = str(web.port)
        console.print(
            f"Trợ lý ISO đang chạy tại http://{web.host}:{web.port} "
            f"({web.workers} tiến trình; chỉ mục: {settings.store.path}). Nhấn Ctrl+C để dừng."
        )
        if web.workers > 1:
            uvicorn.run(
                "bots.web:app_factory", factory=True, host=web.host, port=web.port, workers=web.workers
            )
        else:
            from bots.web import create_app

            uvicorn.run(create_app(settings), host=web.host, port=web.port)
