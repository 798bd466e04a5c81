"""Story prompts to owners in Teams, end to end through the fake Bot Connector.

The owner's 1:1 chat with winsbot is used when winsbot has seen one (its conversation reference
is stored when they write to the bot personally); otherwise the prompt goes to the department's
subscribed channel, @mentioning them. Once per (win, owner), passes and restarts alike.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
from pathlib import Path
from typing import Any

from bot.app import build_server
from bot.domain.models import Audience, Chat, Schedule
from bot.ports import FixedClock
from bot.store.subscriptions import subscribe
from bot.usecases.prompts import PromptRunner
from tests.chat.teams.conftest import CHANNEL, NOW, TEAM, TeamsHarness

DANA = "6f1c2b7e-0d3a-4c55-9a1e-2b8f3c4d5e6f"  # an Azure AD object id
PERSONAL = "a:1personal-chat-id"
RENDER_CARD = "/work/shared/tools/render-card"


def render(card: dict[str, Any], tmp_path: Path) -> None:
    if not Path(RENDER_CARD).exists():
        return
    path = tmp_path / "prompt-card.json"
    path.write_text(json.dumps(card, indent=2))
    out = Path(os.environ.get("WINSBOT_CARD_OUT", tmp_path)) / "teams-prompt.png"
    subprocess.run([RENDER_CARD, str(path), str(out)], check=True, timeout=120)
    assert out.stat().st_size > 1000


def cards_in(teams: TeamsHarness, conversation: str) -> list[dict[str, Any]]:
    return [
        a["content"]
        for body in teams.connector.sent_to(conversation)
        for a in body.get("attachments") or []
    ]


async def name_owner(teams: TeamsHarness, text: str) -> None:
    status = await teams.send(teams.activity(f"wins {text}", user="aad-boss"))
    assert status in (200, 201)


def runner_for(teams: TeamsHarness, worker: str = "test") -> PromptRunner:
    return PromptRunner(teams.server.service, teams.server.direct, worker=worker)


async def test_the_owner_is_asked_once_in_their_1to1_chat(
    teams: TeamsHarness, tmp_path: Path
) -> None:
    # Dana has written to winsbot personally: her 1:1 chat's reference is stored.
    assert await teams.send(teams.activity("help", kind="personal", mention=False, user=DANA)) in (
        200,
        201,
    )
    await name_owner(teams, f"owner @acme-careers {DANA}")
    before = len(cards_in(teams, PERSONAL))
    outcomes = await runner_for(teams).run()
    assert [o.result for o in outcomes] == ["sent"]
    [card] = cards_in(teams, PERSONAL)[before:]
    text = json.dumps(card)
    assert "acme-careers" in text and "2.4k" in text
    [action] = [a for a in card["actions"] if a["title"] == "Add the story"]
    assert action["type"] == "Action.ShowCard"
    assert action["card"]["actions"][0]["data"] == {
        "winsbot": "add_story",
        "win_id": outcomes[0].win_id,
    }

    assert await runner_for(teams, "second-worker").run() == []
    again = await build_server(teams.server.service.settings, clock=FixedClock(NOW))
    try:
        assert await PromptRunner(again.service, again.direct, worker="restarted").run() == []
    finally:
        for close in again.on_stop:
            await close()
    assert len(cards_in(teams, PERSONAL)) == before + 1

    # The card as Teams draws it, for a person to look at (WINSBOT_CARD_OUT keeps the PNG).
    await asyncio.to_thread(render, card, tmp_path)


async def test_without_a_1to1_chat_the_departments_channel_is_asked(teams: TeamsHarness) -> None:
    install = teams.activity("", mention=False)
    install.update({"type": "conversationUpdate", "text": None, "membersAdded": [{"id": "28:x"}]})
    await teams.send(install)
    async with teams.server.service.db.engine.begin() as conn:
        await subscribe(
            conn, chat=Chat.TEAMS, workspace_id=TEAM, channel_id=CHANNEL,
            audience=Audience(name="recruiting", tags=("recruiting",)),
            schedule=Schedule(), created_by="aad-boss", now=NOW,
        )  # fmt: skip
    await name_owner(teams, f"owner #recruiting {DANA}")
    [outcome] = await runner_for(teams).run()
    assert outcome.result == "sent"
    [created] = teams.connector.requests_to("POST", None)[-1:]
    assert created.body["channelData"]["channel"]["id"] == CHANNEL
    card = created.body["activity"]["attachments"][0]["content"]
    [mention] = card["msteams"]["entities"]
    assert mention["mentioned"]["id"] == DANA and mention["text"] in json.dumps(card["body"])
    assert await runner_for(teams).run() == []


async def test_a_muted_owner_is_not_asked(teams: TeamsHarness) -> None:
    await teams.send(teams.activity("help", kind="personal", mention=False, user=DANA))
    await name_owner(teams, f"owner @acme-careers {DANA}")
    await teams.send(teams.activity("wins mute prompts", kind="personal", mention=False, user=DANA))
    before = len(cards_in(teams, PERSONAL))
    assert await runner_for(teams).run() == []
    assert len(cards_in(teams, PERSONAL)) == before


async def test_an_owner_picked_with_an_at_mention_is_stored_as_their_azure_ad_id(
    teams: TeamsHarness,
) -> None:
    """`@winsbot wins owner #recruiting @Dana Smith`: Teams sends her name and a 29: id; the
    roster says who she is, so the owner stored is her AAD object id, not "Dana Smith"."""
    from bot.store.owners import stored_owners

    # The channel's conversation answers with its team's members, as the real connector does.
    teams.connector.members[CHANNEL] = teams.connector.members[TEAM] = [
        {"id": "29:1dana-bf-id", "name": "Dana Smith", "aadObjectId": DANA,
         "userPrincipalName": "dana@acme.example"},
    ]  # fmt: skip
    activity = teams.activity("wins owner #recruiting <at>Dana Smith</at>", user="aad-boss")
    activity["entities"].append(
        {"type": "mention", "text": "<at>Dana Smith</at>",
         "mentioned": {"id": "29:1dana-bf-id", "name": "Dana Smith"}}
    )  # fmt: skip
    assert await teams.send(activity) in (200, 201)
    async with teams.server.service.db.engine.connect() as conn:
        owners = await stored_owners(conn)
    assert [(o.kind, o.target, o.user_id) for o in owners] == [("tag", "recruiting", DANA)]
    lookups = [r.path for r in teams.connector.requests_to("GET", None)]
    assert any(path.endswith("/members/29%3A1dana-bf-id") for path in lookups), lookups
