"""Slack's "Save as example" end to end: signed requests in, the fake Slack Web API behind.

A `/wins peers` answer offers the button under each peer win; the click opens the note modal
through views.open; the submission stores the example once (Slack retries) and confirms only
to its author; an empty note keeps the modal open; the next digest shows the note; bodies that
do not fit are refused 400 and generated ones never fail the server.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from adapters.chat.slack.blocks import render_digest
from adapters.chat.slack.peer_blocks import SAVE_EXAMPLE_ACTION
from bot.domain.models import Audience
from bot.domain.periods import week_containing
from bot.store.tables_loop import peer_examples
from bot.store.wins import WinFilter
from bot.usecases.peer_examples import PeerExamples
from tests.chat.edge_strategies import broken, mutated
from tests.chat.slack.conftest import NOW, SlackHarness
from tests.chat.slack.peer_payloads import RIVAL, note_submission, peer_win, save_click
from tests.chat.slack.story_payloads import FORM, eventually, send
from tests.chat.slack.test_slack_edge import problems
from tests.fakes.slack_views import modal_problems

NOTE = "Lead with the graduate's own words; their video beat their usual 30x."
FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
WIN = "WIN_ID"
VIEW = {
    "type": "modal", "callback_id": "winsbot_peer_note", "blocks": [],
    "private_metadata": json.dumps({"win": WIN, "channel": "C1"}),
    "title": {"type": "plain_text", "text": "Save as example"},
}  # fmt: skip
SUBMIT = note_submission(VIEW, NOTE)
CLICK = save_click(WIN)


async def saved(harness: SlackHarness) -> int:
    async with harness.server.service.db.engine.connect() as conn:
        return int(
            (await conn.execute(select(func.count()).select_from(peer_examples))).scalar_one()
        )


async def open_note_form(harness: SlackHarness, trigger: str = "12345.98765.abcd") -> Any:
    win_id = await peer_win(harness)
    opened = len(harness.slack.views.opened)
    status, _ = await send(harness, save_click(win_id, trigger=trigger))
    assert status == 200
    await eventually(lambda: len(harness.slack.views.opened) > opened)
    return harness.slack.views.opened[-1]


def ephemerals(harness: SlackHarness) -> list[dict[str, Any]]:
    return [call.params for call in harness.slack.calls_to("chat.postEphemeral")]


async def test_a_peers_answer_offers_save_as_example_instead_of_sharing(
    harness: SlackHarness,
) -> None:
    win_id = await peer_win(harness)
    status, reply = await harness.command("peers")
    assert status == 200
    buttons = [e for b in reply["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert [(b["action_id"], b["value"]) for b in buttons] == [(SAVE_EXAMPLE_ACTION, str(win_id))]
    assert buttons[0]["text"]["text"] == "Save as example"
    _, ours = await harness.command("")  # our own wins keep "Share to channel"
    assert SAVE_EXAMPLE_ACTION not in json.dumps(ours)


async def test_the_button_opens_a_modal_with_one_note_field(harness: SlackHarness) -> None:
    win_id = await peer_win(harness)
    status, body = await send(harness, save_click(win_id, trigger="777.888.abc"))
    assert status == 200 and not body  # acknowledged at once; the modal follows
    await eventually(lambda: bool(harness.slack.calls_to("views.open")))
    [call] = harness.slack.calls_to("views.open")
    assert call.params["trigger_id"] == "777.888.abc"
    view = call.params["view"]
    assert view["callback_id"] == "winsbot_peer_note"
    [field] = [b for b in view["blocks"] if b["type"] == "input"]
    assert field["block_id"] == "peer_note" and field["element"]["multiline"]
    assert field["element"]["max_length"] == 1000 and not field.get("optional")
    assert json.loads(view["private_metadata"]) == {
        "win": str(win_id), "channel": "C1", "thread": "1700000000.000001"
    }  # fmt: skip
    assert modal_problems(view) == []
    assert RIVAL in view["blocks"][0]["elements"][0]["text"]


async def test_submitting_stores_the_example_and_confirms_only_to_its_author(
    harness: SlackHarness,
) -> None:
    view = await open_note_form(harness)
    status, body = await send(harness, note_submission(view, NOTE))
    assert status == 200 and not body  # an empty ack closes the modal
    [example] = await PeerExamples(harness.server.service).examples()
    assert example.note == NOTE and example.saved_by == "U0SAM" and example.account == RIVAL
    await eventually(lambda: bool(ephemerals(harness)))
    [confirmation] = ephemerals(harness)
    assert confirmation["user"] == "U0SAM" and confirmation["channel"] == "C1"
    assert "Saved as an example from rival-careers" in json.dumps(confirmation)


async def test_a_retried_submission_stores_once_and_a_new_note_replaces_it(
    harness: SlackHarness,
) -> None:
    view = await open_note_form(harness)
    body = note_submission(view, NOTE)
    assert (await send(harness, body))[0] == 200
    assert (await send(harness, body))[0] == 200  # Slack's retry
    assert await saved(harness) == 1
    assert (await send(harness, note_submission(view, "Post at 7:30")))[0] == 200
    assert await saved(harness) == 1
    [example] = await PeerExamples(harness.server.service).examples()
    assert example.note == "Post at 7:30"
    # Someone else saving the same post is a second example.
    assert (await send(harness, note_submission(view, "Subtitles", user="U0BOSS")))[0] == 200
    assert await saved(harness) == 2


@pytest.mark.parametrize("note", [None, "", "   \n "])
async def test_an_empty_note_gets_a_field_error_and_stores_nothing(
    harness: SlackHarness, note: str | None
) -> None:
    view = await open_note_form(harness)
    status, body = await send(harness, note_submission(view, note))
    assert status == 200 and body["response_action"] == "errors"
    assert "what to learn" in body["errors"]["peer_note"]
    assert await saved(harness) == 0 and ephemerals(harness) == []


async def test_a_note_for_one_of_our_own_wins_is_refused_in_the_modal(
    harness: SlackHarness,
) -> None:
    view = await open_note_form(harness)
    [ours] = await harness.server.service.wins(WinFilter(limit=1))
    other = {**view, "private_metadata": json.dumps({"win": str(ours.id), "channel": "C1"})}
    status, body = await send(harness, note_submission(other, NOTE))
    assert status == 200 and "not a peer's post" in body["errors"]["peer_note"]
    assert await saved(harness) == 0


async def test_the_next_digest_shows_the_note_before_the_peer_standouts(
    harness: SlackHarness,
) -> None:
    view = await open_note_form(harness)
    await send(harness, note_submission(view, NOTE))
    digest = await harness.server.service.digest(Audience(), week_containing(NOW, "UTC"))
    assert [e.note for e in digest.peer_examples] == [NOTE]
    message = render_digest(digest)
    text = json.dumps(message["blocks"])
    heading = text.index("What peers did well")
    assert heading < text.index(NOTE) < text.index(f"{RIVAL} on LinkedIn: Post number 36")
    assert len(message["blocks"]) <= 50
    for block in message["blocks"]:
        assert len(json.dumps(block)) < 6000


# --- the edge: bodies that do not fit are 400, and nothing fails the server -------------------


async def post_body(harness: SlackHarness, body: Any) -> tuple[int, Any]:
    win_id = await peer_win(harness)
    text = json.dumps(body).replace(WIN, str(win_id))
    return await harness.post(urlencode({"payload": text}), FORM)


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
        ("metadata not JSON", _with(SUBMIT, "view", "private_metadata", value="win=3")),
        ("metadata names no win", _with(SUBMIT, "view", "private_metadata", value="{}")),
        ("note not text", _with(SUBMIT, "view", "state", "values", value={"a": {"b": 5}})),
        ("no user", {k: v for k, v in SUBMIT.items() if k != "user"}),
        ("click without trigger", {k: v for k, v in CLICK.items() if k != "trigger_id"}),
        ("click naming no win", _with(CLICK, "actions", 0, "value", value="seven")),
    ],
)
async def test_a_body_that_does_not_fit_is_refused_400(
    harness: SlackHarness, caplog: pytest.LogCaptureFixture, name: str, body: dict[str, Any]
) -> None:
    status, _ = await post_body(harness, body)
    assert status == 400, name
    assert problems(caplog) == [] and await saved(harness) == 0
    assert harness.slack.calls_to("views.open") == []


@FUZZ
@given(body=st.one_of(mutated(SUBMIT), mutated(CLICK)))
async def test_mutated_clicks_and_submissions_never_fail_the_server(
    harness: SlackHarness, caplog: pytest.LogCaptureFixture, body: Any
) -> None:
    caplog.clear()
    status, _ = await post_body(harness, body)
    assert status < 500 and problems(caplog) == []


@FUZZ
@given(
    body=st.one_of(
        broken(SUBMIT, required=(("view",), ("view", "private_metadata"), ("user",),
                                 ("user", "id"), ("view", "type"))),
        broken(CLICK, required=(("trigger_id",), ("actions", 0, "value"), ("user",),
                                ("actions",))),
    )
)  # fmt: skip
async def test_without_a_field_it_needs_a_body_is_refused(
    harness: SlackHarness, caplog: pytest.LogCaptureFixture, body: Any
) -> None:
    caplog.clear()
    status, _ = await post_body(harness, body)
    assert status == 400 and problems(caplog) == []


@FUZZ
@given(note=st.one_of(st.none(), st.text(max_size=1200)))
async def test_any_note_is_stored_or_refused_in_the_modal(
    harness: SlackHarness, caplog: pytest.LogCaptureFixture, note: str | None
) -> None:
    caplog.clear()
    status, body = await post_body(harness, note_submission(VIEW, note))
    assert status == 200 and problems(caplog) == []
    if body:
        assert body["response_action"] == "errors" and body["errors"]["peer_note"]
