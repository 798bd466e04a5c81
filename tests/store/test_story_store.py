"""Structured case studies and feedback in the store, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.config import Settings, TagSettings
from bot.domain.models import Platform
from bot.domain.stories import StoryParts
from bot.ports import FixedClock
from bot.store.accounts import register_account
from bot.store.case_studies import (
    CaseStudyFilter,
    list_case_studies,
    save_case_study,
    story_answers,
    update_case_study_body,
)
from bot.store.db import Database
from bot.store.feedback import delete_feedback, list_feedback, save_feedback, update_feedback_body
from bot.store.owners import StoredOwner, add_owner
from bot.store.wins import WinFilter
from bot.usecases.results import WinsService
from bot.usecases.story_owners import ConfiguredOwners
from tests.chat.slack.conftest import post

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


async def test_a_form_story_keeps_its_parts_and_the_same_key_updates_it(db: Database) -> None:
    parts = StoryParts.of("We filmed it", "38 applications", None)
    async with db.engine.begin() as conn:
        first = await save_case_study(conn, body=parts.body(), now=NOW, source="slack",
                                      source_ref="k1", parts=parts)  # fmt: skip
        again = await save_case_study(conn, body=parts.body(), now=NOW, source="slack",
                                      source_ref="k1", parts=parts)  # fmt: skip
        assert first[1] and not again[1] and first[0] == again[0]
        changed = StoryParts.of("We filmed it", "38 applications", "Timing matters")
        later = NOW + timedelta(minutes=5)
        await save_case_study(conn, body=changed.body(), now=later, source="slack",
                              source_ref="k1", parts=changed)  # fmt: skip
        [story] = await list_case_studies(conn, CaseStudyFilter())
        assert (story.what_we_did, story.result, story.learned) == (
            "We filmed it", "38 applications", "Timing matters"
        )  # fmt: skip
        assert await story_answers(conn, "k1") == changed
        assert await story_answers(conn, "missing") is None
        # Search reads the joined text, so a word from any answer finds the story.
        found = await list_case_studies(conn, CaseStudyFilter(words=("timing",)))
        assert [s.id for s in found] == [story.id]


async def test_a_reply_fills_what_we_did_and_its_edit_follows(db: Database) -> None:
    async with db.engine.begin() as conn:
        await save_case_study(conn, body="We replied fast", now=NOW, source="teams",
                              source_ref="r1")  # fmt: skip
        assert await update_case_study_body(conn, "r1", body="We replied in 4 min", now=NOW)
        [story] = await list_case_studies(conn, CaseStudyFilter())
    assert story.what_we_did == story.body == "We replied in 4 min"
    assert story.result is None and story.learned is None


async def test_feedback_is_stored_once_edited_and_deleted_by_its_key(db: Database) -> None:
    async with db.engine.begin() as conn:
        first = await save_feedback(conn, body="Great work!", now=NOW, source="slack",
                                    source_ref="f1", author="U0BOSS")  # fmt: skip
        again = await save_feedback(conn, body="Great work!", now=NOW, source="slack",
                                    source_ref="f1", author="U0BOSS")  # fmt: skip
        assert first[1] and not again[1] and first[0] == again[0]
        assert await update_feedback_body(conn, "f1", body="Great work, team!", now=NOW)
        assert not await update_feedback_body(conn, "nope", body="x", now=NOW)
        [feedback] = await list_feedback(conn)
        assert (feedback.body, feedback.author, feedback.win_id) == (
            "Great work, team!", "U0BOSS", None
        )  # fmt: skip
        assert await list_case_studies(conn, CaseStudyFilter()) == []  # never a story
        assert await delete_feedback(conn, "f1")
        assert not await delete_feedback(conn, "f1")
        assert await list_feedback(conn) == []


async def test_a_wins_owners_come_from_winsbot_toml_and_from_chat(db: Database) -> None:
    settings = Settings(tags={"#Recruiting": TagSettings(owners=("U0TOML",))})
    service = WinsService(db, settings, FixedClock(NOW))
    lookup = ConfiguredOwners(db, Settings())
    assert not await lookup.any_owners()  # nobody named: every reply stays a story
    async with db.engine.begin() as conn:
        await register_account(conn, Platform.LINKEDIN, "acme-careers", tags=["recruiting"])
    await service.ingest([post(n, 100 + n % 3) for n in range(30)] + [post(35, 2400)])
    await service.detect()
    [win] = await service.wins(WinFilter(limit=1))
    async with db.engine.begin() as conn:
        owner = StoredOwner("account", "acme-careers", "U0CHAT")
        await add_owner(conn, owner, created_by=None, now=NOW)
    both = ConfiguredOwners(db, settings)
    assert await both.owners_of(win.id) == frozenset({"U0TOML", "U0CHAT"})
    assert await both.any_owners() and await lookup.any_owners()
    assert await both.owners_of(999_999) == frozenset()  # a win gone since
