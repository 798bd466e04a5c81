"""Buy-in signals in the store and the use case: ordering of adds and removals, replies by
leaders, the report's trend, and the monthly note going out exactly once."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.config import Settings
from bot.domain.context import ChatContext
from bot.domain.models import Chat
from bot.domain.views import ChatView, DigestView
from bot.ports import FixedClock
from bot.store.case_studies import save_case_study
from bot.store.db import Database
from bot.store.subscriptions import record_posted
from bot.usecases.buy_in import BuyInSignals, previous_month
from bot.usecases.results import WinsService

DEC_1 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
NOV_10 = datetime(2026, 11, 10, 12, 0, tzinfo=UTC)


class RecordingSender:
    """A ChatSender that keeps what it was asked to post (and can fail once)."""

    def __init__(self, *, fail: bool = False) -> None:
        self.posted: list[tuple[str, str]] = []
        self.fail = fail

    async def post(self, channel_id: str, view: ChatView, *, thread_id: str | None = None) -> str:
        await asyncio.sleep(0.01)  # another worker gets its chance to race
        if self.fail:
            self.fail = False
            raise ConnectionError("Slack could not be reached")
        self.posted.append((channel_id, getattr(view, "text", "")))
        return f"17000000{len(self.posted)}.000100"

    async def post_digest(
        self, channel_id: str, view: DigestView, *, chart_png: bytes | None = None,
        delivery_id: int | None = None,
    ) -> str:  # fmt: skip
        raise NotImplementedError

    async def find_digest(self, channel_id: str, delivery_id: int, since: datetime) -> str | None:
        return None


def service_at(db: Database, tmp_path: Path, moment: datetime) -> WinsService:
    settings = Settings(
        output_dir=tmp_path, leaders="U0LEAD,U0CEO", buy_in_channel="C0SOCIAL", timezone="UTC"
    )
    return WinsService(db, settings, FixedClock(moment))


async def posted_digest(service: WinsService) -> None:
    async with service.db.engine.begin() as conn:
        await record_posted(
            conn, chat=Chat.SLACK, workspace_id="T1", channel_id="C7",
            message_id="1700000000.000100", kind="digest", now=NOV_10 - timedelta(days=40),
        )  # fmt: skip


def context(user: str) -> ChatContext:
    return ChatContext(chat=Chat.SLACK, workspace_id="T1", channel_id="C7", user_id=user)


async def test_a_removal_delivered_before_its_add_keeps_the_reaction_out(
    db: Database, tmp_path: Path
) -> None:
    service = service_at(db, tmp_path, DEC_1)
    await posted_digest(service)
    signals = BuyInSignals(service)
    ts, at = "1700000000.000100", NOV_10

    async def react(added: bool, moment: datetime) -> bool:
        return await signals.reaction(
            context("U0LEAD"), message_id=ts, reaction="+1", added=added, at=moment
        )

    assert await react(False, at + timedelta(minutes=1)) is False  # the removal, first
    assert await react(True, at) is False  # its older add: stays removed
    assert await react(True, at + timedelta(minutes=2)) is True  # added again, later
    assert await react(True, at + timedelta(minutes=2)) is False  # redelivered
    found = await signals.report(since=DEC_1 - timedelta(days=30), until=DEC_1)
    assert found.as_json()["responses"] == 1


async def test_leaders_replies_count_and_the_trend_compares_with_the_period_before(
    db: Database, tmp_path: Path
) -> None:
    service = service_at(db, tmp_path, DEC_1)
    await posted_digest(service)
    signals = BuyInSignals(service)
    older = NOV_10 - timedelta(days=20)
    for user, emoji, moment in (
        ("U0LEAD", "tada", NOV_10),
        ("U0CEO", "tada", NOV_10),
        ("U0LEAD", "eyes", older),
    ):
        await signals.reaction(
            context(user), message_id="1700000000.000100", reaction=emoji, added=True, at=moment
        )
    async with db.engine.begin() as conn:
        await save_case_study(
            conn, body="This is how we did it", now=NOV_10, author="U0CEO",
            author_name="Casey CEO", source="slack", source_ref="slack:T1:C7:1700000001.000100",
        )  # fmt: skip
        await save_case_study(conn, body="typed in the CLI", now=NOV_10, author="U0CEO")
    found = (await signals.report(since=DEC_1 - timedelta(days=25), until=DEC_1)).as_json()
    assert found["responses"] == 3
    assert found["trend"] == {
        "this_period": 3, "previous_period": 1, "change_percent": 200.0, "direction": "up",
    }  # fmt: skip
    ceo = next(p for p in found["leaders"] if p["user_id"] == "U0CEO")
    assert (ceo["name"], ceo["reactions"], ceo["replies"]) == ("Casey CEO", 1, 1)


async def test_the_monthly_note_goes_out_once_even_with_two_schedulers(
    db: Database, tmp_path: Path
) -> None:
    service = service_at(db, tmp_path, DEC_1)
    await posted_digest(service)
    await BuyInSignals(service).reaction(
        context("U0LEAD"), message_id="1700000000.000100", reaction="tada", added=True, at=NOV_10
    )
    sender = RecordingSender()
    outcomes = await asyncio.gather(
        BuyInSignals(service).send_monthly_note({Chat.SLACK: sender}, worker="w1"),
        BuyInSignals(service).send_monthly_note({Chat.SLACK: sender}, worker="w2"),
    )
    assert sorted(outcomes) == ["already-handled", "sent"]
    [(channel, text)] = sender.posted
    assert channel == "C0SOCIAL"
    assert text.startswith("Leadership buy-in, November 2026: 1 response from leaders")
    again = await BuyInSignals(service).send_monthly_note({Chat.SLACK: sender}, worker="w3")
    assert again == "already-handled" and len(sender.posted) == 1


async def test_a_note_that_failed_to_post_is_sent_by_the_next_run(
    db: Database, tmp_path: Path
) -> None:
    service = service_at(db, tmp_path, DEC_1)
    sender = RecordingSender(fail=True)
    signals = BuyInSignals(service)
    assert await signals.send_monthly_note({Chat.SLACK: sender}) == "failed"
    assert await signals.send_monthly_note({Chat.SLACK: sender}) == "sent"
    assert "no reactions or replies from leaders" in sender.posted[0][1]
    assert await signals.send_monthly_note({}) == "not-configured"


def test_last_month_is_read_in_the_configured_time_zone() -> None:
    since, until = previous_month(datetime(2026, 3, 1, 2, 0, tzinfo=UTC), "America/Toronto")
    assert since == datetime(2026, 1, 1, 5, 0, tzinfo=UTC)  # still February in Toronto
    assert until == datetime(2026, 2, 1, 5, 0, tzinfo=UTC)


async def test_a_claim_left_by_a_killed_worker_is_taken_over_once_its_lease_is_over(
    db: Database, tmp_path: Path
) -> None:
    """What kill -9 leaves: the month claimed, nothing posted. The note must still go out."""
    from bot.store.buy_in_notes import claim_note, note_state
    from bot.usecases.buy_in import NOTE_LEASE

    service = service_at(db, tmp_path, DEC_1)
    async with db.engine.begin() as conn:
        dead = await claim_note(conn, "2026-11", worker="killed", now=DEC_1, lease=NOTE_LEASE)
    assert dead is not None
    sender = RecordingSender()
    clock = service.clock
    assert isinstance(clock, FixedClock)
    clock.moment = DEC_1 + NOTE_LEASE - timedelta(seconds=1)
    assert await BuyInSignals(service).send_monthly_note({Chat.SLACK: sender}) == "already-handled"
    clock.moment = DEC_1 + NOTE_LEASE
    outcomes = await asyncio.gather(
        BuyInSignals(service).send_monthly_note({Chat.SLACK: sender}, worker="w1"),
        BuyInSignals(service).send_monthly_note({Chat.SLACK: sender}, worker="w2"),
    )
    assert sorted(outcomes) == ["already-handled", "sent"]
    assert len(sender.posted) == 1
    async with db.engine.connect() as conn:
        assert await note_state(conn, "2026-11") == "sent"


async def test_a_note_a_killed_worker_may_have_posted_is_not_posted_again(
    db: Database, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from bot.store.buy_in_notes import claim_note, note_sending, note_state
    from bot.usecases.buy_in import NOTE_LEASE

    service = service_at(db, tmp_path, DEC_1)
    async with db.engine.begin() as conn:
        dead = await claim_note(conn, "2026-11", worker="killed", now=DEC_1, lease=NOTE_LEASE)
        assert dead is not None and await note_sending(conn, dead, now=DEC_1)
    clock = service.clock
    assert isinstance(clock, FixedClock)
    clock.moment = DEC_1 + 2 * NOTE_LEASE
    sender = RecordingSender()
    with caplog.at_level(logging.WARNING, logger="winsbot.buy_in"):
        assert await BuyInSignals(service).send_monthly_note({Chat.SLACK: sender}) == "uncertain"
    assert sender.posted == []
    [line] = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert "killed stopped while posting it" in line.getMessage() and line.exc_info is None
    assert await BuyInSignals(service).send_monthly_note({Chat.SLACK: sender}) == "already-handled"
    async with db.engine.connect() as conn:
        assert await note_state(conn, "2026-11") == "uncertain"
