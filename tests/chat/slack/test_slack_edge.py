"""Bad input at POST /slack/events gets a clear 4xx and one WARNING line, never a 500 or a
traceback; every well-formed event Slack may send is acknowledged, acted on or not."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from urllib.parse import urlencode

import pytest
from sqlalchemy import func, select

from adapters.chat.slack.blocks import SHARE_CASE_ACTION, SHARE_WIN_ACTION
from bot.app import build_server, start_socket_mode
from bot.config import Settings
from bot.ports import FixedClock
from bot.store.case_studies import CaseStudyFilter
from bot.store.db import Database
from bot.store.subscriptions import list_subscriptions
from bot.store.tables import case_studies, posted_messages, subscriptions
from bot.store.wins import WinFilter
from tests.chat.slack.conftest import NOW, SlackHarness, sign
from tests.chat.slack.slack_payloads import IGNORED_EVENTS, OTHER_REQUESTS, url_verification
from tests.fakes.slack_api import FakeSlackApi

FORM = "application/x-www-form-urlencoded"


async def stored(harness: SlackHarness) -> dict[str, int]:
    """Rows in the tables a chat request can write to."""
    async with harness.server.service.db.engine.connect() as conn:
        return {
            table.name: (await conn.execute(select(func.count()).select_from(table))).scalar_one()
            for table in (case_studies, subscriptions, posted_messages)
        }


def problems(caplog: pytest.LogCaptureFixture) -> list[str]:
    """Log records that would mean a bug: a traceback, or anything at ERROR."""
    return [
        f"{r.levelname} {r.name}: {r.getMessage()}"
        for r in caplog.records
        if r.exc_info or r.levelno >= logging.ERROR
    ]


def warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]


@pytest.mark.parametrize("name", sorted(IGNORED_EVENTS))
async def test_every_event_slack_may_send_is_acknowledged(
    harness: SlackHarness, caplog: pytest.LogCaptureFixture, name: str
) -> None:
    before = await stored(harness)
    status, _ = await harness.post(json.dumps(IGNORED_EVENTS[name]), "application/json")
    assert status == 200
    assert problems(caplog) == []
    assert await stored(harness) == before
    assert harness.slack.calls_to("chat.postMessage") == []


async def test_url_verification_answers_the_challenge(harness: SlackHarness) -> None:
    status, body = await harness.post(json.dumps(url_verification("3eZbrw1aB")), "application/json")
    assert (status, body) == (200, {"challenge": "3eZbrw1aB"})


async def test_app_rate_limited_is_acknowledged_with_one_warning(
    harness: SlackHarness, caplog: pytest.LogCaptureFixture
) -> None:
    body = json.dumps(OTHER_REQUESTS["app_rate_limited"])
    status, _ = await harness.post(body, "application/json")
    assert status == 200
    [warning] = warnings(caplog)
    assert "rate-limiting" in warning and "T0001" in warning
    assert problems(caplog) == []


async def test_interactions_and_commands_that_are_not_ours_are_acknowledged(
    harness: SlackHarness, caplog: pytest.LogCaptureFixture
) -> None:
    for name in ("view_submission", "a link button in one of our messages"):
        body = urlencode({"payload": json.dumps(OTHER_REQUESTS[name])})
        assert (await harness.post(body, FORM))[0] == 200
    assert (await harness.post("ssl_check=1&token=legacy", FORM))[0] == 200
    status, _ = await harness.command("x", command="/someone-elses")
    assert status == 200
    assert any("/someone-elses" in w for w in warnings(caplog))  # a misconfigured app, said once
    assert problems(caplog) == []
    assert harness.slack.calls_to("chat.postMessage") == []


@pytest.mark.parametrize(
    "value", ["99999999999999999999", "9223372036854775808", "0", "-1", "1e3", " 1", "abc", ""]
)
async def test_a_share_click_naming_no_row_we_could_have_is_refused(
    harness: SlackHarness, caplog: pytest.LogCaptureFixture, value: str
) -> None:
    for action in (SHARE_WIN_ACTION, SHARE_CASE_ACTION):
        status, body = await harness.action(action, value)
        assert status == 400
        assert "value" in body["error"]
    assert len(warnings(caplog)) == 2
    assert problems(caplog) == []
    assert harness.slack.calls_to("chat.postMessage") == []
    assert harness.slack.responses == []


async def test_the_largest_id_a_database_holds_is_looked_up_not_refused(
    harness: SlackHarness, caplog: pytest.LogCaptureFixture
) -> None:
    status, _ = await harness.action(SHARE_WIN_ACTION, str(2**63 - 1))
    assert status == 200
    assert harness.slack.calls_to("chat.postMessage") == []  # no such win: said, not posted
    assert len(harness.slack.responses) == 1
    assert problems(caplog) == []


async def test_a_thread_reply_without_ts_is_refused(
    harness: SlackHarness, caplog: pytest.LogCaptureFixture
) -> None:
    [win] = await harness.server.service.wins(WinFilter(limit=1))
    await harness.action(SHARE_WIN_ACTION, str(win.id))
    [(channel, root)] = list(harness.slack.messages)
    reply = {"type": "message", "channel": channel, "user": "U0ALEX", "text": "A story",
             "thread_ts": root, "channel_type": "channel"}  # fmt: skip
    status, body = await harness.event(reply)
    assert status == 400
    assert "ts" in body["error"]
    [warning] = warnings(caplog)
    assert "thread reply" in warning
    assert problems(caplog) == []
    assert (await stored(harness))["case_studies"] == 0


async def test_requests_slack_did_not_sign_get_401(
    harness: SlackHarness, caplog: pytest.LogCaptureFixture
) -> None:
    body = urlencode({"command": "/wins", "text": "", "user_id": "U1", "channel_id": "C1"})
    now = str(int(time.time()))
    for headers in (
        {},  # unsigned
        sign(body, secret="not-the-secret"),
        {**sign(body), "X-Slack-Request-Timestamp": "not-a-number"},
        {**sign(body), "X-Slack-Request-Timestamp": "१२३"},  # digits, but not ASCII ones
        {"X-Slack-Request-Timestamp": now, "X-Slack-Signature": "v0=" + "0" * 64},
        {**sign(body), "X-Slack-Signature": "garbage"},
    ):
        request = {**headers, "Content-Type": FORM}
        url = f"{harness.url}/slack/events"
        async with harness.http.post(url, data=body, headers=request) as r:
            assert r.status == 401
    assert len(warnings(caplog)) == 6
    assert problems(caplog) == []
    assert harness.slack.calls_to("chat.postMessage") == []


@pytest.mark.parametrize(
    "body",
    [
        "null",
        "[]",
        '"text"',
        "{not json",
        "[" * 100_000 + "]" * 100_000,
        '{"a":' * 50_000 + "1" + "}" * 50_000,
        json.dumps({"type": "event_callback", "event": None}),
        json.dumps({"type": "event_callback", "event": {"type": 5}}),
        json.dumps({"type": "block_actions", "actions": []}),
        json.dumps({"token": "x"}),
        "1" * 5000,  # more digits than Python turns into an int
    ],
    ids=lambda body: body[:24],
)
async def test_bodies_that_fit_nothing_slack_sends_get_400(
    harness: SlackHarness, caplog: pytest.LogCaptureFixture, body: str
) -> None:
    status, answer = await harness.post(body, "application/json")
    assert status == 400
    assert answer["error"]
    assert len(warnings(caplog)) == 1
    assert problems(caplog) == []


async def test_bodies_that_are_not_text_or_not_a_known_form_get_400(
    harness: SlackHarness, caplog: pytest.LogCaptureFixture
) -> None:
    for body, content_type in ((b"\xff\xfe\x00", "application/json"), (b"", FORM),
                               (b"text=hello", FORM), (b"payload=%7Bnope", FORM)):  # fmt: skip
        headers = {**sign(body.decode("latin-1")), "Content-Type": content_type}
        if body and body[0] == 0xFF:  # sign the raw bytes, as Slack would
            headers = _sign_bytes(body, content_type)
        url = f"{harness.url}/slack/events"
        async with harness.http.post(url, data=body, headers=headers) as r:
            assert r.status == 400
    assert problems(caplog) == []


def _sign_bytes(body: bytes, content_type: str) -> dict[str, str]:
    import hashlib
    import hmac

    from tests.chat.slack.conftest import SECRET

    ts = str(int(time.time()))
    digest = hmac.new(SECRET.encode(), f"v0:{ts}:".encode() + body, hashlib.sha256).hexdigest()
    return {
        "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": f"v0={digest}",
        "Content-Type": content_type,
    }


async def test_wins_text_that_mentions_payload_is_still_a_command(harness: SlackHarness) -> None:
    """slack_bolt's own parser reads any form whose text contains "payload" as empty."""
    status, reply = await harness.command("payload")
    assert status == 200
    assert reply["text"]


async def test_text_no_database_can_store_is_answered_not_refused(
    harness: SlackHarness, caplog: pytest.LogCaptureFixture
) -> None:
    [win] = await harness.server.service.wins(WinFilter(limit=1))
    await harness.action(SHARE_WIN_ACTION, str(win.id))
    [(channel, root)] = list(harness.slack.messages)
    reply = {
        "type": "message",
        "channel": channel,
        "user": "U0ALEX",
        "ts": "1800000000.000700",
        "thread_ts": root,
        "channel_type": "channel",
        "text": "We won\x00 big \ud800",
    }
    status, _ = await harness.event(reply)
    assert status == 200
    [story] = await harness.server.service.case_studies(CaseStudyFilter())
    assert story.body == "We won\ufffd big \ufffd"
    status, _ = await harness.command("subscribe #recruiting\x00")
    assert status == 200
    assert problems(caplog) == []


@pytest.mark.parametrize(
    ("status", "body", "content_type"),
    [
        (405, "<html><head><title>405 Not Allowed</title></head></html>", "text/html"),
        (200, "<html><body>Please sign in to the proxy</body></html>", "text/html"),
        (200, "[1]", "application/json"),
        (200, '{"ok": true, "user": {"is_admin": "maybe"}}', "application/json"),
    ],
)
async def test_subscribe_still_answers_when_users_info_is_unreadable(
    harness: SlackHarness,
    caplog: pytest.LogCaptureFixture,
    status: int,
    body: str,
    content_type: str,
) -> None:
    """users.info answered by a proxy (HTML, a 405) or with JSON that is not Slack's: the
    user counts as no admin (the safe side) and the command says so, once, without a trace."""
    harness.slack.answer_next_raw("users.info", status, body, content_type)
    code, reply = await harness.command("subscribe leadership", user="UADMIN")
    assert code == 200
    assert "admins" in reply["text"]  # refused as for any non-admin, with what to do instead
    assert any("users.info" in w for w in warnings(caplog))
    assert problems(caplog) == []
    async with harness.server.service.db.engine.connect() as conn:
        assert await list_subscriptions(conn) == []
    code, reply = await harness.command("subscribe leadership", user="UADMIN")
    assert code == 200 and "leadership" in reply["text"].lower()  # Slack answers again: admin


async def test_department_subscription_survives_users_info_answering_html(
    harness: SlackHarness, caplog: pytest.LogCaptureFixture
) -> None:
    for _ in range(3):  # is_admin, then the time zone: neither is readable
        harness.slack.answer_next_raw("users.info")
    code, reply = await harness.command("subscribe #recruiting")
    assert code == 200
    assert "recruiting" in reply["text"]
    assert problems(caplog) == []
    async with harness.server.service.db.engine.connect() as conn:
        [subscription] = await list_subscriptions(conn)
    assert subscription.channel_id == "C1"


async def test_a_body_over_the_size_limit_gets_413_without_a_trace(
    harness: SlackHarness, caplog: pytest.LogCaptureFixture
) -> None:
    body = json.dumps({"type": "event_callback", "event": {"type": "message", "text": "x" * 2**21}})
    status, _ = await harness.post(body, "application/json")
    assert status == 413
    assert problems(caplog) == []


async def test_socket_mode_envelopes_are_checked_the_same_and_always_acknowledged(
    db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    """Over Socket Mode an envelope left without an ack is delivered again: every one gets its
    ack, what does not fit gets one WARNING line, and nothing runs for it."""
    async with FakeSlackApi() as slack:
        settings = Settings(
            database_url=db.url, slack_bot_token="xoxb-test-token",
            slack_app_token="xapp-1-A0001-test", slack_api_url=slack.base_url,
        )  # fmt: skip
        server = await build_server(settings, clock=FixedClock(NOW))
        try:
            await start_socket_mode(server, "xapp-1-A0001-test")
            await asyncio.wait_for(slack.socket_connected.wait(), 10)
            command = {"team_id": "T0001", "channel_id": "C1", "command": "/wins", "text": "",
                       "response_url": f"{slack.url}/response/1"}  # fmt: skip
            oversized = {"action_id": SHARE_WIN_ACTION, "value": "99999999999999999999"}
            click = {"type": "block_actions", "user": {"id": "U0SAM"}, "channel": {"id": "C1"},
                     "response_url": f"{slack.url}/response/2", "actions": [oversized]}  # fmt: skip
            envelopes = [
                ("events_api", {"type": "event_callback", "event": None}),
                ("slash_commands", command),  # no user_id
                ("interactive", click),
                ("events_api", IGNORED_EVENTS["app_mention"]),
            ]
            for n, (kind, payload) in enumerate(envelopes):
                envelope = {"envelope_id": f"env-{n}", "type": kind, "payload": payload}
                await slack.socket_send(envelope)
            for _ in range(200):
                if len(slack.socket_received) == len(envelopes):
                    break
                await asyncio.sleep(0.02)
            acked = sorted(message["envelope_id"] for message in slack.socket_received)
            assert acked == [f"env-{n}" for n in range(len(envelopes))]
            assert len(warnings(caplog)) == 3
            assert problems(caplog) == []
            assert slack.calls_to("chat.postMessage") == [] and slack.responses == []
        finally:
            for close in server.on_stop:
                await close()
