"""The chat core's answers to repeated questions: the same answer at once, fresh after a change."""

from __future__ import annotations

import asyncio
from pathlib import Path

from bot.config import Settings
from bot.domain.context import ChatContext
from bot.domain.models import Chat, Platform
from bot.domain.views import ErrorView, WinListView
from bot.store.accounts import register_account
from bot.store.db import Database
from bot.usecases.answering import Answering
from bot.usecases.chat import build_chat
from bot.usecases.results import WinsService

CONTEXT = ChatContext(chat=Chat.SLACK, workspace_id="T1", channel_id="C1", user_id="U1")


class Directory:
    """Nobody is an admin and nobody has a time zone: these questions are read-only."""

    async def is_admin(self, context: ChatContext) -> bool:
        return False

    async def timezone(self, context: ChatContext) -> str | None:
        return None

    async def display_name(self, context: ChatContext) -> str | None:
        return None


class Ticker:
    """The answer cache's clock, moved by hand: expiry is tested without sleeping."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def answering(db: Database, cache_seconds: float, clock: Ticker | None = None) -> Answering:
    settings = Settings(database_url=db.url, query_cache_seconds=cache_seconds)
    return build_chat(WinsService(db, settings), Directory(), cache_clock=clock or Ticker()).answers


async def test_a_question_asked_again_is_answered_without_waiting_for_anything(
    db: Database,
) -> None:
    chat = answering(db, cache_seconds=60)
    assert chat.cached_answer("30d", CONTEXT) is None  # nothing asked yet
    first = await chat.handle("30d", CONTEXT)
    assert isinstance(first, WinListView)
    assert chat.cached_answer("30d", CONTEXT) is first
    assert chat.cached_answer(" 30d ", CONTEXT) is first  # the same words
    assert chat.cached_answer("7d", CONTEXT) is None
    # Subscribing writes, and a write forgets what was cached.
    assert chat.cached_answer("subscribe leadership", CONTEXT) is None
    await chat.handle("subscribe leadership", CONTEXT)
    assert chat.cached_answer("30d", CONTEXT) is None


async def test_a_command_is_read_again_once_the_known_tags_change(db: Database) -> None:
    """Parsed commands are reused only with the vocabulary they were parsed against: a tag
    added since (by an import in another process, say) is known once the cache expires."""
    async with db.engine.begin() as conn:
        await register_account(conn, Platform.LINKEDIN, "acme", tags=["recruiting"])
    clock = Ticker()
    chat = answering(db, cache_seconds=5, clock=clock)
    before = await chat.handle("#brand 30d", CONTEXT)
    assert isinstance(before, ErrorView)
    assert before.message == "No account is tagged #brand."
    async with db.engine.begin() as conn:
        await register_account(conn, Platform.LINKEDIN, "acme-shop", tags=["brand"])
    clock.now += 4.9
    still = await chat.handle("#brand 30d", CONTEXT)
    assert isinstance(still, ErrorView)  # within the TTL: the vocabulary it knew
    clock.now += 0.2
    after = await chat.handle("#brand 30d", CONTEXT)
    assert isinstance(after, WinListView)
    assert after.title == "Top wins, last 30 days · #brand"


async def test_an_answer_not_ready_within_the_budget_comes_back_as_work_to_finish_later(
    db: Database,
) -> None:
    chat = answering(db, cache_seconds=60)
    later = await chat.answer("30d", CONTEXT, within=0)  # no time at all: not ready yet
    assert isinstance(later, asyncio.Future)
    await asyncio.wait({later})
    view = chat.outcome(later)
    assert isinstance(view, WinListView)
    assert await chat.answer("30d", CONTEXT, within=0) is view  # cached: at once


async def test_a_command_that_fails_is_answered_with_an_apology_naming_the_command(
    tmp_path: Path,
) -> None:
    broken = Database(f"sqlite+aiosqlite:///{tmp_path / 'missing' / 'winsbot.db'}")
    settings = Settings(database_url=broken.url)
    chat = build_chat(WinsService(broken, settings), Directory()).answers
    try:
        view = await chat.answer("30d", CONTEXT, within=5)
    finally:
        await broken.dispose()
    assert isinstance(view, ErrorView)
    assert view.message == "Something went wrong on our side; it has been logged."
    # The grammar's own word: each renderer spells it its platform's way (/wins, @winsbot wins).
    assert view.hint == "Try again in a minute, or type `wins help`."
