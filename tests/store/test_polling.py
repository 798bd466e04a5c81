"""Polling rounds: sources feed the store, a failing source is contained, wins follow a round."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

import pytest

from bot.domain.models import (
    AccountKind,
    FollowerRecord,
    Metrics,
    Platform,
    RowProblem,
    SnapshotRecord,
    SourceAccount,
    SourceItem,
)
from bot.ports import FixedClock, SourceAuthError, SourceError
from bot.store.wins import WinFilter
from bot.usecases.polling import FIRST, OLD, YOUNG, Poller
from bot.usecases.results import WinsService


class FakeSource:
    """A Source that serves prepared posts and records what it was asked for."""

    def __init__(self, platform: Platform, posts: dict[str, list[tuple[int, int]]]) -> None:
        self.platform = platform
        self.posts = posts  # handle -> [(days ago, likes)]
        self.asked: list[tuple[str, datetime]] = []
        self.fail: Exception | None = None

    async def fetch(self, account: SourceAccount, since: datetime) -> list[SourceItem]:
        self.asked.append((account.handle, since))
        if self.fail is not None:
            raise self.fail
        now = NOW
        items: list[SourceItem] = [FollowerRecord(self.platform, account.handle, now, 1200)]
        for n, (days_ago, likes) in enumerate(self.posts.get(account.handle, [])):
            published = now - timedelta(days=days_ago, hours=1)
            if published >= since:
                items.append(
                    SnapshotRecord(
                        self.platform,
                        account.handle,
                        f"{account.handle}-{n}",
                        published,
                        Metrics(likes=likes),
                        captured_at=now,
                    )
                )
        items.append(RowProblem(0, f"{self.platform.value} post broken: no created_at"))
        return items

    async def check(self) -> str:
        return "fake"


NOW = datetime.fromisoformat("2026-11-23T09:00:00+00:00")
STEADY = [(d, 100 + d % 3) for d in range(40, 1, -1)] + [(1, 1500)]


def accounts() -> list[SourceAccount]:
    return [
        SourceAccount(platform=Platform.MASTODON, handle="acme", tags=("brand",)),
        SourceAccount(platform=Platform.MASTODON, handle="rival", kind=AccountKind.PEER),
        SourceAccount(platform=Platform.BLUESKY, handle="acme.bsky.social"),
    ]


async def test_a_round_stores_posts_and_finds_wins(service: WinsService) -> None:
    mastodon = FakeSource(Platform.MASTODON, {"acme": STEADY, "rival": STEADY})
    bluesky = FakeSource(Platform.BLUESKY, {"acme.bsky.social": STEADY[:5]})
    poller = Poller(service, {Platform.MASTODON: mastodon, Platform.BLUESKY: bluesky}, accounts())
    await poller.register_accounts()
    report = await poller.poll()
    assert report.accounts == 3 and len(report.problems) == 3 and report.failed == {}
    assert report.detection is not None and report.detection.wins_added >= 1
    [win] = await service.wins(WinFilter(platforms=(Platform.MASTODON,)))
    assert win.account == "acme" and win.account_tags == ("brand",)
    [peer] = await service.peer_wins(WinFilter())
    assert peer.account == "rival"


async def test_first_round_reaches_back_then_young_posts_then_a_month_daily(
    service: WinsService, clock: FixedClock
) -> None:
    clock.moment = NOW
    mastodon = FakeSource(Platform.MASTODON, {"acme": STEADY})
    poller = Poller(service, {Platform.MASTODON: mastodon}, accounts()[:1])
    await poller.poll(detect=False)
    await poller.poll(detect=False)
    await poller.poll(detect=False)
    clock.moment = NOW + timedelta(hours=25)
    await poller.poll(detect=False)
    sinces = [clock_since for _, clock_since in mastodon.asked]
    assert sinces[0] == NOW - FIRST
    assert sinces[1] == NOW - OLD  # the first daily reach back
    assert sinces[2] == NOW - YOUNG
    assert sinces[3] == NOW + timedelta(hours=25) - OLD


async def test_revoked_token_stops_that_source_once_and_the_others_carry_on(
    service: WinsService,
) -> None:
    told: list[str] = []

    async def notify(platform: Platform, message: str) -> None:
        told.append(f"{platform.value}: {message}")

    mastodon = FakeSource(Platform.MASTODON, {"acme": STEADY})
    mastodon.fail = SourceAuthError("mastodon: the access token is invalid")
    bluesky = FakeSource(Platform.BLUESKY, {"acme.bsky.social": STEADY[:5]})
    poller = Poller(
        service, {Platform.MASTODON: mastodon, Platform.BLUESKY: bluesky}, accounts(), notify=notify
    )
    poller.concurrency = 1
    first = await poller.poll()
    second = await poller.poll()
    assert [h for h, _ in mastodon.asked] == ["acme", "acme"]  # "rival" is not even tried
    assert list(first.failed) == ["mastodon:acme"] and list(second.failed) == ["mastodon:acme"]
    assert first.snapshots_added == 5  # Bluesky went on
    assert told == ["mastodon: mastodon: the access token is invalid"]  # told once
    assert poller.health[Platform.MASTODON].healthy is False
    assert poller.health[Platform.BLUESKY].healthy is True


async def test_an_outage_for_one_account_skips_only_that_account(service: WinsService) -> None:
    class Flaky(FakeSource):
        async def fetch(self, account: SourceAccount, since: datetime) -> list[SourceItem]:
            if account.handle == "acme":
                raise SourceError("mastodon: HTTP 502 after 4 tries")
            return await super().fetch(account, since)

    poller = Poller(
        service, {Platform.MASTODON: Flaky(Platform.MASTODON, {"rival": STEADY})}, accounts()[:2]
    )
    report = await poller.poll(detect=False)
    assert list(report.failed) == ["mastodon:acme"]
    assert report.snapshots_added == len(STEADY)


async def test_peers_standout_posts_feed_the_digest(service: WinsService) -> None:
    from bot.domain.models import Audience
    from bot.domain.periods import parse_week

    mastodon = FakeSource(Platform.MASTODON, {"acme": STEADY, "rival": STEADY})
    poller = Poller(service, {Platform.MASTODON: mastodon}, accounts()[:2])
    await poller.register_accounts()
    await poller.poll()
    view = await service.digest(Audience(), parse_week("2026-W48", "UTC"))
    assert [w.account for w in view.peer_wins] == ["rival"]
    assert all(w.account != "rival" for w in view.top_wins)


async def test_what_a_platform_sends_out_of_bounds_is_skipped_and_never_poisons_the_store(
    service: WinsService, caplog: pytest.LogCaptureFixture
) -> None:
    """A NUL, a 64-bit-busting count, a year-9999 date or a 300-character id from an API used to
    go straight to the store: on PostgreSQL one of them sank the whole account's batch, and a
    stored year-9999 date made every later detection fail."""

    class Hostile(FakeSource):
        async def fetch(self, account: SourceAccount, since: datetime) -> list[SourceItem]:
            items = await super().fetch(account, since)
            published = NOW - timedelta(days=3)

            def post(post_id: str, **changes: object) -> SnapshotRecord:
                record = SnapshotRecord(
                    Platform.MASTODON, account.handle, post_id, published, Metrics(likes=5),
                    text="hello", captured_at=NOW,
                )  # fmt: skip
                for name, value in changes.items():
                    setattr(record, name, value)
                return record

            return [
                *items,
                post("nul-text", text="damaged\x00text", url="https://e.x/\x00p"),
                post("huge", metrics=Metrics(likes=2**70)),
                post("negative", metrics=Metrics(comments=-1)),
                post("far-future", published_at=datetime(9999, 12, 31, tzinfo=NOW.tzinfo)),
                post("a" * 300),
                post("nul\x00id"),
                FollowerRecord(Platform.MASTODON, account.handle, NOW, 2**64),
            ]

    poller = Poller(
        service, {Platform.MASTODON: Hostile(Platform.MASTODON, {"acme": STEADY})}, accounts()[:1]
    )
    with caplog.at_level(logging.WARNING, logger="winsbot.polling"):
        report = await poller.poll()
    assert report.failed == {}
    assert report.snapshots_added == len(STEADY) + 1  # every good post, and the repaired one
    skipped = [p for p in report.problems if "no created_at" not in p]
    assert len(skipped) == 6
    assert any("'huge': likes 1180591620717411303424 is not a count" in p for p in skipped)
    assert any("published 9999-12-31" in p for p in skipped)
    assert len([r for r in caplog.records if r.levelno == logging.WARNING]) == 6
    assert not any(r.exc_info for r in caplog.records)
    # The store still answers every later command: detection, the wins list and a digest.
    again = await poller.poll()
    assert again.failed == {} and again.detection is not None
    stored = await service.wins(WinFilter(limit=100))
    assert all("\x00" not in (w.post_text or "") for w in stored)
