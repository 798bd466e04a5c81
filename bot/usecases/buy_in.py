"""Leadership buy-in: record reactions on what winsbot posted, know who leadership is, report.

Why it exists: the social team wants evidence that leaders read the digests and shared wins,
not only that they were sent. Reactions (Slack emoji, Teams reactions) arrive through the chat
adapters and are stored only when they are on a message we posted; replies are already stored
as case studies and feedback. Leadership is the members of the channels subscribed to the
leadership digest (read from the chat at most once an hour per process) plus WINSBOT_LEADERS.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from bot.domain.buy_in import BuyInReport, Member, compose, note_text
from bot.domain.context import ChatContext
from bot.domain.models import Chat
from bot.domain.views import NoticeView
from bot.ports import ChatDirectory, ChatSender
from bot.store.buy_in_notes import (
    claim_note,
    note_sending,
    note_sent,
    note_uncertain,
    release_note,
)
from bot.store.signals import (
    Reaction,
    add_reaction,
    drop_channels_except,
    leadership_channels,
    reactions_between,
    remove_reaction,
    replace_members,
    replies_between,
    stored_leaders,
)
from bot.store.subscriptions import find_posted
from bot.usecases.results import WinsService

log = logging.getLogger("winsbot.buy_in")

ROSTER_SECONDS = 3600.0  # leadership channels' members are read again at most this often
MAX_REACTION_CHARS = 100
# How long a claim on the monthly note holds: far longer than composing and posting it takes,
# short enough that the hourly retry on the month's first days takes a killed worker's over.
NOTE_LEASE = timedelta(minutes=10)


class ChannelMembers(Protocol):
    """Who is in a channel (Slack conversations.members, Teams the connector's roster)."""

    async def members(self, channel_id: str) -> list[Member] | None:
        """The channel's members, or None when the platform would not say (logged there)."""
        ...


class BuyInSignals:
    """Reactions in, leadership roster kept fresh, the report and the monthly note out."""

    def __init__(
        self,
        service: WinsService,
        directory: ChatDirectory | None = None,
        *,
        roster_seconds: float = ROSTER_SECONDS,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.service = service
        self.directory = directory
        self.roster_seconds = roster_seconds
        self.monotonic = monotonic
        self._roster_read: dict[Chat, float] = {}

    async def reaction(
        self,
        context: ChatContext,
        *,
        message_id: str,
        reaction: str,
        added: bool,
        at: datetime | None = None,
        name: str | None = None,
        members: ChannelMembers | None = None,
    ) -> bool:
        """Record a reaction added or removed on ``message_id``; False when it is not on a
        message we posted (nothing is stored) or changed nothing (a redelivery)."""
        db, now = self.service.db, self.service.clock.now()
        async with db.engine.connect() as conn:
            posted = await find_posted(
                conn, chat=context.chat, channel_id=context.channel_id, message_id=message_id
            )
        if posted is None or not context.user_id:
            return False
        if name is None and added and self.directory is not None:
            # Asked outside the transaction: a users.info call must not hold a writer.
            name = await self.directory.display_name(context)
        signal = Reaction(
            posted_id=int(posted.id), chat=context.chat, user_id=context.user_id,
            reaction=reaction[:MAX_REACTION_CHARS], at=at or now, user_name=name,
        )  # fmt: skip
        async with db.engine.begin() as conn:
            write = add_reaction if added else remove_reaction
            changed = await write(conn, signal, now=now)
        if members is not None:
            await self.refresh_leaders(context.chat, members)
        return changed

    async def refresh_leaders(
        self, chat: Chat, members: ChannelMembers, *, force: bool = False
    ) -> bool:
        """Read the leadership channels' members again unless that was done within the hour.

        A channel whose members cannot be read keeps what was stored for it.
        """
        last = self._roster_read.get(chat)
        if not force and last is not None and self.monotonic() - last < self.roster_seconds:
            return False
        self._roster_read[chat] = self.monotonic()
        db = self.service.db
        async with db.engine.connect() as conn:
            channels = await leadership_channels(conn, chat)
        read = {}
        for channel in channels:
            found = await members.members(channel)
            if found is not None:
                read[channel] = found
        async with db.engine.begin() as conn:
            await drop_channels_except(conn, chat, channels)
            for channel, found in read.items():
                await replace_members(
                    conn, chat=chat, channel_id=channel, members=found,
                    now=self.service.clock.now(),
                )  # fmt: skip
        return True

    async def report(self, *, since: datetime, until: datetime | None = None) -> BuyInReport:
        """Leaders' responses in [since, until), with the period before it for the trend."""
        until = until or self.service.clock.now()
        previous = since - (until - since)
        async with self.service.db.engine.connect() as conn:
            signals = await reactions_between(conn, previous, until)
            signals += await replies_between(conn, previous, until)
            leaders = await stored_leaders(conn)
        notes: list[str] = []
        if not leaders and not self.service.settings.leader_ids:
            notes.append(
                "No leaders known yet: subscribe a channel to the leadership digest (its "
                "members are read when someone reacts) or set WINSBOT_LEADERS."
            )
        return compose(
            sorted(signals, key=lambda s: s.at),
            leaders=leaders,
            configured=self.service.settings.leader_ids,
            since=since,
            until=until,
            notes=tuple(notes),
        )

    async def send_monthly_note(
        self, senders: Mapping[Chat, ChatSender], *, worker: str = "worker"
    ) -> str:
        """Post last month's note to the social team's channel, once per month.

        The month is claimed under a unique key and a lease, so two schedulers (or a restart)
        never post it twice, and a worker killed before it began to post leaves a claim the
        next run takes over once the lease is over. A post that fails releases the claim for
        the next run. A worker killed after it began to post leaves the month in doubt: the
        note is then recorded as uncertain and not posted again (at most once, never twice).
        Returns what happened: sent, already-handled, uncertain, not-configured or failed.
        """
        settings = self.service.settings
        channel, chat = settings.buy_in_channel, Chat(settings.buy_in_chat)
        sender = senders.get(chat)
        if not channel or sender is None:
            return "not-configured"
        now = self.service.clock.now()
        since, until = previous_month(now, settings.timezone)
        period = since.astimezone(ZoneInfo(settings.timezone)).strftime("%Y-%m")
        async with self.service.db.engine.begin() as conn:
            claim = await claim_note(conn, period, worker=worker, now=now, lease=NOTE_LEASE)
        if claim is None:
            return "already-handled"
        if claim.may_be_posted:
            reason = f"{claim.previous_owner or 'a worker'} stopped while posting it"
            log.warning("the buy-in note for %s may have been posted; not posted again: %s",
                        period, reason)  # fmt: skip
            async with self.service.db.engine.begin() as conn:
                await note_uncertain(conn, period, reason=reason)
            return "uncertain"
        report = await self.report(since=since, until=until)
        month = since.astimezone(ZoneInfo(settings.timezone)).strftime("%B %Y")
        async with self.service.db.engine.begin() as conn:
            if not await note_sending(conn, claim, now=self.service.clock.now()):
                return "already-handled"  # held longer than the lease and taken over
        try:
            message_id = await sender.post(channel, NoticeView(text=note_text(report, month=month)))
        except Exception as exc:
            log.warning("the buy-in note for %s was not posted: %s", period, exc)
            async with self.service.db.engine.begin() as conn:
                await release_note(conn, period)
            return "failed"
        async with self.service.db.engine.begin() as conn:
            await note_sent(conn, period, message_id=message_id, now=self.service.clock.now())
        log.info("buy-in note for %s posted", period)
        return "sent"


def previous_month(now: datetime, timezone: str) -> tuple[datetime, datetime]:
    """[first day of last month, first day of this month) in ``timezone``, as UTC."""
    zone = ZoneInfo(timezone)
    local = now.astimezone(zone)
    this_month = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    last_month = (this_month - timedelta(days=1)).replace(day=1)
    return last_month.astimezone(UTC), this_month.astimezone(UTC)
