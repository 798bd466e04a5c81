"""Properties of POST /slack/events under generated input, correctly signed to pass auth:
no 5xx, no traceback or ERROR in the log, and nothing stored from a body that was refused."""

from __future__ import annotations

import itertools
import json
from typing import Any
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adapters.chat.slack.blocks import SHARE_CASE_ACTION, SHARE_WIN_ACTION
from bot.store.wins import WinFilter
from tests.chat.edge_strategies import broken, mutated
from tests.chat.slack.conftest import SlackHarness
from tests.chat.slack.slack_payloads import IGNORED_EVENTS, OTHER_REQUESTS, envelope
from tests.chat.slack.test_slack_edge import FORM, problems, stored

ROOT = "ROOT.TS"  # stands for the ts of a win the test shared, filled in before sending
FUZZ = settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
_ts = itertools.count(1)


def reply(**changes: Any) -> dict[str, Any]:
    """A human reply in the thread under a shared win: a case study when well-formed."""
    return envelope(
        {"type": "message", "channel": "C1", "user": "U0ALEX", "text": "We replied in 5 minutes",
         "ts": "1800000000.000200", "thread_ts": ROOT, "channel_type": "channel",
         "event_ts": "1800000000.000200", **changes}
    )  # fmt: skip


def click(action_id: str) -> dict[str, Any]:
    return {
        "type": "block_actions", "team": {"id": "T0001", "domain": "acme"},
        "user": {"id": "U0SAM", "name": "sam", "team_id": "T0001"}, "api_app_id": "A0001",
        "container": {"type": "message", "message_ts": "1700000000.000001", "channel_id": "C1"},
        "channel": {"id": "C1", "name": "general"}, "response_url": "RESPONSE_URL",
        "actions": [{"action_id": action_id, "block_id": "b1", "value": "WIN_ID",
                     "type": "button", "action_ts": "1700000001.000001"}],
    }  # fmt: skip


EVENTS: dict[str, dict[str, Any]] = {
    "reply": reply(),
    "edited reply": envelope(
        {"type": "message", "subtype": "message_changed", "channel": "C1",
         "message": reply()["event"], "ts": "1800000001.000001", "channel_type": "channel"}
    ),
    "deleted reply": envelope(
        {"type": "message", "subtype": "message_deleted", "channel": "C1",
         "deleted_ts": "1800000000.000200", "previous_message": reply()["event"],
         "ts": "1800000002.000001", "channel_type": "channel"}
    ),
    **IGNORED_EVENTS,
    "app_rate_limited": OTHER_REQUESTS["app_rate_limited"],
    "url_verification": {"token": "t", "challenge": "abc", "type": "url_verification"},
}  # fmt: skip
CLICKS = {"share win": click(SHARE_WIN_ACTION), "share case": click(SHARE_CASE_ACTION)}
COMMAND = {
    "token": "legacy", "team_id": "T0001", "team_domain": "acme", "channel_id": "C1",
    "channel_name": "general", "user_id": "UADMIN", "user_name": "sam", "command": "/wins",
    "text": "subscribe leadership", "api_app_id": "A0001", "response_url": "RESPONSE_URL",
    "trigger_id": "1.2.3",
}  # fmt: skip


async def shared_root(harness: SlackHarness) -> tuple[str, int]:
    """The ts of the thread under a shared win (sharing it the first time), and the win's id."""
    [win] = await harness.server.service.wins(WinFilter(limit=1))
    if not harness.slack.messages:
        await harness.action(SHARE_WIN_ACTION, str(win.id))
    [(_, root)] = [key for key in harness.slack.messages if key[0] == "C1"][:1]
    return root, win.id


def fill(text: str, harness: SlackHarness, root: str, win_id: int) -> str:
    return (
        text.replace(ROOT, root)
        .replace("RESPONSE_URL", f"{harness.slack.url}/response/9")
        .replace("WIN_ID", str(win_id))
    )


async def send(harness: SlackHarness, kind: str, body: Any) -> int:
    """Post ``body`` as Slack would for its kind (JSON event, form payload, form command)."""
    root, win_id = await shared_root(harness)
    if kind == "event":
        text = fill(json.dumps(body), harness, root, win_id)
        status, _ = await harness.post(text, "application/json")
    elif kind == "click":
        payload = fill(json.dumps(body), harness, root, win_id)
        status, _ = await harness.post(urlencode({"payload": payload}), FORM)
    else:
        form = {key: fill(str(value), harness, root, win_id) for key, value in body.items()}
        status, _ = await harness.post(urlencode(form), FORM)
    return status


async def check(
    harness: SlackHarness, caplog: pytest.LogCaptureFixture, kind: str, body: Any
) -> int:
    await shared_root(harness)
    caplog.clear()
    before = await stored(harness)
    status = await send(harness, kind, body)
    assert status < 500
    assert problems(caplog) == []
    if status >= 400:
        assert await stored(harness) == before
    return status


def any_body() -> st.SearchStrategy[tuple[str, Any]]:
    events = st.sampled_from(sorted(EVENTS)).flatmap(lambda name: mutated(EVENTS[name]))
    clicks = st.sampled_from(sorted(CLICKS)).flatmap(lambda name: mutated(CLICKS[name]))
    return st.one_of(
        events.map(lambda body: ("event", body)), clicks.map(lambda body: ("click", body))
    )


@FUZZ
@given(case=any_body())
async def test_mutated_events_and_clicks_never_fail_the_server(
    harness: SlackHarness, caplog: pytest.LogCaptureFixture, case: tuple[str, Any]
) -> None:
    await check(harness, caplog, *case)


FORM_JUNK = st.sampled_from(["", " ", "x" * 5000, "é", "C 1", "\x00", "१२३"])


@FUZZ
@given(
    key=st.sampled_from(sorted(COMMAND)),
    value=st.one_of(FORM_JUNK, st.text(max_size=50), st.none()),
)
async def test_a_command_with_a_field_missing_or_mangled_never_fails_the_server(
    harness: SlackHarness, caplog: pytest.LogCaptureFixture, key: str, value: str | None
) -> None:
    form = dict(COMMAND)
    if value is None:
        del form[key]
    else:
        form[key] = value
    await check(harness, caplog, "command", form)


@FUZZ
@given(
    case=st.one_of(
        broken(EVENTS["reply"], required=(("event",), ("event", "ts"), ("event", "user"),
               ("event", "channel")), typed=(("event", "thread_ts"), ("team_id",))).map(
            lambda body: ("event", body)
        ),
        st.sampled_from(sorted(CLICKS)).flatmap(
            lambda name: broken(CLICKS[name], required=(
                ("actions", 0, "value"), ("user",), ("user", "id"), ("response_url",),
                ("actions",)))
        ).map(lambda body: ("click", body)),
        broken(COMMAND, required=(("user_id",), ("channel_id",), ("response_url",))).map(
            lambda body: ("command", {k: v for k, v in body.items() if isinstance(v, str)})
        ),
    )
)  # fmt: skip
async def test_without_a_field_it_needs_a_body_is_refused_and_nothing_is_stored(
    harness: SlackHarness, caplog: pytest.LogCaptureFixture, case: tuple[str, Any]
) -> None:
    assert await check(harness, caplog, *case) == 400


@FUZZ
@given(text=st.text(max_size=300))
async def test_any_reply_text_is_stored_once_without_a_trace(
    harness: SlackHarness, caplog: pytest.LogCaptureFixture, text: str
) -> None:
    ts = f"1900000000.{next(_ts):06d}"
    body = reply(text=text, ts=ts, event_ts=ts)
    before = await stored(harness)
    assert await check(harness, caplog, "event", body) == 200
    assert await check(harness, caplog, "event", body) == 200  # redelivered: stored once
    added = (await stored(harness))["case_studies"] - before["case_studies"]
    assert added == (1 if text.strip() else 0)
