"""Who may use the bot, and how often.

Allowed: ids in ``settings.telegram.allowed_ids`` or ``admin_ids`` (user or chat ids), and users an
admin approved through the pairing flow (stored in SQLite). Rate limit: an in-memory sliding window
per user; admins are not limited.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Iterable

from assistant.adapters.telegram_sqlite import PairingStore


class AccessPolicy:
    def __init__(self, allowed_ids: Iterable[int], admin_ids: Iterable[int], pairing: PairingStore) -> None:
        self.admin_ids = frozenset(admin_ids)
        self.allowed_ids = frozenset(allowed_ids) | self.admin_ids
        self.pairing = pairing

    def is_admin(self, user_id: int | None) -> bool:
        return user_id is not None and user_id in self.admin_ids

    def is_allowed(self, user_id: int | None, chat_id: int | None) -> bool:
        if user_id is not None and user_id in self.allowed_ids:
            return True
        if chat_id is not None and chat_id in self.allowed_ids:
            return True
        return user_id is not None and self.pairing.is_approved(user_id)


class RateLimiter:
    """Sliding window: at most ``per_minute`` events per key in any 60-second window."""

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic, window: float = 60.0):
        self.per_minute = per_minute
        self.window = window
        self._clock = clock
        self._events: dict[int, deque[float]] = {}

    def hit(self, key: int) -> float:
        """Record an event; 0.0 when allowed, else the seconds to wait (the event is not recorded)."""
        if self.per_minute <= 0:
            return 0.0
        now = self._clock()
        q = self._events.setdefault(key, deque())
        while q and q[0] <= now - self.window:
            q.popleft()
        if len(q) >= self.per_minute:
            return max(0.1, q[0] + self.window - now)
        q.append(now)
        return 0.0
