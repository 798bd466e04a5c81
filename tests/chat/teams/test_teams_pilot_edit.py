"""The pilot form in Teams end to end: `@winsbot pilot new|edit` answers with the form card, its
Action.Submit saves through the real server, the fake Bot Connector behind it."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from adapters.chat.teams.pilot_edit_cards import PILOT_FORM
from bot.config import Settings
from bot.domain.models import Campaign, CampaignMetric, Platform
from bot.store.accounts import register_account
from bot.store.campaigns import list_campaigns
from bot.store.db import Database
from bot.store.owners import pilot_owner_ids
from bot.usecases.pilot_editing import save_pilot
from tests.chat.teams.conftest import TeamsHarness, start

ADMIN = "6f1c2b7e-0d3a-4c55-9a1e-2b8f3c4d5e6f"  # in WINSBOT_ADMINS
SOCIAL = "0b1c2b7e-0d3a-4c55-9a1e-2b8f3c4d5e6f"  # in WINSBOT_SOCIAL_TEAM
SAM = "1c1c2b7e-0d3a-4c55-9a1e-2b8f3c4d5e6f"  # neither
GOOD = {
    "name": "Graduate hiring pilot", "metric": "clicks", "target": "1000",
    "start": "2026-12-01", "end": "2026-12-14", "tag": "recruiting", "me": "true",
    "owners": SAM,
}  # fmt: skip


@pytest.fixture
async def teams(db: Database, tmp_path: Path) -> AsyncIterator[TeamsHarness]:
    from tests.fakes.bot_connector import FakeBotConnector

    async with FakeBotConnector() as connector:
        settings = Settings(database_url=db.url, teams_dev=True, admins=ADMIN,
                            social_team=[SOCIAL], output_dir=tmp_path)  # fmt: skip
        server, runner, url = await start(settings)
        async with server.service.db.engine.begin() as conn:
            await register_account(conn, Platform.LINKEDIN, "acme-careers", tags=["recruiting"])
        async with aiohttp.ClientSession() as http:
            yield TeamsHarness(server, connector, url, http)
        await runner.cleanup()
        for close in server.on_stop:
            await close()


def submit(teams: TeamsHarness, fields: dict[str, Any], user: str = ADMIN,
           campaign_id: int | None = None) -> dict[str, Any]:  # fmt: skip
    """What Teams sends when "Save the pilot" is clicked: the data and every input's value."""
    value = {"winsbot": PILOT_FORM, **fields}
    if campaign_id is not None:
        value["campaign_id"] = campaign_id
    activity = teams.activity("", mention=False, user=user, value=value)
    activity["text"] = None
    return activity


def last_card(teams: TeamsHarness) -> dict[str, Any]:
    return teams.cards()[-1]


def inputs(card: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {e["id"]: e for e in card["body"] if str(e.get("type", "")).startswith("Input.")}


async def stored(teams: TeamsHarness) -> list[Campaign]:
    async with teams.server.service.db.engine.connect() as conn:
        return await list_campaigns(conn)


async def owners(teams: TeamsHarness, campaign_id: int | None) -> list[str]:
    assert campaign_id is not None
    async with teams.server.service.db.engine.connect() as conn:
        return await pilot_owner_ids(conn, campaign_id)


async def test_pilot_new_answers_with_the_form_card(teams: TeamsHarness) -> None:
    assert await teams.send(teams.activity("pilot new", user=SOCIAL)) < 300
    card = last_card(teams)
    fields = inputs(card)
    assert [f["type"] for f in fields.values()] == [
        "Input.Text", "Input.ChoiceSet", "Input.Number", "Input.Date", "Input.Date",
        "Input.ChoiceSet", "Input.Text", "Input.Text", "Input.ChoiceSet", "Input.Toggle",
        "Input.Text",
    ]  # fmt: skip
    assert fields["target"]["min"] == 1
    assert [c["value"] for c in fields["tag"]["choices"]] == ["recruiting"]
    assert fields["me"]["value"] == "true"  # the submitter owns it by default
    assert card["actions"][0]["data"] == {"winsbot": PILOT_FORM}


async def test_a_submission_stores_the_pilot_and_its_owners(teams: TeamsHarness) -> None:
    assert await teams.send(submit(teams, GOOD)) < 300
    [pilot] = await stored(teams)
    assert (pilot.name, pilot.metric, pilot.target, pilot.tag) == (
        "Graduate hiring pilot", CampaignMetric.CLICKS, 1000, "recruiting",
    )  # fmt: skip
    assert await owners(teams, pilot.id) == [ADMIN, SAM]
    text = json.dumps(last_card(teams))
    assert "Pilot saved" in text
    assert "Graduate hiring pilot: 1,000 clicks from 1 Dec to 14 Dec, counting posts of" in text


async def test_an_impossible_form_comes_back_with_the_reasons(teams: TeamsHarness) -> None:
    bad = {**GOOD, "end": "2026-11-20", "target": "0"}
    assert await teams.send(submit(teams, bad)) < 300
    card = last_card(teams)
    text = json.dumps(card)
    assert "before the start" in text and "at least 1" in text
    assert inputs(card)["name"]["value"] == "Graduate hiring pilot"  # the form, as sent
    assert await stored(teams) == []


@pytest.mark.parametrize(
    "value",
    [
        {"winsbot": PILOT_FORM, "campaign_id": "seven"},
        {"winsbot": PILOT_FORM, "campaign_id": 2**63},
        {"winsbot": PILOT_FORM, "name": ["a list"]},
        {"winsbot": PILOT_FORM, "me": "maybe"},
    ],
)
async def test_a_submit_that_does_not_fit_is_refused_400(
    teams: TeamsHarness, value: dict[str, Any]
) -> None:
    activity = teams.activity("", mention=False, user=ADMIN, value=value)
    activity["text"] = None
    assert await teams.send(activity) == 400
    assert await stored(teams) == []


async def test_someone_who_may_not_is_refused(teams: TeamsHarness) -> None:
    await teams.send(teams.activity("pilot new", user=SAM))
    assert "Only workspace admins" in json.dumps(last_card(teams))
    await teams.send(submit(teams, GOOD, user=SAM))
    assert "Only workspace admins" in json.dumps(last_card(teams))
    assert await stored(teams) == []


async def test_pilot_edit_answers_prefilled_and_the_submission_changes_it(
    teams: TeamsHarness,
) -> None:
    pilot = Campaign(
        name="Graduate hiring pilot", metric=CampaignMetric.CLICKS, target=1000,
        starts_on="2026-12-01", ends_on="2026-12-14", tag="recruiting",
    )  # fmt: skip
    campaign_id = await save_pilot(teams.server.service, pilot, [SAM], by=None)
    await teams.send(teams.activity("pilot edit Graduate hiring pilot", user=SAM))
    card = last_card(teams)
    fields = inputs(card)
    assert fields["name"]["value"] == "Graduate hiring pilot"
    assert (fields["target"]["value"], fields["start"]["value"]) == (1000, "2026-12-01")
    assert (fields["me"]["value"], fields["owners"]["value"]) == ("true", "")
    assert card["actions"][0]["data"] == {"winsbot": PILOT_FORM, "campaign_id": campaign_id}
    changed = {**GOOD, "target": "2500", "owners": ADMIN}
    await teams.send(submit(teams, changed, user=SAM, campaign_id=campaign_id))
    [now] = await stored(teams)
    assert (now.id, now.target) == (campaign_id, 2500)
    assert await owners(teams, campaign_id) == [SAM, ADMIN]
    assert "Changed the pilot" in json.dumps(last_card(teams))
