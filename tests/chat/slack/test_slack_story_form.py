"""Slack's "Add the story" form end to end: signed requests in, the fake Slack Web API behind.

The click opens a modal through views.open with its trigger id; the submission stores a
structured case study and confirms it only to its author, in the win's thread; replies under
a win are its story when its owners or the social team write them, feedback otherwise.
"""

from __future__ import annotations

import json
from typing import Any

from slack_sdk.models.views import View
from sqlalchemy import select

from adapters.chat.slack.story_form import story_metadata, story_modal
from bot.domain.stories import StoryParts
from bot.store.case_studies import CaseStudyFilter
from bot.store.feedback import list_feedback
from bot.store.tables import case_studies
from tests.chat import sample_views as views
from tests.chat.slack.conftest import SlackHarness
from tests.chat.slack.story_payloads import (
    LEADER,
    OWNER,
    SOCIAL,
    click,
    eventually,
    open_form,
    send,
    shared_win,
    story_harness,
    submission,
)
from tests.fakes.slack_views import modal_problems

__all__ = ["story_harness"]  # the fixture, used by name

ANSWERS = {
    "what_we_did": "Posted the graduate video at 7:30, when students commute",
    "result": "2,400 likes, 16x our usual; 38 applications that week",
    "learned": "Timing mattered more than the edit",
}


def ephemerals(harness: SlackHarness) -> list[dict[str, Any]]:
    return [call.params for call in harness.slack.calls_to("chat.postEphemeral")]


async def test_the_button_opens_a_modal_with_the_trigger_id_and_three_questions(
    harness: SlackHarness,
) -> None:
    win_id, root = await shared_win(harness)
    status, body = await send(harness, click(win_id, root=root, trigger="777.888.abc"))
    assert status == 200 and not body  # acknowledged at once; the modal follows
    await eventually(lambda: bool(harness.slack.calls_to("views.open")))
    [call] = harness.slack.calls_to("views.open")
    assert call.params["trigger_id"] == "777.888.abc"
    view = call.params["view"]
    assert view["type"] == "modal" and view["callback_id"] == "winsbot_story"
    inputs = [b for b in view["blocks"] if b["type"] == "input"]
    assert [b["block_id"] for b in inputs] == ["story_what_we_did", "story_result", "story_learned"]
    assert [b["label"]["text"] for b in inputs] == ["What we did", "The result", "What we learned"]
    assert all(b["element"]["type"] == "plain_text_input" for b in inputs)
    assert all(b["element"]["multiline"] and b["optional"] for b in inputs)
    assert "About this win:" in view["blocks"][0]["elements"][0]["text"]
    metadata = json.loads(view["private_metadata"])
    assert metadata == {"win": str(win_id), "channel": "C1", "thread": root}
    # The fake opened it: within Block Kit's limits (title 24 characters, labels, lengths).
    assert len(harness.slack.views.opened) == 1


async def test_submitting_stores_a_structured_story_and_confirms_in_the_thread(
    harness: SlackHarness,
) -> None:
    view = await open_form(harness)
    win_id, root = await shared_win(harness)
    status, body = await send(harness, submission(view, ANSWERS))
    assert status == 200 and not body  # an empty ack closes the modal
    [story] = await harness.server.service.case_studies(CaseStudyFilter())
    assert (story.what_we_did, story.result, story.learned) == tuple(ANSWERS.values())
    assert story.win_id == win_id and story.author == "U0SAM" and story.source == "slack"
    assert "The result: 2,400 likes" in story.body  # one text too, for search
    await eventually(lambda: bool(ephemerals(harness)))
    [confirmation] = ephemerals(harness)
    assert confirmation["user"] == "U0SAM" and confirmation["channel"] == "C1"
    assert confirmation["thread_ts"] == root
    assert "Saved the story of this win" in json.dumps(confirmation)


async def test_a_retried_submission_stores_once(harness: SlackHarness) -> None:
    view = await open_form(harness)
    body = submission(view, ANSWERS)
    assert (await send(harness, body))[0] == 200
    assert (await send(harness, body))[0] == 200  # the same submission again
    assert len(await harness.server.service.case_studies(CaseStudyFilter())) == 1
    # The form opened again and sent with a change replaces that person's answers.
    again = await open_form(harness, trigger="12345.98767.abcd")
    prefilled = {b["block_id"]: b["element"].get("initial_value") for b in again["blocks"]
                 if b["type"] == "input"}  # fmt: skip
    assert prefilled["story_result"] == ANSWERS["result"]  # the answers so far, to edit
    changed = {**ANSWERS, "learned": "Post when people commute"}
    assert (await send(harness, submission(again, changed)))[0] == 200
    [story] = await harness.server.service.case_studies(CaseStudyFilter())
    assert story.learned == "Post when people commute"


async def test_an_empty_form_gets_field_errors_and_stores_nothing(harness: SlackHarness) -> None:
    view = await open_form(harness)
    blank = {"what_we_did": None, "result": "  \n ", "learned": ""}
    status, body = await send(harness, submission(view, blank))
    assert status == 200
    assert body["response_action"] == "errors"
    assert "at least one" in body["errors"]["story_what_we_did"]
    assert await harness.server.service.case_studies(CaseStudyFilter()) == []
    assert ephemerals(harness) == []


async def test_a_form_for_a_win_gone_since_says_so_in_the_modal(harness: SlackHarness) -> None:
    view = await open_form(harness)
    gone = {**view, "private_metadata": json.dumps({"win": "999999", "channel": "C1"})}
    status, body = await send(harness, submission(gone, ANSWERS))
    assert status == 200 and body["response_action"] == "errors"
    assert "no longer there" in body["errors"]["story_what_we_did"]


async def test_one_answer_is_enough_and_cases_show_each_part(harness: SlackHarness) -> None:
    view = await open_form(harness)
    await send(harness, submission(view, {"result": "38 applications in a week"}))
    [story] = await harness.server.service.case_studies(CaseStudyFilter())
    assert (story.what_we_did, story.learned) == (None, None)
    assert story.result == "38 applications in a week"
    status, reply = await harness.command("cases")
    assert status == 200
    text = json.dumps(reply["blocks"])
    assert '"text": "The result:", "style": {"bold": true}' in text
    assert "38 applications in a week" in text


# --- replies: stories from owners and the social team, feedback from everyone else -----------


def reply(root: str, user: str, text: str, ts: str) -> dict[str, Any]:
    return {"type": "message", "channel": "C1", "user": user, "text": text, "ts": ts,
            "thread_ts": root, "channel_type": "channel", "event_ts": ts}  # fmt: skip


async def stored(harness: SlackHarness) -> tuple[list[str], list[str]]:
    """(case study bodies, feedback bodies)."""
    stories = await harness.server.service.case_studies(CaseStudyFilter())
    async with harness.server.service.db.engine.connect() as conn:
        feedback = await list_feedback(conn)
    return [s.body for s in stories], [f.body for f in feedback]


async def test_a_leaders_applause_is_feedback_and_an_owners_reply_is_the_story(
    story_harness: SlackHarness,
) -> None:
    harness = story_harness
    win_id, root = await shared_win(harness)
    applause = reply(root, LEADER, "Great work, team!", "1800000000.000300")
    assert (await harness.event(applause))[0] == 200
    await harness.event(applause, retry=1)  # redelivered: stored once
    assert await stored(harness) == ([], ["Great work, team!"])
    assert harness.slack.calls_to("reactions.add") == []  # feedback is kept quietly
    posted = harness.slack.calls_to("chat.postMessage")
    assert [c for c in posted if c.params.get("thread_ts")] == []
    async with harness.server.service.db.engine.connect() as conn:
        [feedback] = await list_feedback(conn, win_id)
    assert feedback.author == LEADER

    story = reply(root, OWNER, "We filmed it with the graduates themselves", "1800000000.000400")
    await harness.event(story, event_id="Ev2")
    team = reply(root, SOCIAL, "Boosted to students for two days", "1800000000.000500")
    await harness.event(team, event_id="Ev3")
    bodies, _ = await stored(harness)
    assert sorted(bodies) == ["Boosted to students for two days",
                              "We filmed it with the graduates themselves"]  # fmt: skip
    assert len(harness.slack.calls_to("reactions.add")) == 2
    async with harness.server.service.db.engine.connect() as conn:
        rows = (await conn.execute(select(case_studies.c.what_we_did))).scalars().all()
    assert sorted(rows) == sorted(bodies)  # a reply fills "what we did"


async def test_edits_and_deletes_follow_whichever_a_reply_became(
    story_harness: SlackHarness,
) -> None:
    harness = story_harness
    _, root = await shared_win(harness)
    applause = reply(root, LEADER, "Great work!", "1800000000.000300")
    story = reply(root, OWNER, "We filmed it", "1800000000.000400")
    await harness.event(applause)
    await harness.event(story, event_id="Ev2")

    def edit(original: dict[str, Any], text: str, n: int) -> dict[str, Any]:
        return {"type": "message", "subtype": "message_changed", "channel": "C1",
                "channel_type": "channel", "message": {**original, "text": text},
                "ts": f"1800000001.00000{n}"}  # fmt: skip

    def delete(original: dict[str, Any], n: int) -> dict[str, Any]:
        return {"type": "message", "subtype": "message_deleted", "channel": "C1",
                "channel_type": "channel", "deleted_ts": original["ts"],
                "previous_message": original, "ts": f"1800000002.00000{n}"}  # fmt: skip

    await harness.event(edit(applause, "Great work, everyone!", 1), event_id="Ev3")
    await harness.event(edit(story, "We filmed it with the graduates", 2), event_id="Ev4")
    assert await stored(harness) == (["We filmed it with the graduates"], ["Great work, everyone!"])
    await harness.event(delete(applause, 1), event_id="Ev5")
    assert await stored(harness) == (["We filmed it with the graduates"], [])
    await harness.event(delete(story, 2), event_id="Ev6")
    assert await stored(harness) == ([], [])


async def test_without_owners_or_a_social_team_every_reply_is_still_a_story(
    harness: SlackHarness,
) -> None:
    _, root = await shared_win(harness)
    await harness.event(reply(root, LEADER, "Great work, team!", "1800000000.000300"))
    assert await stored(harness) == (["Great work, team!"], [])


def test_the_modal_stays_within_block_kit_limits_whatever_it_holds() -> None:
    win = views.win_list().wins[0].model_copy(update={"reason": "x " * 3000})
    longest = StoryParts.of("a" * 5000, "é" * 3000, "😀" * 3000)
    metadata = story_metadata(2**63 - 1, "C" + "0" * 63, "1700000000.000100")
    modal = story_modal(win, metadata=metadata, draft=longest)
    assert modal_problems(modal) == []  # what the fake's views.open refuses
    View(**modal).validate_json()  # and slack_sdk's own model of a view
    assert len(modal["title"]["text"]) <= 24 and len(modal["submit"]["text"]) <= 24
    assert len(modal["private_metadata"]) <= 3000
