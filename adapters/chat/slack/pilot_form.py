"""The learnings form at a pilot's end, in Slack: a modal with the story questions and a next step.

The owner's DM carries a "Write the learnings" button; it opens a modal (callback id
``winsbot_pilot_learnings``) with the story form's three questions and radio buttons for the
next step (extend, scale, stop). Both bodies are checked at the edge (``triage_pilot``) with
pydantic, like the story form's: one naming our button or modal that does not fit is refused
400 with the reason, and an answer without a next step keeps the modal open with the reason.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Coroutine
from typing import Annotated, Any, Final, Literal

from pydantic import Field, StringConstraints
from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.chat.slack.block_parts import plain
from adapters.chat.slack.payloads import (
    RUN,
    BoltReadable,
    PayloadError,
    RecordId,
    SlackId,
    Text,
    Triage,
    _Clicker,
    _Payload,
    _Ref,
    decode,
)
from adapters.chat.slack.pilot_blocks import OPEN_LEARNINGS_ACTION
from adapters.chat.slack.story_form import FIELDS, block_id, story_fields
from adapters.chat.slack.story_payloads import TriggerId
from bot.domain.context import ChatContext
from bot.domain.models import Chat
from bot.domain.pilot_end import NEXT_STEP_LABELS, NEXT_STEPS
from bot.domain.stories import StoryParts
from bot.usecases.pilot_learnings import NO_STEP, PilotLearnings

log = logging.getLogger("winsbot.slack")
PILOT_CALLBACK_ID: Final = "winsbot_pilot_learnings"
STEP_BLOCK, STEP_ACTION = "pilot_next_step", "next_step"
Ack = Callable[..., Awaitable[None]]
Later = Callable[[Coroutine[Any, Any, None]], None]
MAX_METADATA_CHARS = 3000


def learnings_modal(campaign_id: int, name: str) -> dict[str, Any]:
    """The story form's questions, then the next step as radio buttons (required)."""
    options = [{"text": plain(NEXT_STEP_LABELS[step], 75), "value": step} for step in NEXT_STEPS]
    about = {"type": "plain_text", "text": f"Pilot: {name}"[:2000]}
    step = {
        "type": "input",
        "block_id": STEP_BLOCK,
        "label": {"type": "plain_text", "text": "Recommended next step"},
        "element": {"type": "radio_buttons", "action_id": STEP_ACTION, "options": options},
    }
    return {
        "type": "modal",
        "callback_id": PILOT_CALLBACK_ID,
        "private_metadata": str(campaign_id),
        "title": {"type": "plain_text", "text": "Pilot learnings"},
        "submit": {"type": "plain_text", "text": "Save"},
        "close": {"type": "plain_text", "text": "Cancel"},
        "blocks": [{"type": "context", "elements": [about]}, *story_fields(None), step],
    }


class _OpenButton(_Payload):
    action_id: Literal["winsbot_pilot_learnings_open"]
    value: RecordId


class LearningsClick(_Payload):
    type: Literal["block_actions"]
    team: _Ref | None = None
    user: _Clicker
    trigger_id: TriggerId
    actions: list[_OpenButton] = Field(min_length=1)


class _Selected(_Payload):
    value: Literal["extend", "scale", "stop"]


class _Input(_Payload):
    value: Text | None = None
    selected_option: _Selected | None = None


class _View(_Payload):
    id: SlackId
    type: Literal["modal"]
    callback_id: Literal["winsbot_pilot_learnings"]
    private_metadata: RecordId
    state: dict[
        Literal["values"],
        dict[Annotated[str, StringConstraints(max_length=255)], dict[str, _Input]],
    ]


class LearningsSubmission(_Payload):
    type: Literal["view_submission"]
    team: _Ref | None = None
    user: _Clicker
    view: _View

    def _input(self, block: str, action: str) -> _Input | None:
        return self.view.state["values"].get(block, {}).get(action)

    @property
    def parts(self) -> StoryParts:
        answers = [self._input(block_id(f), f) for f in FIELDS]
        return StoryParts.of(*(a.value if a else None for a in answers))

    @property
    def next_step(self) -> str | None:
        chosen = self._input(STEP_BLOCK, STEP_ACTION)
        return chosen.selected_option.value if chosen and chosen.selected_option else None


def triage_pilot(body: dict[str, Any]) -> Triage | None:
    """RUN for our button's click or our modal's submission, checked; None for anything else."""
    kind = body.get("type")
    if kind == "block_actions":
        acts = body.get("actions")
        first = acts[0] if isinstance(acts, list) and acts else None
        if not isinstance(first, dict) or first.get("action_id") != OPEN_LEARNINGS_ACTION:
            return None
        decode(LearningsClick, body, "the pilot learnings click")
    elif kind == "view_submission":
        view = body.get("view")
        if not isinstance(view, dict) or view.get("callback_id") != PILOT_CALLBACK_ID:
            return None
        decode(LearningsSubmission, body, "the pilot learnings form")
    else:
        return None
    decode(BoltReadable, body, "the pilot learnings form")
    return RUN


class PilotListeners:
    """The button opens the modal (after the ack); the submission is stored before its ack."""

    def __init__(self, pilots: PilotLearnings, later: Later) -> None:
        self.pilots = pilots
        self.later = later

    def register(self, app: AsyncApp) -> None:
        app.action(OPEN_LEARNINGS_ACTION)(self.on_open)
        app.view(PILOT_CALLBACK_ID)(self.on_submitted)

    async def on_open(self, ack: Ack, body: dict[str, Any], client: AsyncWebClient) -> None:
        await ack()
        try:
            click = decode(LearningsClick, body, "the pilot learnings click")
        except PayloadError as exc:
            log.warning("Slack payload refused: %s", exc)
            return
        self.later(self._open(click, client))

    async def _open(self, click: LearningsClick, client: AsyncWebClient) -> None:
        campaign_id = click.actions[0].value
        name = await self.pilots.pilot_name(campaign_id)
        if name is None:
            return
        try:
            await client.views_open(
                trigger_id=click.trigger_id, view=learnings_modal(campaign_id, name)
            )
        except SlackApiError as exc:
            log.warning("views.open failed: %s", exc.response.get("error"))

    async def on_submitted(self, ack: Ack, body: dict[str, Any], client: AsyncWebClient) -> None:
        try:
            sent = decode(LearningsSubmission, body, "the pilot learnings form")
        except PayloadError as exc:
            log.warning("Slack payload refused: %s", exc)
            await ack()
            return
        team = sent.team.id if sent.team else None
        context = ChatContext(
            chat=Chat.SLACK, workspace_id=team, channel_id="", user_id=sent.user.id
        )
        notice = await self.pilots.add_learnings(
            context, sent.view.private_metadata, sent.parts, sent.next_step
        )
        if not notice.ok:
            where = STEP_BLOCK if notice.text == NO_STEP else block_id(FIELDS[0])
            await ack(response_action="errors", errors={where: notice.text})
            return
        await ack()
