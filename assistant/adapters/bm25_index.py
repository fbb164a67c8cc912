"""BM25 adapter (bm25s) over pre-tokenised chunks; one index per token stream per version."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np


class BM25Index:
    def __init__(self, retriever, ids: list[str]) -> None:
        self._r = retriever
        self.ids = ids

    @classmethod
    def build(cls, ids: Sequence[str], tokens: Sequence[Sequence[str]]) -> BM25Index:
        import bm25s

        r = bm25s.BM25()
        # bm25s needs at least one token per document
        r.index([list(t) or ["∅"] for t in tokens], show_progress=False)
        return cls(r, list(ids))

    def save(self, path: Path) -> None:
        path.mkdir(parents=True, exist_ok=True)
        self._r.save(str(path))
        (path / "ids.txt").write_text("\n".join(self.ids), encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> BM25Index:
        import bm25s

        r = bm25s.BM25.load(str(path))
        ids = (path / "ids.txt").read_text(encoding="utf-8").split("\n")
        return cls(r, ids)

    def scores(self, query_tokens: Sequence[str]) -> np.ndarray:
        """Scores for every chunk (aligned with ``ids``)."""
        if not query_tokens:
            return np.zeros(len(self.ids), dtype=np.float32)
        return np.asarray(self._r.get_scores(list(query_tokens)), dtype=np.float32)
