"""Teams' "Add the story" form end to end: the ShowCard's Action.Submit into the real server,
the fake Bot Connector behind it.

Submitting stores a structured case study and answers in the card's thread; replies under a
shared win are its story when its owners or the social team write them, feedback otherwise;
edits and deletions follow whichever a reply became.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from adapters.chat.teams.cards import SHARE_WIN
from adapters.chat.teams.story_form import ADD_STORY
from bot.config import Settings
from bot.domain.models import Platform, SourceAccount
from bot.store.accounts import register_account
from bot.store.case_studies import CaseStudyFilter
from bot.store.db import Database
from bot.store.feedback import list_feedback
from bot.store.wins import WinFilter
from tests.chat.teams.conftest import TeamsHarness, post, start
from tests.chat.teams.test_teams_app import _root_of_shared_win
from tests.fakes.bot_connector import FakeBotConnector

OWNER, SOCIAL, LEADER = "aad-owner", "aad-social", "aad-boss"
ANSWERS = {
    "what_we_did": "Posted the graduate video at 7:30, when students commute",
    "result": "2,400 likes, 16x our usual; 38 applications that week",
    "learned": "Timing mattered more than the edit",
}


@pytest.fixture
async def story_teams(db: Database, tmp_path: Path) -> AsyncIterator[TeamsHarness]:
    """The Teams harness with an owner of acme-careers and a social team configured."""
    async with FakeBotConnector() as connector:
        settings = Settings(
            database_url=db.url, teams_dev=True, output_dir=tmp_path, social_team=[SOCIAL],
            accounts=[SourceAccount(platform=Platform.LINKEDIN, handle="acme-careers",
                                    owners=(OWNER,))],
        )  # fmt: skip
        server, runner, url = await start(settings)
        async with server.service.db.engine.begin() as conn:
            await register_account(conn, Platform.LINKEDIN, "acme-careers", tags=["recruiting"])
        await server.service.ingest([post(n, 100 + n % 3) for n in range(30)] + [post(35, 2400)])
        await server.service.detect()
        async with aiohttp.ClientSession() as http:
            yield TeamsHarness(server, connector, url, http)
        await runner.cleanup()
        for close in server.on_stop:
            await close()


async def share(teams: TeamsHarness) -> tuple[int, str]:
    """Share the top win to the channel; its id and its thread's root message id."""
    [win] = await teams.server.service.wins(WinFilter(limit=1))
    click = teams.activity("", mention=False, value={"winsbot": SHARE_WIN, "win_id": win.id})
    click["text"] = None
    await teams.send(click)
    return win.id, await _root_of_shared_win(teams)


def submit(teams: TeamsHarness, win_id: int, root: str, answers: dict[str, Any],
           user: str = "aad-sam") -> dict[str, Any]:  # fmt: skip
    """The activity Teams sends when the ShowCard's "Save the story" is clicked: the submit's
    data and the inputs' values in ``value``, no text, in the thread of the card's message."""
    activity = teams.activity("", mention=False, thread=root, user=user,
                              value={"winsbot": ADD_STORY, "win_id": win_id, **answers},
                              replyToId=root)  # fmt: skip
    activity["text"] = None
    return activity


def last_card_text(teams: TeamsHarness) -> str:
    return json.dumps(teams.cards()[-1])


async def test_the_shared_win_card_carries_the_story_form(teams: TeamsHarness) -> None:
    win_id, _ = await share(teams)
    [posted] = [c for c in teams.cards() if "Shared by" in json.dumps(c)]
    [form] = [a for a in posted["actions"] if a["type"] == "Action.ShowCard"]
    assert [i["id"] for i in form["card"]["body"]] == ["what_we_did", "result", "learned"]
    assert form["card"]["actions"][0]["data"] == {"winsbot": ADD_STORY, "win_id": win_id}


async def test_submitting_the_form_stores_a_structured_story_and_confirms(
    teams: TeamsHarness,
) -> None:
    win_id, root = await share(teams)
    assert await teams.send(submit(teams, win_id, root, ANSWERS)) < 300
    [story] = await teams.server.service.case_studies(CaseStudyFilter())
    assert (story.what_we_did, story.result, story.learned) == tuple(ANSWERS.values())
    assert story.win_id == win_id and story.author == "aad-sam" and story.source == "teams"
    assert story.author_name == "Sam Lee"
    assert "Saved the story of this win" in last_card_text(teams)
    reply = teams.connector.activities_sent[-1]  # in the thread of the card's message
    assert reply["conversation"]["id"].endswith(f";messageid={root}")


async def test_a_retried_submission_stores_once(teams: TeamsHarness) -> None:
    win_id, root = await share(teams)
    activity = submit(teams, win_id, root, ANSWERS)
    await teams.send(activity)
    await teams.send(activity)  # the Bot Connector redelivers it
    await teams.send(submit(teams, win_id, root, {**ANSWERS, "learned": "Post at 7:30"}))
    [story] = await teams.server.service.case_studies(CaseStudyFilter())
    assert story.learned == "Post at 7:30"  # a second click replaces this person's answers
    assert "Updated the story" in last_card_text(teams)


async def test_an_empty_form_is_answered_and_stores_nothing(teams: TeamsHarness) -> None:
    win_id, root = await share(teams)
    await teams.send(submit(teams, win_id, root, {"what_we_did": " ", "result": ""}))
    assert "Write at least one of" in last_card_text(teams)
    assert await teams.server.service.case_studies(CaseStudyFilter()) == []


@pytest.mark.parametrize(
    "value",
    [
        {"winsbot": ADD_STORY},  # no win
        {"winsbot": ADD_STORY, "win_id": "seven"},
        {"winsbot": ADD_STORY, "win_id": 1, "result": 38},  # an answer that is not text
        {"winsbot": ADD_STORY, "win_id": 1, "learned": ["a"]},
    ],
)
async def test_a_form_submit_that_does_not_fit_is_refused_400(
    teams: TeamsHarness, value: dict[str, Any]
) -> None:
    activity = teams.activity("", mention=False, value=value)
    activity["text"] = None
    assert await teams.send(activity) == 400
    assert await teams.server.service.case_studies(CaseStudyFilter()) == []


# --- replies: stories from owners and the social team, feedback from everyone else -----------


async def stored(teams: TeamsHarness) -> tuple[list[str], list[str]]:
    stories = await teams.server.service.case_studies(CaseStudyFilter())
    async with teams.server.service.db.engine.connect() as conn:
        feedback = await list_feedback(conn)
    return sorted(s.body for s in stories), sorted(f.body for f in feedback)


async def test_a_leaders_applause_is_feedback_and_an_owners_reply_is_the_story(
    story_teams: TeamsHarness,
) -> None:
    teams = story_teams
    win_id, root = await share(teams)
    sent = len(teams.connector.activities_sent)
    applause = teams.activity("Great work, team!", mention=False, thread=root, user=LEADER)
    assert await teams.send(applause) < 300
    await teams.send(applause)  # redelivered
    assert await stored(teams) == ([], ["Great work, team!"])
    assert len(teams.connector.activities_sent) == sent  # feedback is kept quietly
    async with teams.server.service.db.engine.connect() as conn:
        [feedback] = await list_feedback(conn, win_id)
    assert feedback.author == LEADER

    await teams.send(teams.activity("We filmed it", mention=False, thread=root, user=OWNER))
    await teams.send(teams.activity("Boosted it", mention=False, thread=root, user=SOCIAL))
    assert await stored(teams) == (["Boosted it", "We filmed it"], ["Great work, team!"])
    assert "Saved as a case study" in last_card_text(teams)


async def test_edits_and_deletes_follow_whichever_a_reply_became(
    story_teams: TeamsHarness,
) -> None:
    teams = story_teams
    _, root = await share(teams)
    applause = teams.activity("Great work!", mention=False, thread=root, user=LEADER)
    story = teams.activity("We filmed it", mention=False, thread=root, user=OWNER)
    await teams.send(applause)
    await teams.send(story)

    def edit(original: dict[str, Any], text: str) -> dict[str, Any]:
        data = {**original["channelData"], "eventType": "editMessage"}
        return {**original, "type": "messageUpdate", "text": text, "channelData": data}

    def delete(original: dict[str, Any]) -> dict[str, Any]:
        data = {**original["channelData"], "eventType": "softDeleteMessage"}
        return {**original, "type": "messageDelete", "channelData": data}

    await teams.send(edit(applause, "Great work, everyone!"))
    await teams.send(edit(story, "We filmed it with the graduates"))
    assert await stored(teams) == (["We filmed it with the graduates"], ["Great work, everyone!"])
    await teams.send(delete(applause))
    assert await stored(teams) == (["We filmed it with the graduates"], [])
    await teams.send(delete(story))
    assert await stored(teams) == ([], [])
