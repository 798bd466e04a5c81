"""The chat use cases Slack and Teams share: /wins commands, sharing, thread replies.

Adapters decode their platform's payload into a ChatContext and plain text, call this, and
render the neutral view they get back. Nothing here knows Block Kit or Adaptive Cards.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import select

from bot.answer_cache import TtlCache
from bot.domain.commands import (
    EXAMPLES,
    USAGE,
    Command,
    CommandError,
    ListSubscriptions,
    ShowCases,
    ShowHelp,
    ShowWins,
    Subscribe,
    Unsubscribe,
    parse_command,
)
from bot.domain.models import Audience, Chat, Schedule, Win
from bot.domain.views import (
    CaseStudyListView,
    ChatView,
    ErrorView,
    HelpView,
    NoticeView,
    SubscriptionListView,
    WinListView,
)
from bot.store.case_studies import (
    CaseStudyFilter,
    delete_case_study,
    save_case_study,
    set_case_study_public,
)
from bot.store.db import Database
from bot.store.subscriptions import (
    find_posted,
    list_subscriptions,
    record_posted,
    shared_win_message,
    subscribe,
    unsubscribe,
)
from bot.store.tables import account_tags, campaigns, case_studies, wins
from bot.store.wins import WinFilter
from bot.usecases.results import WinsService

log = logging.getLogger("winsbot.chat")

LIST_LIMIT = 10
PARSED_TEXTS = 512  # distinct command texts remembered parsed (then forgotten all at once)
_VOCABULARY = "vocabulary"
# Known tags and campaign names, as one cached tuple.
Vocabulary = tuple[list[str], list[str]]
AnswerKey = tuple[Chat, str, str]
# Commands that write, or answer per user: neither their parse nor their answer is cached.
_MANAGING = (Subscribe, Unsubscribe, ListSubscriptions)
MAX_CASE_STUDY_CHARS = 4000


@dataclass(frozen=True, slots=True)
class ChatContext:
    """Where a command or reply came from, decoded by the adapter from its platform's payload."""

    chat: Chat
    workspace_id: str | None
    channel_id: str
    user_id: str
    channel_is_private: bool = False


class ChatDirectory(Protocol):
    """What the chat platform knows about a user (Slack: users.info)."""

    async def is_admin(self, context: ChatContext) -> bool:
        """May this user manage leadership subscriptions (workspace admin or owner)?"""
        ...

    async def timezone(self, context: ChatContext) -> str | None:
        """The user's IANA time zone, the default for the digests they subscribe to."""
        ...


@dataclass(frozen=True, slots=True)
class ReplyOutcome:
    """What a thread reply did: the notice to post once, and whether it is new."""

    notice: NoticeView
    created: bool
    case_study_id: int


class ChatService:
    def __init__(self, service: WinsService, directory: ChatDirectory, *, command: str = "/wins"):
        self.service = service
        self.directory = directory
        self.command = command
        ttl = service.settings.query_cache_seconds
        self._answers: TtlCache[ChatView] = TtlCache(ttl)
        self._vocab: TtlCache[Vocabulary] = TtlCache(ttl, max_entries=1)
        self._pending: dict[AnswerKey, asyncio.Future[ChatView]] = {}
        self._generation = 0
        # Read-only commands by text, parsed against one vocabulary (the tuple object the
        # vocabulary cache holds): under load the same few texts arrive again and again.
        self._parsed: dict[str, tuple[Vocabulary, Command | CommandError]] = {}
        self._sorry = ErrorView(
            message="Something went wrong on our side; it has been logged.",
            usage=f"Try again in a minute, or type `{command} help`.",
        )

    @property
    def _db(self) -> Database:
        return self.service.db

    def cached_answer(self, text: str, context: ChatContext) -> ChatView | None:
        """The answer ``handle`` would give, if it is cached; None otherwise.

        Nothing is awaited, so a chat adapter can answer a repeated question without starting
        a task for it: that task and its timeout were a tenth of what /wins cost under load.
        """
        vocabulary = self._vocab.get(_VOCABULARY)
        if vocabulary is None:
            return None
        parsed = self._parse(text, vocabulary)
        if isinstance(parsed, _MANAGING):
            return None
        return self._answers.get(_answer_key(parsed, text, context))

    async def answer(
        self, text: str, context: ChatContext, *, within: float
    ) -> ChatView | asyncio.Future[ChatView]:
        """The answer if it is ready within ``within`` seconds, else the work still under way.

        Slack and Teams want a reply within a few seconds: the adapter sends a view at once, or
        says it is working on it and sends ``outcome(work)`` when the work is done. A cached
        answer comes back without a task being started for it.
        """
        known = self.cached_answer(text, context)
        if known is not None:
            return known
        work = asyncio.ensure_future(self.handle(text, context))
        done, _ = await asyncio.wait({work}, timeout=within)
        return self.outcome(work) if done else work

    def outcome(self, work: asyncio.Future[ChatView]) -> ChatView:
        """What finished work answers; a failure is logged and answered with an apology."""
        try:
            return work.result()
        except Exception:
            log.exception("%s failed", self.command)
            return self._sorry

    async def handle(self, text: str, context: ChatContext) -> ChatView:
        """Answer one /wins command; every input gets a view, never an exception."""
        parsed = self._parse(text, await self._vocabulary())
        if isinstance(parsed, _MANAGING):
            self.forget_answers()  # a write (or a per-user answer): never cached
            return await self._manage(parsed, context)
        key = _answer_key(parsed, text, context)
        cached = self._answers.get(key)
        if cached is not None:
            return cached
        # Single flight: when an answer expires under load, fifty identical requests share one
        # computation instead of all querying the database at once.
        pending = self._pending.get(key)
        if pending is None:
            pending = asyncio.ensure_future(self._answer(parsed, context))
            self._pending[key] = pending
            generation = self._generation
            pending.add_done_callback(lambda done: self._settle(key, done, generation))
        return await asyncio.shield(pending)

    def _settle(self, key: AnswerKey, done: asyncio.Future[ChatView], generation: int) -> None:
        if self._pending.get(key) is done:
            del self._pending[key]
        # An answer computed before a write must not be cached after it.
        if generation == self._generation and not done.cancelled() and not done.exception():
            self._answers.put(key, done.result())

    async def _answer(self, parsed: Command | CommandError, context: ChatContext) -> ChatView:
        if isinstance(parsed, CommandError):
            log.info("rejected /wins input from %s: %s", context.user_id, parsed.message)
            return ErrorView(
                message=parsed.message,
                suggestion=parsed.suggestion,
                usage=f"Type `{self.command} help` to see what I understand.",
            )
        if isinstance(parsed, ShowHelp):
            return HelpView(
                title=f"How to use {self.command}",
                commands=[(f"{self.command} {u}".strip(), d) for u, d in USAGE],
                examples=[f"{self.command} {e}" for e in EXAMPLES],
            )
        if isinstance(parsed, ShowWins):
            return await self._wins(parsed)
        if isinstance(parsed, ShowCases):
            return await self._cases(parsed, context)
        raise AssertionError(f"unhandled command {parsed!r}")  # pragma: no cover

    async def _manage(
        self, parsed: Subscribe | Unsubscribe | ListSubscriptions, context: ChatContext
    ) -> ChatView:
        if isinstance(parsed, Subscribe):
            return await self._subscribe(parsed, context)
        if isinstance(parsed, Unsubscribe):
            return await self._unsubscribe(parsed, context)
        return await self._subscriptions(context)

    async def _vocabulary(self) -> Vocabulary:
        """Known tags and campaign names, for "did you mean" (cached like answers)."""
        cached = self._vocab.get(_VOCABULARY)
        if cached is not None:
            return cached
        async with self._db.engine.connect() as conn:
            tags = [r[0] for r in await conn.execute(select(account_tags.c.tag).distinct())]
            names = [r[0] for r in await conn.execute(select(campaigns.c.name))]
        vocabulary = (tags, names)
        self._vocab.put(_VOCABULARY, vocabulary)
        self._parsed.clear()  # parsed against the vocabulary this one replaces
        return vocabulary

    def _parse(self, text: str, vocabulary: Vocabulary) -> Command | CommandError:
        known = self._parsed.get(text)
        if known is not None and known[0] is vocabulary:
            return known[1]
        parsed = parse_command(text, known_tags=vocabulary[0], known_campaigns=vocabulary[1])
        if not isinstance(parsed, _MANAGING):
            if len(self._parsed) >= PARSED_TEXTS:
                self._parsed.clear()
            self._parsed[text] = (vocabulary, parsed)
        return parsed

    def forget_answers(self) -> None:
        """Drop cached answers after a write, so the writer sees it at once."""
        self._generation += 1
        self._answers.clear()
        self._pending.clear()

    async def _wins(self, command: ShowWins) -> WinListView:
        query = WinFilter(
            since=self.service.clock.now() - command.span,
            platforms=command.platforms,
            tags=command.tags,
            accounts=command.accounts,
            campaign=command.campaign,
            peers=command.peers,
            limit=LIST_LIMIT + 1,
        )
        found = await self.service.wins(query)
        title = describe_query(command)
        return WinListView(
            title=title,
            wins=found[:LIST_LIMIT],
            more=max(0, len(found) - LIST_LIMIT),
            empty_message=None
            if found
            else "No wins match yet. Try a longer span (e.g. `30d`) or fewer filters.",
            shareable=not command.peers,
        )

    async def _cases(self, command: ShowCases, context: ChatContext) -> CaseStudyListView:
        found = await self.service.case_studies(
            CaseStudyFilter(
                words=command.words, visible_in=context.channel_id, limit=LIST_LIMIT + 1
            )
        )
        words = " ".join(command.words)
        return CaseStudyListView(
            title=f"Case studies matching “{words}”" if words else "Case studies",
            case_studies=found[:LIST_LIMIT],
            more=max(0, len(found) - LIST_LIMIT),
            empty_message=None
            if found
            else "No case studies yet. Reply in the thread under a win to tell its story.",
        )

    async def _subscribe(self, command: Subscribe, context: ChatContext) -> ChatView:
        if command.audience.is_leadership and not await self._may_manage(context):
            return self._refusal("subscribe this channel to the leadership digest")
        schedule = Schedule(
            weekday=0 if command.weekday is None else command.weekday,
            time=command.time or "09:00",
            timezone=command.timezone
            or await self.directory.timezone(context)
            or self.service.settings.timezone,
        )
        async with self._db.engine.begin() as conn:
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
            text=f"This channel {verb} the {who} digest {subscription.schedule.describe()}. "
            f"Type `{self.command} unsubscribe` to stop it."
        )

    async def _unsubscribe(self, command: Unsubscribe, context: ChatContext) -> ChatView:
        if not await self._may_manage(context):
            return self._refusal("unsubscribe this channel")
        async with self._db.engine.begin() as conn:
            removed = await unsubscribe(
                conn,
                chat=context.chat,
                channel_id=context.channel_id,
                audience_name=command.audience_name,
            )
        if not removed:
            return NoticeView(
                text="This channel has no such subscription. "
                f"Type `{self.command} subscriptions` to see what it gets.",
                ok=False,
            )
        names = ", ".join(s.audience.name for s in removed)
        return NoticeView(text=f"Stopped the {names} digest for this channel.")

    async def _subscriptions(self, context: ChatContext) -> SubscriptionListView:
        async with self._db.engine.connect() as conn:
            found = await list_subscriptions(conn, chat=context.chat, channel_id=context.channel_id)
        return SubscriptionListView(
            title="Digests this channel gets",
            subscriptions=found,
            empty_message=None
            if found
            else f"None yet. Type `{self.command} subscribe leadership` or "
            f"`{self.command} subscribe #department`.",
        )

    async def _may_manage(self, context: ChatContext) -> bool:
        if context.user_id in self.service.settings.admin_ids:
            return True
        return await self.directory.is_admin(context)

    def _refusal(self, what: str) -> NoticeView:
        return NoticeView(
            text=f"Only workspace admins and the people listed in WINSBOT_ADMINS can {what}. "
            "Ask one of them, or subscribe to a department digest instead "
            f"(`{self.command} subscribe #department`).",
            ok=False,
        )

    # Sharing and threads

    async def win(self, win_id: int) -> Win | None:
        found = await self.service.wins(WinFilter(win_id=win_id, limit=1))
        return found[0] if found else None

    async def already_shared(self, context: ChatContext, win_id: int) -> str | None:
        async with self._db.engine.connect() as conn:
            return await shared_win_message(
                conn, chat=context.chat, channel_id=context.channel_id, win_id=win_id
            )

    async def record_posted(
        self, context: ChatContext, message_id: str, *, kind: str, win_id: int | None = None,
        delivery_id: int | None = None,
    ) -> None:  # fmt: skip
        async with self._db.engine.begin() as conn:
            await record_posted(
                conn,
                chat=context.chat,
                workspace_id=context.workspace_id,
                channel_id=context.channel_id,
                message_id=message_id,
                kind=kind,
                win_id=win_id,
                delivery_id=delivery_id,
                posted_by=context.user_id,
                now=self.service.clock.now(),
            )

    async def thread_reply(
        self, context: ChatContext, *, thread_id: str, reply_id: str, text: str
    ) -> ReplyOutcome | None:
        """Store a reply under a win or digest we posted as a case study; None if not ours.

        Keyed on the reply's own id, so a redelivered event updates rather than duplicates.
        """
        self.forget_answers()
        body = text.strip()
        if not body:
            return None
        async with self._db.engine.begin() as conn:
            parent = await find_posted(
                conn, chat=context.chat, channel_id=context.channel_id, message_id=thread_id
            )
            if parent is None:
                return None
            case_id, created = await save_case_study(
                conn,
                body=body[:MAX_CASE_STUDY_CHARS],
                now=self.service.clock.now(),
                author=context.user_id,
                win_id=parent.win_id,
                source=context.chat.value,
                source_ref=reply_ref(context, reply_id),
                private_to=context.channel_id if context.channel_is_private else None,
            )
            reason = None
            if parent.win_id is not None:
                row = (await conn.execute(wins.select().where(wins.c.id == parent.win_id))).first()
                reason = row.reason if row else None
        about = f"this win ({reason})" if reason else "this digest"
        note = f"Saved as a case study for {about}. Edit your reply to update it."
        if context.channel_is_private:
            note += " It stays in this private channel until you share it."
        return ReplyOutcome(NoticeView(text=note), created, case_id)

    async def reply_edited(self, context: ChatContext, *, reply_id: str, text: str) -> bool:
        """Update the case study an edited reply holds; False when the reply is not one."""
        self.forget_answers()
        body = text.strip()
        async with self._db.engine.begin() as conn:
            ref = reply_ref(context, reply_id)
            if not body:
                return await delete_case_study(conn, ref)
            row = (
                await conn.execute(
                    select(case_studies.c.id).where(case_studies.c.source_ref == ref)
                )
            ).first()
            if row is None:
                return False
            await conn.execute(
                case_studies.update()
                .where(case_studies.c.id == row.id)
                .values(body=body[:MAX_CASE_STUDY_CHARS], updated_at=self.service.clock.now())
            )
            return True

    async def reply_deleted(self, context: ChatContext, *, reply_id: str) -> bool:
        self.forget_answers()
        async with self._db.engine.begin() as conn:
            return await delete_case_study(conn, reply_ref(context, reply_id))

    async def share_case_study(self, context: ChatContext, case_id: int) -> NoticeView:
        """Make a private-channel case study visible everywhere; only its author may."""
        self.forget_answers()
        async with self._db.engine.begin() as conn:
            changed = await set_case_study_public(conn, case_id, author=context.user_id)
        if not changed:
            return NoticeView(text="Only the author of this case study can share it.", ok=False)
        return NoticeView(text="Shared: this case study now appears in digests and /wins cases.")


def audience_phrase(audience: Audience) -> str:
    """ "leadership", or what a department digest selects: "#recruiting + #hr", "LinkedIn"."""
    if audience.is_leadership:
        return "leadership"
    parts = [f"#{t}" for t in audience.tags] + [p.label for p in audience.platforms]
    parts += [f"@{a}" for a in audience.accounts]
    return " + ".join(parts)


def reply_ref(context: ChatContext, reply_id: str) -> str:
    return f"{context.chat.value}:{context.workspace_id or '-'}:{context.channel_id}:{reply_id}"


def describe_query(command: ShowWins) -> str:
    days = command.span.total_seconds() / 86400
    span = f"last {round(days)} days" if days >= 1 else f"last {round(days * 24)} hours"
    parts = [f"Top wins, {span}"]
    parts += [p.label for p in command.platforms]
    parts += [f"#{t}" for t in command.tags]
    parts += [f"@{a}" for a in command.accounts]
    if command.campaign:
        parts.append(f"campaign {command.campaign}")
    if command.peers:
        parts[0] = f"Peers' standout posts, {span}"
    return " · ".join(parts)


def _answer_key(parsed: Command | CommandError, text: str, context: ChatContext) -> AnswerKey:
    """Read-only answers depend on the text, and for case studies on the channel."""
    return (context.chat, text.strip(), context.channel_id if isinstance(parsed, ShowCases) else "")
