"""A short-lived cache of read-only chat answers.

When a leader shares a win in a meeting, fifty people type /wins within a second. The answer only
changes when detection runs or someone writes through the bot, so read-only answers are kept for
a few seconds (WINSBOT_QUERY_CACHE_SECONDS; 0 turns it off). Writes through this process clear
it at once; writes by another process (the worker's detection) show after at most the TTL.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

V = TypeVar("V")


class TtlCache(Generic[V]):
    """A bounded LRU map whose entries expire ``ttl`` seconds after they were stored."""

    def __init__(
        self, ttl: float, *, max_entries: int = 1024, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.ttl = ttl
        self.max_entries = max_entries
        self._clock = clock
        self._entries: OrderedDict[Hashable, tuple[float, V]] = OrderedDict()

    def get(self, key: Hashable) -> V | None:
        if self.ttl <= 0:
            return None
        entry = self._entries.get(key)
        if entry is None:
            return None
        expires, value = entry
        if expires <= self._clock():
            del self._entries[key]
            return None
        self._entries.move_to_end(key)
        return value

    def put(self, key: Hashable, value: V) -> None:
        if self.ttl <= 0:
            return
        self._entries[key] = (self._clock() + self.ttl, value)
        self._entries.move_to_end(key)
        while len(self._entries) > self.max_entries:
            self._entries.popitem(last=False)

    def clear(self) -> None:
        self._entries.clear()
