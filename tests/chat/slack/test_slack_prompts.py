"""Story prompts to owners in Slack, end to end: real HTTP to the fake Slack Web API.

An admin names an owner with `/wins owner`, or winsbot.toml does; a pass of the prompt runner
opens the app's DM with the owner (conversations.open) and posts the win with its numbers and
an "Add the story" button, once per (win, owner) whatever runs again or restarts; a muted owner
gets nothing; one reminder follows two working days later unless a story was added.
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from typing import Any

from bot.app import build_server
from bot.config import Settings, TagSettings
from bot.domain.models import Platform, SourceAccount
from bot.ports import FixedClock
from bot.store.case_studies import save_case_study
from bot.store.prompts import prompt_ledger
from bot.usecases.prompts import PromptRunner
from tests.chat.slack.conftest import NOW, SlackHarness
from tests.fakes.slack_api import FakeSlackApi

DANA = "U0DANA"


def prompts_to(slack: FakeSlackApi, user: str) -> list[dict[str, Any]]:
    """The messages the app posted in its DM with ``user`` (none if it never opened one)."""
    channel = slack.ims.get(user)
    return [m for (c, _), m in sorted(slack.messages.items()) if c == channel]


async def name_owner(harness: SlackHarness, text: str, user: str = "UADMIN") -> str:
    status, body = await harness.command(text, user=user)
    assert status == 200, body
    return str(body)


def runner_for(harness: SlackHarness) -> PromptRunner:
    return PromptRunner(harness.server.service, harness.server.direct, worker="test")


async def test_a_win_on_an_owned_account_asks_its_owner_once_with_the_numbers_and_a_button(
    harness: SlackHarness,
) -> None:
    answer = await name_owner(harness, f"owner @acme-careers <@{DANA}|dana>")
    assert "direct message" in answer
    outcomes = await runner_for(harness).run()
    assert [o.result for o in outcomes] == ["sent"]
    [message] = prompts_to(harness.slack, DANA)
    opened = harness.slack.calls_to("conversations.open")
    assert opened and opened[0].params["users"] == DANA
    text = str(message["blocks"])
    assert "acme-careers" in text and "2.4k" in text  # the win and its numbers
    button = message["blocks"][-1]["elements"][0]
    assert button["action_id"] == "winsbot_add_story" and button["text"]["text"] == "Add the story"
    assert message["metadata"]["event_type"] == "winsbot_prompt"

    # A second pass, and a second runner (another worker), ask nothing more.
    assert [o.result for o in await runner_for(harness).run()] == []
    assert len(prompts_to(harness.slack, DANA)) == 1


async def test_a_restart_sends_no_second_prompt(harness: SlackHarness) -> None:
    # As Slack sends it with should_escape on: a channel called #recruiting, a picked person.
    await name_owner(harness, f"owner <#C0REC|recruiting> <@{DANA}|Dana Smith>")
    await runner_for(harness).run()
    settings = harness.server.service.settings
    again = await build_server(settings, clock=FixedClock(NOW))
    try:
        assert await PromptRunner(again.service, again.direct, worker="after-restart").run() == []
    finally:
        for close in again.on_stop:
            await close()
    assert len(prompts_to(harness.slack, DANA)) == 1


async def test_a_muted_owner_gets_no_prompt_until_unmuted(harness: SlackHarness) -> None:
    await name_owner(harness, f"owner @acme-careers <@{DANA}>")
    answer = await name_owner(harness, "mute prompts", user=DANA)
    assert "not be asked" in answer
    assert await runner_for(harness).run() == []
    assert prompts_to(harness.slack, DANA) == []
    await name_owner(harness, "unmute prompts", user=DANA)
    assert [o.result for o in await runner_for(harness).run()] == ["sent"]


async def test_the_reminder_comes_once_two_working_days_later(harness: SlackHarness) -> None:
    await name_owner(harness, f"owner @acme-careers <@{DANA}>")
    clock = harness.server.service.clock
    assert isinstance(clock, FixedClock)
    await runner_for(harness).run()
    clock.moment = NOW + timedelta(days=1, hours=23)  # Monday 09:00 -> Wednesday 08:00
    assert await runner_for(harness).run() == []
    clock.moment = NOW + timedelta(days=2)  # Wednesday 09:00: two working days
    assert [(o.round, o.result) for o in await runner_for(harness).run()] == [(1, "sent")]
    clock.moment = NOW + timedelta(days=6)
    assert await runner_for(harness).run() == []
    first, reminder = prompts_to(harness.slack, DANA)
    assert "reminder" in reminder["text"].lower() and "reminder" not in first["text"].lower()
    async with harness.server.service.db.engine.connect() as conn:
        ledger = await prompt_ledger(conn)
    assert Counter((p.win_id, p.user_id, p.round) for p in ledger) == Counter(
        {(ledger[0].win_id, DANA, 0): 1, (ledger[0].win_id, DANA, 1): 1}
    )


async def test_no_reminder_once_the_story_is_in(harness: SlackHarness) -> None:
    await name_owner(harness, f"owner @acme-careers <@{DANA}>")
    [outcome] = await runner_for(harness).run()
    async with harness.server.service.db.engine.begin() as conn:
        await save_case_study(conn, body="We timed it with the open day", win_id=outcome.win_id,
                             author=DANA, source="slack", now=NOW)  # fmt: skip
    clock = harness.server.service.clock
    assert isinstance(clock, FixedClock)
    clock.moment = NOW + timedelta(days=5)
    assert await runner_for(harness).run() == []


async def test_only_admins_name_owners_and_anyone_lists_them(harness: SlackHarness) -> None:
    refused = await name_owner(harness, f"owner @acme-careers <@{DANA}>", user="U0SAM")
    assert "Only workspace admins" in refused
    assert "No account or tag has an owner" in await name_owner(harness, "owners", user="U0SAM")
    await name_owner(harness, "owner @acme-careers me")
    listed = await name_owner(harness, "owners", user="U0SAM")
    assert "@acme-careers: UADMIN (chat)" in listed
    await name_owner(harness, "owner remove @acme-careers me")
    assert "No account or tag has an owner" in await name_owner(harness, "owners")
    typo = await name_owner(harness, f"owner @acme-carers <@{DANA}>")
    assert "acme-careers" in typo  # did you mean


async def test_owners_from_winsbot_toml_are_asked_too(
    harness: SlackHarness,
) -> None:
    base = harness.server.service.settings
    settings = base.model_copy(
        update={
            "accounts": [
                SourceAccount(platform=Platform.LINKEDIN, handle="acme-careers", owners=(DANA,))
            ],
            "tags": {"recruiting": TagSettings(owners=("U0LEE", DANA))},
        }
    )
    server = await build_server(
        Settings.model_validate(settings.model_dump()), clock=FixedClock(NOW)
    )
    try:
        outcomes = await PromptRunner(server.service, server.direct, worker="config").run()
    finally:
        for close in server.on_stop:
            await close()
    assert sorted((o.user_id, o.result) for o in outcomes) == [(DANA, "sent"), ("U0LEE", "sent")]
    assert len(prompts_to(harness.slack, DANA)) == 1
    assert len(prompts_to(harness.slack, "U0LEE")) == 1


async def test_an_owner_slack_cannot_reach_is_recorded_once_and_not_retried(
    harness: SlackHarness,
) -> None:
    harness.slack.deactivated.add(DANA)
    await name_owner(harness, f"owner @acme-careers <@{DANA}>")
    assert [o.result for o in await runner_for(harness).run()] == ["undeliverable"]
    assert await runner_for(harness).run() == []
    [answer] = harness.slack.calls_to("conversations.open")
    assert answer.params["users"] == DANA
