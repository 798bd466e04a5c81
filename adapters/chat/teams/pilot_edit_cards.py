"""The pilot form in Teams: `@winsbot pilot new` / `pilot edit NAME` answer with this card.

Teams has no modal a message can open without a task module, so the form is the card: one
input per field of ``bot.domain.pilot_form`` (Input.Text, Input.ChoiceSet, Input.Number,
Input.Date) and an Action.Submit whose ``data`` names the action and the pilot being edited.
Owners: "I own this pilot" (the submitter's Azure AD object id, on by default) plus a text box
of other people's object ids; a Graph people picker needs a Teams app manifest with an SSO
setup winsbot does not ask for, so this static form works in every tenant.

The submission is checked at the edge (``PilotFormAction``, called from ``payloads``): a value
naming our action that does not fit is refused 400 with the reason. A form the core refuses
comes back as the same card, filled in as sent, with each reason at the top; a saved one as a
confirmation card with the pilot's summary.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, Final, Literal

from pydantic import BaseModel, ConfigDict, StrictInt, StringConstraints, field_validator

from adapters.chat.storable import StorableText
from adapters.chat.teams.card_fit import Card, Element, make_card
from adapters.chat.teams.runs import heading, line, rich, sentence
from bot.domain.context import ChatContext
from bot.domain.models import Platform
from bot.domain.owners import normalise_owner
from bot.domain.pilot_form import (
    ACCOUNT,
    END,
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
    split_owners,
)
from bot.usecases.pilot_editing import PilotEditing

PILOT_FORM: Final = "pilot_form"  # the form's Action.Submit names this
ME: Final = "me"  # the "I own this pilot" toggle's id
_LABELS: Final = {
    NAME: "Name", METRIC: "Goal metric", TARGET: "Target", START: "Start", END: "End",
    TAG: "Tag", HASHTAG: "Hashtag", ACCOUNT: "Account", PLATFORM: "Platform", OWNERS: "Owners",
}  # fmt: skip
Short = Annotated[StorableText, StringConstraints(max_length=200)]


class PilotFormAction(BaseModel):
    """What the form's Action.Submit sends as ``value``: its data and the inputs, as text.

    Teams sends every input's value as a string (a number "1000", a toggle "true"); an
    untouched optional input may be missing. A number is accepted too, as Emulator sends it.
    """

    model_config = ConfigDict(frozen=True, extra="ignore")

    winsbot: Literal["pilot_form"]
    campaign_id: (
        StrictInt | Annotated[str, StringConstraints(pattern=r"^[1-9][0-9]{0,17}$")] | None
    ) = None
    name: Short = ""
    metric: Short = ""
    target: Short | StrictInt = ""
    start: Short = ""
    end: Short = ""
    tag: Short = ""
    hashtag: Short = ""
    account: Short = ""
    platform: Short = ""
    me: Literal["true", "false", ""] | bool = "true"
    owners: Annotated[StorableText, StringConstraints(max_length=2000)] = ""

    @field_validator("campaign_id")
    @classmethod
    def _an_id(cls, value: int | str | None) -> int | str | None:
        if value is not None and not 0 < int(value) < 2**63:
            raise ValueError("must be an id between 1 and 2**63-1")
        return value

    @property
    def pilot_id(self) -> int | None:
        return None if self.campaign_id is None else int(self.campaign_id)

    def form(self, submitter: str) -> PilotForm:
        mine = self.me is True or self.me == "true"
        owners = ((submitter,) if mine else ()) + split_owners(self.owners)
        return PilotForm(
            name=self.name, metric=self.metric, target=str(self.target), start=self.start,
            end=self.end, tag=self.tag, hashtag=self.hashtag, account=self.account,
            platform=self.platform, owners=owners,
        )  # fmt: skip


def _choices(pairs: list[tuple[str, str]]) -> list[dict[str, str]]:
    return [{"title": title, "value": value} for title, value in pairs]


def _text(field: str, value: str, placeholder: str, **extra: Any) -> Element:
    return {"type": "Input.Text", "id": field, "label": _LABELS[field], "value": value,
            "placeholder": placeholder, "maxLength": 200, **extra}  # fmt: skip


def _choice(field: str, value: str, pairs: list[tuple[str, str]], **extra: Any) -> Element:
    return {"type": "Input.ChoiceSet", "id": field, "label": _LABELS[field], "style": "compact",
            "value": value, "choices": _choices(pairs), **extra}  # fmt: skip


def form_card(view: PilotFormView, submitter: str, problems: FormProblems | None = None) -> Card:
    """The form, filled in from ``view.form``; ``problems`` (field -> reason) shown on top."""
    form = view.form
    me = normalise_owner(submitter)
    others = ", ".join(o for o in form.owners if o != me)
    title = f"Edit the pilot: {form.name}" if view.campaign_id else "New pilot"
    body: list[Element] = [heading(title)]
    for field, reason in (problems or {}).items():
        said = f"{_LABELS.get(field, 'Form')}: {reason}"
        body.append(rich(sentence(said, 500, color="attention", weight="bolder")))
    required = {"isRequired": True}
    metrics = [(label.capitalize(), m.value) for m, label in METRIC_LABELS.items()]
    tags = [(f"#{t}", t) for t in view.known_tags]
    target: Element = {"type": "Input.Number", "id": TARGET, "label": _LABELS[TARGET],
                       "min": 1, "isRequired": True,
                       "errorMessage": "A whole number, 1 or more."}  # fmt: skip
    if form.target.isdecimal():
        target["value"] = int(form.target)
    body += [
        _text(NAME, form.name, "e.g. Graduate hiring pilot", errorMessage="Name it.", **required),
        _choice(METRIC, form.metric, metrics, errorMessage="Choose a metric.", **required),
        target,
        {"type": "Input.Date", "id": START, "label": _LABELS[START], "value": form.start,
         "isRequired": True, "errorMessage": "Pick the first day."},
        {"type": "Input.Date", "id": END, "label": "End (the last day counted)",
         "value": form.end, "isRequired": True, "errorMessage": "Pick the last day."},
        line("Which posts count: a tag, hashtag, account or platform (all must match).",
             isSubtle=True, spacing="medium"),
        _choice(TAG, form.tag, tags, placeholder="Any tag")
        if tags else _text(TAG, form.tag, "recruiting"),
        _text(HASHTAG, form.hashtag, "#GradPilot"),
        _text(ACCOUNT, form.account, "@acme-careers"),
        _choice(PLATFORM, form.platform, [(p.label, p.value) for p in Platform],
                placeholder="Any platform"),
        {"type": "Input.Toggle", "id": ME, "title": "I own this pilot", "value":
         "true" if me in form.owners or not view.campaign_id else "false",
         "valueOn": "true", "valueOff": "false"},
        {"type": "Input.Text", "id": OWNERS, "label": "Other owners", "value": others,
         "placeholder": "Azure AD object ids, separated by commas", "maxLength": 2000},
    ]  # fmt: skip
    data: dict[str, Any] = {"winsbot": PILOT_FORM}
    if view.campaign_id:
        data["campaign_id"] = view.campaign_id
    submit = {"type": "Action.Submit", "title": "Save the pilot", "data": data}
    return make_card(body, actions=[submit])


def saved_card(saved: PilotSaved) -> Card:
    return make_card([heading("Pilot saved"), rich(sentence(saved.text, 1500))])


async def submitted(
    editing: PilotEditing, context: ChatContext, value: Mapping[str, Any]
) -> tuple[Card, str]:
    """Save the form; the card to answer with (the form again, or the confirmation), and
    its one-line summary. ``value`` was checked at the edge (``payloads``)."""
    action = PilotFormAction.model_validate(value)
    form = action.form(context.user_id)
    outcome = await editing.submit(context, action.pilot_id, form)
    if isinstance(outcome, PilotSaved):
        return saved_card(outcome), outcome.text
    view = PilotFormView(
        text="", form=form, campaign_id=action.pilot_id, known_tags=tuple(await editing.tags())
    )
    return form_card(view, context.user_id, outcome), "The pilot form needs a change."
