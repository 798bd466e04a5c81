"""Case studies from chat: the "Add the story" form, and replies under a win or digest we posted.

A reply is the story behind the win when its owners or the social team write it; anyone else's
reply (applause, a question) is feedback on the win. Deployments that name neither keep the
old rule: every reply is a story. Replies are keyed on their own message id, so a redelivered
event updates rather than duplicates, an edit rewrites whichever it became and a deletion
removes it. The form's story is keyed on the win and its author: sent twice, it is stored once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncConnection

from bot.domain.context import ChatContext, SharedFile, reply_body
from bot.domain.models import Win
from bot.domain.stories import StoryParts
from bot.domain.views import NoticeView
from bot.ports import ChatDirectory, OwnersLookup
from bot.store.campaigns import find_campaign
from bot.store.case_studies import (
    delete_case_study,
    save_case_study,
    set_case_study_public,
    story_answers,
    update_case_study_body,
)
from bot.store.feedback import delete_feedback, save_feedback, update_feedback_body
from bot.store.subscriptions import find_posted
from bot.store.wins import WinFilter, list_wins
from bot.usecases.results import WinsService
from bot.usecases.story_owners import is_owner

MAX_CASE_STUDY_CHARS = 4000
EMPTY_FORM = "Write at least one of: what we did, the result, what we learned."
MAX_STORY_CHARS = 12_000  # three answers of up to 3,000 characters and their labels


@dataclass(frozen=True, slots=True)
class ReplyOutcome:
    """What a thread reply did: the notice to post once, and whether it is new.

    ``feedback``: the reply was kept as feedback on the win (its ``case_study_id`` is then the
    feedback's id); adapters stay quiet about it rather than answer every "Great work!".
    """

    notice: NoticeView
    created: bool
    case_study_id: int
    feedback: bool = False


class CaseStudies:
    """The story form, thread replies (stories or feedback), their edits and deletions, and
    sharing a private-channel story wider.

    ``on_change`` runs after every write, so cached answers (``wins cases``) show it at once.
    """

    def __init__(
        self,
        service: WinsService,
        directory: ChatDirectory,
        *,
        on_change: Callable[[], None],
        owners: OwnersLookup,
    ) -> None:
        self.service = service
        self.directory = directory
        self.on_change = on_change
        self.owners = owners

    async def thread_reply(
        self,
        context: ChatContext,
        *,
        thread_id: str,
        reply_id: str,
        text: str,
        files: tuple[SharedFile, ...] = (),
    ) -> ReplyOutcome | None:
        """Store a reply under a win or digest we posted; None if not ours.

        A case study when it tells the story (``tells_the_story``), feedback otherwise. Every
        human reply counts, with its files: a caption under a screenshot, a reply also sent to
        the channel. The author is stored by name as well as id, so readers see who.
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
        pilot = parent.campaign_id
        story = await self.tells_the_story(context.user_id, parent.win_id, pilot)
        # Asked outside the transaction: a users.info call must not hold a database writer.
        name = await self.directory.display_name(context)
        if not story:
            return await self._feedback(context, body, name, parent.win_id, reply_id, pilot)
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
                campaign_id=pilot,
            )
            about = await self._about(conn, parent.win_id, pilot)
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
        if not body:
            return await self.reply_deleted(context, reply_id=reply_id)
        body, now = body[:MAX_CASE_STUDY_CHARS], self.service.clock.now()
        async with self.service.db.engine.begin() as conn:
            # Whichever the reply became when it was written: an edit does not move it.
            if await update_case_study_body(conn, ref, body=body, now=now):
                return True
            return await update_feedback_body(conn, ref, body=body, now=now)

    async def reply_deleted(self, context: ChatContext, *, reply_id: str) -> bool:
        self.on_change()
        ref = context.reply_ref(reply_id)
        async with self.service.db.engine.begin() as conn:
            story = await delete_case_study(conn, ref)
            feedback = await delete_feedback(conn, ref)
        return story or feedback

    @staticmethod
    async def _about(conn: AsyncConnection, win_id: int | None, pilot: int | None) -> str:
        """What a story told under a posted message is for: its pilot, its win, or a digest."""
        found_pilot = await find_campaign(conn, campaign_id=pilot) if pilot is not None else None
        if found_pilot is not None:
            return f"the pilot “{found_pilot.name}”"
        if win_id is not None:
            found = await list_wins(conn, WinFilter(win_id=win_id, limit=1))
            if found and found[0].reason:
                return f"this win ({found[0].reason})"
        return "this digest"

    async def tells_the_story(
        self, user_id: str, win_id: int | None, campaign_id: int | None = None
    ) -> bool:
        """Whether this person's reply under the win (None: a digest) is its story.

        The social team's always is, a win's owners' under their win, and a pilot's owners'
        under its report (``campaign_id``). When neither the
        social team nor any owner is configured, everyone's is: what winsbot did before owners
        existed, so a deployment does not start filing stories as feedback silently.
        """
        team = self.service.settings.social_team_ids
        if user_id in team:
            return True
        owners = await self.owners.owners_of(win_id) if win_id is not None else frozenset()
        if campaign_id is not None:
            owners |= await self.owners.owners_of_pilot(campaign_id)
        if is_owner(user_id, owners):
            return True
        if team or owners:
            return False
        return not await self.owners.any_owners()

    async def _feedback(
        self,
        context: ChatContext,
        body: str,
        name: str | None,
        win_id: int | None,
        reply_id: str,
        campaign_id: int | None = None,
    ) -> ReplyOutcome:
        async with self.service.db.engine.begin() as conn:
            feedback_id, created = await save_feedback(
                conn,
                body=body[:MAX_CASE_STUDY_CHARS],
                now=self.service.clock.now(),
                source=context.chat.value,
                source_ref=context.reply_ref(reply_id),
                author=context.user_id,
                author_name=name,
                win_id=win_id,
                private_to=context.channel_id if context.channel_is_private else None,
                campaign_id=campaign_id,
            )
        return ReplyOutcome(NoticeView(text="Kept as feedback."), created, feedback_id, True)

    async def story_draft(
        self, context: ChatContext, win_id: int
    ) -> tuple[Win | None, StoryParts | None]:
        """The win the form is about (None: gone) and this person's answers so far, to show."""
        async with self.service.db.engine.connect() as conn:
            found = await list_wins(conn, WinFilter(win_id=win_id, limit=1))
            answers = await story_answers(conn, story_ref(context, win_id))
        return (found[0] if found else None), answers

    async def add_story(self, context: ChatContext, win_id: int, parts: StoryParts) -> NoticeView:
        """Store what the form was given as the story of the win; the notice confirms it.

        One story per person and win: the form sent again (a retry, a second click, a change
        of mind) replaces that person's answers rather than adding a story. A story written in
        the form is meant to be read, so it is not limited to the channel the form came from.
        """
        if parts.empty:
            return NoticeView(text=EMPTY_FORM, ok=False)
        self.on_change()
        name = await self.directory.display_name(context)
        async with self.service.db.engine.begin() as conn:
            found = await list_wins(conn, WinFilter(win_id=win_id, limit=1))
            if not found:
                return NoticeView(text="That win is no longer there.", ok=False)
            _, created = await save_case_study(
                conn,
                body=parts.body()[:MAX_STORY_CHARS],
                now=self.service.clock.now(),
                author=context.user_id,
                author_name=name,
                win_id=win_id,
                source=context.chat.value,
                source_ref=story_ref(context, win_id),
                parts=parts,
            )
        answered = ", ".join(label.lower() for label, _ in parts.labelled())
        verb = "Saved" if created else "Updated"
        return NoticeView(
            text=f"{verb} the story of this win ({found[0].reason}): {answered}. It appears in "
            "digests and `wins cases`; open the form again to change it."
        )

    async def share(self, context: ChatContext, case_id: int) -> NoticeView:
        """Make a private-channel case study visible everywhere; only its author may."""
        self.on_change()
        async with self.service.db.engine.begin() as conn:
            changed = await set_case_study_public(conn, case_id, author=context.user_id)
        if not changed:
            return NoticeView(text="Only the author of this case study can share it.", ok=False)
        return NoticeView(text="Shared: this case study now appears in digests and `wins cases`.")


def story_ref(context: ChatContext, win_id: int) -> str:
    """The key of one person's form story about one win: a second submission finds it."""
    return f"{context.chat.value}:{context.workspace_id or '-'}:story:{win_id}:{context.user_id}"
