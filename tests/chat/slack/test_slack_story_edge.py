"""The story form at the edge: a click or submission that does not fit is a 400 with its reason,
another app's modal is acknowledged, and generated bodies never fail the server.

Every body here is correctly signed, so it passes authentication and reaches triage.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.app import build_server, start_socket_mode
from bot.config import Settings
from bot.ports import FixedClock
from bot.store.case_studies import CaseStudyFilter
from bot.store.db import Database
from tests.chat.edge_strategies import broken, mutated
from tests.chat.slack.conftest import NOW, SlackHarness
from tests.chat.slack.story_payloads import FORM, click, shared_win, submission
from tests.chat.slack.test_slack_edge import problems, stored
from tests.fakes.slack_api import FakeSlackApi

FUZZ = settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
ROOT, WIN = "1799999999.000001", "WIN_ID"  # placeholders, filled in before sending
VIEW = {
    "id": "V0000000001", "team_id": "T0001", "type": "modal", "blocks": [],
    "private_metadata": json.dumps({"win": WIN, "channel": "C1", "thread": ROOT}),
    "callback_id": "winsbot_story", "hash": "1700000000.00000001",
    "title": {"type": "plain_text", "text": "Add the story"},
    "root_view_id": "V0000000001", "app_id": "A0001", "bot_id": "B0BOT",
}  # fmt: skip
SUBMIT = submission(VIEW, {"what_we_did": "We filmed it", "result": "38 applications"})
CLICK = click(0, root=ROOT) | {"actions": [{**click(0, root=ROOT)["actions"][0], "value": WIN}]}


async def post(harness: SlackHarness, body: Any) -> tuple[int, Any]:
    win_id, root = await shared_win(harness)
    text = json.dumps(body).replace(WIN, str(win_id)).replace(ROOT, root)
    return await harness.post(urlencode({"payload": text}), FORM)


async def checked(harness: SlackHarness, caplog: pytest.LogCaptureFixture, body: Any) -> int:
    await shared_win(harness)
    caplog.clear()
    before = await stored(harness)
    status, _ = await post(harness, body)
    assert status < 500
    assert problems(caplog) == []
    if status >= 400:
        assert await stored(harness) == before
    return status


def _with(body: dict[str, Any], *path: str | int, value: Any) -> dict[str, Any]:
    copied: dict[str, Any] = json.loads(json.dumps(body))
    parent: Any = copied
    for step in path[:-1]:
        parent = parent[step]
    parent[path[-1]] = value
    return copied


@pytest.mark.parametrize(
    ("name", "body"),
    [
        ("no view", {k: v for k, v in SUBMIT.items() if k != "view"}),
        ("metadata not JSON", _with(SUBMIT, "view", "private_metadata", value="win=3")),
        ("metadata names no win", _with(SUBMIT, "view", "private_metadata", value="{}")),
        ("win not a number", _with(SUBMIT, "view", "private_metadata", value='{"win":"x"}')),
        ("answer not text", _with(SUBMIT, "view", "state", "values", value={"a": {"b": 5}})),
        ("view id not an id", _with(SUBMIT, "view", "id", value="V 1")),
        ("click without trigger", {k: v for k, v in CLICK.items() if k != "trigger_id"}),
        ("click naming no win", _with(CLICK, "actions", 0, "value", value="seven")),
    ],
)
async def test_a_form_body_that_does_not_fit_is_refused_400_with_its_reason(
    harness: SlackHarness, caplog: pytest.LogCaptureFixture, name: str, body: dict[str, Any]
) -> None:
    assert await checked(harness, caplog, body) == 400
    assert any("Slack request refused (400)" in r.getMessage() for r in caplog.records), name
    assert harness.slack.calls_to("views.open") == []


async def test_another_apps_modal_is_acknowledged_and_left_alone(
    harness: SlackHarness, caplog: pytest.LogCaptureFixture
) -> None:
    other = _with(SUBMIT, "view", "callback_id", value="someone_elses_form")
    assert await checked(harness, caplog, other) == 200
    assert (await stored(harness))["case_studies"] == 0


async def test_a_view_submission_must_be_signed(harness: SlackHarness) -> None:
    await shared_win(harness)
    body = urlencode({"payload": json.dumps(SUBMIT)})
    headers = {"X-Slack-Request-Timestamp": "1", "X-Slack-Signature": "v0=forged",
               "Content-Type": FORM}  # fmt: skip
    async with harness.http.post(f"{harness.url}/slack/events", data=body, headers=headers) as r:
        assert r.status == 401
    assert (await stored(harness))["case_studies"] == 0


@FUZZ
@given(body=st.one_of(mutated(SUBMIT), mutated(CLICK)))
async def test_mutated_clicks_and_submissions_never_fail_the_server(
    harness: SlackHarness, caplog: pytest.LogCaptureFixture, body: Any
) -> None:
    await checked(harness, caplog, body)


@FUZZ
@given(
    body=st.one_of(
        broken(SUBMIT, required=(("view",), ("view", "private_metadata"), ("view", "id"),
                                 ("view", "type"), ("user",), ("user", "id"))),
        broken(CLICK, required=(("trigger_id",), ("actions", 0, "value"), ("user",),
                                ("user", "id"), ("actions",))),
    )
)  # fmt: skip
async def test_without_a_field_it_needs_a_form_body_is_refused_and_nothing_is_stored(
    harness: SlackHarness, caplog: pytest.LogCaptureFixture, body: Any
) -> None:
    assert await checked(harness, caplog, body) == 400


@FUZZ
@given(
    answers=st.fixed_dictionaries(
        {},
        optional={
            name: st.one_of(st.none(), st.text(max_size=200))
            for name in ("what_we_did", "result", "learned")
        },
    )
)
async def test_any_answers_are_stored_once_or_refused_in_the_modal(
    harness: SlackHarness, caplog: pytest.LogCaptureFixture, answers: dict[str, str | None]
) -> None:
    user = f"U{abs(hash(json.dumps(answers, sort_keys=True))) % 10**9:09d}"
    body = submission(VIEW, answers, user=user)
    for _ in range(2):  # the same submission twice: stored once
        status, reply = await post(harness, body)
        assert status == 200 and problems(caplog) == []
    blank = not any((text or "").strip() for text in answers.values())
    assert (reply or {}).get("response_action") == ("errors" if blank else None)
    stories = await harness.server.service.case_studies(CaseStudyFilter(limit=1000))
    assert len([s for s in stories if s.author == user]) == (0 if blank else 1)


async def test_over_socket_mode_the_form_is_checked_the_same_way(db: Database) -> None:
    async with FakeSlackApi() as slack:
        settings = Settings(
            database_url=db.url,
            slack_bot_token="xoxb-test-token",
            slack_app_token="xapp-1-A0001-test",
            slack_api_url=slack.base_url,
        )
        server = await build_server(settings, clock=FixedClock(NOW))
        try:
            await start_socket_mode(server, "xapp-1-A0001-test")
            await asyncio.wait_for(slack.socket_connected.wait(), 10)
            empty = submission(_with(VIEW, "private_metadata", value='{"win":"1"}'), {})
            broken_metadata = _with(SUBMIT, "view", "private_metadata", value="not json")
            for n, payload in enumerate((empty, broken_metadata), start=1):
                envelope = {"envelope_id": f"env-{n}", "type": "interactive", "payload": payload}
                await slack.socket_send({**envelope, "accepts_response_payload": True})
                for _ in range(100):
                    if len(slack.socket_received) == n:
                        break
                    await asyncio.sleep(0.05)
            first, second = slack.socket_received
            assert first["envelope_id"] == "env-1"
            assert first["payload"]["response_action"] == "errors"  # the modal stays open
            assert second == {"envelope_id": "env-2"}  # refused, acknowledged, nothing run
        finally:
            for close in server.on_stop:
                await close()
