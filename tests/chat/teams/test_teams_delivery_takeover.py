"""Teams digests taken over from a worker that stopped: Teams cannot be asked whether the digest
went out, so a maybe-posted one is parked as uncertain for a person, never posted twice."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

import pytest

from bot.domain.models import Audience, Chat, Schedule, Subscription
from bot.domain.views import ChatView, DigestView
from bot.ports import ChatSender, FixedClock
from bot.store.deliveries import delivery_for
from bot.store.subscriptions import subscribe
from bot.usecases.delivery import DigestRunner
from tests.chat.teams.conftest import CHANNEL, NOW, TEAM, TeamsHarness
from tests.fakes.bot_connector import BOT_ID

WEEK = "2026-W47"


class Killed(BaseException):
    """SIGKILL as seen from inside: nothing after it runs, not even `except Exception`."""


class DiesWhilePosting:
    def __init__(self, sender: ChatSender, *, after_posting: bool) -> None:
        self.sender = sender
        self.after_posting = after_posting

    async def post(self, channel_id: str, view: ChatView, *, thread_id: str | None = None) -> str:
        return await self.sender.post(channel_id, view, thread_id=thread_id)

    async def post_digest(
        self,
        channel_id: str,
        view: DigestView,
        *,
        chart_png: bytes | None = None,
        delivery_id: int | None = None,
    ) -> str:
        if self.after_posting:
            await self.sender.post_digest(channel_id, view, delivery_id=delivery_id)
        raise Killed

    async def find_digest(self, channel_id: str, delivery_id: int, since: datetime) -> str | None:
        return await self.sender.find_digest(channel_id, delivery_id, since)


async def subscribed(teams: TeamsHarness) -> Subscription:
    install = teams.activity("", mention=False)
    install.update({"type": "conversationUpdate", "text": None, "membersAdded": [{"id": BOT_ID}]})
    await teams.send(install)
    async with teams.server.service.db.engine.begin() as conn:
        sub, _ = await subscribe(
            conn, chat=Chat.TEAMS, workspace_id=TEAM, channel_id=CHANNEL, audience=Audience(),
            schedule=Schedule(weekday=0, time="09:00", timezone="UTC"), created_by="aad-boss",
            now=NOW - timedelta(days=30),
        )  # fmt: skip
    return sub


async def killed_while_posting(teams: TeamsHarness, sub: Subscription, *, after: bool) -> None:
    dying = DiesWhilePosting(teams.server.senders[Chat.TEAMS], after_posting=after)
    runner = DigestRunner(teams.server.service, {Chat.TEAMS: dying}, worker="dead")
    with pytest.raises(Killed):
        await runner.deliver(sub, NOW)
    clock = teams.server.service.clock
    assert isinstance(clock, FixedClock)
    clock.moment = NOW + timedelta(seconds=61)


def runner(teams: TeamsHarness, worker: str) -> DigestRunner:
    return DigestRunner(teams.server.service, teams.server.senders, worker=worker)


async def test_a_taken_over_teams_digest_is_uncertain_the_admins_are_told_once_and_force_settles(
    teams: TeamsHarness, caplog: pytest.LogCaptureFixture
) -> None:
    sub = await subscribed(teams)
    await killed_while_posting(teams, sub, after=True)
    assert len(teams.cards()) == 1

    with caplog.at_level(logging.WARNING, logger="winsbot.delivery"):
        [outcome] = await runner(teams, "w2").take_over_stalled()
        assert await runner(teams, "w3").take_over_stalled() == []
        assert await runner(teams, "w3").catch_up() == []
    assert outcome.result == "uncertain"
    assert len(teams.cards()) == 1  # not posted blindly a second time
    told = [r for r in caplog.records if "may or may not be" in r.getMessage()]
    assert len(told) == 1 and told[0].levelno == logging.WARNING and not told[0].exc_info
    assert f"winsbot digest send --subscription {sub.id} --period {WEEK} --force" in (
        told[0].getMessage()
    )
    async with teams.server.service.db.engine.connect() as conn:
        parked = await delivery_for(conn, sub.id, WEEK)
    assert parked is not None and parked.state == "uncertain"

    settled = await runner(teams, "admin").deliver(sub, NOW, force=True)
    assert settled.result == "sent" and len(teams.cards()) == 2
    async with teams.server.service.db.engine.connect() as conn:
        done = await delivery_for(conn, sub.id, WEEK)
    assert done is not None and done.state == "sent"


async def test_a_teams_worker_killed_while_composing_is_replaced_by_one_post(
    teams: TeamsHarness,
) -> None:
    sub = await subscribed(teams)

    class DiesComposing(DigestRunner):
        async def _compose(self, *args: object) -> tuple[DigestView, bytes | None]:
            raise Killed

    with pytest.raises(Killed):
        await DiesComposing(teams.server.service, teams.server.senders, worker="dead").deliver(
            sub, NOW
        )
    clock = teams.server.service.clock
    assert isinstance(clock, FixedClock)
    clock.moment = NOW + timedelta(seconds=61)
    [outcome] = await runner(teams, "w2").take_over_stalled()
    assert outcome.result == "sent" and len(teams.cards()) == 1


async def test_killed_between_marking_sending_and_teams_answering_is_uncertain_too(
    teams: TeamsHarness,
) -> None:
    """From the ledger, 'about to post' and 'posted' look the same: a person decides."""
    sub = await subscribed(teams)
    await killed_while_posting(teams, sub, after=False)
    [parked] = await runner(teams, "w2").take_over_stalled()
    assert parked.result == "uncertain" and teams.cards() == []


async def test_a_teams_send_that_failed_with_an_answer_is_retried_not_parked(
    teams: TeamsHarness,
) -> None:
    sub = await subscribed(teams)

    class FailsOnce(DiesWhilePosting):
        async def post_digest(
            self,
            channel_id: str,
            view: DigestView,
            *,
            chart_png: bytes | None = None,
            delivery_id: int | None = None,
        ) -> str:
            raise RuntimeError("Teams answered 500 five times")

    failing = FailsOnce(teams.server.senders[Chat.TEAMS], after_posting=False)
    first = await DigestRunner(teams.server.service, {Chat.TEAMS: failing}, worker="w1").deliver(
        sub, NOW
    )
    assert first.result == "failed"
    [retried] = await runner(teams, "w2").catch_up()
    assert retried.result == "sent" and len(teams.cards()) == 1
