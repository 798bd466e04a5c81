"""The "Save as example" click and its note form's submission, as typed models checked at edge.

Same rules as the story form (``story_payloads``): a body that names our button or our modal
and does not fit is refused 400 with the reason; ``triage_peer`` runs before ``triage_story``,
which takes every other view_submission as another app's.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, StringConstraints, model_validator

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
from adapters.chat.slack.peer_blocks import SAVE_EXAMPLE_ACTION
from adapters.chat.slack.peer_form import NOTE_ACTION, NOTE_BLOCK, PEER_NOTE_CALLBACK_ID
from adapters.chat.slack.story_payloads import MAX_METADATA_CHARS, Origin, StoryClick


class _SaveButton(_Payload):
    action_id: Literal["winsbot_save_peer_example"]
    value: RecordId


class SaveExampleClick(StoryClick):
    """A click on "Save as example" under a peer win: the win, and where to answer."""

    actions: list[_SaveButton] = Field(min_length=1)  # type: ignore[assignment]


class _Input(_Payload):
    value: Text | None = None


class _State(_Payload):
    values: dict[Annotated[str, StringConstraints(max_length=255)], dict[str, _Input]]


class _NoteView(_Payload):
    id: SlackId
    type: Literal["modal"]
    callback_id: Literal["winsbot_peer_note"]
    private_metadata: Annotated[str, StringConstraints(max_length=MAX_METADATA_CHARS)]
    state: _State

    @model_validator(mode="after")
    def _names_its_win(self) -> _NoteView:
        self.origin  # noqa: B018  # checked here, so a listener never meets a bad one
        return self

    @property
    def origin(self) -> Origin:
        return Origin.read(self.private_metadata)


class NoteSubmission(_Payload):
    """The note form sent (``view_submission`` of our modal): who, which peer win, the note."""

    type: Literal["view_submission"]
    team: _Ref | None = None
    user: _Clicker
    view: _NoteView

    @property
    def note(self) -> str:
        entry = self.view.state.values.get(NOTE_BLOCK, {}).get(NOTE_ACTION)
        return entry.value or "" if entry is not None else ""


def triage_peer(body: dict[str, Any]) -> Triage | None:
    """RUN for our button's click or our note modal's submission, checked; None otherwise.

    Raises PayloadError when a body names our button or modal and does not fit.
    """
    kind = body.get("type")
    if kind == "block_actions":
        actions = body.get("actions")
        first = actions[0] if isinstance(actions, list) and actions else None
        if not isinstance(first, dict) or first.get("action_id") != SAVE_EXAMPLE_ACTION:
            return None
        decode(SaveExampleClick, body, "the save-example click")
        decode(BoltReadable, body, "the save-example click")
        return RUN
    if kind == "view_submission":
        view = body.get("view")
        if not isinstance(view, dict) or view.get("callback_id") != PEER_NOTE_CALLBACK_ID:
            return None  # the story form's, or another app's: triage_story decides
        decode(NoteSubmission, body, "the peer example form")
        decode(BoltReadable, body, "the peer example form")
        return RUN
    return None


__all__ = ["NoteSubmission", "PayloadError", "SaveExampleClick", "triage_peer"]
