"""Answering chat commands within the platform's budget: cache, single flight, hand-back.

When a leader shares a win in a meeting, fifty people type /wins within a second. The answer only
changes when detection runs or someone writes through the bot, so read-only answers are kept for
a few seconds (WINSBOT_QUERY_CACHE_SECONDS; 0 turns it off). Writes through this process clear
the cache at once; writes by another process (the worker's detection) show after at most the TTL.
Slack wants its ack within 3 s and Teams its reply within 10-15 s, so an answer that is not ready
within the adapter's budget is handed back as work to send when it is done.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

from bot.domain.commands import Command, CommandError
from bot.domain.context import ChatContext
from bot.domain.grammar import parse_command
from bot.domain.models import Chat
from bot.domain.views import ChatView, ErrorView
from bot.usecases.dispatch import CommandHandler, Vocabulary

log = logging.getLogger("winsbot.chat")

V = TypeVar("V")
PARSED_TEXTS = 512  # distinct command texts remembered parsed (then forgotten all at once)
AnswerKey = tuple[Chat, str, str]
SORRY = ErrorView(
    message="Something went wrong on our side; it has been logged.",
    hint="Try again in a minute, or type `wins help`.",
)


class TtlCache(Generic[V]):
    """A bounded LRU map whose entries expire ``ttl`` seconds after they were stored."""

    def __init__(
        self, ttl: float, *, max_entries: int = 1024, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.ttl = ttl
        self.max_entries = max_entries
        self._clock = clock
        self._entries: OrderedDict[Hashable, tuple[float, V]] = OrderedDict()

    def get(self, key: Hashable) -> V | None:
        if self.ttl <= 0:
            return None
        entry = self._entries.get(key)
        if entry is None:
            return None
        expires, value = entry
        if expires <= self._clock():
            del self._entries[key]
            return None
        self._entries.move_to_end(key)
        return value

    def put(self, key: Hashable, value: V) -> None:
        if self.ttl <= 0:
            return
        self._entries[key] = (self._clock() + self.ttl, value)
        self._entries.move_to_end(key)
        while len(self._entries) > self.max_entries:
            self._entries.popitem(last=False)

    def clear(self) -> None:
        self._entries.clear()


class Answering:
    """The one road from command text to an answer, for Slack and Teams alike."""

    def __init__(
        self,
        commands: CommandHandler,
        *,
        ttl: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.commands = commands
        self._answers: TtlCache[ChatView] = TtlCache(ttl, clock=clock)
        self._vocabulary: TtlCache[Vocabulary] = TtlCache(ttl, max_entries=1, clock=clock)
        self._pending: dict[AnswerKey, asyncio.Future[ChatView]] = {}
        self._generation = 0
        # Cacheable commands by text, parsed against one vocabulary (the tuple object the
        # vocabulary cache holds): under load the same few texts arrive again and again.
        self._parsed: dict[str, tuple[Vocabulary, Command | CommandError]] = {}

    def cached_answer(self, text: str, context: ChatContext) -> ChatView | None:
        """The answer ``handle`` would give, if it is cached; None otherwise.

        Nothing is awaited, so a chat adapter can answer a repeated question without starting
        a task for it: that task and its timeout were a tenth of what /wins cost under load.
        """
        vocabulary = self._vocabulary.get(None)
        if vocabulary is None:
            return None
        parsed = self._parse(text, vocabulary)
        if not parsed.cacheable:
            return None
        return self._answers.get(_answer_key(parsed, text, context))

    async def answer(
        self, text: str, context: ChatContext, *, within: float
    ) -> ChatView | asyncio.Future[ChatView]:
        """The answer if it is ready within ``within`` seconds, else the work still under way.

        The adapter sends a view at once, or says it is working on it and sends
        ``outcome(work)`` when the work is done.
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
            log.exception("a chat command failed")
            return SORRY

    async def handle(self, text: str, context: ChatContext) -> ChatView:
        """Answer one command; every input gets a view, never an exception."""
        parsed = self._parse(text, await self._known_words())
        if parsed.writes:
            self.forget()
        if not parsed.cacheable:
            return await self.commands.run(parsed, context)
        key = _answer_key(parsed, text, context)
        cached = self._answers.get(key)
        if cached is not None:
            return cached
        # Single flight: when an answer expires under load, fifty identical requests share one
        # computation instead of all querying the database at once.
        pending = self._pending.get(key)
        if pending is None:
            pending = asyncio.ensure_future(self.commands.run(parsed, context))
            self._pending[key] = pending
            generation = self._generation
            pending.add_done_callback(lambda done: self._settle(key, done, generation))
        return await asyncio.shield(pending)

    def forget(self) -> None:
        """Drop cached answers after a write, so the writer sees it at once."""
        self._generation += 1
        self._answers.clear()
        self._pending.clear()

    def _settle(self, key: AnswerKey, done: asyncio.Future[ChatView], generation: int) -> None:
        if self._pending.get(key) is done:
            del self._pending[key]
        # An answer computed before a write must not be cached after it.
        if generation == self._generation and not done.cancelled() and not done.exception():
            self._answers.put(key, done.result())

    async def _known_words(self) -> Vocabulary:
        """Known tags and campaign names, for "did you mean" (cached like answers)."""
        cached = self._vocabulary.get(None)
        if cached is not None:
            return cached
        vocabulary = await self.commands.vocabulary()
        self._vocabulary.put(None, vocabulary)
        self._parsed.clear()  # parsed against the vocabulary this one replaces
        return vocabulary

    def _parse(self, text: str, vocabulary: Vocabulary) -> Command | CommandError:
        known = self._parsed.get(text)
        if known is not None and known[0] is vocabulary:
            return known[1]
        parsed = parse_command(text, known_tags=vocabulary[0], known_campaigns=vocabulary[1])
        if parsed.cacheable:
            if len(self._parsed) >= PARSED_TEXTS:
                self._parsed.clear()
            self._parsed[text] = (vocabulary, parsed)
        return parsed


def _answer_key(parsed: Command | CommandError, text: str, context: ChatContext) -> AnswerKey:
    """Cacheable answers depend on the text, and for some commands on the channel."""
    return (context.chat, text.strip(), context.channel_id if parsed.per_channel else "")
