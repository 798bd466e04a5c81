"""Creating and editing a pilot from chat (the pilot form) and from the CLI: one road for both.

Who may: creating a pilot sets what leadership will be told about, so it is for the people who
may manage the leadership digest (workspace admins, WINSBOT_ADMINS: ``Subscriptions.may_manage``)
and the social media team (WINSBOT_SOCIAL_TEAM), who run pilots. Editing is for those and for
the pilot's own owners, who know best what it is measuring. The CLI is an operator's, who may
do anything.

Editing an ended pilot is allowed (a typo in its name, a wrong target found in the report) and
never reposts anything: the pilot-end ledger keys its learnings asks and reports by (campaign
id, kind, target) and an edit keeps the id, so a report already posted is not posted again,
whatever the new end date. Moving the end into the future does not reopen it for a second
report either; a new owner of a recently ended pilot, or a new department channel, is a new
target, and is asked or reported to once, as it would have been at the end.
"""

from __future__ import annotations

import difflib
import logging
from collections.abc import Sequence

from bot.domain.commands import OpenPilotForm
from bot.domain.context import ChatContext
from bot.domain.models import Campaign
from bot.domain.owners import normalise_owner
from bot.domain.pilot_form import (
    NAME,
    FormProblems,
    PilotForm,
    PilotFormView,
    PilotSaved,
    ValidPilot,
    form_of,
    pilot_summary,
    validate_form,
)
from bot.domain.views import ChatView, ErrorView, NoticeView
from bot.ports import ChatDirectory
from bot.store.accounts import known_tags
from bot.store.campaigns import (
    CampaignExistsError,
    add_campaign,
    campaign_names,
    find_campaign,
    update_campaign,
)
from bot.store.owners import pilot_owner_ids, set_pilot_owners
from bot.usecases.results import WinsService

log = logging.getLogger("winsbot.pilots")

MAY_CREATE = (
    "Only workspace admins, the people in WINSBOT_ADMINS and the social media team "
    "(WINSBOT_SOCIAL_TEAM) can set up pilots. Ask one of them."
)
MAY_EDIT = (
    "Only the pilot's owners, workspace admins, WINSBOT_ADMINS and the social media team can "
    "change a pilot."
)
GONE = "That pilot is no longer there; `wins pilot new` sets up another."


class PilotGoneError(LookupError):
    """The pilot being edited was not found (renamed or removed since the form opened)."""


async def save_pilot(
    service: WinsService,
    campaign: Campaign,
    owners: Sequence[str] | None,
    *,
    by: str | None,
) -> int:
    """Add (no id) or update (an id) a pilot and, unless ``owners`` is None, set its own owners.

    One transaction: a duplicate name (CampaignExistsError) leaves nothing half-saved.
    Raises PilotGoneError when the pilot to update is gone.
    """
    now = service.clock.now()
    async with service.db.engine.begin() as conn:
        if campaign.id is None:
            campaign_id = await add_campaign(conn, campaign, now=now)
        elif await update_campaign(conn, campaign):
            campaign_id = campaign.id
        else:
            raise PilotGoneError(GONE)
        if owners is not None:
            users = tuple(dict.fromkeys(normalise_owner(u) for u in owners))
            await set_pilot_owners(conn, campaign_id, users, created_by=by, now=now)
    return campaign_id


class PilotEditing:
    """`pilot new` / `pilot edit NAME` and the form's submission, for Slack and Teams alike."""

    def __init__(self, service: WinsService, directory: ChatDirectory) -> None:
        self.service = service
        self.directory = directory

    async def may_create(self, context: ChatContext) -> bool:
        settings = self.service.settings
        user = normalise_owner(context.user_id)
        team = {normalise_owner(u) for u in settings.social_team_ids | settings.admin_ids}
        return user in team or await self.directory.is_admin(context)

    async def may_edit(self, context: ChatContext, campaign_id: int) -> bool:
        async with self.service.db.engine.connect() as conn:
            owners = await pilot_owner_ids(conn, campaign_id)
        return normalise_owner(context.user_id) in owners or await self.may_create(context)

    async def tags(self) -> list[str]:
        """The tags our accounts carry: what the form offers for "which posts count"."""
        async with self.service.db.engine.connect() as conn:
            return sorted(await known_tags(conn))

    async def open_form(self, command: OpenPilotForm, context: ChatContext) -> ChatView:
        """The form to draw (a PilotFormView), or why not."""
        async with self.service.db.engine.connect() as conn:
            tags = sorted(await known_tags(conn))
            found = await find_campaign(conn, name=command.name) if command.name else None
            names = await campaign_names(conn) if command.name and found is None else []
        if command.name is None:
            if not await self.may_create(context):
                return NoticeView(text=MAY_CREATE, ok=False)
            mine = PilotForm(owners=(normalise_owner(context.user_id),))
            return PilotFormView(text="Fill in the pilot form.", form=mine, known_tags=tuple(tags))
        if found is None or found.id is None:
            close = difflib.get_close_matches(command.name, names, n=1)
            return ErrorView(
                message=f"I don't know a pilot called “{command.name[:40]}”.",
                suggestion=f"did you mean `pilot edit {close[0]}`?" if close else None,
                hint="`wins pilot new` sets one up.",
            )
        if not await self.may_edit(context, found.id):
            return NoticeView(text=MAY_EDIT, ok=False)
        async with self.service.db.engine.connect() as conn:
            owners = await pilot_owner_ids(conn, found.id)
        return PilotFormView(
            text=f"Change the pilot {found.name} in its form.",
            form=form_of(found, owners),
            campaign_id=found.id,
            known_tags=tuple(tags),
        )

    async def submit(
        self, context: ChatContext, campaign_id: int | None, form: PilotForm
    ) -> PilotSaved | FormProblems:
        """Save the form; field -> problem when it cannot be (the chat keeps the form open)."""
        if campaign_id is None:
            allowed = await self.may_create(context)
        else:
            allowed = await self.may_edit(context, campaign_id)
        if not allowed:
            return {NAME: MAY_CREATE if campaign_id is None else MAY_EDIT}
        async with self.service.db.engine.connect() as conn:
            tags = await known_tags(conn)
        checked = validate_form(form, known_tags=tuple(tags))
        if not isinstance(checked, ValidPilot):
            return checked
        campaign = checked.campaign.model_copy(update={"id": campaign_id})
        try:
            saved_id = await save_pilot(self.service, campaign, checked.owners, by=context.user_id)
        except CampaignExistsError:
            return {NAME: f"A pilot called “{campaign.name[:60]}” already exists: pick another."}
        except PilotGoneError:
            return {NAME: GONE}
        log.info("pilot %s %s by %s", saved_id, "edited" if campaign_id else "created",
                 context.user_id)  # fmt: skip
        verb = "Changed" if campaign_id else "Set up"
        owners = list(checked.owners)
        return PilotSaved(
            text=f"{verb} the pilot {pilot_summary(campaign, owners)}.",
            campaign=campaign.model_copy(update={"id": saved_id}),
            owners=tuple(owners),
        )
