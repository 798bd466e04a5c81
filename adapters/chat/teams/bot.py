"""The Teams bot: decodes activities, calls the shared chat core, answers with Adaptive Cards.

Everything Bot Framework stays in this package. The rules mirror Slack: a mention (or any
message in a 1:1 chat) is a command; an un-mentioned reply in the thread under a win or digest
the bot posted is a case study; edits and deletions of that reply follow it.
"""

from __future__ import annotations

import asyncio
import html
import json
import logging
import re
from datetime import datetime
from typing import Any

from botbuilder.core import MessageFactory, TurnContext
from botbuilder.core.teams import TeamsActivityHandler
from botbuilder.schema import Activity, ChannelAccount
from botbuilder.schema.teams import TeamInfo

from adapters.chat.teams.cards import (
    SHARE_CASE,
    attachment,
    plain_text,
    render,
    render_case_share,
    render_win,
)
from adapters.chat.teams.directory import current_timezone, current_user_name
from adapters.chat.teams.files import shared_files
from adapters.chat.teams.members import TeamsMembers
from adapters.chat.teams.mentions import mentions_as_ids
from adapters.chat.teams.payloads import PayloadError, card_action, is_card_action
from adapters.chat.teams.peer_cards import SAVE_EXAMPLE
from adapters.chat.teams.pilot_cards import PILOT_LEARNINGS
from adapters.chat.teams.pilot_edit_cards import PILOT_FORM, form_card, submitted
from adapters.chat.teams.sender import start_channel_thread, with_backoff
from adapters.chat.teams.story_form import ADD_STORY
from bot.domain.context import ChatContext
from bot.domain.models import Chat, Win
from bot.domain.pilot_form import PilotFormView
from bot.domain.stories import StoryParts
from bot.domain.views import ChatView
from bot.ports import ConversationReferences
from bot.usecases.chat import ChatCore
from bot.usecases.pilot_editing import PilotEditing
from bot.usecases.pilot_learnings import PilotLearnings

log = logging.getLogger("winsbot.teams")

REPLY_BUDGET_SECONDS = 5.0  # Teams gives a bot 10-15 s; answer well inside it
_COMMAND_WORDS = re.compile(r"^\s*(/?wins|help|\?)(\s|$)", re.IGNORECASE)
_TAGS = re.compile(r"<[^>]+>")


def split_conversation_id(conversation_id: str) -> tuple[str, str | None]:
    """'19:x@thread.tacv2;messageid=17' -> ('19:x@thread.tacv2', '17'): channel and thread root."""
    channel, _, rest = conversation_id.partition(";")
    match = re.search(r"messageid=([^;]+)", rest)
    return channel, match.group(1) if match else None


def clean_text(activity: Activity) -> str:
    """The command text: our mention removed, markup and entities from rich text undone."""
    if not activity.text:  # a card click, or a mention with no text: botbuilder needs a string
        return ""
    text = TurnContext.remove_recipient_mention(activity) or ""
    return " ".join(html.unescape(_TAGS.sub(" ", text)).split())


# Parts of a serialised ConversationReference that belong to one message, not the conversation:
# the message, its sender and the sender's client language.
_PER_MESSAGE_REFERENCE_KEYS = frozenset({"activityId", "user", "locale"})


class WinsTeamsBot(TeamsActivityHandler):  # type: ignore[misc]
    def __init__(
        self,
        chat: ChatCore,
        conversations: ConversationReferences,
        *,
        app_id: str | None,
        reply_budget: float = REPLY_BUDGET_SECONDS,
    ) -> None:
        super().__init__()
        self.chat = chat
        self.conversations = conversations
        self.app_id = app_id or None
        self.reply_budget = reply_budget
        self._background: set[asyncio.Task[None]] = set()
        self._references: dict[str, str] = {}

    # Decoding

    def _context(self, turn: TurnContext) -> ChatContext:
        activity = turn.activity
        channel_data = activity.channel_data or {}
        team = (channel_data.get("team") or {}).get("id")
        channel, _ = split_conversation_id(activity.conversation.id)
        membership = (channel_data.get("channel") or {}).get("membershipType")
        return ChatContext(
            chat=Chat.TEAMS,
            workspace_id=team or (channel_data.get("tenant") or {}).get("id"),
            channel_id=channel,
            user_id=(activity.from_property.aad_object_id or activity.from_property.id or ""),
            channel_is_private=membership in ("private", "shared"),
        )

    async def _remember(self, turn: TurnContext, *, force: bool = False) -> None:
        """Store the conversation reference when it is new or has changed.

        Writing it on every message made each command a database write; under load (50 people
        typing at once) SQLite writers queued past their timeout. References change rarely (a
        new service URL), so an unchanged one is not written again. A reference also names the
        message it was taken from, its sender and their client's language, which differ from
        message to message: they are left out of the comparison, or every message would still
        be a write (and was: bench_teams p99 at 50 clients).
        """
        activity = turn.activity
        reference = TurnContext.get_conversation_reference(activity)
        channel_data = activity.channel_data or {}
        channel, _ = split_conversation_id(activity.conversation.id)
        reference.conversation.id = channel  # a reference reaches the channel, not one thread
        serialized = reference.serialize()
        lasting = {k: v for k, v in serialized.items() if k not in _PER_MESSAGE_REFERENCE_KEYS}
        fingerprint = json.dumps(lasting, sort_keys=True)
        if not force and self._references.get(channel) == fingerprint:
            return
        try:
            await self.conversations.remember(
                channel,
                serialized,
                team_id=(channel_data.get("team") or {}).get("id"),
                tenant_id=(activity.conversation.tenant_id or None),
                kind=activity.conversation.conversation_type,
            )
        except Exception:
            # Answering matters more than refreshing a reference we may already hold.
            log.warning("could not store the conversation reference", exc_info=True)
            return
        self._references[channel] = fingerprint

    # Turns

    async def on_message_activity(self, turn: TurnContext) -> None:
        current_timezone.set(turn.activity.local_timezone or None)
        current_user_name.set(_sender_name(turn.activity))
        await self._remember(turn)
        activity = turn.activity
        if is_card_action(activity.value):
            await self._on_action(turn, activity.value)
            return
        context = self._context(turn)
        text = clean_text(activity)
        mentioned = _mentions_bot(activity)
        personal = activity.conversation.conversation_type == "personal"
        _, root = split_conversation_id(activity.conversation.id)
        is_command = personal or (mentioned and (_COMMAND_WORDS.match(text) or root is None))
        if is_command and len(activity.entities or []) > int(mentioned):
            await mentions_as_ids(turn)  # `owner acme @Dana`: Dana as her AAD id, not a name
            text = clean_text(activity)
        files = () if is_command else shared_files(activity)
        if not is_command and root is not None and (text or files):
            outcome = await self.chat.cases.thread_reply(
                context, thread_id=root, reply_id=activity.id, text=text, files=files
            )
            if outcome is not None:
                if outcome.created and not outcome.feedback:  # feedback is kept quietly
                    card = (
                        render_case_share(outcome.notice, outcome.case_study_id)
                        if context.channel_is_private
                        else render(outcome.notice)
                    )
                    await turn.send_activity(_card_message(card, outcome.notice))
                return
        if not is_command and not mentioned:
            return  # channel chatter the RSC permission lets us see: not for us
        await self._answer(turn, context, text)

    async def _answer(self, turn: TurnContext, context: ChatContext, text: str) -> None:
        answers = self.chat.answers
        answer = await answers.answer(text, context, within=self.reply_budget)
        if isinstance(answer, PilotFormView):  # `pilot new` / `pilot edit NAME`: the form card
            form = form_card(answer, context.user_id)
            await turn.send_activity(_card_message(form, None, fallback=answer.text))
            return
        if not isinstance(answer, asyncio.Future):
            await turn.send_activity(self._message(answer))
            return
        await turn.send_activity(MessageFactory.text("Working on it…"))
        reference = TurnContext.get_conversation_reference(turn.activity)
        adapter = turn.adapter

        async def finish() -> None:
            await asyncio.wait({answer})
            view = answers.outcome(answer)

            async def send(proactive: TurnContext) -> None:
                await proactive.send_activity(self._message(view))

            await adapter.continue_conversation(reference, send, self.app_id)

        task = asyncio.ensure_future(finish())
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    def _message(self, view: ChatView) -> Activity:
        return _card_message(render(view), view)

    async def _on_action(self, turn: TurnContext, value: object) -> None:
        context = self._context(turn)
        try:
            action = card_action(value)  # checked at the edge; decoded again for its types
        except PayloadError as exc:
            log.warning("Teams card action refused: %s", exc)
            return
        if action.winsbot == SHARE_CASE:
            notice = await self.chat.cases.share(context, action.target)
            await turn.send_activity(self._message(notice))
            return
        if action.winsbot == PILOT_FORM:  # the pilot form: saved, or shown again with reasons
            editing = PilotEditing(self.chat.cases.service, self.chat.cases.directory)
            card, summary = await submitted(editing, context, value)  # type: ignore[arg-type]
            await turn.send_activity(_card_message(card, None, fallback=summary))
            return
        if action.winsbot == PILOT_LEARNINGS:  # the pilot's end: learnings and next step
            pilots = PilotLearnings(self.chat.cases.service, self.chat.cases.directory)
            parts = StoryParts.of(action.what_we_did, action.result, action.learned)
            notice = await pilots.add_learnings(
                context, action.target, parts, action.next_step or None
            )
            await turn.send_activity(self._message(notice))
            return
        if action.winsbot == ADD_STORY:  # the ShowCard form: answered in the card's thread
            parts = StoryParts.of(action.what_we_did, action.result, action.learned)
            notice = await self.chat.cases.add_story(context, action.target, parts)
            await turn.send_activity(self._message(notice))
            return
        if action.winsbot == SAVE_EXAMPLE:  # the peer example's note form
            if self.chat.peers is not None:
                notice = await self.chat.peers.save_from_chat(
                    context, action.target, action.note or ""
                )
                await turn.send_activity(self._message(notice))
            return
        await self._share_win(turn, context, action.target)

    async def _share_win(self, turn: TurnContext, context: ChatContext, win_id: int) -> None:
        async def post(win: Win) -> str:
            card = render_win(win, shared_by=turn.activity.from_property.name or None)
            message = _card_message(card, None, fallback=f"Win: {win.reason}")
            if turn.activity.conversation.conversation_type != "channel":
                return str((await turn.send_activity(message)).id)
            # A new thread in the channel, so replies under it become its case studies.
            reference = TurnContext.get_conversation_reference(turn.activity)
            return await with_backoff(
                lambda: start_channel_thread(turn.adapter, self.app_id, reference, message)
            )

        notice = await self.chat.sharing.share_win(context, win_id, post)
        await turn.send_activity(self._message(notice))

    async def on_message_update_activity(self, turn: TurnContext) -> None:
        activity = turn.activity
        _, root = split_conversation_id(activity.conversation.id)
        if root is None or _mentions_bot(activity):
            return
        await self.chat.cases.reply_edited(
            self._context(turn),
            reply_id=activity.id,
            text=clean_text(activity),
            files=shared_files(activity),
        )

    async def on_reactions_added(self, message_reactions: list[Any], turn: TurnContext) -> None:
        await self._reactions(turn, message_reactions, added=True)

    async def on_reactions_removed(self, message_reactions: list[Any], turn: TurnContext) -> None:
        await self._reactions(turn, message_reactions, added=False)

    async def _reactions(self, turn: TurnContext, reactions: list[Any], *, added: bool) -> None:
        """Reactions on a message: buy-in signals when the message (``replyToId``) is ours."""
        signals, activity = self.chat.signals, turn.activity
        if signals is None or not activity.reply_to_id:
            return
        context = self._context(turn)
        at = activity.timestamp if isinstance(activity.timestamp, datetime) else None
        changed = False
        for reaction in reactions:
            if isinstance(reaction.type, str) and reaction.type:
                changed |= await signals.reaction(
                    context, message_id=activity.reply_to_id, reaction=reaction.type,
                    added=added, at=at, name=_sender_name(activity),
                )  # fmt: skip
        connector = turn.turn_state.get(turn.adapter.BOT_CONNECTOR_CLIENT_KEY)
        if changed and connector is not None:
            await signals.refresh_leaders(Chat.TEAMS, TeamsMembers(connector))

    async def on_message_delete_activity(self, turn: TurnContext) -> None:
        await self.chat.cases.reply_deleted(self._context(turn), reply_id=turn.activity.id)

    async def on_teams_members_added_dispatch(
        self, members_added: list[ChannelAccount], team_info: TeamInfo, turn: TurnContext
    ) -> None:
        """Only whether the bot itself was added matters. botbuilder's default first looks up
        every other new member on the Bot Connector, a call each, and one failing lookup failed
        the turn (a traceback for a member Teams no longer knows)."""
        await self.on_members_added_activity(members_added, turn)

    async def on_members_added_activity(
        self, members_added: list[ChannelAccount], turn: TurnContext
    ) -> None:
        if any(m.id == turn.activity.recipient.id for m in members_added):
            await self._remember(turn, force=True)
            log.info("installed in %s", turn.activity.conversation.conversation_type)

    async def on_members_removed_activity(
        self, members_removed: list[ChannelAccount], turn: TurnContext
    ) -> None:
        if not any(m.id == turn.activity.recipient.id for m in members_removed):
            return
        channel, _ = split_conversation_id(turn.activity.conversation.id)
        self._references.pop(channel, None)
        team = ((turn.activity.channel_data or {}).get("team") or {}).get("id")
        stopped = await self.conversations.forget_installation(
            team_id=team, conversation_id=channel
        )
        log.info("removed from a team or chat; %d subscription(s) stopped", stopped)


def _mentions_bot(activity: Activity) -> bool:
    recipient = activity.recipient.id if activity.recipient else None
    for entity in activity.entities or []:
        data = entity.additional_properties if hasattr(entity, "additional_properties") else {}
        mentioned = (data or {}).get("mentioned") or getattr(entity, "mentioned", None)
        if entity.type == "mention" and mentioned:
            mentioned_id = mentioned.get("id") if isinstance(mentioned, dict) else mentioned.id
            if mentioned_id == recipient:
                return True
    return False


def _card_message(card: dict[str, Any], view: ChatView | None, *, fallback: str = "") -> Activity:
    message = MessageFactory.attachment(attachment(card))
    message.summary = plain_text(view) if view is not None else fallback
    return message


def _sender_name(activity: Activity) -> str | None:
    """The sender's name as Teams shows it, for the byline of a story they tell."""
    sender = activity.from_property
    name = getattr(sender, "name", None) if sender is not None else None
    return name.strip()[:200] or None if isinstance(name, str) else None
