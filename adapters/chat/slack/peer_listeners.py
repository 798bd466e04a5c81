"""Slack listeners for "Save as example": the click opens the note modal, the submit stores.

Like ``story_listeners``: the click is acknowledged at once and the modal opened after (the
trigger id lives 3 seconds); the submission is stored before its ack, so an empty note or a
peer win gone since keeps the modal open with the reason under the field.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.chat.slack.peer_blocks import SAVE_EXAMPLE_ACTION
from adapters.chat.slack.peer_form import PEER_NOTE_CALLBACK_ID, note_error, note_modal
from adapters.chat.slack.peer_payloads import NoteSubmission, SaveExampleClick
from adapters.chat.slack.story_form import story_metadata
from adapters.chat.slack.story_listeners import Ack, Later, _context, _decoded, _tell
from bot.domain.views import NoticeView
from bot.usecases.peer_examples import NOT_A_PEER_WIN, PeerExamples

log = logging.getLogger("winsbot.slack")


class PeerListeners:
    """The note form's two listeners; ``later`` runs work after the ack."""

    def __init__(self, peers: PeerExamples, later: Later) -> None:
        self.peers = peers
        self.later = later

    def register(self, app: AsyncApp) -> None:
        app.action(SAVE_EXAMPLE_ACTION)(self.on_save_example)
        app.view(PEER_NOTE_CALLBACK_ID)(self.on_note_submitted)

    async def on_save_example(self, ack: Ack, body: dict[str, Any], client: AsyncWebClient) -> None:
        await ack()
        click = _decoded(SaveExampleClick, body, "the save-example click")
        if click is not None:
            self.later(self._open(click, client))

    async def _open(self, click: SaveExampleClick, client: AsyncWebClient) -> None:
        win = await self.peers.peer_win(click.win_id)
        if win is None:
            gone = NoticeView(text=NOT_A_PEER_WIN, ok=False)
            await _tell(client, click.user.id, click.channel_id, click.thread, gone)
            return
        metadata = story_metadata(win.id, click.channel_id, click.thread)
        try:
            await client.views_open(
                trigger_id=click.trigger_id, view=note_modal(win, metadata=metadata)
            )
        except SlackApiError as exc:  # expired_trigger_id when Slack took over 3 s to get here
            log.warning("views.open failed: %s", exc.response.get("error"))

    async def on_note_submitted(
        self, ack: Ack, body: dict[str, Any], client: AsyncWebClient
    ) -> None:
        submission = _decoded(NoteSubmission, body, "the peer example form")
        if submission is None:
            await ack()
            return
        origin = submission.view.origin
        team = submission.team.id if submission.team else None
        context = _context(team, submission.user.id, origin.channel)
        notice = await self.peers.save_from_chat(context, origin.win, submission.note)
        if not notice.ok:
            await ack(**note_error(notice.text))
            return
        await ack()  # closes the modal
        self.later(_tell(client, submission.user.id, origin.channel, origin.thread, notice))
