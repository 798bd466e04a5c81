"""Slack end to end: signed requests into the real server, a fake Slack Web API behind it."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from typing import Any

import pytest
from sqlalchemy import select

from adapters.chat.slack.blocks import SHARE_CASE_ACTION, SHARE_WIN_ACTION
from bot.domain.models import Chat
from bot.store.case_studies import CaseStudyFilter
from bot.store.subscriptions import list_subscriptions
from bot.store.tables import case_studies
from bot.store.wins import WinFilter
from tests.chat.slack.conftest import SECRET, SlackHarness, sign


def text_of(reply: dict[str, Any]) -> str:
    return json.dumps(reply.get("blocks", [])) + str(reply.get("text", ""))


async def test_wins_answers_in_the_ack_with_the_top_wins_only_to_the_caller(
    harness: SlackHarness,
) -> None:
    status, reply = await harness.command("")
    assert status == 200
    assert reply["response_type"] == "ephemeral"
    body = text_of(reply)
    assert "the median impressions of acme-careers" in body
    assert SHARE_WIN_ACTION in body
    # Post text arrives as written, in rich text elements that can never ping anyone.
    assert "<!channel>" in body
    assert '"type": "broadcast"' not in body and '"type": "mrkdwn"' not in body


async def test_filters_combine_and_bad_input_gets_a_suggestion(harness: SlackHarness) -> None:
    status, reply = await harness.command("linkedin #recruiting 30d")
    assert status == 200 and "acme-careers" in text_of(reply)
    status, reply = await harness.command("linkdin")
    assert status == 200
    assert "linkedin" in text_of(reply)  # did you mean `linkedin`?
    status, reply = await harness.command("#recruting")
    assert status == 200 and "#recruiting" in text_of(reply)
    status, reply = await harness.command("help")
    assert status == 200 and "subscribe" in text_of(reply)


async def test_forged_signature_and_stale_timestamp_are_refused(harness: SlackHarness) -> None:
    body = "command=%2Fwins&text=&user_id=U1&channel_id=C1&team_id=T0001"
    forged = {
        **sign(body, secret="not-the-secret"),
        "Content-Type": "application/x-www-form-urlencoded",
    }
    async with harness.http.post(f"{harness.url}/slack/events", data=body, headers=forged) as r:
        assert r.status == 401
    stale = {**sign(body, timestamp=int(time.time()) - 3600),
             "Content-Type": "application/x-www-form-urlencoded"}  # fmt: skip
    async with harness.http.post(f"{harness.url}/slack/events", data=body, headers=stale) as r:
        assert r.status == 401
    assert harness.slack.calls_to("chat.postMessage") == []


async def test_share_button_posts_the_win_once_and_maps_its_thread(harness: SlackHarness) -> None:
    [win] = await harness.server.service.wins(WinFilter(limit=1))
    status, _ = await harness.action(SHARE_WIN_ACTION, str(win.id))
    assert status == 200
    [posted] = harness.slack.calls_to("chat.postMessage")
    assert posted.params["channel"] == "C1"
    # "Shared by" the clicker: a user element built from Slack's own id, not from text.
    assert '{"type": "user", "user_id": "U0SAM"}' in json.dumps(posted.params["blocks"])
    assert "Shared." in json.dumps(harness.slack.responses[-1])
    await harness.action(SHARE_WIN_ACTION, str(win.id))  # a second click
    assert len(harness.slack.calls_to("chat.postMessage")) == 1
    assert "already shared in this channel" in json.dumps(harness.slack.responses[-1])
    assert all(r["response_type"] == "ephemeral" for r in harness.slack.responses)


async def test_thread_reply_becomes_one_case_study_even_when_redelivered(
    harness: SlackHarness,
) -> None:
    [win] = await harness.server.service.wins(WinFilter(limit=1))
    await harness.action(SHARE_WIN_ACTION, str(win.id))
    root = harness.slack.calls_to("chat.postMessage")[0]
    root_ts = next(ts for (channel, ts) in harness.slack.messages if channel == "C1")
    reply = {
        "type": "message", "channel": "C1", "user": "U0ALEX", "text": "We replied in 5 minutes",
        "ts": "1800000000.000200", "thread_ts": root_ts, "channel_type": "channel",
        "event_ts": "1800000000.000200",
    }  # fmt: skip
    assert root is not None
    status, _ = await harness.event(reply)
    assert status == 200
    status, _ = await harness.event(reply, retry=1)  # Slack retries the same event
    assert status == 200
    stories = await harness.server.service.case_studies(CaseStudyFilter())
    assert [s.body for s in stories] == ["We replied in 5 minutes"]
    assert stories[0].win_id == win.id
    assert len(harness.slack.calls_to("reactions.add")) == 1
    confirmations = [
        c for c in harness.slack.calls_to("chat.postMessage") if c.params.get("thread_ts")
    ]
    assert len(confirmations) == 1
    assert "Saved as a case study" in json.dumps(confirmations[0].params)

    edited = {
        "type": "message", "subtype": "message_changed", "channel": "C1", "channel_type": "channel",
        "message": {**reply, "text": "We replied in 4 minutes"}, "ts": "1800000001.000001",
    }  # fmt: skip
    await harness.event(edited, event_id="Ev2")
    [story] = await harness.server.service.case_studies(CaseStudyFilter())
    assert story.body == "We replied in 4 minutes"

    deleted = {
        "type": "message", "subtype": "message_deleted", "channel": "C1", "channel_type": "channel",
        "deleted_ts": reply["ts"], "previous_message": reply, "ts": "1800000002.000001",
    }  # fmt: skip
    await harness.event(deleted, event_id="Ev3")
    assert await harness.server.service.case_studies(CaseStudyFilter()) == []


async def test_replies_outside_our_threads_and_from_bots_are_ignored(harness: SlackHarness) -> None:
    stranger = {
        "type": "message", "channel": "C1", "user": "U0ALEX", "text": "hi",
        "ts": "1800000000.000300", "thread_ts": "1799999999.000001", "channel_type": "channel",
    }  # fmt: skip
    bot = {**stranger, "bot_id": "B9", "ts": "1800000000.000400"}
    await harness.event(stranger)
    await harness.event(bot, event_id="Ev9")
    async with harness.server.service.db.engine.connect() as conn:
        assert (await conn.execute(select(case_studies))).all() == []
    assert harness.slack.calls_to("reactions.add") == []


async def test_private_channel_story_stays_there_until_its_author_shares_it(
    harness: SlackHarness,
) -> None:
    [win] = await harness.server.service.wins(WinFilter(limit=1))
    await harness.action(SHARE_WIN_ACTION, str(win.id), channel="G1")
    root_ts = next(ts for (channel, ts) in harness.slack.messages if channel == "G1")
    reply = {"type": "message", "channel": "G1", "user": "U0ALEX", "text": "Private story",
             "ts": "1800000000.000500", "thread_ts": root_ts, "channel_type": "group"}  # fmt: skip
    await harness.event(reply)
    assert await harness.server.service.case_studies(CaseStudyFilter()) == []
    [story] = await harness.server.service.case_studies(CaseStudyFilter(visible_in="G1"))
    confirmation = next(
        c for c in harness.slack.calls_to("chat.postMessage") if c.params.get("thread_ts")
    )
    assert SHARE_CASE_ACTION in json.dumps(confirmation.params["blocks"])
    await harness.action(SHARE_CASE_ACTION, str(story.id), user="U0SAM", channel="G1")
    assert "Only the author" in json.dumps(harness.slack.responses[-1])
    assert await harness.server.service.case_studies(CaseStudyFilter()) == []
    await harness.action(SHARE_CASE_ACTION, str(story.id), user="U0ALEX", channel="G1")
    assert [s.body for s in await harness.server.service.case_studies(CaseStudyFilter())] == [
        "Private story"
    ]


async def test_leadership_subscription_is_for_admins_department_for_anyone(
    harness: SlackHarness,
) -> None:
    _, refused = await harness.command("subscribe leadership", user="U0SAM")
    assert "Only workspace admins" in text_of(refused)
    _, ok = await harness.command("subscribe leadership", user="UADMIN")
    assert "leadership digest every Monday at 09:00" in text_of(ok)
    _, listed_by_env = await harness.command("subscribe leadership friday 08:30", user="UBOSS")
    assert "every Friday at 08:30" in text_of(listed_by_env)
    _, department = await harness.command("subscribe #recruiting", user="U0SAM", channel="C2")
    assert "America/Toronto" in text_of(department)  # the subscriber's own time zone
    async with harness.server.service.db.engine.connect() as conn:
        stored = await list_subscriptions(conn, chat=Chat.SLACK)
    assert {(s.channel_id, s.audience.name, s.schedule.weekday) for s in stored} == {
        ("C1", "leadership", 4),
        ("C2", "recruiting", 0),
    }
    _, listed = await harness.command("subscriptions", channel="C2")
    assert "recruiting" in text_of(listed)
    _, refused = await harness.command("unsubscribe", user="U0SAM", channel="C2")
    assert "Only workspace admins" in text_of(refused)
    _, stopped = await harness.command("unsubscribe", user="UADMIN", channel="C2")
    assert "Stopped the recruiting digest" in text_of(stopped)


async def test_cases_lists_public_stories(harness: SlackHarness) -> None:
    await harness.server.service.add_case_study("Story from the CLI")
    _, reply = await harness.command("cases")
    assert "Story from the CLI" in text_of(reply)
    _, reply = await harness.command("cases nothing-matches-this")
    assert "No case studies" in text_of(reply)


async def test_healthz(harness: SlackHarness) -> None:
    async with harness.http.get(f"{harness.url}/healthz") as r:
        assert r.status == 200
        assert await r.json() == {"ok": True}


async def test_rate_limited_post_waits_and_retries_once(harness: SlackHarness) -> None:
    [win] = await harness.server.service.wins(WinFilter(limit=1))
    harness.slack.fail_next("chat.postMessage", status=429, retry_after=0)
    await harness.action(SHARE_WIN_ACTION, str(win.id))
    assert len(harness.slack.calls_to("chat.postMessage")) == 2  # the 429, then the retry
    assert len(harness.slack.messages) == 1  # posted once


async def test_tokens_and_secrets_never_reach_the_logs(
    harness: SlackHarness, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    await harness.command("linkdin")
    await harness.command("subscribe leadership", user="U0SAM")
    forged = {**sign("x", secret="wrong"), "Content-Type": "application/x-www-form-urlencoded"}
    async with harness.http.post(f"{harness.url}/slack/events", data="x", headers=forged):
        pass
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert logged  # the rejected input and the refused signature were logged
    assert "xoxb-test-token" not in logged
    assert SECRET not in logged


@pytest.mark.ack_budget(0)
async def test_slow_answer_is_acked_at_once_and_follows_through_response_url(
    harness: SlackHarness,
) -> None:
    status, ack = await harness.command("30d")
    assert status == 200
    assert ack["text"] == "Working on it…"
    for _ in range(100):
        if harness.slack.responses:
            break
        await asyncio.sleep(0.02)
    [answer] = harness.slack.responses
    assert answer["response_type"] == "ephemeral"
    assert "the median impressions of acme-careers" in json.dumps(answer["blocks"])


async def test_a_new_case_study_shows_at_once_despite_the_answer_cache(
    harness: SlackHarness,
) -> None:
    _, before = await harness.command("cases")
    assert "No case studies" in text_of(before)
    [win] = await harness.server.service.wins(WinFilter(limit=1))
    await harness.action(SHARE_WIN_ACTION, str(win.id))
    root_ts = next(ts for (channel, ts) in harness.slack.messages if channel == "C1")
    await harness.event(
        {
            "type": "message",
            "channel": "C1",
            "user": "U0ALEX",
            "text": "Fresh story",
            "ts": "1800000000.000900",
            "thread_ts": root_ts,
            "channel_type": "channel",
        }
    )
    _, after = await harness.command("cases")
    assert "Fresh story" in text_of(after)
