"""Evaluation harness of Trợ lý ISO: domain suite, BEIR runner, baselines, reports, CI gate.

Entry point: ``isoassist eval`` (``assistant/cli/evaluate.py``) → ``evals.run.run_eval``. See ``evals/README.md``.
"""
