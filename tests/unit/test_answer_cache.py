"""The short-lived answer cache: expiry, bounds, and off when the TTL is 0."""

from __future__ import annotations

from bot.usecases.answering import TtlCache


class Ticker:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_entries_expire_after_the_ttl() -> None:
    tick = Ticker()
    cache: TtlCache[str] = TtlCache(10, clock=tick)
    cache.put("k", "answer")
    tick.now += 9.9
    assert cache.get("k") == "answer"
    tick.now += 0.2
    assert cache.get("k") is None


def test_least_recently_used_entry_is_dropped_first() -> None:
    cache: TtlCache[int] = TtlCache(60, max_entries=2)
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.get("a") == 1  # "b" is now the least recently used
    cache.put("c", 3)
    assert (cache.get("a"), cache.get("b"), cache.get("c")) == (1, None, 3)


def test_zero_ttl_disables_caching() -> None:
    cache: TtlCache[int] = TtlCache(0)
    cache.put("a", 1)
    assert cache.get("a") is None
