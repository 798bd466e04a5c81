"""What winsbot reads from a Bot Framework activity, as typed models: decoded at the edge.

botbuilder deserialises whatever arrives (``null`` for the conversation, a string for ``from``)
and the bot then reads ``conversation.id`` or ``from.id`` unchecked: bad input became an
AttributeError inside the turn, a traceback and a 201. Activities are checked here first and
refused (400) with a reason when they do not fit what Teams and the Emulator send.

Only the fields winsbot or botbuilder read are typed; everything else passes untouched. Ids
are bounded so the keys built from them fit their database columns.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Final, Literal, TypeVar

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StringConstraints,
    ValidationError,
    model_validator,
)

from adapters.chat.storable import StorableText
from adapters.chat.teams.cards import SHARE_CASE, SHARE_WIN
from adapters.chat.teams.peer_cards import SAVE_EXAMPLE
from adapters.chat.teams.pilot_cards import PILOT_LEARNINGS
from adapters.chat.teams.pilot_edit_cards import PILOT_FORM, PilotFormAction
from adapters.chat.teams.story_form import ADD_STORY

# Types of activity winsbot acts on; any other well-formed, authenticated one gets a 200.
ACTED_ON: Final = frozenset(
    {"message", "messageUpdate", "messageDelete", "conversationUpdate", "messageReaction"}
)
MAX_RECORD_ID: Final = 2**63 - 1  # a database BIGINT
THREAD_MARKER: Final = ";messageid="


# Bounds on ids: Teams' are far shorter (a tenant is a GUID, a channel "19:…@thread.tacv2",
# a message a 13-digit number), and a case study's key joins workspace, channel and message.
# All are printable ASCII without spaces: the connector's URLs are built from them.
_ID = r"^[!-~]+$"
TeamsId = Annotated[str, StringConstraints(pattern=_ID, max_length=128)]
WorkspaceId = Annotated[str, StringConstraints(pattern=_ID, max_length=100)]
MessageId = Annotated[str, StringConstraints(pattern=_ID, max_length=64)]
ConversationId = Annotated[str, StringConstraints(pattern=_ID, max_length=256)]
ShortText = Annotated[str, StringConstraints(pattern=_ID, max_length=64)]
ServiceUrl = Annotated[str, StringConstraints(pattern=r"^https?://[!-~]+$", max_length=2048)]


Text = StorableText


def _record_id(value: object) -> int:
    """A card action's id of one of our rows: an integer (or its digits) that fits a BIGINT."""
    if isinstance(value, bool):
        raise ValueError("must be an id")
    if isinstance(value, str) and value.isascii() and value.isdecimal() and len(value) <= 19:
        value = int(value)
    if not isinstance(value, int) or not 0 < value <= MAX_RECORD_ID:
        raise ValueError("must be an id between 1 and 2**63-1")
    return value


RecordId = Annotated[int, BeforeValidator(_record_id)]
M = TypeVar("M", bound=BaseModel)


class PayloadError(ValueError):
    """A body that is not a Bot Framework activity winsbot can read; says what was wrong."""


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore", populate_by_name=True)


class Account(_Model):
    """A ChannelAccount: the sender, the recipient (the bot), a member added or removed."""

    id: TeamsId
    name: str | None = None
    aad_object_id: TeamsId | None = Field(None, alias="aadObjectId")


class Conversation(_Model):
    id: ConversationId
    conversation_type: Annotated[str, StringConstraints(max_length=20)] | None = Field(
        None, alias="conversationType"
    )
    tenant_id: WorkspaceId | None = Field(None, alias="tenantID")  # botbuilder reads tenantID
    is_group: StrictBool | None = Field(None, alias="isGroup")

    @model_validator(mode="after")
    def _thread_fits(self) -> Conversation:
        channel, marker, root = self.id.partition(THREAD_MARKER)
        if marker and (len(channel) > 128 or not 0 < len(root.split(";")[0]) <= 64):
            raise ValueError("a channel thread id with an implausible channel or message id")
        return self


class _Ref(_Model):
    id: WorkspaceId | None = None


class _Channel(_Model):
    id: TeamsId | None = None
    name: str | None = None
    type: str | None = None
    membership_type: str | None = Field(None, alias="membershipType")


class _Notification(_Model):
    alert: StrictBool | None = None
    alert_in_meeting: StrictBool | None = Field(None, alias="alertInMeeting")


class _Settings(_Model):
    selected_channel: _Channel | None = Field(None, alias="selectedChannel")


class _OnBehalfOf(_Model):
    item_id: int | None = Field(None, alias="itemId")


class ChannelData(_Model):
    """Teams' channelData, as botbuilder deserialises it (TeamsChannelData) and winsbot reads."""

    team: _Ref | None = None
    channel: _Channel | None = None
    tenant: _Ref | None = None
    event_type: str | None = Field(None, alias="eventType")
    notification: _Notification | None = None
    meeting: dict[str, Any] | None = None
    settings: _Settings | None = None
    on_behalf_of: list[_OnBehalfOf] | None = Field(None, alias="onBehalfOf")


class Entity(_Model):
    type: str
    mentioned: Account | None = None
    text: str | None = None

    @model_validator(mode="after")
    def _a_mention_names_someone(self) -> Entity:
        # botbuilder reads a mention's mentioned.id, then its text (or the name), unchecked.
        if self.type.lower() == "mention":
            if self.mentioned is None:
                raise ValueError("a mention of no one")
            if self.text is None and self.mentioned.name is None:
                raise ValueError("a mention without its text")
        return self


class CardAction(_Model):
    """What our cards' Action.Submit buttons send back as ``value``.

    The story form (``add_story``) sends its three inputs too, each a string when Teams sends
    it (an untouched input may be missing or empty).
    """

    winsbot: str
    win_id: RecordId | None = None
    case_id: RecordId | None = None
    what_we_did: Text | None = None
    result: Text | None = None
    learned: Text | None = None
    note: Text | None = None  # the peer example form's (``save_peer_example``)
    # The pilot learnings form's (``pilot_learnings``): its pilot and the next step chosen.
    campaign_id: RecordId | None = None
    next_step: Literal["extend", "scale", "stop", ""] | None = None

    @model_validator(mode="after")
    def _names_its_row(self) -> CardAction:
        if self.winsbot == PILOT_FORM:  # the pilot form: checked in full by card_action
            return self
        if self.winsbot not in (SHARE_WIN, SHARE_CASE, ADD_STORY, SAVE_EXAMPLE, PILOT_LEARNINGS):
            raise ValueError(f"an unknown card action {self.winsbot[:40]!r}")
        if self.winsbot == PILOT_LEARNINGS:
            if self.campaign_id is None:
                raise ValueError("a pilot_learnings action without its campaign_id")
            return self
        if (self.case_id if self.winsbot == SHARE_CASE else self.win_id) is None:
            raise ValueError(f"a {self.winsbot} action without its id")
        return self

    @property
    def target(self) -> int:
        target = self.case_id if self.winsbot == SHARE_CASE else self.win_id
        if self.winsbot == PILOT_LEARNINGS:
            target = self.campaign_id
        assert target is not None  # checked above
        return target


class Reaction(_Model):
    """One of a messageReaction's ``reactionsAdded`` / ``reactionsRemoved`` ("like", "heart")."""

    type: Annotated[str, StringConstraints(pattern=r"^[^\s\x00-\x1f]+$", max_length=100)]


class ActivityPayload(_Model):
    """An activity: what every one must carry, and what winsbot reads from the ones it acts on."""

    type: ShortText
    id: MessageId | None = None
    service_url: ServiceUrl = Field(alias="serviceUrl")
    channel_id: ShortText = Field(alias="channelId")
    from_: Account = Field(alias="from")
    recipient: Account
    conversation: Conversation
    text: Text | None = None
    local_timezone: ShortText | None = Field(None, alias="localTimezone")
    locale: ShortText | None = None
    channel_data: ChannelData | None = Field(None, alias="channelData")
    entities: list[Entity] | None = None
    members_added: list[Account] | None = Field(None, alias="membersAdded")
    members_removed: list[Account] | None = Field(None, alias="membersRemoved")
    value: Any = None
    reactions_added: list[Reaction] | None = Field(None, alias="reactionsAdded", max_length=50)
    reactions_removed: list[Reaction] | None = Field(None, alias="reactionsRemoved", max_length=50)
    reply_to_id: MessageId | None = Field(None, alias="replyToId")

    @model_validator(mode="after")
    def _has_what_its_type_needs(self) -> ActivityPayload:
        if self.type == "messageReaction" and self.reply_to_id is None:
            raise ValueError("a messageReaction activity without its replyToId")
        if self.type in ("message", "messageUpdate", "messageDelete") and self.id is None:
            raise ValueError(f"a {self.type} activity without its id")
        teams_update = self.type == "conversationUpdate" and self.channel_id == "msteams"
        if teams_update and self.channel_data is None:  # botbuilder reads its team unchecked
            raise ValueError("a Teams conversationUpdate without channelData")
        if is_card_action(self.value):
            card_action(self.value)  # a click on one of our cards must name a row
        return self


def is_card_action(value: object) -> bool:
    return isinstance(value, dict) and "winsbot" in value


def card_action(value: object) -> CardAction:
    """A click on one of our cards, from an activity's ``value``; PayloadError if it is not."""
    if isinstance(value, dict) and value.get("winsbot") == PILOT_FORM:  # `pilot new/edit`
        decode(PilotFormAction, value, "the pilot form")
    return decode(CardAction, value, "the card action")


def parse_activity(raw: bytes) -> tuple[dict[str, Any], ActivityPayload]:
    """The JSON body and what was checked in it; PayloadError says what does not fit."""
    try:
        body = json.loads(raw)
    except (ValueError, RecursionError):  # RecursionError: nested deeper than the parser goes
        raise PayloadError("the body is not JSON (UTF-8, nested at most ~900 deep)") from None
    if not isinstance(body, dict):
        raise PayloadError("the body is not a JSON object (an activity)")
    return body, decode(ActivityPayload, body, "the activity")


def decode(model: type[M], data: object, what: str) -> M:
    """``model`` from ``data``, or PayloadError naming the first field that does not fit."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        error = exc.errors(include_url=False, include_input=False)[0]
        message = error["msg"].removeprefix("Value error, ")
        where = ".".join(str(part) for part in error["loc"])
        raise PayloadError(f"{what}: {where} {message}" if where else message) from None
    except RecursionError:
        raise PayloadError(f"{what}: nested too deeply") from None
