"""Slack listeners for the pilot form: the command opens the modal, the submission saves.

`/wins pilot new` and `/wins pilot edit NAME` are answered by the shared command road like any
other command (``bot.usecases.pilot_editing`` decides who may and fills the form in); when the
answer is the form, ``Listeners.on_command`` hands it here: the command is acknowledged with
nothing (so nothing shows in the channel) and the modal opened right after, with the command's
``trigger_id``, which Slack honours for 3 seconds. A submission is saved before its ack, so a
form the core refuses keeps the modal open with each reason under its input; a saved one
closes it, and the person gets the pilot's summary privately in the channel they typed in
(or in a direct message from the app when there is no channel to answer in).
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.chat.slack.blocks import render
from adapters.chat.slack.payloads import PayloadError, decode
from adapters.chat.slack.pilot_edit_form import (
    PILOT_EDIT_CALLBACK_ID,
    PilotEditSubmission,
    PilotFormCommand,
    field_errors,
    pilot_modal,
    saved_message,
)
from adapters.chat.slack.story_listeners import Ack, Later, _context, _decoded
from bot.domain.pilot_form import PilotFormView, PilotSaved
from bot.domain.views import NoticeView
from bot.usecases.pilot_editing import PilotEditing

log = logging.getLogger("winsbot.slack")
NO_TRIGGER = "Slack did not send what opening a form needs; try the command again."


class PilotEditListeners:
    """The form's submission listener, and ``open`` for the command listener to call."""

    def __init__(self, pilots: PilotEditing, later: Later) -> None:
        self.pilots = pilots
        self.later = later
        self.client: AsyncWebClient | None = None

    def register(self, app: AsyncApp) -> None:
        self.client = app.client
        app.view(PILOT_EDIT_CALLBACK_ID)(self.on_submitted)

    async def open(self, ack: Ack, command: dict[str, Any], view: PilotFormView) -> None:
        """Acknowledge the command, then open the modal (the trigger id lives 3 seconds)."""
        try:
            decoded = decode(PilotFormCommand, command, "the /wins pilot command")
        except PayloadError as exc:
            log.warning("Slack payload refused: %s", exc)
            await ack(response_type="ephemeral", **render(NoticeView(text=NO_TRIGGER, ok=False)))
            return
        await ack()
        self.later(self._open_later(decoded, view))

    async def late(self, command: dict[str, Any], view: PilotFormView) -> bool:
        """The form after a slow answer (the command was acked "working on it"): True when
        it opened; False and the caller answers in words when the trigger id is gone."""
        try:
            decoded = decode(PilotFormCommand, command, "the /wins pilot command")
        except PayloadError:
            return False
        return await self._open(decoded, view)

    async def _open(self, command: PilotFormCommand, view: PilotFormView) -> bool:
        if self.client is None:
            return False
        try:
            await self.client.views_open(
                trigger_id=command.trigger_id, view=pilot_modal(view, channel=command.channel_id)
            )
        except SlackApiError as exc:  # expired_trigger_id when the answer took over 3 s
            log.warning("views.open failed: %s", exc.response.get("error"))
            return False
        return True

    async def _open_later(self, command: PilotFormCommand, view: PilotFormView) -> None:
        await self._open(command, view)

    async def on_submitted(self, ack: Ack, body: dict[str, Any], client: AsyncWebClient) -> None:
        submission = _decoded(PilotEditSubmission, body, "the pilot form")
        if submission is None:
            await ack()
            return
        origin = submission.view.origin
        team = submission.team.id if submission.team else None
        context = _context(team, submission.user.id, origin.channel)
        outcome = await self.pilots.submit(context, submission.campaign_id, submission.form)
        if not isinstance(outcome, PilotSaved):
            await ack(**field_errors(outcome))
            return
        await ack()  # closes the modal
        self.later(_confirm(client, submission.user.id, origin.channel, outcome))


async def _confirm(
    client: AsyncWebClient, user: str, channel: str | None, saved: PilotSaved
) -> None:
    """Only to ``user``: ephemeral where the command was typed, else a direct message."""
    shown = saved_message(saved)
    try:
        if channel:
            await client.chat_postEphemeral(channel=channel, user=user, **shown)
        else:
            await client.chat_postMessage(channel=user, **shown)
    except SlackApiError as exc:
        log.warning("pilot confirmation failed: %s", exc.response.get("error"))
