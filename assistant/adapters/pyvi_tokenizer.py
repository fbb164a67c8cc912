"""Tokenisers for BM25: pyvi word segmentation (offline CRF model shipped in the wheel) and syllables.

Two token streams:
- ``accent_tokens``: folded pyvi words (``quản_lý``) plus folded syllables — for queries with diacritics;
- ``plain_tokens``: accent-free syllables plus adjacent syllable pairs — for queries typed without them.
"""

from __future__ import annotations

import re
import threading

from ..domain.vntext import fold, nfc, strip_diacritics

_TOKEN = re.compile(r"\w+(?:&\w+)?", re.UNICODE)
_lock = threading.Lock()
_STOP = frozenset(
    "và của các có được cho theo trong với về là tại từ này đó những một để thì như khi đã sẽ ra"
    " vào lại nào gì bị hoặc nếu trên đến".split()
)
_STOP_PLAIN = frozenset(strip_diacritics(w) for w in _STOP)


def _pyvi(text: str) -> str:
    from pyvi import ViTokenizer

    with _lock:
        return ViTokenizer.tokenize(text)


def syllable_tokens(text: str) -> list[str]:
    return [t for t in _TOKEN.findall(fold(text)) if t not in _STOP]


def word_tokens(text: str) -> list[str]:
    """Folded pyvi words (multi-syllable words joined by ``_``), stop words removed."""
    seg = _pyvi(nfc(text))
    return [t for t in _TOKEN.findall(fold(seg)) if t not in _STOP and t != "_"]


def accent_tokens(text: str) -> list[str]:
    words = word_tokens(text)
    sylls = syllable_tokens(text)
    return words + [s for s in sylls if s not in set(words)]


def plain_tokens(text: str) -> list[str]:
    sylls = [t for t in _TOKEN.findall(strip_diacritics(text)) if t not in _STOP_PLAIN]
    return sylls + [f"{a}_{b}" for a, b in zip(sylls, sylls[1:], strict=False)]
