"""The pilot form in Slack: `/wins pilot new` and `/wins pilot edit NAME` open this modal.

One input block per field of ``bot.domain.pilot_form`` (block id ``pilot_<field>``, action id
the field): name, goal metric (a select over the metrics), target (an integer number input),
start and end (date pickers), which posts count (a select of the tags our accounts carry,
plus optional hashtag, account and platform), and owners (a people picker, the opener chosen
by default). Which-posts inputs are all optional for Slack's client: the rule "at least one"
is the core's, and its reason lands under the tag. ``private_metadata`` carries the pilot's
id (none for a new one) and the channel the command was typed in, where the confirmation goes.

The submission is checked at the edge (``triage_pilot_edit``, before the other triages): a
body naming our modal that does not fit is refused 400 with the reason, like the story
form's; a form that fits but says something impossible (end before start, a duplicate name)
comes back as ``response_action: errors`` keyed by block id, so the modal stays open.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Final, Literal

from pydantic import Field, StringConstraints, model_validator

from adapters.chat.slack import richtext as rt
from adapters.chat.slack.block_parts import Message, message, plain
from adapters.chat.slack.payloads import (
    RUN,
    BoltReadable,
    SlackId,
    SlashCommand,
    Text,
    Triage,
    _Clicker,
    _Payload,
    _Ref,
    decode,
)
from adapters.chat.slack.story_payloads import MAX_METADATA_CHARS, ModalMetadata, TriggerId
from bot.domain.formatting import plural
from bot.domain.models import Platform
from bot.domain.owners import AAD_OBJECT_ID, SLACK_USER_ID
from bot.domain.pilot_form import (
    ACCOUNT,
    END,
    FIELDS,
    HASHTAG,
    METRIC,
    METRIC_LABELS,
    NAME,
    OWNERS,
    PLATFORM,
    START,
    TAG,
    TARGET,
    FormProblems,
    PilotForm,
    PilotFormView,
    PilotSaved,
    pilot_summary,
)

PILOT_EDIT_CALLBACK_ID: Final = "winsbot_pilot_edit"
MAX_OPTIONS: Final = 100  # Block Kit's limit on a static_select's options
MAX_KEPT: Final = 20  # a pilot has at most this many owners (bot.domain.pilot_form)
_DATE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"


def block_id(field: str) -> str:
    return f"pilot_{field}"


def pilot_metadata(campaign_id: int | None, channel: str | None, keep: tuple[str, ...] = ()) -> str:
    """The pilot being edited (absent: a new one), where to confirm, and the owners Slack's
    people picker cannot show (Teams users' object ids), kept on save: compact JSON."""
    origin = {"campaign": str(campaign_id) if campaign_id else None, "channel": channel,
              "keep": list(keep)}  # fmt: skip
    return json.dumps({k: v for k, v in origin.items() if v}, separators=(",", ":"))


def _option(label: str, value: str) -> dict[str, Any]:
    return {"text": plain(label, 75), "value": value}


def _input(field: str, label: str, element: dict[str, Any], **extra: Any) -> dict[str, Any]:
    element = {**element, "action_id": field}
    block = {"type": "input", "block_id": block_id(field), "label": plain(label, 2000)}
    return {**block, "element": element, **extra}


def _text(field: str, label: str, value: str, placeholder: str, **extra: Any) -> dict[str, Any]:
    element: dict[str, Any] = {"type": "plain_text_input", "max_length": 200,
                               "placeholder": plain(placeholder, 150)}  # fmt: skip
    if value:
        element["initial_value"] = value[:200]
    return _input(field, label, element, **extra)


def _select(
    field: str, label: str, options: list[dict[str, Any]], chosen: str, **extra: Any
) -> dict[str, Any]:
    element: dict[str, Any] = {"type": "static_select", "options": options[:MAX_OPTIONS]}
    initial = next((o for o in options[:MAX_OPTIONS] if o["value"] == chosen), None)
    if initial is not None:
        element["initial_option"] = initial
    return _input(field, label, element, **extra)


def pilot_modal(view: PilotFormView, *, channel: str | None) -> dict[str, Any]:
    """The modal, filled in from ``view.form`` (empty fields stay empty)."""
    form = view.form
    metrics = [_option(label.capitalize(), m.value) for m, label in METRIC_LABELS.items()]
    target: dict[str, Any] = {"type": "number_input", "is_decimal_allowed": False,
                              "min_value": "1"}  # fmt: skip
    if form.target:
        target["initial_value"] = form.target
    blocks = [
        _text(NAME, "Name", form.name, "e.g. Graduate hiring pilot"),
        _select(METRIC, "Goal metric", metrics, form.metric),
        _input(TARGET, "Target", target),
        _input(START, "Start", _date(form.start)),
        _input(END, "End (the last day counted)", _date(form.end)),
    ]
    optional = {"optional": True}
    if view.known_tags:
        tags = [_option(f"#{tag}", tag) for tag in view.known_tags]
        blocks.append(_select(TAG, "Posts of accounts tagged", tags, form.tag, **optional))
    else:
        blocks.append(_text(TAG, "Posts of accounts tagged", form.tag, "recruiting", **optional))
    blocks.append(_text(HASHTAG, "Posts with the hashtag", form.hashtag, "#GradPilot", **optional))
    blocks.append(_text(ACCOUNT, "Posts of the account", form.account, "@acme-careers", **optional))
    platforms = [_option(p.label, p.value) for p in Platform]
    blocks.append(_select(PLATFORM, "Posts on", platforms, form.platform, **optional))
    people: dict[str, Any] = {"type": "multi_users_select", "max_selected_items": 20}
    slack_owners = [o for o in form.owners if SLACK_USER_ID.match(o)]
    if slack_owners:
        people["initial_users"] = slack_owners
    elsewhere = tuple(o for o in form.owners if not SLACK_USER_ID.match(o))[:MAX_KEPT]
    about = "Asked for learnings when it ends; they may change it too."
    if elsewhere:
        about += f" {len(elsewhere)} more in Microsoft Teams stay owners."
    blocks.append(_input(OWNERS, "Owners", people, optional=True, hint=plain(about, 2000)))
    note = "Which posts count: give a tag, hashtag, account or platform (all must match)."
    blocks.append({"type": "context", "elements": [plain(note, 2000)]})
    return {
        "type": "modal",
        "callback_id": PILOT_EDIT_CALLBACK_ID,
        "private_metadata": pilot_metadata(view.campaign_id, channel, elsewhere),
        "title": plain("Edit the pilot" if view.campaign_id else "New pilot", 24),
        "submit": plain("Save", 24),
        "close": plain("Cancel", 24),
        "blocks": blocks,
    }


def _date(day: str) -> dict[str, Any]:
    return {"type": "datepicker", **({"initial_date": day} if day else {})}


def field_errors(problems: FormProblems) -> dict[str, Any]:
    """The ack that keeps the modal open with each reason under its input."""
    errors = {block_id(f if f in FIELDS else NAME): text[:2000] for f, text in problems.items()}
    return {"response_action": "errors", "errors": errors}


def saved_message(saved: PilotSaved) -> Message:
    """The confirmation: the summary, with the owners as Slack shows people."""
    lead = "Changed the pilot " if saved.text.startswith("Changed") else "Set up the pilot "
    line = rt.sentence(lead + pilot_summary(saved.campaign, ()), 2500)
    if saved.owners:
        line.append(rt.text(f", {plural(len(saved.owners), 'owner')} "))
    for n, owner in enumerate(saved.owners):
        if n:
            line.append(rt.text(", "))
        line.append(rt.user(owner) if SLACK_USER_ID.match(owner) else rt.text(owner))
    line.append(rt.text("."))
    return message(saved.text, [rt.block([line])])


# ------------------------------------------------------------------ what Slack sends us


class PilotFormCommand(SlashCommand):
    """The /wins command that asked for the form: views.open needs its ``trigger_id``."""

    trigger_id: TriggerId


class _Selected(_Payload):
    value: Annotated[str, StringConstraints(max_length=200)]


class _Input(_Payload):
    value: Text | None = None  # plain_text_input, number_input
    selected_option: _Selected | None = None  # static_select
    selected_date: Annotated[str, StringConstraints(pattern=_DATE)] | None = None
    selected_users: list[SlackId] | None = Field(None, max_length=50)


class Origin(ModalMetadata):
    """What ``pilot_metadata`` wrote: the pilot (absent for a new one) and the channel."""

    campaign: Annotated[str, StringConstraints(pattern=r"^[1-9][0-9]{0,17}$")] | None = None
    channel: SlackId | None = None
    keep: list[Annotated[str, StringConstraints(pattern=AAD_OBJECT_ID.pattern)]] = Field(
        default_factory=list, max_length=MAX_KEPT
    )


class _View(_Payload):
    id: SlackId
    type: Literal["modal"]
    callback_id: Literal["winsbot_pilot_edit"]
    private_metadata: Annotated[str, StringConstraints(max_length=MAX_METADATA_CHARS)]
    state: dict[
        Literal["values"],
        dict[Annotated[str, StringConstraints(max_length=255)], dict[str, _Input]],
    ]

    @model_validator(mode="after")
    def _carries_our_metadata(self) -> _View:
        self.origin  # noqa: B018  # checked here, so a listener never meets a bad one
        return self

    @property
    def origin(self) -> Origin:
        return Origin.read(self.private_metadata)


class PilotEditSubmission(_Payload):
    """The pilot form sent: who, which pilot (or a new one), and the fields as text."""

    type: Literal["view_submission"]
    team: _Ref | None = None
    user: _Clicker
    view: _View

    def _input(self, field: str) -> _Input | None:
        return self.view.state["values"].get(block_id(field), {}).get(field)

    def _text(self, field: str) -> str:
        given = self._input(field)
        if given is None:
            return ""
        if given.selected_option is not None:
            return given.selected_option.value
        return given.selected_date or given.value or ""

    @property
    def campaign_id(self) -> int | None:
        campaign = self.view.origin.campaign
        return int(campaign) if campaign else None

    @property
    def form(self) -> PilotForm:
        people = self._input(OWNERS)
        owners = tuple(people.selected_users or ()) if people is not None else ()
        owners += tuple(self.view.origin.keep)  # Teams owners, which the picker cannot show
        text = {f: self._text(f) for f in FIELDS if f != OWNERS}
        return PilotForm(**text, owners=owners)


def triage_pilot_edit(body: dict[str, Any]) -> Triage | None:
    """RUN for our modal's submission, checked; None for anything else (the other triages).

    Raises PayloadError when a body names our modal and does not fit.
    """
    if body.get("type") != "view_submission":
        return None
    view = body.get("view")
    if not isinstance(view, dict) or view.get("callback_id") != PILOT_EDIT_CALLBACK_ID:
        return None
    decode(PilotEditSubmission, body, "the pilot form")
    decode(BoltReadable, body, "the pilot form")
    return RUN
