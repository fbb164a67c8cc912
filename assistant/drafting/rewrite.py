"""Optional LLM polish of free-text parts (e.g. policy commitments).

The model only rewords sentences the template already holds; citations, legal bases, numbers and
deadlines never pass through it. A reply that adds numbers, document references or markup is
rejected, and any failure keeps the template text.
"""

from __future__ import annotations

import re
from typing import Any

from jinja2 import Environment

from ..domain.models import CurrencyWarning
from ..domain.ports import ChatModel
from ..domain.vntext import nfc, parse_doc_numbers

_FORBIDDEN = ("[", "]", "{", "}", "|", "::", "#", "*")


def acceptable(original: str, candidate: str) -> bool:
    """A rewording keeps the meaning's anchors: no new numbers, no document references, no markup."""
    cand = candidate.strip()
    if not cand or "\n" in cand or any(tok in cand for tok in _FORBIDDEN):
        return False
    if not 0.5 <= len(cand) / max(len(original), 1) <= 2.0:
        return False
    if not set(re.findall(r"\d+", cand)) <= set(re.findall(r"\d+", original)):
        return False
    return {r.key for r in parse_doc_numbers(cand)} <= {r.key for r in parse_doc_numbers(original)}


def _clean(reply: str) -> str:
    text = nfc(reply).strip().strip("\"“”'").strip()
    text = re.sub(r"^\s*[-•]\s*", "", text)
    return re.sub(r"\s+", " ", text)


class Rewriter:
    """Rewords free-text parts with a ``ChatModel``; falls back to the original text on any problem."""

    def __init__(self, llm: ChatModel, env: Environment) -> None:
        self._llm = llm
        self._env = env

    def _one(self, text: str, kind_title: str, agency: str) -> str | None:
        system = self._env.get_template("_rewrite_system.j2").render()
        user = self._env.get_template("_rewrite_user.j2").render(
            text=text, kind_title=kind_title, agency=agency
        )
        reply = _clean(self._llm.complete(system, user))
        return reply if acceptable(text, reply) else None

    def rewrite(
        self, parts: dict[str, Any], kind_title: str, agency: str
    ) -> tuple[dict[str, Any], list[CurrencyWarning]]:
        out: dict[str, Any] = {}
        failed = rejected = 0
        for name, value in parts.items():
            items = value if isinstance(value, list) else [value]
            new_items = []
            for text in items:
                try:
                    new = self._one(text, kind_title, agency)
                except Exception:  # noqa: BLE001 - any model failure keeps the template text
                    failed += 1
                    new = None
                else:
                    rejected += new is None
                new_items.append(new or text)
            out[name] = new_items if isinstance(value, list) else new_items[0]
        warnings = []
        if failed:
            warnings.append(
                CurrencyWarning(
                    code="llm_unavailable",
                    message=(
                        "Không gọi được mô hình ngôn ngữ để biên tập câu chữ; đã giữ nguyên văn bản mẫu."
                    ),
                )
            )
        elif rejected:
            warnings.append(
                CurrencyWarning(
                    code="llm_rejected",
                    message=(
                        f"Đã giữ nguyên {rejected} câu mẫu vì bản biên tập của mô hình thêm số liệu hoặc trích dẫn."
                    ),
                )
            )
        return out, warnings
