"""The slack-bolt app: thin listeners that decode, call the core, render Block Kit, send.

Listeners hold no business logic and no SQL. Commands are answered in the ack itself when the
core replies quickly (it usually takes a few milliseconds); otherwise the ack says "working on
it" and the answer follows through response_url, so Slack always gets its ack within 3 seconds.

Both ways in (``transport``: HTTP and Socket Mode) check a body against ``payloads`` before
bolt sees it, so bad input is refused with a reason there; listeners decode the same models.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

from pydantic import BaseModel
from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient

from adapters.chat.slack.blocks import (
    COMMAND,
    SHARE_CASE_ACTION,
    SHARE_WIN_ACTION,
    render,
    render_win,
)
from adapters.chat.slack.command_text import plain_command_text
from adapters.chat.slack.directory import SlackDirectory
from adapters.chat.slack.members import SlackMembers
from adapters.chat.slack.payloads import (
    MessageEvent,
    PayloadError,
    ReactionEvent,
    ShareClick,
    SlashCommand,
    decode,
)
from adapters.chat.slack.peer_listeners import PeerListeners
from adapters.chat.slack.pilot_edit_listeners import PilotEditListeners
from adapters.chat.slack.pilot_form import PilotListeners
from adapters.chat.slack.story_listeners import StoryListeners
from bot.domain.context import ChatContext
from bot.domain.models import Chat, Win
from bot.domain.pilot_form import PilotFormView
from bot.domain.views import ChatView
from bot.usecases.chat import ChatCore
from bot.usecases.pilot_editing import PilotEditing
from bot.usecases.pilot_learnings import PilotLearnings

log = logging.getLogger("winsbot.slack")
M = TypeVar("M", bound=BaseModel)

ACK_BUDGET_SECONDS = 2.0  # Slack wants the ack within 3 s; keep a margin for the network
CHECK_MARK = "white_check_mark"
RENDER_CACHE_SIZE = 256
ROSTER_WAIT_SECONDS = 1.0  # a leadership roster read longer than this finishes after the ack


@dataclass(frozen=True, slots=True)
class SlackConfig:
    bot_token: str
    signing_secret: str
    api_url: str = "https://slack.com/api/"


def build_client(config: SlackConfig) -> AsyncWebClient:
    """A Web API client that waits out 429s (Retry-After) and retries 5xx and dropped sockets."""
    return AsyncWebClient(
        token=config.bot_token,
        base_url=config.api_url,
        retry_handlers=[
            AsyncRateLimitErrorRetryHandler(max_retry_count=2),
            AsyncServerErrorRetryHandler(max_retry_count=2),
            AsyncConnectionErrorRetryHandler(max_retry_count=2),
        ],
    )


def build_slack_app(
    chat_factory: Callable[[SlackDirectory], ChatCore],
    config: SlackConfig,
    *,
    ack_budget: float = ACK_BUDGET_SECONDS,
) -> AsyncApp:
    client = build_client(config)
    directory = SlackDirectory(client)
    chat = chat_factory(directory)
    app = AsyncApp(
        client=client,
        signing_secret=config.signing_secret,
        # The listener finishes before the HTTP response, so the ack can carry the answer.
        process_before_response=True,
        raise_error_for_unhandled_request=False,
    )
    Listeners(chat, ack_budget=ack_budget, members=SlackMembers(client)).register(app)
    return app


def _message(view: ChatView) -> dict[str, Any]:
    return render(view)


class Listeners:
    def __init__(
        self,
        chat: ChatCore,
        *,
        ack_budget: float = ACK_BUDGET_SECONDS,
        members: SlackMembers | None = None,
    ) -> None:
        self.chat = chat
        self.members = members
        self.ack_budget = ack_budget
        # The core hands back the same view object while its answer is cached; rendering it
        # again cost about as much as the rest of the request (bench/bench_slack.py).
        self._rendered: OrderedDict[int, tuple[ChatView, dict[str, Any]]] = OrderedDict()
        self._background: set[asyncio.Task[None]] = set()
        editing = PilotEditing(chat.cases.service, chat.cases.directory)
        self.pilot_form = PilotEditListeners(editing, self._later)

    def register(self, app: AsyncApp) -> None:
        app.command(COMMAND)(self.on_command)
        app.action(SHARE_WIN_ACTION)(self.on_share_win)
        app.action(SHARE_CASE_ACTION)(self.on_share_case)
        app.event("message")(self.on_message)
        app.event("reaction_added")(self.on_reaction)
        app.event("reaction_removed")(self.on_reaction)
        StoryListeners(self.chat, self._later).register(app)  # "Add the story": modal, submit
        pilots = PilotLearnings(self.chat.cases.service, self.chat.cases.directory)
        PilotListeners(pilots, self._later).register(app)  # a pilot's end: learnings modal
        self.pilot_form.register(app)  # `pilot new` / `pilot edit NAME`: the pilot form modal
        if self.chat.peers is not None:  # "Save as example" on peer wins: note modal, submit
            PeerListeners(self.chat.peers, self._later).register(app)
        # Everything else is acknowledged, not left unhandled: bolt answers an unhandled
        # request 404, and over Socket Mode sends no ack at all, so Slack delivers it again.
        anything = re.compile(".*")
        app.command(anything)(_acknowledge)
        app.action(anything)(_acknowledge)
        app.event(anything)(_acknowledge)

    def _later(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.ensure_future(work)
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    async def on_command(
        self, ack: Callable[..., Awaitable[None]], command: dict[str, Any], respond: Any
    ) -> None:
        decoded = _decoded(SlashCommand, command, "the /wins command")
        if decoded is None:
            await ack()
            return
        context = ChatContext(
            chat=Chat.SLACK,
            workspace_id=decoded.team_id,
            channel_id=decoded.channel_id,
            user_id=decoded.user_id,
            channel_is_private=decoded.channel_is_private,
        )
        text = plain_command_text(decoded.text)
        answers = self.chat.answers
        answer = await answers.answer(text, context, within=self.ack_budget)
        if isinstance(answer, PilotFormView):  # `pilot new` / `pilot edit NAME`: a modal
            await self.pilot_form.open(ack, command, answer)
            return
        if not isinstance(answer, asyncio.Future):
            await ack(response_type="ephemeral", **self._render_once(answer))
            return
        await ack(response_type="ephemeral", text="Working on it…")

        async def finish() -> None:
            await asyncio.wait({answer})
            view = answers.outcome(answer)
            if isinstance(view, PilotFormView) and await self.pilot_form.late(command, view):
                return  # the form opened, its trigger id still alive
            await respond(response_type="ephemeral", **_message(view))

        self._later(finish())

    def _render_once(self, view: ChatView) -> dict[str, Any]:
        entry = self._rendered.get(id(view))
        if entry is not None and entry[0] is view:  # the view itself is kept, so ids stay unique
            self._rendered.move_to_end(id(view))
            return entry[1]
        message = _message(view)
        self._rendered[id(view)] = (view, message)
        if len(self._rendered) > RENDER_CACHE_SIZE:
            self._rendered.popitem(last=False)
        return message

    async def on_share_win(
        self, ack: Callable[..., Awaitable[None]], body: dict[str, Any], client: AsyncWebClient,
        respond: Any,
    ) -> None:  # fmt: skip
        await ack()
        click = _decoded(ShareClick, body, "the share click")
        if click is None:
            return
        context = _action_context(click)
        win_id = click.record_id

        async def post(win: Win) -> str:
            posted = await client.chat_postMessage(
                channel=context.channel_id, **render_win(win, shared_by=context.user_id)
            )
            return str(posted["ts"])

        notice = await self.chat.sharing.share_win(context, win_id, post)
        await respond(response_type="ephemeral", replace_original=False, **_message(notice))

    async def on_share_case(
        self, ack: Callable[..., Awaitable[None]], body: dict[str, Any], respond: Any
    ) -> None:
        await ack()
        click = _decoded(ShareClick, body, "the share click")
        if click is None:
            return
        notice = await self.chat.cases.share(_action_context(click), click.record_id)
        await respond(response_type="ephemeral", replace_original=False, **_message(notice))

    async def on_message(
        self, event: dict[str, Any], body: dict[str, Any], client: AsyncWebClient
    ) -> None:
        decoded = _decoded(MessageEvent, event, "the message event")
        if decoded is None:
            return
        # The envelope's team_id is on every delivery; event['team'] is not on edits.
        team = body.get("team_id")
        private, channel = decoded.private, decoded.channel
        if decoded.subtype == "message_changed" and decoded.message is not None:
            edited = decoded.message
            if edited.from_a_bot or not edited.thread_ts or not edited.ts:
                return
            context = _event_context(team, edited.user, channel, private)
            await self.chat.cases.reply_edited(
                context, reply_id=edited.ts, text=edited.text or "", files=edited.shared_files
            )
            return
        if decoded.subtype == "message_deleted":
            previous = decoded.previous_message
            context = _event_context(team, previous and previous.user, channel, private)
            reply_id = decoded.deleted_ts or (previous and previous.ts)
            if reply_id:
                await self.chat.cases.reply_deleted(context, reply_id=reply_id)
            return
        thread_ts, ts = decoded.thread_ts, decoded.ts
        if not decoded.by_a_person or not thread_ts or thread_ts == ts:
            return  # not a person's reply in a thread
        assert ts is not None  # MessageEvent refuses a thread reply without one
        context = _event_context(team, decoded.user, channel, private)
        outcome = await self.chat.cases.thread_reply(
            context,
            thread_id=thread_ts,
            reply_id=ts,
            text=decoded.text or "",
            files=decoded.shared_files,
        )
        if outcome is None or not outcome.created or outcome.feedback:
            return  # not our thread, a redelivered event we already answered, or feedback
        try:
            await client.reactions_add(channel=channel, timestamp=ts, name=CHECK_MARK)
        except SlackApiError as exc:
            if exc.response.get("error") != "already_reacted":
                log.warning("reactions.add failed: %s", exc.response.get("error"))
        message = _message(outcome.notice)
        if private:
            message["blocks"].append(_share_case_button(outcome.case_study_id))
        await client.chat_postMessage(channel=channel, thread_ts=str(thread_ts), **message)

    async def on_reaction(self, event: dict[str, Any], body: dict[str, Any]) -> None:
        """A reaction on a message: stored as a buy-in signal when the message is ours."""
        decoded = _decoded(ReactionEvent, event, "the reaction event")
        signals = self.chat.signals
        if decoded is None or signals is None or not decoded.on_a_message:
            return
        channel, ts = decoded.item.channel, decoded.item.ts
        assert channel is not None and ts is not None  # ReactionEvent refuses a message without
        context = _event_context(body.get("team_id"), decoded.user, channel, False)
        at = _event_time(decoded.event_ts)
        changed = await signals.reaction(
            context,
            message_id=ts,
            reaction=decoded.reaction,
            added=decoded.type == "reaction_added",
            at=at,
        )
        if changed and self.members is not None:
            # Who leadership is, read again at most hourly; bounded so the ack stays fast.
            refresh = asyncio.ensure_future(self._refresh(self.members))
            self._background.add(refresh)
            refresh.add_done_callback(self._background.discard)
            await asyncio.wait({refresh}, timeout=ROSTER_WAIT_SECONDS)

    async def _refresh(self, members: SlackMembers) -> None:
        if self.chat.signals is not None:
            await self.chat.signals.refresh_leaders(Chat.SLACK, members)


def _event_time(event_ts: str | None) -> datetime | None:
    """When Slack says the reaction happened (event_ts), which orders an add and a removal."""
    if event_ts is None:
        return None
    try:
        return datetime.fromtimestamp(float(event_ts), UTC)
    except (OverflowError, ValueError, OSError):
        return None


async def _acknowledge(ack: Callable[..., Awaitable[None]]) -> None:
    await ack()


def _decoded(model: type[M], data: object, what: str) -> M | None:
    """``model`` from ``data``; None, with one WARNING line, when it does not fit.

    Both transports check bodies before bolt runs them, so this only refuses what reached a
    listener some other way; the listener then acknowledges and does nothing.
    """
    try:
        return decode(model, data, what)
    except PayloadError as exc:
        log.warning("Slack payload refused: %s", exc)
        return None


def _event_context(team: Any, user: Any, channel: str, private: bool) -> ChatContext:
    return ChatContext(
        chat=Chat.SLACK,
        workspace_id=str(team) if team else None,
        channel_id=channel,
        user_id=str(user or ""),
        channel_is_private=private,
    )


def _action_context(click: ShareClick) -> ChatContext:
    return ChatContext(
        chat=Chat.SLACK,
        workspace_id=click.team.id if click.team else None,
        channel_id=click.channel_id or "",
        user_id=click.user.id,
    )


def _share_case_button(case_id: int) -> dict[str, Any]:
    return {
        "type": "actions",
        "elements": [
            {
                "type": "button",
                "text": {"type": "plain_text", "text": "Share beyond this channel"},
                "action_id": SHARE_CASE_ACTION,
                "value": str(case_id),
            }
        ],
    }
