"""Slack listeners for the "Add the story" form: the click opens the modal, the submit stores.

Kept out of ``app`` so the form is one module to read. Both ways in check the bodies first
(``story_payloads``); the listeners decode the same models and call the shared use case.

Slack wants every interaction acknowledged within 3 seconds and a ``trigger_id`` used within 3
seconds too: the click is acknowledged at once and the modal opened right after, in the
background, so the ack never waits on views.open. A submission is stored before its ack, so an
empty form or a win gone since can keep the modal open with the reason under the questions.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, TypeVar

from pydantic import BaseModel
from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.chat.slack.blocks import render
from adapters.chat.slack.payloads import PayloadError, decode
from adapters.chat.slack.story_form import (
    ADD_STORY_ACTION,
    STORY_CALLBACK_ID,
    field_errors,
    story_metadata,
    story_modal,
)
from adapters.chat.slack.story_payloads import Origin, StoryClick, StorySubmission
from bot.domain.context import ChatContext
from bot.domain.models import Chat
from bot.domain.views import NoticeView
from bot.usecases.case_studies import EMPTY_FORM
from bot.usecases.chat import ChatCore

log = logging.getLogger("winsbot.slack")
M = TypeVar("M", bound=BaseModel)
Ack = Callable[..., Awaitable[None]]
Later = Callable[[Coroutine[Any, Any, None]], None]


class StoryListeners:
    """The form's two listeners; ``later`` runs work after the ack (``Listeners._later``)."""

    def __init__(self, chat: ChatCore, later: Later) -> None:
        self.chat = chat
        self.later = later

    def register(self, app: AsyncApp) -> None:
        app.action(ADD_STORY_ACTION)(self.on_add_story)
        app.view(STORY_CALLBACK_ID)(self.on_story_submitted)

    async def on_add_story(self, ack: Ack, body: dict[str, Any], client: AsyncWebClient) -> None:
        await ack()
        click = _decoded(StoryClick, body, "the add-story click")
        if click is not None:
            self.later(self._open(click, client))

    async def _open(self, click: StoryClick, client: AsyncWebClient) -> None:
        team = click.team.id if click.team else None
        context = _context(team, click.user.id, click.channel_id)
        win, draft = await self.chat.cases.story_draft(context, click.win_id)
        if win is None:
            gone = NoticeView(text="That win is no longer there.", ok=False)
            await _tell(client, click.user.id, click.channel_id, click.thread, gone)
            return
        metadata = story_metadata(win.id, click.channel_id, click.thread)
        try:
            await client.views_open(
                trigger_id=click.trigger_id,
                view=story_modal(win, metadata=metadata, draft=draft),
            )
        except SlackApiError as exc:  # expired_trigger_id when Slack took over 3 s to get here
            log.warning("views.open failed: %s", exc.response.get("error"))

    async def on_story_submitted(
        self, ack: Ack, body: dict[str, Any], client: AsyncWebClient
    ) -> None:
        submission = _decoded(StorySubmission, body, "the story form")
        if submission is None:
            await ack()
            return
        parts = submission.parts
        if parts.empty:
            await ack(**field_errors(EMPTY_FORM))
            return
        origin: Origin = submission.view.origin
        team = submission.team.id if submission.team else None
        context = _context(team, submission.user.id, origin.channel)
        notice = await self.chat.cases.add_story(context, origin.win, parts)
        if not notice.ok:
            await ack(**field_errors(notice.text))
            return
        await ack()  # closes the modal
        self.later(_tell(client, submission.user.id, origin.channel, origin.thread, notice))


async def _tell(
    client: AsyncWebClient,
    user: str,
    channel: str | None,
    thread: str | None,
    notice: NoticeView,
) -> None:
    """Only to ``user``, in the thread the button was in (an ephemeral message)."""
    if channel is None:
        return
    message: dict[str, Any] = {**render(notice), **({"thread_ts": thread} if thread else {})}
    try:
        await client.chat_postEphemeral(channel=channel, user=user, **message)
    except SlackApiError as exc:
        log.warning("chat.postEphemeral failed: %s", exc.response.get("error"))


def _context(team: str | None, user: str, channel: str | None) -> ChatContext:
    return ChatContext(chat=Chat.SLACK, workspace_id=team, channel_id=channel or "", user_id=user)


def _decoded(model: type[M], data: object, what: str) -> M | None:
    try:
        return decode(model, data, what)
    except PayloadError as exc:
        log.warning("Slack payload refused: %s", exc)
        return None
