"""People @mentioned in a Teams command, read as who they are rather than what they are called.

In ``@winsbot owner acme-careers @Dana Smith`` Teams sends ``<at>Dana Smith</at>`` in the text
and a mention entity whose ``mentioned.id`` is Dana's Bot Framework id (``29:…``). winsbot
knows Teams people by their Azure AD object id (owners, admins, leaders), and a display name
can be shared or changed, so each person mentioned is looked up in the conversation's roster
(``GET /v3/conversations/{id}/members/{member}``, via TeamsInfo) and their mention in the text
is replaced by that id before the core's grammar reads it. The bot's own mention is left for
``remove_recipient_mention``. A lookup that fails leaves the name, which the grammar refuses
with its usual hint, and logs one WARNING line.
"""

from __future__ import annotations

import logging
from typing import Any

from botbuilder.core import TurnContext
from botbuilder.core.teams import TeamsInfo
from msrest.exceptions import ClientRequestError, HttpOperationError

log = logging.getLogger("winsbot.teams")

MAX_LOOKUPS = 5  # a command names one or two people; more mentions are left as they are


async def mentions_as_ids(turn: TurnContext) -> None:
    """Replace each person's ``<at>…</at>`` in ``turn.activity.text`` with their AAD id."""
    activity = turn.activity
    if not activity.text:
        return
    recipient = activity.recipient.id if activity.recipient else None
    people = [m for m in _mentions(activity) if m[0] != recipient][:MAX_LOOKUPS]
    for member_id, tag in people:
        aad = await _aad_id(turn, member_id)
        if aad is not None and tag in activity.text:
            activity.text = activity.text.replace(tag, aad, 1)


def _mentions(activity: Any) -> list[tuple[str, str]]:
    """(mentioned id, the mention's text) of each mention entity that has both."""
    found = []
    for entity in activity.entities or []:
        if getattr(entity, "type", None) != "mention":
            continue
        data = getattr(entity, "additional_properties", None) or {}
        mentioned = data.get("mentioned") or getattr(entity, "mentioned", None)
        text = data.get("text") or getattr(entity, "text", None)
        member_id = mentioned.get("id") if isinstance(mentioned, dict) else None
        if member_id is None and mentioned is not None:
            member_id = getattr(mentioned, "id", None)
        if isinstance(member_id, str) and member_id and isinstance(text, str) and text:
            found.append((member_id, text))
    return found


async def _aad_id(turn: TurnContext, member_id: str) -> str | None:
    try:
        member = await TeamsInfo.get_member(turn, member_id)
    except (HttpOperationError, ClientRequestError, TypeError, ValueError) as exc:
        log.warning("could not tell who %s is from the Teams roster: %s", member_id[:60], exc)
        return None
    aad = getattr(member, "aad_object_id", None)
    return aad if isinstance(aad, str) and aad else None
