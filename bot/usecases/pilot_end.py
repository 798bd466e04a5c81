"""A pilot's end: ask each owner once for learnings, then post the report once per channel.

Every pass (every few minutes, in `serve` and in `worker`) looks at pilots that ended (the day
after ``ends_on``, UTC) in the last 30 days. Each (pilot, owner) ask and each (pilot, channel)
report is a row in the pilot ledger, claimed and leased exactly like a story prompt
(bot.usecases.prompts): any number of workers may run passes, one gets through; a worker
killed mid-send leaves a claim another takes over, looking first (Slack: the message metadata
in the channel's or DM's history) or, where the platform cannot be asked (Teams), parking the
row as *uncertain*: a second report cannot be taken back.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from bot.domain.models import Campaign, Chat
from bot.domain.owners import chat_of
from bot.domain.pilot_end import (
    PilotAskView,
    channel_key,
    everyone_answered,
    has_ended,
    pilot_owners,
    report_channels,
    report_due,
)
from bot.ports import DigestLookupError, PermanentDeliveryError, PilotMessages
from bot.store.campaigns import find_campaign, list_campaigns
from bot.store.pilot_messages import (
    ASK,
    CLAIMED,
    FAILED,
    REPORT,
    SENT,
    UNCERTAIN,
    UNDELIVERABLE,
    PilotClaim,
    answers_of,
    claim_message,
    goal_win_id,
    owed_messages,
    pilot_ledger,
    renew_messages,
    settle,
    start_sending,
)
from bot.store.subscriptions import list_subscriptions, record_posted
from bot.usecases.delivery import CLOCK_SKEW, worker_name
from bot.usecases.delivery_leases import Heartbeat
from bot.usecases.delivery_notices import one_line
from bot.usecases.owners import load_ownership
from bot.usecases.pilot_reports import report_of
from bot.usecases.results import WinsService

log = logging.getLogger("winsbot.pilots")

Job = tuple[int, str, str]  # (campaign id, kind: ask | report, target: user id | "chat:channel")


@dataclass(frozen=True, slots=True)
class PilotOutcome:
    campaign_id: int
    kind: str
    target: str
    # sent | recovered | already-handled | failed | uncertain | undeliverable | gone
    result: str
    message_id: str | None = None
    detail: str | None = None


class PilotHeartbeat(Heartbeat):
    """The delivery heartbeat, renewing pilot ledger claims."""

    async def renew_now(self) -> set[int]:
        held = set(self.held)
        if not held:
            return set()
        try:
            async with self.db.engine.begin() as conn:
                renewed = await renew_messages(
                    conn, held, worker=self.worker, now=self.clock.now(), lease=self.lease
                )
        except Exception as exc:  # the next beat tries again
            log.warning("could not renew %d pilot claims: %s", len(held), one_line(exc))
            return set()
        return (held - renewed) & self.held


class PilotRunner:
    def __init__(
        self,
        service: WinsService,
        chats: dict[Chat, PilotMessages],
        *,
        worker: str | None = None,
        lease: timedelta | None = None,
    ) -> None:
        self.service = service
        self.chats = chats
        self.worker = worker or worker_name()
        self.lease = lease or timedelta(seconds=service.settings.delivery_lease_seconds)
        self.heartbeat = PilotHeartbeat(
            service.db, service.clock, worker=self.worker, lease=self.lease
        )

    async def run(self) -> list[PilotOutcome]:
        """One pass: asks first (so an answer can come), then the reports due."""
        outcomes = []
        for job in await self.owed():
            try:
                outcomes.append(await self.send(*job))
            except Exception:  # one message's trouble hides none of the others
                log.exception("pilot %s %s to %s failed", job[0], job[1], job[2])
        return outcomes

    async def owed(self) -> list[Job]:
        now = self.service.clock.now()
        ownership = await load_ownership(self.service.db, self.service.settings)
        async with self.service.db.engine.connect() as conn:
            ended = [c for c in await list_campaigns(conn) if c.id and has_ended(c, now)]
            messages = await pilot_ledger(conn)
            ledger = {(m.campaign_id, m.kind, m.target) for m in messages}
            retry = await owed_messages(conn, now)
            subs = await list_subscriptions(conn)
            answers = {c.id: await answers_of(conn, c.id) for c in ended if c.id}
        asked: dict[int, set[str]] = {}
        for m in messages:
            if m.kind == ASK and m.state == SENT:
                asked.setdefault(m.campaign_id, set()).add(m.target)
        answered = {
            cid: everyone_answered(asked.get(cid, set()), {a.user_id for a in found})
            for cid, found in answers.items()
        }
        jobs: list[Job] = []
        for campaign in ended:
            assert campaign.id is not None
            for user in pilot_owners(ownership, campaign):
                chat = chat_of(user)
                if chat in self.chats:
                    jobs.append((campaign.id, ASK, user))
            if report_due(campaign, now, answered=answered[campaign.id]):
                for sub in report_channels(campaign, subs):
                    if sub.chat in self.chats:
                        jobs.append((campaign.id, REPORT, channel_key(sub)))
        jobs = [j for j in jobs if j not in ledger]
        jobs += [(m.campaign_id, m.kind, m.target) for m in retry]
        return list(dict.fromkeys(jobs))

    async def send(self, campaign_id: int, kind: str, target: str) -> PilotOutcome:
        """Claim, (look,) send and record one message; never twice, whoever else is running."""
        async with self.service.db.engine.begin() as conn:
            claimed = await claim_message(
                conn,
                campaign_id=campaign_id,
                kind=kind,
                target=target,
                worker=self.worker,
                now=self.service.clock.now(),
                lease=self.lease,
            )
        if claimed is None:
            return PilotOutcome(campaign_id, kind, target, "already-handled")
        self.heartbeat.hold(claimed.message.id)
        try:
            chat, user, channel = _where(kind, target)
            port = self.chats.get(chat) if chat is not None else None
            if port is None:
                return await self._settle(claimed, UNDELIVERABLE, "undeliverable", "no chat")
            if claimed.may_be_posted:
                settled = await self._look_first(claimed, port, user, channel)
                if settled is not None:
                    return settled
            return await self._send(claimed, port, user, channel)
        finally:
            self.heartbeat.release(claimed.message.id)

    async def _look_first(
        self, claimed: PilotClaim, port: PilotMessages, user: str | None, channel: str | None
    ) -> PilotOutcome | None:
        """A stopped worker began sending this: is it already out? None: surely not."""
        message = claimed.message
        assert message.sending_since is not None
        try:
            found = await port.find_pilot_message(
                user_id=user,
                channel_id=channel,
                message_id=message.id,
                since=message.sending_since - CLOCK_SKEW,
            )
        except DigestLookupError as exc:
            if claimed.resumed_from != CLAIMED:
                return None  # the platform answered the earlier send with an error: retry
            detail = f"{claimed.previous_owner or 'a worker'} stopped while sending it; {exc}"
            log.warning("pilot %s %s may have been sent; not sent again", message.id, detail)
            return await self._settle(claimed, UNCERTAIN, "uncertain", detail)
        except PermanentDeliveryError as exc:
            return await self._settle(claimed, UNDELIVERABLE, "undeliverable", str(exc))
        except Exception as exc:  # not a "no": fail this attempt, look again next pass
            return await self._settle(claimed, FAILED, "failed", one_line(exc))
        if found is None:
            return None
        log.info("pilot message %s was already sent; recorded, not sent again", message.id)
        return await self._settle(claimed, SENT, "recovered", message_id=found)

    async def _send(
        self, claimed: PilotClaim, port: PilotMessages, user: str | None, channel: str | None
    ) -> PilotOutcome:
        message = claimed.message
        campaign = await self._campaign(message.campaign_id)
        if campaign is None:
            return await self._settle(claimed, UNDELIVERABLE, "gone", "the pilot is gone")
        now = self.service.clock.now()
        async with self.service.db.engine.connect() as conn:
            report = await report_of(conn, campaign, now=now)
        async with self.service.db.engine.begin() as conn:
            ours = await start_sending(
                conn, message.id, worker=self.worker, now=now, lease=self.lease
            )
        if not ours:  # this worker stalled past its lease and another one took over
            return PilotOutcome(
                message.campaign_id, message.kind, message.target, "already-handled"
            )
        try:
            if user is not None:
                view = PilotAskView(
                    campaign_id=message.campaign_id,
                    name=campaign.name,
                    intro=f"The pilot “{campaign.name}” has ended. What did we learn, and "
                    "what next: extend, scale or stop? Your answer goes into its report to "
                    "leadership.",
                    goal=report.goal,
                    result=report.result,
                    message_id=message.id,
                )
                posted = await port.ask_learnings(user, view)
            else:
                assert channel is not None
                posted = await port.post_report(channel, report, message_id=message.id)
        except PermanentDeliveryError as exc:
            return await self._settle(claimed, UNDELIVERABLE, "undeliverable", str(exc))
        except Exception as exc:  # the platform's trouble after its own retries: next pass
            log.warning("pilot %s to %s failed: %s", message.kind, message.target, one_line(exc))
            return await self._settle(claimed, FAILED, "failed", one_line(exc))
        log.info("pilot %s: %s sent to %s", campaign.name, message.kind, message.target)
        return await self._settle(claimed, SENT, "sent", message_id=posted)

    async def _settle(
        self,
        claimed: PilotClaim,
        state: str,
        result: str,
        detail: str | None = None,
        *,
        message_id: str | None = None,
    ) -> PilotOutcome:
        message = claimed.message
        chat, _, channel = _where(message.kind, message.target)
        async with self.service.db.engine.begin() as conn:
            await settle(
                conn,
                message.id,
                worker=self.worker,
                state=state,
                now=self.service.clock.now(),
                message_ref={"id": message_id} if message_id else None,
                error=detail,
            )
            if state == SENT and message_id and chat is not None and channel is not None:
                # So reactions and replies under the report count as responses to the pilot.
                await record_posted(
                    conn, chat=chat, workspace_id=None, channel_id=channel, message_id=message_id,
                    kind="pilot", now=self.service.clock.now(), campaign_id=message.campaign_id,
                    win_id=await goal_win_id(conn, message.campaign_id),
                )  # fmt: skip
        return PilotOutcome(
            message.campaign_id, message.kind, message.target, result, message_id, detail
        )

    async def _campaign(self, campaign_id: int) -> Campaign | None:
        async with self.service.db.engine.connect() as conn:
            return await find_campaign(conn, campaign_id=campaign_id)

    async def close(self) -> None:
        """At shutdown: stop renewing; unsettled claims lapse and are taken over elsewhere."""
        await self.heartbeat.close()


def _where(kind: str, target: str) -> tuple[Chat | None, str | None, str | None]:
    """(chat, user, channel) of a ledger target: an owner's id, or "chat:channel id"."""
    if kind == ASK:
        return chat_of(target), target, None
    name, _, channel = target.partition(":")
    try:
        return Chat(name), None, channel
    except ValueError:
        return None, None, None
