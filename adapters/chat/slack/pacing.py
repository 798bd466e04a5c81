"""Client-side pacing for Slack posts: stay under the limits instead of bouncing off them.

Measured by bench/bench_digests.py: letting 50 parallel posts hit the workspace limit turned into
hundreds of 429s, and a post that drew three in a row gave up. Handing out send slots 1/rate
apart, first come first served, and pushing every slot back when Slack still says Retry-After,
keeps the fan-out at the limit with no 429s and no lost digests.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable


class SlotPacer:
    """Hands out moments at least ``1/rate`` seconds apart; ``rate <= 0`` disables pacing."""

    def __init__(
        self,
        rate: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.interval = 1.0 / rate if rate > 0 else 0.0
        self._clock = clock
        self._sleep = sleep
        self._next = 0.0

    async def wait(self) -> None:
        if self.interval == 0:
            return
        now = self._clock()
        slot = max(now, self._next)
        self._next = slot + self.interval  # reserved before sleeping: first come, first served
        if slot > now:
            await self._sleep(slot - now)

    def back_off(self, seconds: float) -> None:
        """Slack said Retry-After: nobody posts before then."""
        self._next = max(self._next, self._clock() + seconds)
