"""A fake Slack Web API: a real aiohttp server on 127.0.0.1 that slack_sdk's clients can talk to.

Point ``AsyncWebClient(token="xoxb-...", base_url=slack.base_url)`` at it and the client sends the
same requests it would send to https://slack.com/api/ (form-encoded, JSON or query-string
parameters, a ``Bearer`` token header); the fake answers with Slack's documented response shapes,
records every call, and can be told to rate-limit, fail or return a Slack error on the next call
to a method::

    async with FakeSlackApi() as slack:
        slack.users["U1"] = {"is_admin": True}
        slack.fail_next("chat.postMessage", status=429, retry_after=0)
        ...
        assert slack.calls_to("chat.postMessage")[-1].params["blocks"][0]["type"] == "section"

Only the methods winsbot uses are implemented; any other method answers ``unknown_method``.

Rate limits are off unless asked for: ``FakeSlackApi(per_channel_per_second=1.0,
workspace_per_second=50.0)`` answers chat.postMessage calls beyond one message per second in a
channel, or beyond the workspace's token bucket (refilled at that rate, burst = the rate), with
HTTP 429, ``{"ok": false, "error": "ratelimited"}`` and a ``Retry-After`` header (whole seconds,
at least 1, until the next slot frees), and counts them in ``rejected_429``. Every accepted
chat.postMessage is kept in ``accepted_posts`` with its time, limits or not.

Messages keep the ``metadata`` they were posted with; conversations.history lists a channel's
messages newest first (thread replies excluded, as Slack does), honouring ``oldest``,
``latest``, ``inclusive``, ``limit`` and ``cursor``, and shows metadata only with
``include_all_metadata``. ``ts_clock=time.time`` makes message timestamps real Unix times (the
default is a fixed sequence from 1700000000.000100), so ``oldest`` can be a real moment.
``latency`` seconds pass between a method doing its work and its answer, and ``before_answer``
is awaited in that gap: a client that dies there leaves Slack holding a message it never heard
about, the way a worker killed mid-post does.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import math
import mimetypes
import time
from collections import defaultdict, deque
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from aiohttp import WSMsgType, web

from tests.fakes.server import FakeServer, bearer_token, frozen_headers, retry_after_header
from tests.fakes.slack_views import FakeViews

TEAM_ID = "T0001"
TEAM_NAME = "Acme"
TEAM_URL = "https://acme.slack.com/"
BOT_USER_ID = "U0BOT"
BOT_ID = "B0BOT"
BOT_NAME = "winsbot"

# Parameters slack_sdk JSON-encodes into a string when it sends a form body.
_JSON_PARAMS = frozenset({"blocks", "attachments", "files", "metadata", "view"})
_VALID_TOKEN_PREFIXES = ("xoxb-", "xoxp-")
_FIRST_TS_MICROS = 1_700_000_000_000_100
_TS_STEP_MICROS = 100
_MAX_UPLOAD_BYTES = 64 * 1024 * 1024
_TRUE = frozenset({"1", "true", "True"})  # how clients send a boolean query parameter

Params = dict[str, Any]
Handler = Callable[[Params], Params]


@dataclass(frozen=True)
class Call:
    """One Web API request as the fake received it (recorded before faults or auth are applied)."""

    method: str
    params: Params
    headers: Mapping[str, str]  # case-insensitive, as HTTP headers are


@dataclass(frozen=True)
class Fault:
    """A queued answer that replaces the next normal response of one method."""

    status: int
    error: str
    retry_after: int | None = None
    # A body that is not Slack's JSON (a proxy's HTML page), sent as is when set.
    raw_body: str | None = None
    content_type: str = "text/html"


@dataclass(frozen=True)
class AcceptedPost:
    """A chat.postMessage the fake accepted: where, its ts, and when (``clock()`` seconds)."""

    channel: str
    ts: str
    at: float
    thread_ts: str | None = None


@dataclass
class Upload:
    """A file announced by files.getUploadURLExternal, filled by the upload POST."""

    file_id: str
    filename: str
    length: int
    data: bytes = b""
    uploaded: bool = False
    completed: bool = False
    title: str | None = None
    channel_id: str | None = None
    thread_ts: str | None = None

    @property
    def size(self) -> int:
        return len(self.data)


def _error(error: str) -> Params:
    return {"ok": False, "error": error}


class FakeSlackApi(FakeServer):
    """A Slack Web API on 127.0.0.1 (random free port); use as an async context manager."""

    def __init__(
        self,
        *,
        per_channel_per_second: float | None = None,
        workspace_per_second: float | None = None,
        clock: Callable[[], float] = time.monotonic,
        ts_clock: Callable[[], float] | None = None,
        latency: float = 0.0,
    ) -> None:
        for name, rate in (
            ("per_channel_per_second", per_channel_per_second),
            ("workspace_per_second", workspace_per_second),
        ):
            if rate is not None and rate <= 0:
                raise ValueError(f"{name} must be positive, got {rate}")
        super().__init__()
        self.calls: list[Call] = []
        # Overrides merged over a realistic default user / channel object.
        self.users: dict[str, dict[str, Any]] = {}
        self.channels: dict[str, dict[str, Any]] = {}
        # conversations.members: a channel's member ids (channels not listed have none).
        self.channel_members: dict[str, list[str]] = {}
        # Messages the bot posted, keyed by (channel, ts), as chat.update leaves them.
        self.messages: dict[tuple[str, str], Params] = {}
        self.reactions: set[tuple[str, str, str]] = set()
        # Direct messages the app opened (conversations.open): user id -> IM channel id. Users
        # listed in ``deactivated`` answer user_disabled, as Slack does for a deactivated account.
        self.ims: dict[str, str] = {}
        self.deactivated: set[str] = set()
        self.uploads: dict[str, Upload] = {}
        # JSON bodies posted to response_url (use f"{slack.url}/response/<anything>" in payloads).
        self.responses: list[Params] = []
        # Socket Mode: messages the app sent back over the WebSocket (acks with payloads).
        self.socket_received: list[Params] = []
        self.socket_connected = asyncio.Event()
        self._socket: web.WebSocketResponse | None = None
        self._faults: defaultdict[str, deque[Fault]] = defaultdict(deque)
        # Opt-in rate limits on chat.postMessage (None = unlimited, the default).
        self.per_channel_per_second = per_channel_per_second
        self.workspace_per_second = workspace_per_second
        self.clock = clock
        self.accepted_posts: list[AcceptedPost] = []
        self.rejected_429 = 0
        self._channel_last: dict[str, float] = {}
        self._bucket_tokens = workspace_per_second or 0.0
        self._bucket_at: float | None = None
        self._ts_count = 0
        self.ts_clock = ts_clock
        self._last_ts_micros = 0
        self.latency = latency
        self.before_answer: Callable[[Call, Params], Awaitable[None]] | None = None
        self._file_count = 0
        self.views = FakeViews(TEAM_ID, BOT_ID)  # views.open: modals opened, in .opened
        self._handlers: dict[str, Handler] = {
            "views.open": self.views.open,
            "auth.test": self._auth_test,
            "chat.postMessage": self._chat_post_message,
            "chat.postEphemeral": self._chat_post_ephemeral,
            "chat.update": self._chat_update,
            "reactions.add": self._reactions_add,
            "users.info": self._users_info,
            "conversations.info": self._conversations_info,
            "conversations.history": self._conversations_history,
            "conversations.open": self._conversations_open,
            "conversations.members": self._conversations_members,
            "files.getUploadURLExternal": self._files_get_upload_url_external,
            "files.completeUploadExternal": self._files_complete_upload_external,
        }

    def _app(self) -> web.Application:
        app = web.Application(client_max_size=_MAX_UPLOAD_BYTES)
        app.router.add_route("*", "/api/{method}", self._handle_api)
        app.router.add_post("/upload/v1/{file_id}", self._handle_upload)
        app.router.add_post("/response/{token}", self._handle_response_url)
        app.router.add_get("/socket", self._handle_socket)
        return app

    @property
    def base_url(self) -> str:
        """What to pass as slack_sdk's ``base_url`` (with the trailing slash it needs)."""
        return f"{self.url}/api/"

    # ------------------------------------------------------------ test helpers

    def calls_to(self, method: str) -> list[Call]:
        return [call for call in self.calls if call.method == method]

    def fail_next(
        self,
        method: str,
        status: int = 429,
        retry_after: int | None = None,
        error: str | None = None,
    ) -> None:
        """Answer the next call to ``method`` with an HTTP error (queued faults run in order).

        429 answers ``ratelimited`` with a ``Retry-After`` header (default 1 second), like Slack.
        """
        if status == 429:
            retry_after = 1 if retry_after is None else retry_after
            error = error or "ratelimited"
        elif status >= 500:
            error = error or "internal_error"
        self._faults[method].append(Fault(status, error or "request_failed", retry_after))

    def error_next(self, method: str, error: str) -> None:
        """Answer the next call to ``method`` with HTTP 200 ``{"ok": false, "error": error}``."""
        self._faults[method].append(Fault(200, error))

    def answer_next_raw(
        self,
        method: str,
        status: int = 405,
        body: str = "<html><head><title>405 Not Allowed</title></head><body>nginx</body></html>",
        content_type: str = "text/html",
    ) -> None:
        """Answer the next call to ``method`` with a body that is not Slack's JSON.

        What a proxy or load balancer in front of Slack answers (an HTML error page, a 405):
        slack_sdk cannot read an ``error`` from it.
        """
        self._faults[method].append(Fault(status, "", raw_body=body, content_type=content_type))

    # --------------------------------------------------------------- transport

    async def _handle_api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params = await _read_params(request)
        self.calls.append(Call(method, params, frozen_headers(request)))
        queued = self._faults.get(method)
        if queued:
            fault = queued.popleft()
            if fault.raw_body is not None:
                return web.Response(
                    status=fault.status, text=fault.raw_body, content_type=fault.content_type
                )
            headers = retry_after_header(fault.retry_after)
            return web.json_response(_error(fault.error), status=fault.status, headers=headers)
        if method == "apps.connections.open":
            # Socket Mode: only an app-level token (xapp-) may open a connection.
            if not _bearer(request).startswith("xapp-"):
                return web.json_response(_error("invalid_auth"))
            return web.json_response({"ok": True, "url": f"ws://127.0.0.1:{self.port}/socket"})
        if not _has_valid_token(request, params):
            return web.json_response(_error("invalid_auth"))
        handler = self._handlers.get(method)
        if handler is None:
            return web.json_response({"ok": False, "error": "unknown_method", "req_method": method})
        if method == "chat.postMessage":
            wait = self._rate_limit_wait(str(params.get("channel") or ""))
            if wait is not None:
                self.rejected_429 += 1
                headers = retry_after_header(max(1, math.ceil(wait)))
                return web.json_response(_error("ratelimited"), status=429, headers=headers)
        answer = handler(params)
        if self.before_answer is not None:
            await self.before_answer(self.calls[-1], answer)
        if self.latency:
            await asyncio.sleep(self.latency)
        return web.json_response(answer)

    def _rate_limit_wait(self, channel: str) -> float | None:
        """Seconds until this channel's and the workspace's next slot, or None (and take it)."""
        if self.per_channel_per_second is None and self.workspace_per_second is None:
            return None
        now = self.clock()
        wait = 0.0
        if self.per_channel_per_second is not None and channel in self._channel_last:
            free_at = self._channel_last[channel] + 1.0 / self.per_channel_per_second
            wait = max(wait, free_at - now)
        rate = self.workspace_per_second
        if rate is not None:
            if self._bucket_at is not None:
                self._bucket_tokens = min(
                    rate, self._bucket_tokens + (now - self._bucket_at) * rate
                )
            self._bucket_at = now
            if self._bucket_tokens < 1.0:
                wait = max(wait, (1.0 - self._bucket_tokens) / rate)
        if wait > 0:
            return wait
        if rate is not None:
            self._bucket_tokens -= 1.0
        self._channel_last[channel] = now
        return None

    async def _handle_socket(self, request: web.Request) -> web.WebSocketResponse:
        """Socket Mode's WebSocket: says hello like Slack, then records what the app sends."""
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self._socket = ws
        await ws.send_json(
            {"type": "hello", "num_connections": 1, "connection_info": {"app_id": "A0001"}}
        )
        self.socket_connected.set()
        async for message in ws:
            if message.type == WSMsgType.TEXT:
                self.socket_received.append(json.loads(message.data))
        return ws

    async def socket_send(self, envelope: Params) -> None:
        """Deliver an envelope (events_api, slash_commands, interactive) over Socket Mode."""
        if self._socket is None:
            raise RuntimeError("no Socket Mode connection yet")
        await self._socket.send_json(envelope)

    async def _handle_response_url(self, request: web.Request) -> web.Response:
        """Slack's response_url: a webhook that answers 200 "ok" to a JSON message body."""
        try:
            body = await request.json()
        except ValueError:
            return web.Response(status=400, text="invalid_payload")
        self.responses.append(body)
        return web.Response(text="ok")

    async def _handle_upload(self, request: web.Request) -> web.Response:
        upload = self.uploads.get(request.match_info["file_id"])
        if upload is None:
            return web.Response(status=404, text="Not Found")
        if request.content_type == "multipart/form-data":
            form = await request.post()
            fields = [value for value in form.values() if isinstance(value, web.FileField)]
            data = fields[0].file.read() if fields else b""
        else:
            data = await request.read()
        upload.data = data
        upload.uploaded = True
        # files.slack.com answers a plain-text body, which slack_sdk checks only for status 200.
        return web.Response(text=f"OK - {len(data)}", content_type="text/plain")

    # ----------------------------------------------------------------- methods

    def _auth_test(self, params: Params) -> Params:
        return {
            "ok": True,
            "url": TEAM_URL,
            "team": TEAM_NAME,
            "user": BOT_NAME,
            "team_id": TEAM_ID,
            "user_id": BOT_USER_ID,
            "bot_id": BOT_ID,
            "is_enterprise_install": False,
        }

    def _chat_post_message(self, params: Params) -> Params:
        channel = str(params.get("channel") or "")
        if not channel:
            return _error("channel_not_found")
        if not any(params.get(key) for key in ("text", "blocks", "attachments")):
            return _error("no_text")
        ts = self._next_ts()
        message: Params = {
            "type": "message",
            "text": str(params.get("text") or ""),
            "user": BOT_USER_ID,
            "bot_id": BOT_ID,
            "team": TEAM_ID,
            "ts": ts,
        }
        for key in ("blocks", "attachments", "metadata"):
            if params.get(key):
                message[key] = params[key]
        if params.get("thread_ts"):
            message["thread_ts"] = str(params["thread_ts"])
            message["parent_user_id"] = BOT_USER_ID
        self.messages[(channel, ts)] = message
        self.accepted_posts.append(
            AcceptedPost(channel, ts, self.clock(), message.get("thread_ts"))
        )
        return {"ok": True, "channel": channel, "ts": ts, "message": message}

    def _chat_post_ephemeral(self, params: Params) -> Params:
        if not params.get("channel"):
            return _error("channel_not_found")
        if not params.get("user"):
            return _error("user_not_found")
        if not any(params.get(key) for key in ("text", "blocks", "attachments")):
            return _error("no_text")
        return {"ok": True, "message_ts": self._next_ts()}

    def _chat_update(self, params: Params) -> Params:
        channel = str(params.get("channel") or "")
        ts = str(params.get("ts") or "")
        message = self.messages.get((channel, ts))
        if message is None:
            return _error("message_not_found")
        for key in ("text", "blocks", "attachments", "metadata"):
            if key in params:
                message[key] = params[key]
        return {
            "ok": True,
            "channel": channel,
            "ts": ts,
            "text": message.get("text", ""),
            "message": message,
        }

    def _reactions_add(self, params: Params) -> Params:
        name = str(params.get("name") or "")
        channel = str(params.get("channel") or "")
        timestamp = str(params.get("timestamp") or "")
        if not name:
            return _error("invalid_name")
        if not channel or not timestamp:
            return _error("no_item_specified")
        key = (channel, timestamp, name)
        if key in self.reactions:
            return _error("already_reacted")
        self.reactions.add(key)
        return {"ok": True}

    def _users_info(self, params: Params) -> Params:
        user_id = str(params.get("user") or "")
        if user_id in self.users:
            return {"ok": True, "user": _user_object(user_id, self.users[user_id])}
        if user_id == BOT_USER_ID:
            bot = {"name": BOT_NAME, "real_name": BOT_NAME, "is_bot": True}
            return {
                "ok": True,
                "user": _user_object(user_id, bot | {"profile": {"bot_id": BOT_ID}}),
            }
        return _error("user_not_found")

    def _conversations_info(self, params: Params) -> Params:
        channel_id = str(params.get("channel") or "")
        if not channel_id:
            return _error("channel_not_found")
        # Channels nobody configured answer as ordinary public channels.
        overrides = self.channels.get(channel_id, {})
        return {"ok": True, "channel": _channel_object(channel_id, overrides)}

    def _conversations_history(self, params: Params) -> Params:
        channel_id = str(params.get("channel") or "")
        if not channel_id:
            return _error("channel_not_found")
        try:
            oldest = float(params.get("oldest") or 0)
            latest = float(params.get("latest") or math.inf)
            limit = min(999, max(1, int(params.get("limit") or 100)))
            start = int(str(params.get("cursor") or "offset:0").removeprefix("offset:"))
        except ValueError:
            return _error("invalid_arguments")
        inclusive = str(params.get("inclusive")) in _TRUE
        with_metadata = str(params.get("include_all_metadata")) in _TRUE

        def in_range(ts: float) -> bool:
            if inclusive:
                return oldest <= ts <= latest
            return oldest < ts < latest

        listed = sorted(
            (
                message
                for (channel, ts), message in self.messages.items()
                if channel == channel_id
                and message.get("thread_ts") in (None, ts)  # replies stay in their threads
                and in_range(float(ts))
            ),
            key=lambda message: float(message["ts"]),
            reverse=True,
        )
        page = listed[start : start + limit]
        has_more = start + limit < len(listed)
        return {
            "ok": True,
            "messages": [
                message if with_metadata else {k: v for k, v in message.items() if k != "metadata"}
                for message in page
            ],
            "has_more": has_more,
            "pin_count": 0,
            "channel_actions_ts": None,
            "channel_actions_count": 0,
            "response_metadata": {"next_cursor": f"offset:{start + limit}" if has_more else ""},
        }

    def _conversations_members(self, params: Params) -> Params:
        """Member ids a page at a time (``limit``, ``cursor``), as Slack pages them."""
        channel_id = str(params.get("channel") or "")
        if not channel_id:
            return _error("channel_not_found")
        try:
            limit = min(1000, max(1, int(params.get("limit") or 100)))
            start = int(str(params.get("cursor") or "offset:0").removeprefix("offset:"))
        except ValueError:
            return _error("invalid_cursor")
        members = self.channel_members.get(channel_id, [])
        more = start + limit < len(members)
        return {
            "ok": True,
            "members": members[start : start + limit],
            "response_metadata": {"next_cursor": f"offset:{start + limit}" if more else ""},
        }

    def _conversations_open(self, params: Params) -> Params:
        """The app's direct message with one user (``users``); a group DM is not needed here.

        Answers the same IM channel for the same user every time, with ``already_open`` and
        ``no_op`` once it exists, and the full channel object with ``return_im``.
        """
        raw = str(params.get("users") or "")
        users = [u.strip() for u in raw.split(",") if u.strip()]
        if not users:
            return _error("channel_not_found" if params.get("channel") else "not_enough_users")
        if len(users) > 1:
            return _error("method_not_supported_for_channel_type")  # MPIMs: not used by winsbot
        user = users[0]
        if user == BOT_USER_ID:
            return _error("cannot_dm_bot")
        if not user.startswith(("U", "W")):
            return _error("user_not_found")
        if user in self.deactivated:
            return _error("user_disabled")
        already = user in self.ims
        if not already:
            self.ims[user] = f"D{len(self.ims) + 1:08d}"
        channel: Params = {"id": self.ims[user]}
        if str(params.get("return_im")) in _TRUE:
            channel = {
                "id": self.ims[user], "created": 1700000000, "is_im": True, "is_org_shared": False,
                "user": user, "is_user_deleted": False, "priority": 0,
            }  # fmt: skip
        answer: Params = {"ok": True, "channel": channel}
        if already:
            answer.update(no_op=True, already_open=True)
        return answer

    def _files_get_upload_url_external(self, params: Params) -> Params:
        filename = str(params.get("filename") or "")
        try:
            length = int(params.get("length", ""))
        except (TypeError, ValueError):
            return _error("invalid_arguments")
        if not filename:
            return _error("invalid_arguments")
        self._file_count += 1
        file_id = f"F{self._file_count:010d}"
        self.uploads[file_id] = Upload(file_id=file_id, filename=filename, length=length)
        return {"ok": True, "upload_url": f"{self.url}/upload/v1/{file_id}", "file_id": file_id}

    def _files_complete_upload_external(self, params: Params) -> Params:
        entries = params.get("files")
        if not isinstance(entries, list) or not entries:
            return _error("invalid_arguments")
        uploads: list[tuple[Upload, str | None]] = []
        for entry in entries:
            upload = self.uploads.get(str(entry.get("id"))) if isinstance(entry, dict) else None
            if upload is None or not upload.uploaded:
                return _error("file_not_found")
            uploads.append((upload, entry.get("title")))
        channel_id = params.get("channel_id")
        thread_ts = params.get("thread_ts")
        files = []
        for upload, title in uploads:
            upload.completed = True
            upload.title = str(title) if title else upload.filename
            upload.channel_id = str(channel_id) if channel_id else None
            upload.thread_ts = str(thread_ts) if thread_ts else None
            files.append(self._file_object(upload))
        return {"ok": True, "files": files}

    # ----------------------------------------------------------------- helpers

    def _next_ts(self) -> str:
        micros = _FIRST_TS_MICROS + self._ts_count * _TS_STEP_MICROS
        self._ts_count += 1
        if self.ts_clock is not None:  # real time, still unique and increasing like Slack's
            micros = max(int(self.ts_clock() * 1_000_000), self._last_ts_micros + 1)
            self._last_ts_micros = micros
        return f"{micros // 1_000_000}.{micros % 1_000_000:06d}"

    def _file_object(self, upload: Upload) -> Params:
        created = _FIRST_TS_MICROS // 1_000_000 + self._file_count
        suffix = PurePosixPath(upload.filename).suffix.lstrip(".").lower()
        return {
            "id": upload.file_id,
            "created": created,
            "timestamp": created,
            "name": upload.filename,
            "title": upload.title,
            "mimetype": mimetypes.guess_type(upload.filename)[0] or "application/octet-stream",
            "filetype": suffix or "binary",
            "user": BOT_USER_ID,
            "user_team": TEAM_ID,
            "editable": False,
            "size": upload.size,
            "mode": "hosted",
            "is_external": False,
            "is_public": False,
            "url_private": (
                f"https://files.slack.com/files-pri/{TEAM_ID}-{upload.file_id}/{upload.filename}"
            ),
            "permalink": f"{TEAM_URL}files/{BOT_USER_ID}/{upload.file_id}/{upload.filename}",
            "shares": {},
            "channels": [],
            "groups": [],
            "ims": [],
        }


async def _read_params(request: web.Request) -> Params:
    """Merge query-string and body parameters the way Slack accepts them."""
    params: Params = dict(request.query)
    if request.body_exists:
        if request.content_type == "application/json":
            body = await request.json()
            if isinstance(body, dict):
                params.update(body)
        elif request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
            form = await request.post()
            for key, value in form.items():
                params[key] = value.file.read() if isinstance(value, web.FileField) else value
    for key in _JSON_PARAMS & params.keys():
        # Undecodable JSON stays a string, so tests can see what was sent (Slack would reject it).
        if isinstance(params[key], str):
            with contextlib.suppress(ValueError):
                params[key] = json.loads(params[key])
    return params


def _bearer(request: web.Request) -> str:
    return (bearer_token(request) or "").strip()


def _has_valid_token(request: web.Request, params: Params) -> bool:
    token = _bearer(request)
    # Slack also accepts the token as a body parameter.
    token = token or str(params.get("token") or "")
    return token.startswith(_VALID_TOKEN_PREFIXES)


def _user_object(user_id: str, overrides: dict[str, Any]) -> Params:
    user: Params = {
        "id": user_id,
        "team_id": TEAM_ID,
        "name": f"user.{user_id.lower()}",
        "deleted": False,
        "color": "9f69e7",
        "real_name": f"User {user_id}",
        "tz": "Europe/London",
        "tz_label": "Greenwich Mean Time",
        "tz_offset": 0,
        "is_admin": False,
        "is_owner": False,
        "is_primary_owner": False,
        "is_restricted": False,
        "is_ultra_restricted": False,
        "is_bot": False,
        "is_app_user": False,
        "updated": 1_700_000_000,
        "is_email_confirmed": True,
        "who_can_share_contact_card": "EVERYONE",
    }
    user.update({key: value for key, value in overrides.items() if key != "profile"})
    user["profile"] = {
        "real_name": user["real_name"],
        "real_name_normalized": user["real_name"],
        "display_name": user["name"],
        "display_name_normalized": user["name"],
        "title": "",
        "status_text": "",
        "status_emoji": "",
        "image_48": f"https://avatars.slack-edge.com/{user_id}_48.png",
        "team": TEAM_ID,
    } | dict(overrides.get("profile", {}))
    return user


def _channel_object(channel_id: str, overrides: dict[str, Any]) -> Params:
    name = str(overrides.get("name", f"channel-{channel_id.lower()}"))
    channel: Params = {
        "id": channel_id,
        "name": name,
        "name_normalized": name,
        "is_channel": True,
        "is_group": False,
        "is_im": False,
        "is_mpim": False,
        "is_private": False,
        "is_archived": False,
        "is_general": False,
        "is_shared": False,
        "is_ext_shared": False,
        "is_org_shared": False,
        "created": 1_700_000_000,
        "creator": "U0ADMIN",
        "is_member": True,
        "context_team_id": TEAM_ID,
        "topic": {"value": "", "creator": "", "last_set": 0},
        "purpose": {"value": "", "creator": "", "last_set": 0},
    }
    channel.update(overrides)
    return channel
