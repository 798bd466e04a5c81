"""Our follower growth against the peers we follow: rates, like with like, said plainly."""

from __future__ import annotations

from bot.domain.models import Platform
from bot.domain.peers import Growth, growth_line

LI, X, YT = Platform.LINKEDIN, Platform.X, Platform.YOUTUBE


def test_rates_not_people_and_only_the_peers_platforms() -> None:
    ours = [Growth("acme", LI, 10_000, 10_120), Growth("acme-yt", YT, 1_000, 1_500)]
    # Globex gains 500 people but is fifty times our size: 0.1%, behind our 1.2%.
    peers = [Growth("Globex", LI, 500_000, 500_500), Growth("Initech", LI, 2_000, 2_030)]
    assert growth_line(ours, peers) == (
        "Followers this week: ours up 1.2% on LinkedIn, ahead of the peers we follow there "
        "(up 0.11%: Initech +1.5%, Globex +0.10%)."
    )  # YouTube's 50% says nothing about peers who are not on YouTube


def test_behind_level_down_and_the_month() -> None:
    peers = [Growth("Rival", X, 1_000, 1_030)]
    assert "ours down 0.50% on X, behind the peers" in (
        growth_line([Growth("acme", X, 2_000, 1_990)], peers, "month") or ""
    )
    level = growth_line([Growth("acme", X, 3_000, 3_090)], peers)
    assert level is not None and "ours up 3.0% on X, level with the peers" in level
    assert growth_line([Growth("acme", X, 1_000, 1_000)], peers) is not None
    flat = growth_line([Growth("acme", X, 1_000, 1_000)], peers) or ""
    assert flat.startswith("Followers this week: ours flat on X, behind")


def test_nothing_fair_to_compare_is_no_line() -> None:
    acme = Growth("acme", LI, 1_000, 1_010)
    assert growth_line([acme], []) is None
    assert growth_line([acme], [Growth("Rival", YT, 1_000, 1_100)]) is None
    assert growth_line([], [Growth("Rival", LI, 1_000, 1_100)]) is None
    assert growth_line([acme], [Growth("New", LI, 0, 50)]) is None  # no count before: no rate


def test_the_biggest_movers_are_named_and_the_rest_counted() -> None:
    peers = [Growth(f"P{n}", LI, 1_000, 1_000 + n) for n in range(1, 6)]
    line = growth_line([Growth("acme", LI, 1_000, 1_002)], peers) or ""
    assert "(up 0.30%: P5 +0.50%, P4 +0.40%, P3 +0.30% and 2 more)." in line


def test_a_peer_on_a_network_we_are_not_on_is_left_out() -> None:
    line = growth_line(
        [Growth("acme", LI, 1_000, 1_020)],
        [Growth("Globex", LI, 50_000, 50_250), Growth("Initech", YT, 100, 200)],
    )
    assert line is not None and line.endswith("(up 0.50%: Globex +0.50%).")
