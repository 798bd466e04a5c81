"""Peers for the Slack harness, and the "Save as example" bodies as Slack sends them.

The click is a block_actions from the button on a `/wins peers` answer (an ephemeral message,
as the answer is); the submission is the note modal's view_submission, built from the view
views.open was given, like ``story_payloads.submission``.
"""

from __future__ import annotations

from typing import Any

from adapters.chat.slack.peer_blocks import SAVE_EXAMPLE_ACTION
from bot.domain.models import AccountKind, Platform
from bot.store.accounts import register_account
from bot.store.wins import WinFilter
from tests.chat.slack.conftest import SlackHarness, post
from tests.chat.slack.story_payloads import click as story_click
from tests.fakes.slack_api import TEAM_ID

RIVAL = "rival-careers"


async def peer_win(harness: SlackHarness) -> int:
    """Add a peer with a standout post (once); the id of its win."""
    service = harness.server.service
    found = await service.peer_wins(WinFilter(limit=1))
    if not found:
        async with service.db.engine.begin() as conn:
            await register_account(conn, Platform.LINKEDIN, RIVAL, kind=AccountKind.PEER)
        posts = [post(n, 50 + n % 3, account=RIVAL) for n in range(30)]
        await service.ingest([*posts, post(36, 1900, account=RIVAL)])
        await service.detect()
        found = await service.peer_wins(WinFilter(limit=1))
    return found[0].id


def save_click(win_id: int | str, *, trigger: str = "12345.98765.abcd2358fdea") -> dict[str, Any]:
    """A click on "Save as example" under a peer win on an ephemeral `/wins peers` answer."""
    body = story_click(0, root="1700000000.000001", trigger=trigger)
    body["container"]["is_ephemeral"] = True
    body["actions"] = [
        {**body["actions"][0], "action_id": SAVE_EXAMPLE_ACTION, "value": str(win_id),
         "text": {"type": "plain_text", "text": "Save as example", "emoji": False}}
    ]  # fmt: skip
    return body


def note_submission(
    view: dict[str, Any], note: str | None, *, user: str = "U0SAM"
) -> dict[str, Any]:
    """The ``view_submission`` Slack sends when the note modal is saved."""
    values = {"peer_note": {"note": {"type": "plain_text_input", "value": note}}}
    return {
        "type": "view_submission", "team": {"id": TEAM_ID, "domain": "acme"},
        "user": {"id": user, "username": "sam", "name": "sam", "team_id": TEAM_ID},
        "api_app_id": "A0001", "token": "legacy", "trigger_id": "12345.98766.abcd2358fdeb",
        "view": {"id": "V0000000009", "team_id": TEAM_ID, "hash": "1700000000.00000001",
                 "root_view_id": "V0000000009", "app_id": "A0001", "bot_id": "B0BOT",
                 **view, "state": {"values": values}, "app_installed_team_id": TEAM_ID},
        "response_urls": [], "is_enterprise_install": False, "enterprise": None,
    }  # fmt: skip
