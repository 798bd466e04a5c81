"""The pilot form in Slack end to end: `/wins pilot new|edit` in, the fake Slack Web API behind.

The command opens a modal through views.open with the command's trigger id; the submission
stores (or changes) the campaign and its own owners and confirms privately; a form the core
refuses keeps the modal open with each reason under its input; a body naming our modal that
does not fit is refused 400 at the edge.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import pytest

from bot.domain.models import Campaign, CampaignMetric
from bot.store.campaigns import list_campaigns
from bot.store.owners import pilot_owner_ids
from bot.usecases.pilot_editing import save_pilot
from tests.chat.slack.conftest import SlackHarness
from tests.chat.slack.story_payloads import eventually, send
from tests.fakes.slack_api import TEAM_ID
from tests.fakes.slack_views import modal_problems

ADMIN = "UADMIN"  # a workspace admin in the fake
TEAMS = "6f1c2b7e-0d3a-4c55-9a1e-2b8f3c4d5e6f"  # a Teams owner (Azure AD object id)
GOOD = {
    "name": "Graduate hiring pilot", "metric": "clicks", "target": "1000",
    "start": "2026-12-01", "end": "2026-12-14", "tag": "recruiting",
    "owners": ["UADMIN", "U0DANA"],
}  # fmt: skip


async def open_form(harness: SlackHarness, text: str, user: str = ADMIN) -> dict[str, Any]:
    opened = len(harness.slack.views.opened)
    trigger = f"1.2.{opened + 3}"  # a trigger id works once
    status, body = await harness.command(text, user=user, trigger_id=trigger)
    assert status == 200 and not body, body  # an empty ack: nothing shows in the channel
    await eventually(lambda: len(harness.slack.views.opened) > opened)
    view: dict[str, Any] = harness.slack.views.opened[-1]
    return view


def submission(
    view: dict[str, Any], fields: Mapping[str, object], *, user: str = ADMIN
) -> dict[str, Any]:
    """The ``view_submission`` Slack sends for the pilot modal, as each element reports."""
    kinds = {b["block_id"]: b["element"]["type"] for b in view["blocks"] if b["type"] == "input"}
    values: dict[str, Any] = {}
    for name, given in fields.items():
        kind = kinds[f"pilot_{name}"]
        state: dict[str, Any]
        if kind == "static_select":
            state = {"selected_option": {"text": {"type": "plain_text", "text": str(given)},
                                         "value": given} if given else None}  # fmt: skip
        elif kind == "datepicker":
            state = {"selected_date": given}
        elif kind == "multi_users_select":
            state = {"selected_users": given}
        else:
            state = {"value": given}
        values[f"pilot_{name}"] = {name: {"type": kind, **state}}
    return {
        "type": "view_submission", "team": {"id": TEAM_ID, "domain": "acme"},
        "user": {"id": user, "username": "u", "name": "u", "team_id": TEAM_ID},
        "api_app_id": "A0001", "token": "legacy", "trigger_id": "12345.98766.abcd2358fdeb",
        "view": {**view, "state": {"values": values}, "app_installed_team_id": TEAM_ID},
        "response_urls": [], "is_enterprise_install": False, "enterprise": None,
    }  # fmt: skip


def prefilled(view: dict[str, Any]) -> dict[str, object]:
    """What Slack's state holds for a form submitted untouched: each input's initial value."""
    found: dict[str, object] = {}
    for block in view["blocks"]:
        if block["type"] != "input":
            continue
        element, name = block["element"], block["block_id"].removeprefix("pilot_")
        given = (element.get("initial_value") or element.get("initial_date")
                 or (element.get("initial_option") or {}).get("value")
                 or element.get("initial_users"))  # fmt: skip
        if given:
            found[name] = given
    return found


async def stored(harness: SlackHarness) -> list[Campaign]:
    async with harness.server.service.db.engine.connect() as conn:
        return await list_campaigns(conn)


async def owners(harness: SlackHarness, campaign_id: int | None) -> list[str]:
    assert campaign_id is not None
    async with harness.server.service.db.engine.connect() as conn:
        return await pilot_owner_ids(conn, campaign_id)


async def test_pilot_new_opens_the_modal_with_the_trigger_id(harness: SlackHarness) -> None:
    view = await open_form(harness, "pilot new")
    [call] = harness.slack.calls_to("views.open")
    assert call.params["trigger_id"] == "1.2.3"  # the command's own
    sent = call.params["view"]
    assert sent["callback_id"] == "winsbot_pilot_edit" and modal_problems(sent) == []
    elements = {b["block_id"]: b["element"] for b in sent["blocks"] if b["type"] == "input"}
    assert [e["type"] for e in elements.values()] == [
        "plain_text_input", "static_select", "number_input", "datepicker", "datepicker",
        "static_select", "plain_text_input", "plain_text_input", "static_select",
        "multi_users_select",
    ]  # fmt: skip
    assert elements["pilot_target"]["min_value"] == "1"
    assert not elements["pilot_target"]["is_decimal_allowed"]
    assert [o["value"] for o in elements["pilot_tag"]["options"]] == ["recruiting"]
    assert "clicks" in [o["value"] for o in elements["pilot_metric"]["options"]]
    assert elements["pilot_owners"]["initial_users"] == [ADMIN]  # the opener, by default
    assert json.loads(view["private_metadata"]) == {"channel": "C1"}


async def test_a_submission_stores_the_pilot_and_its_owners_and_confirms(
    harness: SlackHarness,
) -> None:
    view = await open_form(harness, "pilot new")
    status, body = await send(harness, submission(view, GOOD))
    assert status == 200 and not body  # an empty ack closes the modal
    [pilot] = await stored(harness)
    assert (pilot.name, pilot.metric, pilot.target) == (
        "Graduate hiring pilot", CampaignMetric.CLICKS, 1000,
    )  # fmt: skip
    assert (str(pilot.starts_on), str(pilot.ends_on), pilot.tag) == (
        "2026-12-01", "2026-12-14", "recruiting",
    )  # fmt: skip
    assert await owners(harness, pilot.id) == ["UADMIN", "U0DANA"]
    await eventually(lambda: bool(harness.slack.calls_to("chat.postEphemeral")))
    [confirmation] = harness.slack.calls_to("chat.postEphemeral")
    assert confirmation.params["user"] == ADMIN and confirmation.params["channel"] == "C1"
    text = json.dumps(confirmation.params)
    assert "Graduate hiring pilot: 1,000 clicks from 1 Dec to 14 Dec, counting posts of" in text
    assert '"user_id": "U0DANA"' in text  # owners as Slack shows people


async def test_an_impossible_form_keeps_the_modal_open_and_stores_nothing(
    harness: SlackHarness,
) -> None:
    view = await open_form(harness, "pilot new")
    bad = {**GOOD, "end": "2026-11-20", "target": "0", "tag": "hiring"}
    status, body = await send(harness, submission(view, bad))
    assert status == 200 and body["response_action"] == "errors"
    errors = body["errors"]
    assert "before the start" in errors["pilot_end"]
    assert "at least 1" in errors["pilot_target"]
    assert "#hiring" in errors["pilot_tag"]
    assert await stored(harness) == []
    assert harness.slack.calls_to("chat.postEphemeral") == []


async def test_a_duplicate_name_is_an_error_under_the_name(harness: SlackHarness) -> None:
    view = await open_form(harness, "pilot new")
    assert (await send(harness, submission(view, GOOD)))[0] == 200
    again = await open_form(harness, "pilot new")
    status, body = await send(harness, submission(again, GOOD))
    assert status == 200 and "already exists" in body["errors"]["pilot_name"]
    assert len(await stored(harness)) == 1


async def test_a_malformed_body_naming_our_modal_is_refused_400(harness: SlackHarness) -> None:
    view = await open_form(harness, "pilot new")
    forged = submission({**view, "private_metadata": "not json"}, GOOD)
    status, body = await send(harness, forged)
    assert status == 400 and "private_metadata" in body["error"]
    odd = submission(view, GOOD)
    odd["view"]["state"]["values"]["pilot_owners"]["owners"]["selected_users"] = ["not an id!"]
    status, body = await send(harness, odd)
    assert status == 400 and "selected_users" in body["error"]
    assert await stored(harness) == []


async def test_someone_who_may_not_is_refused(harness: SlackHarness) -> None:
    status, body = await harness.command("pilot new", user="U0SAM")
    assert status == 200 and "Only workspace admins" in json.dumps(body)
    assert harness.slack.calls_to("views.open") == []
    # A submission forged for them is refused in the modal, not stored.
    view = await open_form(harness, "pilot new")
    status, body = await send(harness, submission(view, GOOD, user="U0SAM"))
    assert "Only workspace admins" in body["errors"]["pilot_name"]
    assert await stored(harness) == []


async def test_pilot_edit_opens_prefilled_and_the_submission_changes_it(
    harness: SlackHarness,
) -> None:
    pilot = Campaign(
        name="Graduate hiring pilot", metric=CampaignMetric.CLICKS, target=1000,
        starts_on="2026-12-01", ends_on="2026-12-14", tag="recruiting",
    )  # fmt: skip
    campaign_id = await save_pilot(harness.server.service, pilot, ["U0SAM", TEAMS], by=None)
    # U0SAM is no admin, but owns this pilot: they may edit it.
    view = await open_form(harness, "pilot edit graduate hiring pilot", user="U0SAM")
    # A Teams owner cannot be shown by Slack's people picker: carried along, and kept.
    assert json.loads(view["private_metadata"]) == {
        "campaign": str(campaign_id), "channel": "C1", "keep": [TEAMS],
    }  # fmt: skip
    elements = {b["block_id"]: b["element"] for b in view["blocks"] if b["type"] == "input"}
    assert elements["pilot_name"]["initial_value"] == "Graduate hiring pilot"
    assert elements["pilot_metric"]["initial_option"]["value"] == "clicks"
    assert elements["pilot_target"]["initial_value"] == "1000"
    assert elements["pilot_start"]["initial_date"] == "2026-12-01"
    assert elements["pilot_tag"]["initial_option"]["value"] == "recruiting"
    assert elements["pilot_owners"]["initial_users"] == ["U0SAM"]
    changed = {**GOOD, "name": "Grad pilot", "target": "2500", "owners": ["U0SAM", "U0DANA"]}
    status, body = await send(harness, submission(view, changed, user="U0SAM"))
    assert status == 200 and not body, body
    [pilot_now] = await stored(harness)
    assert (pilot_now.id, pilot_now.name, pilot_now.target) == (campaign_id, "Grad pilot", 2500)
    assert await owners(harness, campaign_id) == ["U0SAM", TEAMS, "U0DANA"]
    await eventually(lambda: bool(harness.slack.calls_to("chat.postEphemeral")))
    assert "Changed the pilot" in json.dumps(harness.slack.calls_to("chat.postEphemeral")[0].params)


async def test_pilot_edit_of_an_unknown_pilot_says_so(harness: SlackHarness) -> None:
    status, body = await harness.command("pilot edit Nothing like it", user=ADMIN)
    assert status == 200 and "know a pilot called" in json.dumps(body)
    assert harness.slack.calls_to("views.open") == []


async def test_a_pilot_called_new_is_shown_not_the_form(harness: SlackHarness) -> None:
    pilot = Campaign(name="New", metric=CampaignMetric.POSTS, target=3,
                     starts_on="2026-11-01", ends_on="2026-11-30", tag="recruiting")  # fmt: skip
    await save_pilot(harness.server.service, pilot, None, by=None)
    status, body = await harness.command("pilot new", user=ADMIN)
    assert status == 200 and "campaign New" in json.dumps(body)
    assert harness.slack.calls_to("views.open") == []


async def test_editing_an_ended_pilot_never_posts_its_report_twice(harness: SlackHarness) -> None:
    """The ledger keys reports by (campaign id, kind, target) and an edit keeps the id: moving
    the end of a reported pilot reports nothing again; a new owner is a new target, asked once."""
    from collections import Counter
    from datetime import timedelta

    from bot.ports import FixedClock
    from tests.chat.slack.test_slack_pilot_reports import (
        LEAD,
        NAME,
        RECRUITING,
        ended_pilot,
        reports,
        runner,
    )

    await ended_pilot(harness)
    clock = harness.server.service.clock
    assert isinstance(clock, FixedClock)
    await runner(harness).run()  # the asks
    clock.moment += timedelta(days=2)  # Wednesday: the reports, without learnings
    await runner(harness).run()
    assert reports(harness.slack) == Counter({LEAD: 1, RECRUITING: 1})

    view = await open_form(harness, f"pilot edit {NAME}")
    moved = {"end": "2026-11-24", "owners": ["U0NEW"]}
    status, body = await send(harness, submission(view, {**prefilled(view), **moved}))
    assert status == 200 and not body, body
    clock.moment += timedelta(days=3)
    outcomes = await runner(harness).run()
    assert [(o.kind, o.target) for o in outcomes] == [("ask", "U0NEW")]  # the pilot's own owner
    view = await open_form(harness, f"pilot edit {NAME}")
    assert prefilled(view)["owners"] == ["U0NEW"]
    status, body = await send(harness, submission(view, {**prefilled(view), "end": "2026-11-30"}))
    assert status == 200 and not body, body
    clock.moment += timedelta(days=6)  # after the new end, and two working days more
    assert [o for o in await runner(harness).run() if o.kind == "report"] == []
    assert reports(harness.slack) == Counter({LEAD: 1, RECRUITING: 1})


@pytest.mark.ack_budget(0)
async def test_a_slow_answer_still_opens_the_form_while_the_trigger_lives(
    harness: SlackHarness,
) -> None:
    status, body = await harness.command("pilot new", user=ADMIN)
    assert status == 200 and "Working on it" in json.dumps(body)
    await eventually(lambda: bool(harness.slack.views.opened))
    assert harness.slack.views.opened[-1]["callback_id"] == "winsbot_pilot_edit"
