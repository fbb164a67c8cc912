"""Ports the drafting use case needs (implemented by the lead's store and fact extractor)."""

from __future__ import annotations

from typing import Protocol

from ..domain.models import Citation, Fact


class EvidenceLookup(Protocol):
    """Finds the passage of a document that states a phrase (tra cứu đoạn làm căn cứ)."""

    def find(self, doc_id: str, phrase: str) -> Citation | None:
        """A Citation whose ``quote`` is a verbatim span of an indexed chunk containing ``phrase``.

        ``None`` when the document is not indexed or no chunk contains the phrase. ``n`` is ignored:
        the drafter renumbers citations in the order they appear in the draft.
        """
        ...


class DeadlineSource(Protocol):
    """Thời hạn extracted from the knowledge base (facts of kind ``deadline``)."""

    def deadlines(self, province: str | None) -> list[Fact]: ...
