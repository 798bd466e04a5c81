"""What winsbot reads from Slack, as typed models: every request is decoded here, at the edge.

Slack signs what it sends, but a signature says who sent a body, not that the body has the
shape the listeners (and slack_bolt, which indexes into bodies unchecked) expect: an id that
does not fit a database integer, a thread reply without its ``ts``, ``null`` for an object. A
body that does not fit these models is refused with a reason (400) before anything runs.

A signed, well-formed body falls in one of three groups (``triage``):
- ours: a /wins command, a click on one of our buttons, a ``message`` event, a reaction on a
  message (``reaction_added`` / ``reaction_removed``: buy-in when the message is ours); bolt
  runs them;
- answered here: ``url_verification`` and ``ssl_check`` (Slack checking the endpoint);
- ignored: every other event, interaction or command, answered 200 at once (Slack counts
  anything but a 2xx as a failed delivery and disables the subscription after enough of them).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, Final, Literal, TypeVar

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    model_validator,
)

from adapters.chat.slack.blocks import SHARE_CASE_ACTION, SHARE_WIN_ACTION
from adapters.chat.storable import StorableText
from bot.domain.context import SharedFile

OUR_ACTIONS: Final = frozenset({SHARE_WIN_ACTION, SHARE_CASE_ACTION})
MAX_ID_CHARS: Final = 64  # Slack ids are about 11 characters; stored keys must fit their columns
MAX_RECORD_ID: Final = 2**63 - 1  # a database BIGINT

# Slack ids are letters and digits ("C012AB3CD", "W0ALEX", "E0GRID"); stored keys must fit.
SlackId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]+$", max_length=MAX_ID_CHARS)]
# A message's ts: seconds, a dot, a sequence number ("1700000000.000100").
Timestamp = Annotated[str, StringConstraints(pattern=r"^\d{1,15}\.\d{1,9}$")]
ResponseUrl = Annotated[str, StringConstraints(pattern=r"^https?://[!-~]+$", max_length=2048)]


class PayloadError(ValueError):
    """A signed body that is not what Slack sends; the message says what was wrong."""


def _record_id(value: object) -> int:
    """A button's value naming one of our rows: a decimal id that fits a BIGINT."""
    if not isinstance(value, str) or not value.isascii() or not value.isdecimal():
        raise ValueError("must be a decimal id")
    number = int(value) if len(value) <= 19 else MAX_RECORD_ID + 1
    if not 0 < number <= MAX_RECORD_ID:
        raise ValueError("is out of range")
    return number


RecordId = Annotated[int, BeforeValidator(_record_id)]


Text = StorableText
M = TypeVar("M", bound=BaseModel)


class _Payload(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")


# ------------------------------------------------------------------ what slack_bolt reads


class _Owner(_Payload):
    id: str | None = None
    team_id: str | None = None
    enterprise_id: str | None = None


class _ResponseUrlEntry(_Payload):
    response_url: str | None = None


class _BoltView(_Payload):
    app_installed_team_id: str | None = None
    team_id: str | None = None


class BoltReadable(_Payload):
    """The fields slack_bolt reads while it builds a request's context, typed as Slack sends them.

    Bolt indexes into these without checking (``"id" in team``, ``body.get("event", {})``), so
    a team that is a number or an event that is ``null`` fails inside it, as a 500. Nested
    objects bolt walks (the event, a changed message, a reaction's item, authorizations) are
    checked the same way.
    """

    enterprise: str | _Owner | None = None
    enterprise_id: str | None = None
    is_enterprise_install: bool | str | None = None
    authorizations: list[BoltReadable] | None = None
    team: str | _Owner | None = None
    team_id: str | None = None
    user: str | _Owner | None = None
    user_id: str | None = None
    channel: str | _Owner | None = None
    channel_id: str | None = None
    thread_ts: str | None = None
    bot_id: str | None = None
    type: str | None = None
    subtype: str | None = None
    event: BoltReadable | None = None
    message: BoltReadable | None = None
    previous_message: BoltReadable | None = None
    item: BoltReadable | None = None
    assistant_thread: BoltReadable | None = None
    view: _BoltView | None = None
    function_execution_id: str | None = None
    bot_access_token: str | None = None
    function_data: dict[str, Any] | None = None
    response_url: str | None = None
    response_urls: list[_ResponseUrlEntry] | None = None

    @model_validator(mode="before")
    @classmethod
    def _absent_rather_than_null(cls, data: Any) -> Any:
        # Bolt reads these as ``body.get("event", {}).get(...)`` and ``len(response_urls)``.
        if isinstance(data, dict):
            for key in ("event", "response_urls"):
                if key in data and data[key] is None:
                    raise ValueError(f"{key} is null")
        return data


# ---------------------------------------------------------------------- what we act on


class SlashCommand(_Payload):
    """A /wins command, as Slack posts it (form fields)."""

    command: str
    team_id: SlackId | None = None
    channel_id: SlackId
    user_id: SlackId
    channel_name: str | None = None
    text: Text = ""
    response_url: ResponseUrl

    @property
    def channel_is_private(self) -> bool:
        return self.channel_name == "privategroup"


class _Click(_Payload):
    action_id: str
    value: RecordId


class _Container(_Payload):
    channel_id: SlackId | None = None


class _Ref(_Payload):
    id: SlackId | None = None


class _Clicker(_Payload):
    id: SlackId


class ShareClick(_Payload):
    """A click on one of our share buttons (a ``block_actions`` interaction)."""

    type: Literal["block_actions"]
    team: _Ref | None = None
    user: _Clicker
    channel: _Ref | None = None
    container: _Container | None = None
    actions: list[_Click] = Field(min_length=1)
    response_url: ResponseUrl

    @model_validator(mode="after")
    def _in_a_channel(self) -> ShareClick:
        if self.channel_id is None:
            raise ValueError("a share click names no channel")
        return self

    @property
    def channel_id(self) -> str | None:
        if self.channel is not None and self.channel.id:
            return self.channel.id
        return self.container.channel_id if self.container is not None else None

    @property
    def record_id(self) -> int:
        return self.actions[0].value


# What people write, as opposed to what Slack writes about a channel (joins, topics, pins):
# a plain message, one with files ("file_share", a screenshot and its caption) and a thread
# reply also sent to the channel ("thread_broadcast").
HUMAN_SUBTYPES: Final = frozenset({None, "file_share", "thread_broadcast"})
MAX_FILES: Final = 20


class SlackFile(_Payload):
    """A file shared with a message: its name and the link that opens it in Slack."""

    name: Text | None = None
    title: Text | None = None
    permalink: (
        Annotated[str, StringConstraints(pattern=r"^https://[!-~]+$", max_length=2048)] | None
    ) = None


class _InnerMessage(_Payload):
    user: SlackId | None = None
    bot_id: str | None = None
    subtype: str | None = None
    ts: Timestamp | None = None
    thread_ts: Timestamp | None = None
    text: Text | None = None
    files: list[SlackFile] | None = None

    @property
    def from_a_bot(self) -> bool:
        return bool(self.bot_id or self.subtype == "bot_message")

    @property
    def by_a_person(self) -> bool:
        return self.subtype in HUMAN_SUBTYPES and not self.from_a_bot

    @property
    def shared_files(self) -> tuple[SharedFile, ...]:
        return tuple(
            SharedFile(name=(f.title or f.name or "file")[:200], url=f.permalink)
            for f in (self.files or [])[:MAX_FILES]
            if f.permalink
        )


class MessageEvent(_InnerMessage):
    """A ``message`` event: a thread reply may be a case study; edits and deletions follow it."""

    type: Literal["message"]
    channel: SlackId
    channel_type: str | None = None
    message: _InnerMessage | None = None
    previous_message: _InnerMessage | None = None
    deleted_ts: Timestamp | None = None

    @model_validator(mode="after")
    def _has_what_its_kind_needs(self) -> MessageEvent:
        if self.subtype == "message_changed":
            if self.message is None:
                raise ValueError("a message_changed event without its message")
            if self.message.thread_ts and not self.message.ts:
                raise ValueError("an edited thread reply without its ts")
        elif self.subtype == "message_deleted":
            if not (self.deleted_ts or (self.previous_message and self.previous_message.ts)):
                raise ValueError("a message_deleted event without deleted_ts")
        elif self.by_a_person and self.thread_ts and not (self.ts and self.user):
            raise ValueError("a thread reply without its ts or user")
        return self

    @property
    def private(self) -> bool:
        return self.channel_type == "group"


# An emoji's name as Slack sends it ("tada", "+1", "thumbsup::skin-tone-2"): no spaces.
EmojiName = Annotated[str, StringConstraints(pattern=r"^[^\s\x00-\x1f]+$", max_length=100)]
REACTION_EVENTS: Final = frozenset({"reaction_added", "reaction_removed"})


class _ReactedItem(_Payload):
    type: str
    channel: SlackId | None = None
    ts: Timestamp | None = None


class ReactionEvent(_Payload):
    """``reaction_added`` / ``reaction_removed``: a buy-in signal when the item is our message."""

    type: Literal["reaction_added", "reaction_removed"]
    user: SlackId
    reaction: EmojiName
    item: _ReactedItem
    event_ts: Timestamp | None = None

    @model_validator(mode="after")
    def _names_its_message(self) -> ReactionEvent:
        if self.on_a_message and not (self.item.channel and self.item.ts):
            raise ValueError("a reaction on a message without its channel or ts")
        return self

    @property
    def on_a_message(self) -> bool:
        return self.item.type == "message"


class EventEnvelope(_Payload):
    """An ``event_callback``: the workspace it came from and the event inside."""

    type: Literal["event_callback"]
    team_id: SlackId | None = None


# ---------------------------------------------------------------------------- triage


@dataclass(frozen=True, slots=True)
class Triage:
    """What to do with a signed body: run it (``ours``), or answer ``status`` and ``body`` now."""

    ours: bool
    status: int = 200
    body: dict[str, Any] | None = None
    note: str = ""  # what was ignored, for the debug log
    warning: str = ""  # something an operator should hear about (logged once per request)


RUN: Final = Triage(ours=True)


def triage(body: dict[str, Any], command: str) -> Triage:
    """Decide what a signed body is; raises PayloadError when it fits nothing Slack sends."""
    kind = body.get("type")
    if "command" in body and kind is None:
        return _command(body, command)
    if body.get("ssl_check") == "1":
        return Triage(ours=False, note="ssl_check")
    if not isinstance(kind, str) or not kind:
        raise PayloadError("the body has no type, command or ssl_check")
    if kind == "url_verification":
        challenge = body.get("challenge")
        if not isinstance(challenge, str):
            raise PayloadError("url_verification without a challenge string")
        return Triage(ours=False, body={"challenge": challenge}, note="url_verification")
    if kind == "event_callback":
        return _event(body)
    if kind == "block_actions":
        return _action(body)
    if kind == "app_rate_limited":
        team, minute = body.get("team_id"), body.get("minute_rate_limited")
        warning = (
            f"Slack is rate-limiting event deliveries for workspace {str(team)[:MAX_ID_CHARS]} "
            f"(since minute {str(minute)[:20]}): more than 30,000 events an hour"
        )
        return Triage(ours=False, note=kind, warning=warning)
    return Triage(ours=False, note=kind)  # view_submission, shortcuts, block_suggestion, ...


def _command(body: dict[str, Any], command: str) -> Triage:
    if body.get("command") != command:
        name = str(body.get("command"))[:40]
        warning = f"a slash command winsbot does not answer: {name!r} (it answers {command})"
        return Triage(ours=False, note="another command", warning=warning)
    decode(SlashCommand, body, "the /wins command")
    decode(BoltReadable, body, "the /wins command")
    return RUN


def _event(body: dict[str, Any]) -> Triage:
    event = body.get("event")
    if not isinstance(event, dict) or not isinstance(event.get("type"), str):
        raise PayloadError("an event_callback without an event object and its type")
    decode(EventEnvelope, body, "the event envelope")
    if event["type"] in REACTION_EVENTS:
        reaction = decode(ReactionEvent, event, "the reaction event")
        if not reaction.on_a_message:
            return Triage(ours=False, note=f"a reaction on a {reaction.item.type[:20]}")
        decode(BoltReadable, body, "the reaction event")
        return RUN
    if event["type"] != "message":
        return Triage(ours=False, note=f"{event['type']} event")
    decode(MessageEvent, event, "the message event")
    decode(BoltReadable, body, "the message event")
    return RUN


def _action(body: dict[str, Any]) -> Triage:
    actions = body.get("actions")
    if not isinstance(actions, list) or not actions or not isinstance(actions[0], dict):
        raise PayloadError("block_actions without actions")
    if not isinstance(actions[0].get("action_id"), str):
        raise PayloadError("a block action without an action_id")
    if actions[0]["action_id"] not in OUR_ACTIONS:
        return Triage(ours=False, note="a block action that is not ours")
    decode(ShareClick, body, "the share click")
    decode(BoltReadable, body, "the share click")
    return RUN


def decode(model: type[M], data: object, what: str) -> M:
    """``model`` from ``data``, or PayloadError naming the first field that does not fit."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise PayloadError(f"{what}: {_first_error(exc)}") from None
    except RecursionError:
        raise PayloadError(f"{what}: nested too deeply") from None


def _first_error(exc: ValidationError) -> str:
    error = exc.errors(include_url=False, include_input=False)[0]
    message = error["msg"].removeprefix("Value error, ")
    where = ".".join(str(part) for part in error["loc"])
    return f"{where} {message}" if where else message
