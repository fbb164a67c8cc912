"""Chroma as a client of a real Chroma server (``chroma run`` on 127.0.0.1), selected by settings."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import EMBED_CACHE, KNOWLEDGE_DOCS

from assistant.bootstrap import build_assistant
from assistant.config import StoreSettings


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture()
def chroma_server(tmp_path: Path):
    exe = Path(sys.executable).parent / "chroma"
    if not exe.exists():
        exe = Path(shutil.which("chroma") or "chroma")
    port = _free_port()
    proc = subprocess.Popen(
        [
            str(exe),
            "run",
            "--path",
            str(tmp_path / "chroma-server"),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                break
        except OSError:
            if proc.poll() is not None:
                pytest.fail("chroma run exited at start")
            time.sleep(0.1)
    yield port
    proc.terminate()
    proc.wait(timeout=20)


def test_index_and_search_through_a_chroma_server(tmp_path: Path, chroma_server: int, make_settings):
    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(KNOWLEDGE_DOCS / "002_4d03c45630b33bb7.txt", src)
    settings = make_settings(tmp_path / "store")
    settings = settings.model_copy(
        update={
            "store": StoreSettings(
                path=tmp_path / "store",
                chroma_mode="http",
                chroma_host="127.0.0.1",
                chroma_port=chroma_server,
                embedding_cache=EMBED_CACHE,
            )
        }
    )
    asst = build_assistant(settings)
    report = asst.index([src])
    assert report.switched and report.added
    # no embedded Chroma directory: vectors live in the server
    version_dir = tmp_path / "store" / "versions" / report.version
    assert not (version_dir / "chroma").exists()
    hits = asst.search("định kỳ hằng năm báo cáo kết quả ISO", k=5)
    assert hits and hits[0].doc_id == "kh-ninh-thuan-2022"

    import chromadb

    client = chromadb.HttpClient(host="127.0.0.1", port=chroma_server)
    assert f"iso_{report.version}" in [c.name for c in client.list_collections()]

    # a new version replaces the old collection on the server once the switch is done
    (src / "them.txt").write_text(
        "KẾ HOẠCH\nKiểm tra HTQLCL năm 2026\nI. NỘI DUNG\n1. Kiểm tra tại chỗ.\n", encoding="utf-8"
    )
    second = asst.index([src])
    assert second.switched
    names = [c.name for c in client.list_collections()]
    assert f"iso_{second.version}" in names
