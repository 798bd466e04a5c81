"""The "Add the story" click and the form's submission, as typed models checked at the edge.

A click must carry the ``trigger_id`` that ``views.open`` needs; a submission must carry the
win and origin the modal was opened with (its ``private_metadata``) and answers that are text.
A signed body that names our button or our modal and does not fit is refused 400 with the
reason, like any other (``payloads``); ``triage_story`` runs before ``payloads.triage``.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal, Self

from pydantic import Field, StringConstraints, model_validator

from adapters.chat.slack.payloads import (
    RUN,
    BoltReadable,
    PayloadError,
    RecordId,
    SlackId,
    Text,
    Timestamp,
    Triage,
    _Clicker,
    _Payload,
    _Ref,
    decode,
)
from adapters.chat.slack.story_form import ADD_STORY_ACTION, FIELDS, STORY_CALLBACK_ID, block_id
from bot.domain.stories import StoryParts

# Slack's trigger ids look like "12345.98765.abcd2358fdea"; they are sent back as they came.
TriggerId = Annotated[
    str, StringConstraints(pattern=r"^[0-9]+\.[0-9]+\.[0-9A-Za-z]+$", max_length=255)
]
MAX_METADATA_CHARS = 3000  # Slack's own limit on private_metadata


class _StoryButton(_Payload):
    action_id: Literal["winsbot_add_story"]
    value: RecordId


class _Container(_Payload):
    channel_id: SlackId | None = None
    message_ts: Timestamp | None = None
    thread_ts: Timestamp | None = None


class _Message(_Payload):
    ts: Timestamp | None = None
    thread_ts: Timestamp | None = None


class StoryClick(_Payload):
    """A click on "Add the story" (``block_actions``): the win, and where to answer."""

    type: Literal["block_actions"]
    team: _Ref | None = None
    user: _Clicker
    trigger_id: TriggerId
    channel: _Ref | None = None
    container: _Container | None = None
    message: _Message | None = None
    actions: list[_StoryButton] = Field(min_length=1)

    @property
    def win_id(self) -> int:
        return self.actions[0].value

    @property
    def channel_id(self) -> str | None:
        if self.channel is not None and self.channel.id:
            return self.channel.id
        return self.container.channel_id if self.container is not None else None

    @property
    def thread(self) -> str | None:
        """The thread the button's message is in, or the message itself (a new thread)."""
        message, container = self.message, self.container
        for ts in (
            message and message.thread_ts,
            container and container.thread_ts,
            message and message.ts,
            container and container.message_ts,
        ):
            if ts:
                return ts
        return None


class _Input(_Payload):
    value: Text | None = None


class _State(_Payload):
    values: dict[Annotated[str, StringConstraints(max_length=255)], dict[str, _Input]]


class ModalMetadata(_Payload):
    """The JSON a modal of ours carries in ``private_metadata``, read back by its own model."""

    @classmethod
    def read(cls, private_metadata: str) -> Self:
        """The metadata a modal of ours carries; a ValueError for anything winsbot did not write."""
        try:
            data = json.loads(private_metadata)
        except (ValueError, RecursionError):
            raise ValueError("private_metadata is not the JSON winsbot wrote") from None
        return cls.model_validate(data)


class Origin(ModalMetadata):
    """What ``story_metadata`` put in the modal: the win, and the button's channel and thread."""

    win: RecordId
    channel: SlackId | None = None
    thread: Timestamp | None = None


class _View(_Payload):
    id: SlackId
    type: Literal["modal"]  # bolt reads it unchecked (is this a workflow step's view?)
    callback_id: Literal["winsbot_story"]
    private_metadata: Annotated[str, StringConstraints(max_length=MAX_METADATA_CHARS)]
    state: _State

    @model_validator(mode="after")
    def _names_its_win(self) -> _View:
        self.origin  # noqa: B018  # checked here, so a listener never meets a bad one
        return self

    @property
    def origin(self) -> Origin:
        return Origin.read(self.private_metadata)


class StorySubmission(_Payload):
    """The form sent (``view_submission`` of our modal): who, which win, the three answers."""

    type: Literal["view_submission"]
    team: _Ref | None = None
    user: _Clicker
    view: _View

    @property
    def parts(self) -> StoryParts:
        def answer(field: str) -> str | None:
            entry = self.view.state.values.get(block_id(field), {}).get(field)
            return entry.value if entry is not None else None

        return StoryParts.of(*(answer(field) for field in FIELDS))


def triage_story(body: dict[str, Any]) -> Triage | None:
    """RUN for our button's click or our modal's submission, checked; None for anything else.

    Raises PayloadError when a body names our button or modal and does not fit.
    """
    kind = body.get("type")
    if kind == "block_actions":
        actions = body.get("actions")
        first = actions[0] if isinstance(actions, list) and actions else None
        if not isinstance(first, dict) or first.get("action_id") != ADD_STORY_ACTION:
            return None
        decode(StoryClick, body, "the add-story click")
        decode(BoltReadable, body, "the add-story click")
        return RUN
    if kind == "view_submission":
        view = body.get("view")
        if not isinstance(view, dict) or not isinstance(view.get("callback_id"), str):
            raise PayloadError("a view_submission without its view and callback_id")
        if view["callback_id"] != STORY_CALLBACK_ID:
            return Triage(ours=False, note="another app's view_submission")
        decode(StorySubmission, body, "the story form")
        decode(BoltReadable, body, "the story form")
        return RUN
    return None
