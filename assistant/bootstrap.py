"""The one place concrete adapters are chosen and wired: ``build_assistant(settings)``."""

from __future__ import annotations

import os
from pathlib import Path

from .config import Settings
from .domain.catalog import Catalog
from .service import Assistant


def _read_yaml(path: Path):
    """A knowledge YAML file's data; ``None`` when it is missing."""
    if not path.exists():
        return None
    import yaml

    return yaml.safe_load(path.read_text(encoding="utf-8"))


def load_glossary_pairs(knowledge_dir: Path):
    """Abbreviation pairs from the onboarding glossary (the same file the lessons use), then the typing
    shorthands (``shorthands.yaml``, one way)."""
    from .retrieval.query import GlossaryPair

    data = _read_yaml(knowledge_dir / "onboarding" / "glossary.yaml") or {}
    items = data.get("terms", data) if isinstance(data, dict) else data
    pairs = []
    for t in items or []:
        term = t.get("term")
        abbrs = [a for a in (t.get("abbreviations") or []) if a]
        for abbr in abbrs:
            if term:
                pairs.append(GlossaryPair(short=abbr, long=term, canonical=abbrs[0]))
    return pairs + load_shorthand_pairs(knowledge_dir)


def load_shorthand_pairs(knowledge_dir: Path):
    """How people shorten words when they type a question ("VB", "cq", "GXN"): expanded one way only. A
    broken file only loses the shorthands (logged); questions are still answered."""
    import logging

    import yaml

    from .retrieval.query import GlossaryPair

    path = knowledge_dir / "onboarding" / "shorthands.yaml"
    try:
        data = _read_yaml(path)
    except (yaml.YAMLError, OSError, UnicodeDecodeError) as exc:
        logging.getLogger(__name__).warning("bỏ qua %s: %s", path, exc)
        return []
    items = data.get("shorthands") if isinstance(data, dict) else None
    return [
        GlossaryPair(short=str(x["short"]), long=str(x["long"]), one_way=True)
        for x in items or []
        if isinstance(x, dict) and x.get("short") and x.get("long")
    ]


def build_catalog(settings: Settings) -> Catalog:
    from .adapters.catalog_yaml import load_catalog

    return load_catalog(settings.catalog_path)


def build_embedder(settings: Settings):
    from .adapters.embeddings import CachedEmbedder
    from .adapters.embeddings import build_embedder as make
    from .indexing.layout import StoreLayout

    cache = settings.store.embedding_cache or StoreLayout(settings.store.path).cache_file
    return CachedEmbedder(make(settings.embedding), cache)


def build_indexer(settings: Settings, catalog: Catalog, embedder):
    from .adapters.loaders import load_document
    from .indexing.pipeline import Indexer

    try:
        from .adapters.facts_sqlite import FactStore  # noqa: F401
        from .facts.extract import extract_facts  # noqa: F401
        from .indexing.facts_hook import write_facts
    except ImportError:
        write_facts = None
    return Indexer(
        settings.store,
        embedder,
        catalog,
        load_document,
        fact_writer=write_facts,
        chunk_budget=settings.store.chunk_tokens,
    )


def build_assistant(settings: Settings) -> Assistant:
    os.environ.setdefault("OMP_WAIT_POLICY", "passive")
    from .answering.composer import OfflineComposer
    from .answering.currency import CurrencyChecker
    from .answering.rerank import SentenceReranker
    from .answering.service import AnsweringService
    from .retrieval.query import Expander
    from .retrieval.reader import IndexReader
    from .retrieval.retriever import Retriever

    catalog = build_catalog(settings)
    embedder = build_embedder(settings)
    reader = IndexReader(settings.store)
    expander = Expander(load_glossary_pairs(settings.knowledge_dir))
    composer = OfflineComposer()
    retriever = Retriever(
        reader,
        embedder,
        catalog,
        settings.retrieval,
        expander=expander,
        reranker=SentenceReranker(composer, settings.retrieval),
    )
    currency = CurrencyChecker(catalog)
    llm = None
    if settings.llm.base_url:
        from .adapters.llm_openai import OpenAIChatModel

        llm = OpenAIChatModel(settings.llm)
    facts = _facts_service(reader, catalog)
    answering = AnsweringService(
        retriever=retriever,
        composer=composer,
        currency=currency,
        settings=settings.retrieval,
        llm=llm,
        prompts_dir=settings.prompts_dir,
        facts=facts,
    )
    return Assistant(
        settings=settings,
        catalog=catalog,
        reader=reader,
        retriever=retriever,
        answering=answering,
        currency=currency,
        indexer_factory=lambda: build_indexer(settings, catalog, embedder),
        drafter_factory=lambda: _drafter(settings, catalog, reader, facts, llm),
        onboarding_factory=lambda: _onboarding(settings, reader, facts),
    )


def _facts_service(reader, catalog):
    """Facts over the served version (re-opened when the version changes)."""
    try:
        from .facts.service import FactsService  # noqa: F401
    except ImportError:
        return None
    from .indexing.facts_hook import VersionedFacts

    return VersionedFacts(reader, catalog)


def _drafter(settings: Settings, catalog: Catalog, reader, facts, llm):
    from .drafting.service import Drafter
    from .indexing.facts_hook import ReaderEvidence

    evidence = ReaderEvidence(reader)
    return Drafter(catalog, evidence, facts, settings.prompts_dir / "drafts", llm=llm)


def _onboarding(settings: Settings, reader, facts):
    from .onboarding.service import OnboardingService

    return OnboardingService(settings.knowledge_dir / "onboarding", settings.store.path, reader, facts)
