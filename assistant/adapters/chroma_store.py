"""Chroma adapter for the ``VectorIndex`` port.

Vectors are always computed by us and passed in; the collection is created with
``embedding_function=None`` so Chroma never loads (or downloads) its default model.
Embedded mode: one ``PersistentClient`` directory per index version. HTTP mode: a Chroma server
(``chroma run`` on 127.0.0.1) with one collection per index version.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from ..config import StoreSettings
from ..domain.errors import KnowledgeBaseError


def _client(settings: StoreSettings, version_dir: Path):
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    cs = ChromaSettings(anonymized_telemetry=False)
    try:
        if settings.chroma_mode == "http":
            return chromadb.HttpClient(host=settings.chroma_host, port=settings.chroma_port, settings=cs)
        return chromadb.PersistentClient(path=str(version_dir / "chroma"), settings=cs)
    except Exception as exc:  # chromadb raises plain Exceptions for connection errors
        raise KnowledgeBaseError(
            f"Không kết nối được Chroma ({settings.chroma_mode}): {exc}. "
            "Kiểm tra máy chủ Chroma hoặc thư mục chỉ mục."
        ) from exc


def collection_name(settings: StoreSettings, version: str) -> str:
    return f"iso_{version}" if settings.chroma_mode == "http" else "chunks"


class ChromaVectorIndex:
    """One index version's vectors in Chroma (cosine)."""

    def __init__(
        self, settings: StoreSettings, version_dir: Path, version: str, create: bool = False
    ) -> None:
        self._client = _client(settings, version_dir)
        name = collection_name(settings, version)
        try:
            if create:
                self._col = self._client.get_or_create_collection(
                    name,
                    embedding_function=None,
                    configuration={"hnsw": {"space": "cosine", "ef_search": settings.hnsw_ef_search}},
                )
            else:
                self._col = self._client.get_collection(name, embedding_function=None)
        except Exception as exc:
            raise KnowledgeBaseError(f"Không mở được bộ sưu tập Chroma '{name}': {exc}") from exc

    def upsert(self, ids: Sequence[str], vectors: np.ndarray, metadatas: Sequence[dict]) -> None:
        step = 2000
        for i in range(0, len(ids), step):
            self._col.upsert(
                ids=list(ids[i : i + step]),
                embeddings=np.asarray(vectors[i : i + step], dtype=np.float32),
                metadatas=list(metadatas[i : i + step]),
            )

    def delete(self, ids: Sequence[str]) -> None:
        if ids:
            self._col.delete(ids=list(ids))

    def query(self, vector: np.ndarray, k: int, where: dict | None = None) -> list[tuple[str, float]]:
        n = self.count()
        if n == 0:
            return []
        res = self._col.query(
            query_embeddings=[np.asarray(vector, dtype=np.float32)],
            n_results=min(k, n),
            where=where or None,
            include=["distances"],
        )
        ids = res["ids"][0]
        dists = res["distances"][0]
        return [(i, 1.0 - float(d)) for i, d in zip(ids, dists, strict=True)]

    def count(self) -> int:
        return int(self._col.count())


def drop_version(settings: StoreSettings, version: str) -> None:
    """Remove a version's collection on a Chroma server (embedded versions are removed with their dir)."""
    if settings.chroma_mode != "http":
        return
    try:
        _client(settings, Path(".")).delete_collection(collection_name(settings, version))
    except Exception:  # already gone or server down: nothing to clean
        pass
