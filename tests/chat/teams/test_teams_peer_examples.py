"""Teams' "Save as example" end to end: the ShowCard on a peers answer, its Action.Submit into
the real server, the fake Bot Connector behind it, and the next digest's card.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adapters.chat.teams.cards import MAX_CARD_BYTES, card_bytes, render_digest
from adapters.chat.teams.peer_cards import SAVE_EXAMPLE
from bot.domain.models import AccountKind, Audience, Platform
from bot.domain.periods import week_containing
from bot.store.accounts import register_account
from bot.store.wins import WinFilter
from bot.usecases.peer_examples import PeerExamples
from tests.chat.teams.conftest import NOW, TeamsHarness, post

RIVAL = "rival-careers"
NOTE = "Lead with the graduate's own words; their video beat their usual 30x."


async def peer_win(teams: TeamsHarness) -> int:
    service = teams.server.service
    found = await service.peer_wins(WinFilter(limit=1))
    if not found:
        async with service.db.engine.begin() as conn:
            await register_account(conn, Platform.LINKEDIN, RIVAL, kind=AccountKind.PEER)
        posts = [post(n, 50 + n % 3, account=RIVAL) for n in range(30)]
        await service.ingest([*posts, post(36, 1900, account=RIVAL)])
        await service.detect()
        found = await service.peer_wins(WinFilter(limit=1))
    return found[0].id


def submit(teams: TeamsHarness, win_id: Any, note: Any, user: str = "aad-sam") -> dict[str, Any]:
    """What Teams sends when the ShowCard's "Save" is clicked: the data and the input's value."""
    value = {"winsbot": SAVE_EXAMPLE, "win_id": win_id}
    if note is not None:
        value["note"] = note
    activity = teams.activity("", mention=False, user=user, value=value)
    activity["text"] = None
    return activity


async def examples(teams: TeamsHarness) -> list[Any]:
    return await PeerExamples(teams.server.service).examples()


async def test_a_peers_answer_carries_the_note_form(teams: TeamsHarness) -> None:
    win_id = await peer_win(teams)
    assert await teams.send(teams.activity("wins peers")) < 300
    card = teams.cards()[-1]
    text = json.dumps(card)
    assert "Share to channel" not in text
    forms = [a for a in _actions(card) if a["type"] == "Action.ShowCard"]
    [form] = forms
    assert form["title"] == "Save as example"
    [field] = form["card"]["body"]
    assert field["type"] == "Input.Text" and field["id"] == "note" and field["isRequired"]
    assert form["card"]["actions"][0]["data"] == {"winsbot": SAVE_EXAMPLE, "win_id": win_id}


def _actions(node: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    if isinstance(node, dict):
        if node.get("type") == "ActionSet":
            found += node["actions"]
        for child in node.values():
            found += _actions(child)
    elif isinstance(node, list):
        for child in node:
            found += _actions(child)
    return found


async def test_submitting_stores_once_and_replies(teams: TeamsHarness) -> None:
    win_id = await peer_win(teams)
    activity = submit(teams, win_id, NOTE)
    assert await teams.send(activity) < 300
    assert await teams.send(activity) < 300  # the Bot Connector redelivers it
    [example] = await examples(teams)
    assert example.note == NOTE and example.saved_by == "aad-sam"
    assert example.saved_by_name == "Sam Lee" and example.account == RIVAL
    assert "Saved as an example from rival-careers" in json.dumps(teams.cards()[-1])
    await teams.send(submit(teams, win_id, "Post at 7:30"))
    [example] = await examples(teams)
    assert example.note == "Post at 7:30"


async def test_an_empty_note_is_answered_and_stores_nothing(teams: TeamsHarness) -> None:
    win_id = await peer_win(teams)
    assert await teams.send(submit(teams, win_id, "   ")) < 300
    assert "Write what to learn" in json.dumps(teams.cards()[-1])
    assert await examples(teams) == []


@pytest.mark.parametrize(
    "value",
    [
        {"winsbot": SAVE_EXAMPLE},  # no win
        {"winsbot": SAVE_EXAMPLE, "win_id": "seven", "note": "x"},
        {"winsbot": SAVE_EXAMPLE, "win_id": 1, "note": 38},  # a note that is not text
        {"winsbot": SAVE_EXAMPLE, "win_id": 1, "note": ["a"]},
    ],
)
async def test_a_submit_that_does_not_fit_is_refused_400(
    teams: TeamsHarness, value: dict[str, Any]
) -> None:
    activity = teams.activity("", mention=False, value=value)
    activity["text"] = None
    assert await teams.send(activity) == 400
    assert await examples(teams) == []


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    win_id=st.one_of(st.integers(), st.text(max_size=20), st.none(), st.floats()),
    note=st.one_of(st.none(), st.text(max_size=1200), st.integers(), st.lists(st.text())),
)
async def test_any_submit_is_answered_never_a_5xx(
    teams: TeamsHarness, win_id: Any, note: Any
) -> None:
    await peer_win(teams)
    assert await teams.send(submit(teams, win_id, note)) < 500


async def test_the_next_digest_card_shows_the_note_first(teams: TeamsHarness) -> None:
    win_id = await peer_win(teams)
    await teams.send(submit(teams, win_id, NOTE))
    view = await teams.server.service.digest(Audience(), week_containing(NOW, "UTC"))
    card = render_digest(view)
    text = json.dumps(card)
    assert text.index("What peers did well") < text.index(NOTE)
    assert text.index(NOTE) < text.index(f"{RIVAL} on LinkedIn: Post number 36")
    assert card_bytes(card) <= MAX_CARD_BYTES
