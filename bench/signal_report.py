"""The signal benchmark's figures: what was found against the truth, per seed and pooled.

Apart from ``bench_signal`` (which generates the history and runs detection) so that file stays
about the world it simulates; this is only counting.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from bench.common import END
from bench.signal_rates import JUDGEABLE_IMPRESSIONS

if TYPE_CHECKING:
    from bench.bench_signal import TruePost

BIG = 6.0  # a post >= 6x its usual engagement must be found
ORDINARY = 2.0  # a post <= 2x its usual on every metric must not be
RATE_BIG = 3.0  # a rate >= 3x the account's usual must be found
RATE_ORDINARY = 1.5  # a rate <= 1.5x its usual must never be told as a rate win


@dataclass
class Figures:
    """One seed's counts; lists of posts for --verbose."""

    caught: int = 0
    big: int = 0
    every_caught: int = 0
    every_big: int = 0
    flagged: int = 0
    ordinary: int = 0
    early: int = 0
    polled: int = 0
    tau: float = 0.0
    wins: int = 0
    rate_caught: int = 0
    rate_named: int = 0
    rate_big: int = 0
    rate_flagged: int = 0
    rate_ordinary: int = 0
    lines: list[str] = field(default_factory=list)

    def print(self, verbose: bool) -> None:
        print(
            f"  recall of posts >= 6x usual        {self.caught}/{self.big} = "
            f"{self.caught / max(self.big, 1):.2f}  (target >= 0.95)"
        )
        print(
            f"    with the routine ones too        {self.every_caught}/{self.every_big} = "
            f"{self.every_caught / max(self.every_big, 1):.2f}  (jumps the account makes "
            "every few posts)"
        )
        print(
            f"  posts <= 2x usual flagged          {self.flagged}/{self.ordinary} = "
            f"{self.flagged / max(self.ordinary, 1):.1%}  (target <= 1%; every metric <= 2x)"
        )
        print(f"  early catches (< 24 h, last 14 d)  {self.early}/{self.polled}")
        print(
            f"  Kendall tau, rank vs truth         {self.tau:.2f} over {self.wins} wins  "
            "(target >= 0.6)"
        )
        print(
            f"  rates >= 3x usual found            {self.rate_caught}/{self.rate_big} = "
            f"{self.rate_caught / max(self.rate_big, 1):.2f}  ({self.rate_named} told as the rate)"
        )
        print(
            f"  rates <= 1.5x told as rate wins    {self.rate_flagged}/{self.rate_ordinary} = "
            f"{self.rate_flagged / max(self.rate_ordinary, 1):.1%}"
        )
        if verbose:
            for line in self.lines:
                print(line)


def measure(
    truth: Sequence[TruePost],
    first_seen: dict[str, datetime],
    rate_named: set[str],
    metrics: dict[str, str],
    ranked: Sequence[str],
    start: datetime,
) -> Figures:
    """The figures for one seed. Posts with fewer than 5 earlier posts on their account are
    left out of all of them, and rates on fewer than 1,000 impressions out of the rate's:
    nobody can judge those."""
    by_id = {p.post_id: p for p in truth}
    judged = [p for p in truth if p.judged]
    every_big = [p for p in judged if p.exceptional >= BIG]
    big = [p for p in every_big if not p.routine]
    ordinary = [p for p in judged if p.truth <= ORDINARY]
    caught = [p for p in big if p.post_id in first_seen]
    flagged = [p for p in ordinary if p.post_id in first_seen]
    polled = [p for p in caught if p.published_at >= start]
    early = [p for p in polled if first_seen[p.post_id] - p.published_at <= timedelta(hours=24)]
    wins = [by_id[i] for i in ranked if by_id[i].judged]
    tau = kendall_tau([-float(n) for n in range(len(wins))], [math.log(p.truth) for p in wins])
    rated = [
        p for p in judged if p.rate_multiple is not None and p.impressions >= JUDGEABLE_IMPRESSIONS
    ]
    rate_big = [p for p in rated if (p.rate_multiple or 0) >= RATE_BIG and not p.rate_routine]
    rate_ordinary = [p for p in rated if (p.rate_multiple or 0) <= RATE_ORDINARY]
    figures = Figures(
        caught=len(caught), big=len(big),
        every_caught=sum(1 for p in every_big if p.post_id in first_seen),
        every_big=len(every_big), flagged=len(flagged), ordinary=len(ordinary),
        early=len(early), polled=len(polled), tau=tau, wins=len(wins),
        rate_caught=sum(1 for p in rate_big if p.post_id in first_seen),
        rate_named=sum(1 for p in rate_big if p.post_id in rate_named),
        rate_big=len(rate_big),
        rate_flagged=sum(1 for p in rate_ordinary if p.post_id in rate_named),
        rate_ordinary=len(rate_ordinary),
    )  # fmt: skip
    for p in sorted(big, key=lambda p: -p.exceptional):
        mark = "caught" if p.post_id in first_seen else "MISSED"
        age = (END - p.published_at).total_seconds() / 3600
        figures.lines.append(f"    {mark} {p.post_id:<20} {p.exceptional:6.1f}x  {age:6.0f} h old")
    for p in flagged:
        figures.lines.append(
            f"    FLAGGED {p.post_id:<20} {p.exceptional:6.1f}x  on {metrics.get(p.post_id)}"
            f" (truth {p.truth:.1f}x)"
        )
    for p in sorted(rate_big, key=lambda p: -(p.rate_multiple or 0)):
        mark = "rate caught" if p.post_id in first_seen else "rate MISSED"
        figures.lines.append(f"    {mark} {_rate_line(p)}")
    for p in rate_ordinary:
        if p.post_id in rate_named:
            figures.lines.append(f"    RATE FLAGGED {_rate_line(p)}")
    return figures


def _rate_line(p: TruePost) -> str:
    age = (END - p.published_at).total_seconds() / 3600
    return (
        f"{p.post_id:<20} rate {p.rate_multiple or 0:4.1f}x ({(p.rate or 0):.2%}), "
        f"engagement {p.exceptional:4.1f}x, {p.impressions:,.0f} impressions, {age:5.0f} h old"
    )


def pooled(totals: Sequence[Figures]) -> None:
    """All seeds' counts added up: the figures a rule is judged by."""
    total = Figures()
    for f in totals:
        for name in (
            "caught", "big", "every_caught", "every_big", "flagged", "ordinary",
            "rate_caught", "rate_named", "rate_big", "rate_flagged", "rate_ordinary",
        ):  # fmt: skip
            setattr(total, name, getattr(total, name) + getattr(f, name))
    taus = [f.tau for f in totals]
    print(f"  recall {total.caught}/{total.big} = {total.caught / max(total.big, 1):.3f}  "
          "(target >= 0.95)")  # fmt: skip
    print(
        f"    routine ones too {total.every_caught}/{total.every_big} = "
        f"{total.every_caught / max(total.every_big, 1):.3f}"
    )
    print(
        f"  flagged {total.flagged}/{total.ordinary} = "
        f"{total.flagged / max(total.ordinary, 1):.2%}  (target <= 1%)"
    )
    print(f"  Kendall tau {min(taus):.2f} to {max(taus):.2f}  (target >= 0.6)")
    print(
        f"  rates >= 3x found {total.rate_caught}/{total.rate_big} = "
        f"{total.rate_caught / max(total.rate_big, 1):.3f} ({total.rate_named} told as the rate)"
    )
    print(
        f"  rates <= 1.5x told as rate wins {total.rate_flagged}/{total.rate_ordinary} = "
        f"{total.rate_flagged / max(total.rate_ordinary, 1):.2%}"
    )


def kendall_tau(xs: list[float], ys: list[float]) -> float:
    """Kendall's tau-b: +1 when both orders agree on every pair, 0 when unrelated."""
    concordant = discordant = ties_x = ties_y = 0
    for i in range(len(xs)):
        for j in range(i + 1, len(xs)):
            dx, dy = xs[i] - xs[j], ys[i] - ys[j]
            if dx == 0 and dy == 0:
                continue
            if dx == 0:
                ties_x += 1
            elif dy == 0:
                ties_y += 1
            elif (dx > 0) == (dy > 0):
                concordant += 1
            else:
                discordant += 1
    denominator = math.sqrt((concordant + discordant + ties_x) * (concordant + discordant + ties_y))
    return (concordant - discordant) / denominator if denominator else 0.0
