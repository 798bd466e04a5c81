"""The slack-bolt app: thin listeners that decode, call the core, render Block Kit, send.

Listeners hold no business logic and no SQL. Commands are answered in the ack itself when the
core replies quickly (it usually takes a few milliseconds); otherwise the ack says "working on
it" and the answer follows through response_url, so Slack always gets its ack within 3 seconds.
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient

from adapters.chat.slack.blocks import SHARE_CASE_ACTION, SHARE_WIN_ACTION, render, render_win
from adapters.chat.slack.directory import SlackDirectory
from bot.domain.context import ChatContext
from bot.domain.models import Chat, Win
from bot.domain.views import ChatView
from bot.usecases.chat import ChatCore

log = logging.getLogger("winsbot.slack")

COMMAND = "/wins"
ACK_BUDGET_SECONDS = 2.0  # Slack wants the ack within 3 s; keep a margin for the network
CHECK_MARK = "white_check_mark"
RENDER_CACHE_SIZE = 256


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
    Listeners(chat, ack_budget=ack_budget).register(app)
    return app


def _message(view: ChatView) -> dict[str, Any]:
    return render(view, command=COMMAND)


class Listeners:
    def __init__(self, chat: ChatCore, *, ack_budget: float = ACK_BUDGET_SECONDS) -> None:
        self.chat = chat
        self.ack_budget = ack_budget
        # The core hands back the same view object while its answer is cached; rendering it
        # again cost about as much as the rest of the request (bench/bench_slack.py).
        self._rendered: OrderedDict[int, tuple[ChatView, dict[str, Any]]] = OrderedDict()
        self._background: set[asyncio.Task[None]] = set()

    def register(self, app: AsyncApp) -> None:
        app.command(COMMAND)(self.on_command)
        app.action(SHARE_WIN_ACTION)(self.on_share_win)
        app.action(SHARE_CASE_ACTION)(self.on_share_case)
        app.event("message")(self.on_message)

    def _later(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.ensure_future(work)
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    async def on_command(
        self, ack: Callable[..., Awaitable[None]], command: dict[str, Any], respond: Any
    ) -> None:
        context = ChatContext(
            chat=Chat.SLACK,
            workspace_id=command.get("team_id"),
            channel_id=str(command.get("channel_id", "")),
            user_id=str(command.get("user_id", "")),
            channel_is_private=command.get("channel_name") == "privategroup",
        )
        text = str(command.get("text") or "")
        answers = self.chat.answers
        answer = await answers.answer(text, context, within=self.ack_budget)
        if not isinstance(answer, asyncio.Future):
            await ack(response_type="ephemeral", **self._render_once(answer))
            return
        await ack(response_type="ephemeral", text="Working on it…")

        async def finish() -> None:
            await asyncio.wait({answer})
            await respond(response_type="ephemeral", **_message(answers.outcome(answer)))

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
        context = _action_context(body)
        action = body["actions"][0]
        try:
            win_id = int(action.get("value", ""))
        except ValueError:
            log.warning("share button with a bad value from %s", context.user_id)
            return

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
        context = _action_context(body)
        try:
            case_id = int(body["actions"][0].get("value", ""))
        except ValueError:
            return
        notice = await self.chat.cases.share(context, case_id)
        await respond(response_type="ephemeral", replace_original=False, **_message(notice))

    async def on_message(
        self, event: dict[str, Any], body: dict[str, Any], client: AsyncWebClient
    ) -> None:
        # The envelope's team_id is on every delivery; event['team'] is not on edits.
        team = body.get("team_id")
        subtype = event.get("subtype")
        private = event.get("channel_type") == "group"
        channel = str(event.get("channel", ""))
        if subtype == "message_changed":
            message = event.get("message") or {}
            if _from_a_bot(message) or not message.get("thread_ts"):
                return
            context = _event_context(team, message.get("user"), channel, private)
            await self.chat.cases.reply_edited(
                context, reply_id=str(message.get("ts")), text=str(message.get("text") or "")
            )
            return
        if subtype == "message_deleted":
            previous = event.get("previous_message") or {}
            context = _event_context(team, previous.get("user"), channel, private)
            reply_id = str(event.get("deleted_ts") or previous.get("ts") or "")
            if reply_id:
                await self.chat.cases.reply_deleted(context, reply_id=reply_id)
            return
        thread_ts = event.get("thread_ts")
        if (
            subtype is not None
            or _from_a_bot(event)
            or not thread_ts
            or thread_ts == event.get("ts")
        ):
            return  # not a human reply in a thread
        context = _event_context(team, event.get("user"), channel, private)
        outcome = await self.chat.cases.thread_reply(
            context, thread_id=str(thread_ts), reply_id=str(event["ts"]),
            text=str(event.get("text") or ""),
        )  # fmt: skip
        if outcome is None or not outcome.created:
            return  # not our thread, or a redelivered event we already answered
        try:
            await client.reactions_add(channel=channel, timestamp=event["ts"], name=CHECK_MARK)
        except SlackApiError as exc:
            if exc.response.get("error") != "already_reacted":
                log.warning("reactions.add failed: %s", exc.response.get("error"))
        message = _message(outcome.notice)
        if private:
            message["blocks"].append(_share_case_button(outcome.case_study_id))
        await client.chat_postMessage(channel=channel, thread_ts=str(thread_ts), **message)


def _from_a_bot(message: dict[str, Any]) -> bool:
    return bool(message.get("bot_id") or message.get("subtype") == "bot_message")


def _event_context(team: Any, user: Any, channel: str, private: bool) -> ChatContext:
    return ChatContext(
        chat=Chat.SLACK,
        workspace_id=str(team) if team else None,
        channel_id=channel,
        user_id=str(user or ""),
        channel_is_private=private,
    )


def _action_context(body: dict[str, Any]) -> ChatContext:
    channel = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get(
        "channel_id", ""
    )
    return ChatContext(
        chat=Chat.SLACK,
        workspace_id=(body.get("team") or {}).get("id"),
        channel_id=str(channel),
        user_id=str((body.get("user") or {}).get("id", "")),
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
