"""Structured facts (dữ kiện có cấu trúc): deadlines, assignments, amounts, targets, legal references.

- ``extract.extract_facts``: pure extraction from the chunks of one document.
- ``service.FactsService``: queries, currency warnings, ``doc_info`` and fact-routed answers.
- ``ics.to_ics``: deadlines as an iCalendar file.
"""

from .extract import extract_facts

__all__ = ["extract_facts"]
