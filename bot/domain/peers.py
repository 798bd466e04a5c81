"""How our follower growth compares with the peers we follow: one line a leader can weigh.

Growth is compared as a rate, never in followers: a peer ten times our size gains more people
in any week. Only platforms where both we and peers have accounts are compared, since growth on
a network only one side is on says nothing about the other.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.domain.models import Platform

MAX_PEERS_NAMED = 3  # the line names the biggest movers; the rest are in the average


@dataclass(frozen=True, slots=True)
class Growth:
    """One account's followers just before a period and at its end."""

    account: str
    platform: Platform
    before: int
    after: int

    @property
    def rate(self) -> float:
        return (self.after - self.before) / self.before if self.before > 0 else 0.0


def growth_line(ours: Sequence[Growth], peers: Sequence[Growth], noun: str = "week") -> str | None:
    """ "Followers this week: ours up 1.2% on LinkedIn and X, ahead of the peers we follow
    there (up 0.8%: Rival +1.5%, Other +0.1%)."

    None when there is nothing fair to compare: no peer with a known count, or none of our
    accounts on the peers' platforms.
    """
    peers = [p for p in peers if p.before > 0]
    ours = [o for o in ours if o.before > 0]
    shared = {p.platform for p in peers} & {o.platform for o in ours}
    peers = [p for p in peers if p.platform in shared]
    ours = [o for o in ours if o.platform in shared]
    if not peers or not ours:
        return None
    our_rate = _pooled(ours)
    peer_rate = _pooled(peers)
    named = sorted(peers, key=lambda p: -p.rate)[:MAX_PEERS_NAMED]
    names = ", ".join(f"{p.account} {_signed(p.rate)}" for p in named)
    more = len(peers) - len(named)
    if more:
        names += f" and {more} more"
    where = _platform_list(sorted({o.platform for o in ours}, key=lambda p: p.label))
    if _change(our_rate) == _change(peer_rate):
        verdict = "level with"  # as shown: "up 0.4%, behind peers up 0.4%" reads as a mistake
    else:
        verdict = "ahead of" if our_rate > peer_rate else "behind"
    return (
        f"Followers this {noun}: ours {_change(our_rate)} on {where}, {verdict} the peers we "
        f"follow there ({_change(peer_rate)}: {names})."
    )


def _pooled(accounts: Sequence[Growth]) -> float:
    """Growth of the accounts taken together: a big account's rate counts for its size."""
    before = sum(a.before for a in accounts)
    return (sum(a.after for a in accounts) - before) / before


def _plain(rate: float) -> str:
    """A rate as a percentage, with two decimals under 1% where weekly growth usually is."""
    percent = abs(rate) * 100
    return f"{percent:.2f}%" if percent < 1 else f"{percent:.1f}%"


def _change(rate: float) -> str:
    """ "up 1.2%", "down 0.4%", or "flat" when it rounds to nothing."""
    if round(rate * 10_000) == 0:
        return "flat"
    return f"{'up' if rate > 0 else 'down'} {_plain(rate)}"


def _signed(rate: float) -> str:
    return ("+" if rate >= 0 else "−") + _plain(rate)


def _platform_list(platforms: Sequence[Platform]) -> str:
    labels = [p.label for p in platforms]
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]
