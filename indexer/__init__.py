"""Indexer edge: the ``isoassist index`` command lives in ``assistant/cli/index.py`` and the pipeline in
``assistant/indexing``; this package holds the benchmarks (``isoassist bench index|ask``)."""
