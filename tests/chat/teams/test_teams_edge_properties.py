"""Properties of POST /api/messages under generated activities, valid and mutated: no 5xx, no
traceback or ERROR in the log, nothing stored from a refused body; with an app id, nothing
without a valid token gets past 401."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from adapters.chat.teams.cards import SHARE_CASE, SHARE_WIN
from adapters.chat.teams.story_form import ADD_STORY
from bot.store.tables import posted_messages
from bot.store.wins import WinFilter
from tests.chat.edge_strategies import broken, mutated, nested
from tests.chat.teams.conftest import TeamsHarness
from tests.chat.teams.test_teams_edge import FORGED, post_raw, problems, secured, stored
from tests.fakes.bot_connector import BOT_ID

__all__ = ["secured"]  # the fixture, imported for the tests below

ROOT = "ROOT-ID"  # stands for the id of the thread under a shared win, filled in before sending
WIN = 424242  # stands for that win's id
FUZZ = settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def templates(teams: TeamsHarness) -> dict[str, dict[str, Any]]:
    """Activities winsbot acts on, as Teams sends them."""
    reply = teams.activity("We replied in 5 minutes", mention=False, thread=ROOT)
    install = teams.activity("", mention=False)
    install.update(
        type="conversationUpdate", text=None, membersAdded=[{"id": BOT_ID}],
        channelData={**install["channelData"], "eventType": "teamMemberAdded"},
    )  # fmt: skip
    share_win = {"winsbot": SHARE_WIN, "win_id": WIN}
    share_case = {"winsbot": SHARE_CASE, "case_id": 1}
    add_story = {"winsbot": ADD_STORY, "win_id": WIN, "what_we_did": "We filmed it", "result": ""}
    channel_data = reply["channelData"]
    return {
        "command": teams.activity("wins subscribe #recruiting", user="aad-boss"),
        "personal command": teams.activity("help", kind="personal", mention=False),
        "share win": teams.activity("", mention=False, value=share_win),
        "share case": teams.activity("", mention=False, value=share_case),
        "add story": teams.activity("", mention=False, thread=ROOT, value=add_story),
        "thread reply": reply,
        "edited reply": {
            **reply,
            "type": "messageUpdate",
            "text": "We replied in 4 minutes",
            "channelData": {**channel_data, "eventType": "editMessage"},
        },
        "deleted reply": {
            **reply,
            "type": "messageDelete",
            "channelData": {**channel_data, "eventType": "softDeleteMessage"},
        },
        "installed": install,
    }


# Generated once, against a stand-in harness's ids (the fake connector's URL is filled in).
class _Shapes:
    service_url = "SERVICE-URL/"


TEMPLATES = templates(TeamsHarness(None, _Shapes(), "", None))  # type: ignore[arg-type]


async def shared_root(teams: TeamsHarness) -> tuple[str, int]:
    """The id of the thread under a shared win (sharing it the first time), and the win's id."""
    [win] = await teams.server.service.wins(WinFilter(limit=1))
    async with teams.server.service.db.engine.connect() as conn:
        root = (await conn.execute(select(posted_messages.c.message_id))).scalars().first()
    if root is None:
        click = {"winsbot": SHARE_WIN, "win_id": win.id}
        await teams.send(teams.activity("", mention=False, value=click))
        return await shared_root(teams)
    return str(root), win.id


async def send(teams: TeamsHarness, body: Any, headers: dict[str, str] | None = None) -> int:
    root, win_id = await shared_root(teams) if not headers else ("1700000000001", 1)
    raw = (
        json.dumps(body)
        .replace(ROOT, root)
        .replace(str(WIN), str(win_id))
        .replace("SERVICE-URL/", teams.connector.service_url)
    )
    status, _ = await post_raw(teams, raw, headers)
    return status


async def check(teams: TeamsHarness, caplog: pytest.LogCaptureFixture, body: Any) -> int:
    await shared_root(teams)
    caplog.clear()
    before = await stored(teams)
    status = await send(teams, body)
    assert status < 500
    assert problems(caplog) == []
    if status >= 400:
        assert await stored(teams) == before
    return status


def some(names: list[str] | None = None) -> st.SearchStrategy[dict[str, Any]]:
    return st.sampled_from(names or sorted(TEMPLATES)).map(lambda name: TEMPLATES[name])


@FUZZ
@given(body=some().flatmap(mutated))
async def test_mutated_activities_never_fail_the_server_in_dev_mode(
    teams: TeamsHarness, caplog: pytest.LogCaptureFixture, body: Any
) -> None:
    await check(teams, caplog, body)


# Teams ids are any printable text, so only what no id can be: not a string, empty, huge, or
# with a control character in it. No objects: an unknown object is a well-formed extension.
WRONG: st.SearchStrategy[Any] = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**80), max_value=2**80),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(["", "x" * 5000, "a\x00b", "\n"]),
    st.lists(st.integers(), min_size=1, max_size=3),
    st.integers(min_value=50, max_value=400).map(lambda depth: [nested(depth)]),
)
NOT_TEXT = WRONG.filter(lambda value: not isinstance(value, str))
NOT_A_ROW = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(max_value=0),
    st.integers(min_value=2**63, max_value=2**80),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(["", "abc", "1.5", "-3", " 7", "x" * 5000]),
    st.lists(st.integers(), max_size=3),
)
REQUIRED = (
    ("type",), ("serviceUrl",), ("channelId",), ("from",), ("from", "id"),
    ("recipient",), ("recipient", "id"), ("conversation",), ("conversation", "id"),
)  # fmt: skip
INSTALL_TYPED = (("membersAdded",), ("channelData",), ("channelData", "team"))


@FUZZ
@given(
    body=st.one_of(
        some().flatmap(lambda body: broken(body, required=REQUIRED, junk=WRONG)),
        some(["thread reply", "edited reply", "deleted reply", "command"]).flatmap(
            lambda body: broken(body, required=(("id",),), junk=WRONG)
        ),
        some(["thread reply", "command"]).flatmap(
            lambda body: broken(body, required=(), typed=(("text",),), junk=NOT_TEXT)
        ),
        some(["share win"]).flatmap(
            lambda body: broken(body, required=(("value", "win_id"),), junk=NOT_A_ROW)
        ),
        some(["share case"]).flatmap(
            lambda body: broken(body, required=(("value", "case_id"),), junk=NOT_A_ROW)
        ),
        some(["installed"]).flatmap(
            lambda body: broken(body, required=(("membersAdded", 0, "id"),), junk=WRONG,
                                typed=INSTALL_TYPED)
        ),
    )
)  # fmt: skip
async def test_without_a_field_it_needs_an_activity_is_refused_and_nothing_is_stored(
    teams: TeamsHarness, caplog: pytest.LogCaptureFixture, body: Any
) -> None:
    assert await check(teams, caplog, body) == 400


@FUZZ
@given(text=st.text(max_size=300))
async def test_any_command_text_gets_an_answer_without_a_trace(
    teams: TeamsHarness, caplog: pytest.LogCaptureFixture, text: str
) -> None:
    body = dict(TEMPLATES["command"], text=f"<at>winsbot</at> wins {text}")
    assert await check(teams, caplog, body) in (200, 201)


@FUZZ
@given(body=st.one_of(some(), some().flatmap(mutated)), forged=st.booleans())
async def test_with_an_app_id_nothing_without_a_valid_token_gets_past_401(
    secured: TeamsHarness, caplog: pytest.LogCaptureFixture, body: Any, forged: bool
) -> None:
    caplog.clear()
    headers = {"Authorization": FORGED if forged else "Basic c2FtOnNhbQ=="}
    status = await send(secured, body, headers)
    assert status == 401
    assert problems(caplog) == []
    assert secured.connector.requests == []
