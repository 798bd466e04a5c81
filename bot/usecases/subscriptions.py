"""Subscribing channels to digests from chat, and who may: the admin policy lives here."""

from __future__ import annotations

from bot.domain.commands import Subscribe, Unsubscribe
from bot.domain.context import ChatContext
from bot.domain.models import Audience, Cadence, Schedule
from bot.domain.views import ChatView, NoticeView, SubscriptionListView
from bot.ports import ChatDirectory
from bot.store.subscriptions import list_subscriptions, subscribe, unsubscribe
from bot.usecases.results import WinsService


class Subscriptions:
    """(Un)subscribe the channel a command came from; leadership digests need an admin."""

    def __init__(self, service: WinsService, directory: ChatDirectory) -> None:
        self.service = service
        self.directory = directory

    async def may_manage(self, context: ChatContext) -> bool:
        """WINSBOT_ADMINS, or the platform's own workspace admins and owners."""
        if context.user_id in self.service.settings.admin_ids:
            return True
        return await self.directory.is_admin(context)

    async def subscribe(self, command: Subscribe, context: ChatContext) -> ChatView:
        if command.audience.is_leadership and not await self.may_manage(context):
            return _refusal("subscribe this channel to the leadership digest")
        schedule = Schedule(
            weekday=0 if command.weekday is None else command.weekday,
            time=command.time or "09:00",
            timezone=command.timezone
            or await self.directory.timezone(context)
            or self.service.settings.timezone,
            cadence=command.cadence or Cadence.WEEKLY,
        )
        async with self.service.db.engine.begin() as conn:
            subscription, created = await subscribe(
                conn,
                chat=context.chat,
                workspace_id=context.workspace_id,
                channel_id=context.channel_id,
                audience=command.audience,
                schedule=schedule,
                created_by=context.user_id,
                now=self.service.clock.now(),
            )
        who = audience_phrase(command.audience)
        verb = "will get" if created else "now gets"
        return NoticeView(
            text=f"This channel {verb} the {who} digest {subscription.schedule.describe()}"
            f"{_covering(subscription.schedule)}. Type `wins unsubscribe` to stop it."
        )

    async def unsubscribe(self, command: Unsubscribe, context: ChatContext) -> ChatView:
        if not await self.may_manage(context):
            return _refusal("unsubscribe this channel")
        async with self.service.db.engine.begin() as conn:
            removed = await unsubscribe(
                conn,
                chat=context.chat,
                channel_id=context.channel_id,
                audience_name=command.audience_name,
            )
        if not removed:
            return NoticeView(
                text="This channel has no such subscription. "
                "Type `wins subscriptions` to see what it gets.",
                ok=False,
            )
        names = ", ".join(s.audience.name for s in removed)
        return NoticeView(text=f"Stopped the {names} digest for this channel.")

    async def listing(self, context: ChatContext) -> SubscriptionListView:
        async with self.service.db.engine.connect() as conn:
            found = await list_subscriptions(conn, chat=context.chat, channel_id=context.channel_id)
        return SubscriptionListView(
            title="Digests this channel gets",
            subscriptions=found,
            empty_message=None
            if found
            else "None yet. Type `wins subscribe leadership` or `wins subscribe #department`.",
        )


def _covering(schedule: Schedule) -> str:
    """What a monthly digest reports on; a weekly one's "every Monday" already says it."""
    if schedule.cadence is Cadence.MONTHLY:
        return ", covering the month before"
    return ""


def _refusal(what: str) -> NoticeView:
    return NoticeView(
        text=f"Only workspace admins and the people listed in WINSBOT_ADMINS can {what}. "
        "Ask one of them, or subscribe to a department digest instead "
        "(`wins subscribe #department`).",
        ok=False,
    )


def audience_phrase(audience: Audience) -> str:
    """ "leadership", or what a department digest selects: "#recruiting + #hr", "LinkedIn"."""
    if audience.is_leadership:
        return "leadership"
    parts = [f"#{t}" for t in audience.tags] + [p.label for p in audience.platforms]
    parts += [f"@{a}" for a in audience.accounts]
    return " + ".join(parts)
