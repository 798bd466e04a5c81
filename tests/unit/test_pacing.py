"""Client-side Slack pacing: slots 1/rate apart, first come first served, pushed back on 429."""

from __future__ import annotations

from adapters.chat.slack.pacing import SlotPacer


class Clock:
    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(round(seconds, 6))


async def test_slots_are_handed_out_one_interval_apart() -> None:
    clock = Clock()
    pacer = SlotPacer(4, clock=clock, sleep=clock.sleep)  # 4 per second: 0.25 s apart
    for _ in range(3):
        await pacer.wait()
    assert clock.slept == [0.25, 0.5]  # the first goes at once, the others queue behind it


async def test_retry_after_pushes_every_later_slot_back() -> None:
    clock = Clock()
    pacer = SlotPacer(10, clock=clock, sleep=clock.sleep)
    await pacer.wait()
    pacer.back_off(2.0)
    await pacer.wait()
    assert clock.slept == [2.0]


async def test_zero_rate_means_no_pacing() -> None:
    clock = Clock()
    pacer = SlotPacer(0, clock=clock, sleep=clock.sleep)
    for _ in range(5):
        await pacer.wait()
    assert clock.slept == []
