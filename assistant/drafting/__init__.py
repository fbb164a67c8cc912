"""Soạn thảo văn bản ISO (drafting): eight kinds of drafts as NĐ 30/2020 Word files with citations."""

from .kinds import KINDS, kind_specs
from .ports import DeadlineSource, EvidenceLookup
from .service import Drafter

__all__ = ["KINDS", "DeadlineSource", "Drafter", "EvidenceLookup", "kind_specs"]
