"""`wins why 7` on a real database (SQLite and PostgreSQL): the stored figures and the posts a
win was compared with, read back by id; a peer's win, an old win and a number that is no win."""

from __future__ import annotations

from datetime import date

from sqlalchemy import update

from bot.domain.models import AccountKind, Campaign, CampaignMetric, FollowerRecord, Platform
from bot.domain.views import ErrorView, WhyView
from bot.domain.why import RECORD_COMPARED
from bot.store.accounts import register_account
from bot.store.tables import wins
from bot.store.wins import WinFilter
from bot.usecases.results import WinsService
from tests.store.test_detection import STEADY, T0, post


async def test_a_post_win_lists_the_posts_its_baseline_was_the_median_of(
    service: WinsService,
) -> None:
    await service.ingest([*STEADY, post(12, 900)])
    await service.detect()
    [win] = await service.wins(WinFilter(since=T0))
    view = await service.why(win.id)
    assert isinstance(view, WhyView)
    assert view.title == f"Why #{win.id} is a win"
    assert view.facts[0] == "902 interactions in the first 24 hours."
    assert view.facts[1].startswith("Its usual: 107, the median of acme's last 12 LinkedIn")
    assert len(view.compared) == 12
    counts = [p.engagement for p in view.compared]
    assert counts == sorted(counts, reverse=True)
    assert [p.engagement for p in view.compared if p.median] == [107, 107]
    urls = {p.url for p in view.compared}
    assert urls == {f"https://example.com/acme/{n}" for n in range(12)}
    assert all(p.text == "hello" and p.published_at is not None for p in view.compared)


async def test_a_peers_win_is_explained_and_named_as_a_peers(service: WinsService) -> None:
    async with service.db.engine.begin() as conn:
        await register_account(conn, Platform.LINKEDIN, "rival", kind=AccountKind.PEER)
    await service.ingest([post(n, 100 + n % 3, account="rival") for n in range(12)])
    await service.ingest([post(12, 900, account="rival")])
    await service.detect()
    [win] = await service.peer_wins(WinFilter(since=T0))
    view = await service.why(win.id)
    assert isinstance(view, WhyView)
    assert view.title.endswith("stood out") and view.note is not None and "peer" in view.note


async def test_a_win_from_before_compared_was_kept_says_how_to_record_it(
    service: WinsService,
) -> None:
    await service.ingest([*STEADY, post(12, 900)])
    await service.detect()
    [win] = await service.wins(WinFilter(since=T0))
    async with service.db.engine.begin() as conn:
        old = {"ratio": 8.4, "engagement": 902, "baseline": 107.0, "history": 12}
        await conn.execute(update(wins).where(wins.c.id == win.id).values(details=old))
    view = await service.why(win.id)
    assert isinstance(view, WhyView)
    assert view.compared == [] and view.note == RECORD_COMPARED


async def test_milestones_and_pilot_goals_say_what_they_rest_on(service: WinsService) -> None:
    await service.add_campaign(
        Campaign(
            name="Grad pilot", metric=CampaignMetric.CLICKS, target=300,
            starts_on=date(2026, 10, 3), ends_on=date(2026, 10, 10), hashtag="GradPilot",
        )
    )  # fmt: skip
    await service.ingest([post(n, 50, text="Join us #GradPilot", clicks=120) for n in (3, 5, 8)])
    await service.ingest(
        [FollowerRecord(Platform.LINKEDIN, "acme", T0, 990),
         FollowerRecord(Platform.LINKEDIN, "acme", T0.replace(day=2), 1_020)]
    )  # fmt: skip
    await service.detect()
    [goal] = await service.wins(WinFilter(campaign="Grad pilot"))
    said = await service.why(goal.id)
    assert isinstance(said, WhyView)
    assert said.facts[0].startswith("360 clicks against a target of 300: 120% of the goal")
    [milestone] = [w for w in await service.wins(WinFilter()) if w.kind.value == "milestone"]
    said = await service.why(milestone.id)
    assert isinstance(said, WhyView)
    assert said.facts == [
        "Two follower counts in a row: 990 before, 1,020 on 2 Oct 2026, crossing 1,000."
    ]


async def test_a_number_that_is_no_win_gets_a_friendly_error(service: WinsService) -> None:
    view = await service.why(999_999_999_999)  # beyond 32 bits: PostgreSQL ids are BIGINT
    assert isinstance(view, ErrorView)
    assert view.message == "There is no win #999999999999."
    assert view.suggestion is not None and "`wins 30d`" in view.suggestion
