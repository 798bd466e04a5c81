"""Telling people about digests that need them: the admins, and whoever subscribed a channel.

Kept apart from ``delivery`` (the exactly-once machinery) because these are courtesies: a
failure to tell anyone is logged and never changes what the ledger records.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Mapping

from bot.domain.models import Chat, Subscription
from bot.domain.views import NoticeView
from bot.ports import ChatSender

log = logging.getLogger("winsbot.delivery")


def one_line(exc: BaseException) -> str:
    """An exception as one log line (SDK errors span several) that still says what failed."""
    return f"{type(exc).__name__}: {' '.join(str(exc).split())}"[:500]


async def tell_admins(
    senders: Mapping[Chat, ChatSender], admin_ids: Collection[str], text: str
) -> None:
    """The log always; Slack admins in WINSBOT_ADMINS by direct message (Teams: the log)."""
    log.warning("%s", text)
    sender = senders.get(Chat.SLACK)
    if sender is None:
        return
    for admin in sorted(admin_ids):
        if admin[:1] not in ("U", "W"):  # not a Slack user id
            continue
        try:
            await sender.post(admin, NoticeView(text=text, ok=False))
        except Exception as exc:
            log.warning("could not tell %s: %s: %s", admin, type(exc).__name__, exc)


async def tell_subscriber(
    senders: Mapping[Chat, ChatSender], subscription: Subscription, reason: str
) -> None:
    """Tell the person who subscribed, once; the log is the fallback when that fails too."""
    log.warning(
        "subscription %s (%s %s) is broken: %s", subscription.id, subscription.chat.value,
        subscription.channel_id, reason,
    )  # fmt: skip
    sender = senders.get(subscription.chat)
    if sender is None or not subscription.created_by or subscription.chat is not Chat.SLACK:
        return  # Teams needs a 1:1 conversation reference to reach a person; logged above
    notice = NoticeView(
        text=f"The {subscription.audience.name} digest could not be posted to "
        f"<#{subscription.channel_id}> ({reason}); it is paused. Invite winsbot back to "
        "the channel and subscribe again to resume it.",
        ok=False,
    )
    try:
        await sender.post(subscription.created_by, notice)
    except Exception:  # the channel is gone; the person may be too
        log.warning("could not tell %s about the broken subscription", subscription.created_by)
