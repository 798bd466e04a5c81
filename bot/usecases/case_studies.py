"""Case studies from chat: a reply under a win or digest we posted is the story behind it.

Keyed on the reply's own message id, so a redelivered event updates rather than duplicates,
an edit rewrites the story and a deletion removes it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bot.domain.context import ChatContext, SharedFile, reply_body
from bot.domain.views import NoticeView
from bot.ports import ChatDirectory
from bot.store.case_studies import (
    delete_case_study,
    save_case_study,
    set_case_study_public,
    update_case_study_body,
)
from bot.store.subscriptions import find_posted
from bot.store.wins import WinFilter, list_wins
from bot.usecases.results import WinsService

MAX_CASE_STUDY_CHARS = 4000


@dataclass(frozen=True, slots=True)
class ReplyOutcome:
    """What a thread reply did: the notice to post once, and whether it is new."""

    notice: NoticeView
    created: bool
    case_study_id: int


class CaseStudies:
    """Thread replies, their edits and deletions, and sharing a private-channel story wider.

    ``on_change`` runs after every write, so cached answers (``wins cases``) show it at once.
    """

    def __init__(
        self, service: WinsService, directory: ChatDirectory, *, on_change: Callable[[], None]
    ) -> None:
        self.service = service
        self.directory = directory
        self.on_change = on_change

    async def thread_reply(
        self,
        context: ChatContext,
        *,
        thread_id: str,
        reply_id: str,
        text: str,
        files: tuple[SharedFile, ...] = (),
    ) -> ReplyOutcome | None:
        """Store a reply under a win or digest we posted as a case study; None if not ours.

        Every human reply counts, with its files: a caption under a screenshot, a reply also
        sent to the channel. The author is stored by name as well as id, so readers see who.
        """
        self.on_change()
        body = reply_body(text, files)
        if not body:
            return None
        async with self.service.db.engine.connect() as conn:
            parent = await find_posted(
                conn, chat=context.chat, channel_id=context.channel_id, message_id=thread_id
            )
        if parent is None:
            return None  # most thread replies are not under our posts: no name lookup for them
        # Asked outside the transaction: a users.info call must not hold a database writer.
        name = await self.directory.display_name(context)
        async with self.service.db.engine.begin() as conn:
            case_id, created = await save_case_study(
                conn,
                body=body[:MAX_CASE_STUDY_CHARS],
                now=self.service.clock.now(),
                author=context.user_id,
                author_name=name,
                win_id=parent.win_id,
                source=context.chat.value,
                source_ref=context.reply_ref(reply_id),
                private_to=context.channel_id if context.channel_is_private else None,
            )
            reason = None
            if parent.win_id is not None:
                found = await list_wins(conn, WinFilter(win_id=parent.win_id, limit=1))
                reason = found[0].reason if found else None
        about = f"this win ({reason})" if reason else "this digest"
        note = f"Saved as a case study for {about}. Edit your reply to update it."
        if context.channel_is_private:
            note += " It stays in this private channel until you share it."
        return ReplyOutcome(NoticeView(text=note), created, case_id)

    async def reply_edited(
        self,
        context: ChatContext,
        *,
        reply_id: str,
        text: str,
        files: tuple[SharedFile, ...] = (),
    ) -> bool:
        """Update the case study an edited reply holds; False when the reply is not one."""
        self.on_change()
        body = reply_body(text, files)
        ref = context.reply_ref(reply_id)
        async with self.service.db.engine.begin() as conn:
            if not body:
                return await delete_case_study(conn, ref)
            return await update_case_study_body(
                conn, ref, body=body[:MAX_CASE_STUDY_CHARS], now=self.service.clock.now()
            )

    async def reply_deleted(self, context: ChatContext, *, reply_id: str) -> bool:
        self.on_change()
        async with self.service.db.engine.begin() as conn:
            return await delete_case_study(conn, context.reply_ref(reply_id))

    async def share(self, context: ChatContext, case_id: int) -> NoticeView:
        """Make a private-channel case study visible everywhere; only its author may."""
        self.on_change()
        async with self.service.db.engine.begin() as conn:
            changed = await set_case_study_public(conn, case_id, author=context.user_id)
        if not changed:
            return NoticeView(text="Only the author of this case study can share it.", ok=False)
        return NoticeView(text="Shared: this case study now appears in digests and `wins cases`.")
