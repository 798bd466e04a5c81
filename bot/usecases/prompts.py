"""Story prompts: ask each owner of a new win, once, in a direct message, for the story.

Every pass (each minute, in `serve` and in `worker`) finds post wins and milestones of owned
accounts detected recently and not prompted yet, and for each (win, owner) claims a row in the
prompt ledger (unique key, short lease renewed while this worker lives), marks it *sending*,
posts, and records it sent. Any number of workers may run passes at once: the ledger lets one
of them through. A worker killed between claiming and posting leaves a claim that lapses and is
taken over on a later pass; one killed while posting leaves a prompt that may be out, so the
next owner looks for it first (Slack: the DM's history, where the prompt's metadata names it)
or, where the platform cannot be asked (Teams), parks it as *uncertain*: a second prompt
cannot be taken back, a missing one costs a story. One reminder follows after
WINSBOT_PROMPT_REMINDER_DAYS working days if no story was added; muted owners get neither.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from bot.domain.formatting import where
from bot.domain.models import Chat, Win
from bot.domain.owners import Ownership, add_working_days, chat_of
from bot.domain.views import StoryPromptView
from bot.ports import DigestLookupError, DirectMessages, PermanentDeliveryError
from bot.store.owners import (
    OwnedWin,
    muted_owners,
    owned_win,
    prompted,
    recent_owned_wins,
    wins_with_stories,
)
from bot.store.prompts import (
    CLAIMED,
    FAILED,
    SENT,
    UNCERTAIN,
    UNDELIVERABLE,
    PromptClaim,
    claim_prompt,
    owed_prompts,
    renew_prompts,
    sent_first_prompts,
    settle,
    start_sending,
)
from bot.store.subscriptions import list_subscriptions
from bot.store.wins import WinFilter, list_wins
from bot.usecases.delivery import CLOCK_SKEW, worker_name
from bot.usecases.delivery_leases import Heartbeat
from bot.usecases.delivery_notices import one_line
from bot.usecases.owners import load_ownership
from bot.usecases.results import WinsService

log = logging.getLogger("winsbot.prompts")

# A win is news for a day after it is stored, and only about a post of the last week: an
# import of last year's export must not ask anyone about last year.
DETECTED_WITHIN = timedelta(hours=24)
OCCURRED_WITHIN = timedelta(days=7)

Job = tuple[int, str, int]  # (win id, owner, round: 0 = prompt, 1 = reminder)


@dataclass(frozen=True, slots=True)
class PromptOutcome:
    win_id: int
    user_id: str
    round: int
    # sent | recovered | already-handled | failed | uncertain | undeliverable | gone
    result: str
    message_id: str | None = None
    detail: str | None = None


class PromptHeartbeat(Heartbeat):
    """The delivery heartbeat, renewing prompt claims instead of digest claims."""

    async def renew_now(self) -> set[int]:
        held = set(self.held)
        if not held:
            return set()
        try:
            async with self.db.engine.begin() as conn:
                renewed = await renew_prompts(
                    conn, held, worker=self.worker, now=self.clock.now(), lease=self.lease
                )
        except Exception as exc:  # the next beat tries again: a lease is three beats long
            log.warning("could not renew %d prompt claims: %s", len(held), one_line(exc))
            return set()
        lost = (held - renewed) & self.held
        if lost:
            log.warning("prompt claims %s were taken over by another worker", sorted(lost))
        return lost


class PromptRunner:
    def __init__(
        self,
        service: WinsService,
        direct: dict[Chat, DirectMessages],
        *,
        worker: str | None = None,
        lease: timedelta | None = None,
    ) -> None:
        self.service = service
        self.direct = direct
        self.worker = worker or worker_name()
        self.lease = lease or timedelta(seconds=service.settings.delivery_lease_seconds)
        self.heartbeat = PromptHeartbeat(
            service.db, service.clock, worker=self.worker, lease=self.lease
        )

    @property
    def reminder_days(self) -> int:
        return self.service.settings.prompt_reminder_days

    async def run(self) -> list[PromptOutcome]:
        """One pass: new prompts, taken-over ones, and reminders due; one at a time."""
        outcomes = []
        for job in await self.owed():
            try:
                outcomes.append(await self.prompt(*job))
            except Exception:  # one prompt's trouble (the database) hides none of the others
                log.exception("story prompt for win %s to %s failed", job[0], job[1])
        return outcomes

    async def owed(self) -> list[Job]:
        """What this pass should try: (win, owner, round), each once, in a stable order."""
        now = self.service.clock.now()
        ownership = await load_ownership(self.service.db, self.service.settings)
        async with self.service.db.engine.connect() as conn:
            muted = await muted_owners(conn)
            recent = await recent_owned_wins(
                conn, detected_since=now - DETECTED_WITHIN, occurred_since=now - OCCURRED_WITHIN
            )
            done = await prompted(conn, [w.win_id for w in recent])
            retry = await owed_prompts(conn, now)
            first = (
                await sent_first_prompts(conn, sent_before=now - timedelta(days=self.reminder_days))
                if self.reminder_days
                else []
            )
            storied = await wins_with_stories(conn, [p.win_id for p in first])
            reminded = [(p, await owned_win(conn, p.win_id)) for p in first]
        jobs: list[Job] = []
        for win in recent:
            for user in self._reachable(ownership, win, muted):
                if (win.win_id, user, 0) not in done:
                    jobs.append((win.win_id, user, 0))
        jobs += [(p.win_id, p.user_id, p.round) for p in retry if p.user_id not in muted]
        for sent, owned in reminded:
            if (
                owned is not None
                and sent.sent_at is not None
                and sent.win_id not in storied
                and add_working_days(sent.sent_at, self.reminder_days) <= now
                and sent.user_id in self._reachable(ownership, owned, muted)
            ):
                jobs.append((sent.win_id, sent.user_id, 1))
        return list(dict.fromkeys(jobs))

    def _reachable(self, ownership: Ownership, win: OwnedWin, muted: set[str]) -> list[str]:
        owners = ownership.owners_of(win.platform, win.handle, win.tags)
        return [u for u in owners if u not in muted and chat_of(u) in self.direct]

    async def prompt(self, win_id: int, user_id: str, round_: int) -> PromptOutcome:
        """Claim, (look,) send and record one prompt; never twice, whoever else is running."""
        chat = chat_of(user_id)
        direct = self.direct.get(chat) if chat is not None else None
        if direct is None:
            return PromptOutcome(win_id, user_id, round_, "failed", detail="no chat reaches them")
        async with self.service.db.engine.begin() as conn:
            claimed = await claim_prompt(
                conn,
                win_id=win_id,
                user_id=user_id,
                round_=round_,
                worker=self.worker,
                now=self.service.clock.now(),
                lease=self.lease,
            )
        if claimed is None:
            return PromptOutcome(win_id, user_id, round_, "already-handled")
        self.heartbeat.hold(claimed.prompt.id)
        try:
            if claimed.may_be_posted:
                settled = await self._look_first(claimed, direct)
                if settled is not None:
                    return settled
            return await self._send(claimed, direct, chat)
        finally:
            self.heartbeat.release(claimed.prompt.id)

    async def _look_first(
        self, claimed: PromptClaim, direct: DirectMessages
    ) -> PromptOutcome | None:
        """A stopped worker began sending this prompt: is it already out? None: surely not."""
        prompt = claimed.prompt
        assert prompt.sending_since is not None
        try:
            found = await direct.find_direct(
                prompt.user_id, prompt.id, prompt.sending_since - CLOCK_SKEW
            )
        except DigestLookupError as exc:
            if claimed.resumed_from != CLAIMED:
                return None  # the platform answered the earlier send with an error: retry
            detail = f"{claimed.previous_owner or 'a worker'} stopped while sending it; {exc}"
            log.warning(
                "story prompt %s for win %s to %s may or may not have been sent; not "
                "sent again: %s",
                prompt.id,
                prompt.win_id,
                prompt.user_id,
                detail,
            )
            return await self._settle(claimed, UNCERTAIN, "uncertain", detail=detail)
        except PermanentDeliveryError as exc:
            return await self._settle(claimed, UNDELIVERABLE, "undeliverable", detail=str(exc))
        except Exception as exc:  # not a "no": fail this attempt, look again next pass
            return await self._settle(claimed, FAILED, "failed", detail=one_line(exc))
        if found is None:
            return None
        log.info(
            "story prompt %s was already sent by %s; recorded, not sent again",
            prompt.id,
            claimed.previous_owner,
        )
        return await self._settle(claimed, SENT, "recovered", message_id=found)

    async def _send(
        self, claimed: PromptClaim, direct: DirectMessages, chat: Chat | None
    ) -> PromptOutcome:
        prompt = claimed.prompt
        win = await self._win(prompt.win_id)
        if win is None:
            return await self._settle(claimed, UNDELIVERABLE, "gone", detail="the win is gone")
        fallback = await self._fallback(win) if chat is Chat.TEAMS else None
        view = prompt_view(win, prompt.user_id, reminder=prompt.round > 0, prompt_id=prompt.id)
        async with self.service.db.engine.begin() as conn:
            ours = await start_sending(
                conn,
                prompt.id,
                worker=self.worker,
                now=self.service.clock.now(),
                lease=self.lease,
            )
        if not ours:  # this worker stalled past its lease and another one took over
            return PromptOutcome(prompt.win_id, prompt.user_id, prompt.round, "already-handled")
        try:
            message_id = await direct.post_direct(prompt.user_id, view, fallback_channel=fallback)
        except PermanentDeliveryError as exc:
            log.warning(
                "story prompt for win %s cannot reach %s: %s", prompt.win_id, prompt.user_id, exc
            )
            return await self._settle(claimed, UNDELIVERABLE, "undeliverable", detail=str(exc))
        except Exception as exc:  # the platform's trouble after its own retries: next pass
            log.warning(
                "story prompt for win %s to %s failed: %s",
                prompt.win_id,
                prompt.user_id,
                one_line(exc),
            )
            return await self._settle(claimed, FAILED, "failed", detail=one_line(exc))
        log.info(
            "asked %s for the story of win %s%s",
            prompt.user_id,
            prompt.win_id,
            " (reminder)" if prompt.round else "",
        )
        return await self._settle(claimed, SENT, "sent", message_id=message_id)

    async def _settle(
        self,
        claimed: PromptClaim,
        state: str,
        result: str,
        *,
        message_id: str | None = None,
        detail: str | None = None,
    ) -> PromptOutcome:
        prompt = claimed.prompt
        async with self.service.db.engine.begin() as conn:
            await settle(
                conn,
                prompt.id,
                worker=self.worker,
                state=state,
                now=self.service.clock.now(),
                message_ref={"id": message_id} if message_id else None,
                error=detail,
            )
        return PromptOutcome(
            prompt.win_id,
            prompt.user_id,
            prompt.round,
            result,
            message_id=message_id,
            detail=detail,
        )

    async def _win(self, win_id: int) -> Win | None:
        async with self.service.db.engine.connect() as conn:
            found = await list_wins(conn, WinFilter(win_id=win_id, limit=1))
        return found[0] if found else None

    async def _fallback(self, win: Win) -> str | None:
        """The Teams channel subscribed to this win's department digest (else leadership's)."""
        async with self.service.db.engine.connect() as conn:
            subs = await list_subscriptions(conn, chat=Chat.TEAMS)
        live = [s for s in subs if s.active and s.broken_reason is None]
        tags = set(win.account_tags)
        for sub in live:
            audience = sub.audience
            if tags & set(audience.tags) or (win.account and win.account in audience.accounts):
                return sub.channel_id
        return next((s.channel_id for s in live if s.audience.is_leadership), None)

    async def close(self) -> None:
        """At shutdown: stop renewing; unsettled claims lapse and are taken over elsewhere."""
        await self.heartbeat.close()


def prompt_view(win: Win, owner: str, *, reminder: bool, prompt_id: int | None) -> StoryPromptView:
    """The words above the win: what happened, and what we ask of its owner."""
    if reminder:
        intro = (
            f"A reminder: the win on {where(win)} still has no story. Two minutes on what you "
            "did, what happened and what you learned help the next post do as well."
        )
    else:
        intro = (
            f"A new win on {where(win)}, which you own. What's the story behind it? Leadership "
            "hears the numbers in the digest; you know how it happened."
        )
    return StoryPromptView(
        win=win, owner=owner, intro=intro, reminder=reminder, prompt_id=prompt_id
    )
