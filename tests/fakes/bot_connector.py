"""A fake Bot Connector service: a real aiohttp server on 127.0.0.1 that botbuilder can talk to.

Teams tells a bot where to answer through each activity's ``serviceUrl``; point it (or a
``ConnectorClient(credentials, base_url=connector.service_url)``) at this fake and botbuilder
sends the same Bot Connector REST API v3 requests it would send to
https://smba.trafficmanager.net/...: JSON activities to ``/v3/conversations/{conversationId}/...``
with the conversation id percent-encoded as one path segment. The fake answers with the
documented response shapes, records every request, and can be told to fail the next send::

    async with FakeBotConnector() as connector:
        connector.fail_next(status=429, retry_after=0)
        ...
        assert connector.sent_to("19:abc@thread.tacv2")[-1]["attachments"][0]["contentType"] == (
            "application/vnd.microsoft.card.adaptive"
        )

Teams channel threads are conversations of their own: ``"<channel id>;messageid=<root id>"``.
``POST /v3/conversations`` with ``channelData.channel.id`` starts one (its first activity is the
root post) and answers that id, as Teams does.
"""

from __future__ import annotations

import itertools
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from aiohttp import web

from tests.fakes.server import FakeServer, frozen_headers, retry_after_header

BOT_ID = "28:00000000-0000-0000-0000-000000000000"
BOT_NAME = "winsbot"
TENANT_ID = "72f988bf-86f1-41af-91ab-2d7cd011db47"

_FIRST_ACTIVITY_ID = 1_700_000_000_001
_THREAD_MARKER = ";messageid="

Body = dict[str, Any]
FaultKind = Literal["send", "update", "delete"]

# Error codes the Bot Connector answers with for these statuses (``{"error": {"code", ...}}``).
_DEFAULT_CODES = {
    400: "BadArgument",
    401: "Unauthorized",
    403: "BotNotInConversationRoster",
    404: "ConversationNotFound",
    412: "PreconditionFailed",
    429: "Throttled",
}


@dataclass(frozen=True)
class Request:
    """One Bot Connector request as the fake received it (recorded before faults are applied).

    ``path`` is the raw path as sent (still percent-encoded); ``conversation_id`` and
    ``activity_id`` are the decoded path parameters (``None`` where the route has none).
    """

    method: str
    path: str
    conversation_id: str | None
    activity_id: str | None
    body: Body
    headers: Mapping[str, str]  # case-insensitive, as HTTP headers are


@dataclass(frozen=True)
class Fault:
    """A queued error answer that replaces the next normal response of one kind of request."""

    status: int
    code: str
    message: str
    retry_after: int | None = None


@dataclass
class Message:
    """An activity the bot posted, as later updates and deletes leave it."""

    conversation_id: str
    activity_id: str
    body: Body
    reply_to_id: str | None = None
    deleted: bool = False
    updates: list[Body] = field(default_factory=list)


def _error(code: str, message: str) -> Body:
    return {"error": {"code": code, "message": message}}


def _thread_root(conversation_id: str) -> str:
    """The channel a thread conversation id belongs to (``19:x@thread.tacv2;messageid=1`` -> x)."""
    return conversation_id.split(_THREAD_MARKER, 1)[0]


class FakeBotConnector(FakeServer):
    """A Bot Connector REST API v3 on 127.0.0.1 (random free port); an async context manager."""

    def __init__(self) -> None:
        super().__init__()
        self.requests: list[Request] = []
        # Bodies of every activity the bot POSTed (send, reply, first activity of a new thread).
        self.activities_sent: list[Body] = []
        # Every posted activity keyed by (conversation id, activity id), as updates leave it.
        self.messages: dict[tuple[str, str], Message] = {}
        # Rosters by conversation id; a thread uses its channel's roster. Unknown -> default.
        self.members: dict[str, list[Body]] = {}
        self.default_members: list[Body] = [
            _account("29:1-alice", "Alice Admin", "alice@example.com", "aad-alice"),
            _account("29:1-bob", "Bob Builder", "bob@example.com", "aad-bob"),
        ]
        self._faults: dict[FaultKind, deque[Fault]] = {
            "send": deque(),
            "update": deque(),
            "delete": deque(),
        }
        self._posted: list[tuple[str, Body]] = []
        self._ids = itertools.count(_FIRST_ACTIVITY_ID)

    def _app(self) -> web.Application:
        app = web.Application()
        conversation = "/v3/conversations/{conversation_id}"
        activity = conversation + "/activities/{activity_id}"
        app.router.add_post("/v3/conversations", self._create_conversation)
        app.router.add_post(conversation + "/activities", self._send_to_conversation)
        app.router.add_post(activity, self._reply_to_activity)
        app.router.add_put(activity, self._update_activity)
        app.router.add_delete(activity, self._delete_activity)
        app.router.add_get(conversation + "/members", self._get_members)
        app.router.add_get(conversation + "/members/{member_id}", self._get_member)
        return app

    @property
    def service_url(self) -> str:
        """The activity ``serviceUrl`` / ConnectorClient ``base_url`` (with a trailing slash)."""
        return f"{self.url}/"

    # ------------------------------------------------------------ test helpers

    def sent_to(self, conversation_id: str) -> list[Body]:
        """Bodies of activities posted (as posted) to exactly this conversation id.

        A channel thread is a conversation of its own (``"<channel id>;messageid=<root id>"``).
        """
        return [body for conv, body in self._posted if conv == conversation_id]

    def requests_to(self, method: str, conversation_id: str | None = None) -> list[Request]:
        return [
            r
            for r in self.requests
            if r.method == method
            and (conversation_id is None or r.conversation_id == conversation_id)
        ]

    def fail_next(
        self,
        status: int = 429,
        retry_after: int | None = None,
        *,
        error: str | None = None,
        message: str | None = None,
        on: FaultKind = "send",
    ) -> None:
        """Answer the next request of one kind with an HTTP error (queued faults run in order).

        ``on="send"`` (default) covers every activity POST: send to a conversation, reply to an
        activity and create a conversation; ``"update"`` is PUT, ``"delete"`` DELETE. 429 carries
        a ``Retry-After`` header (default 1 second), as the Bot Connector throttles. The body is
        the connector's ``{"error": {"code", "message"}}``.
        """
        if status == 429 and retry_after is None:
            retry_after = 1
        code = error or _DEFAULT_CODES.get(status, "ServiceError")
        self._faults[on].append(
            Fault(status, code, message or f"fake {status}: {code}", retry_after)
        )

    # --------------------------------------------------------------- transport

    async def _record(self, request: web.Request) -> Request:
        body: Body = {}
        if request.body_exists:
            try:
                decoded = await request.json()
            except ValueError:
                decoded = None
            if isinstance(decoded, dict):
                body = decoded
        info = request.match_info
        recorded = Request(
            method=request.method,
            path=request.raw_path.split("?", 1)[0],
            conversation_id=info.get("conversation_id"),
            activity_id=info.get("activity_id"),
            body=body,
            headers=frozen_headers(request),
        )
        self.requests.append(recorded)
        return recorded

    def _fault(self, kind: FaultKind) -> web.Response | None:
        queued = self._faults[kind]
        if not queued:
            return None
        fault = queued.popleft()
        return web.json_response(
            _error(fault.code, fault.message),
            status=fault.status,
            headers=retry_after_header(fault.retry_after),
        )

    # ----------------------------------------------------------------- routes

    async def _send_to_conversation(self, request: web.Request) -> web.Response:
        recorded = await self._record(request)
        fault = self._fault("send")
        if fault is not None:
            return fault
        return self._post_activity(str(recorded.conversation_id), recorded.body, reply_to=None)

    async def _reply_to_activity(self, request: web.Request) -> web.Response:
        recorded = await self._record(request)
        fault = self._fault("send")
        if fault is not None:
            return fault
        return self._post_activity(
            str(recorded.conversation_id), recorded.body, reply_to=recorded.activity_id
        )

    async def _create_conversation(self, request: web.Request) -> web.Response:
        recorded = await self._record(request)
        fault = self._fault("send")
        if fault is not None:
            return fault
        params = recorded.body
        channel_data = params.get("channelData") or {}
        channel = channel_data.get("channel") if isinstance(channel_data, dict) else None
        channel_id = channel.get("id") if isinstance(channel, dict) else None
        activity = params.get("activity")
        members = params.get("members") or []
        if channel_id:
            # A new thread in a Teams channel: the first activity is its root post.
            if not isinstance(activity, dict):
                return _bad_argument("Activity is required to start a conversation in a channel")
            activity_id = self._next_id()
            conversation_id = f"{channel_id}{_THREAD_MARKER}{activity_id}"
            self._store(conversation_id, activity_id, activity, reply_to=None)
            answer = {"id": conversation_id, "activityId": activity_id}
            return web.json_response(answer, status=201)
        if not members or not isinstance(members[0], dict) or not members[0].get("id"):
            return _bad_argument("Members or channelData.channel.id are required")
        # A personal (1:1) chat: Teams answers the same id for the same user every time.
        conversation_id = f"a:1{members[0]['id'].split(':', 1)[-1]}"
        answer = {"id": conversation_id}
        if isinstance(activity, dict):
            answer["activityId"] = self._next_id()
            self._store(conversation_id, answer["activityId"], activity, reply_to=None)
        return web.json_response(answer, status=201)

    async def _update_activity(self, request: web.Request) -> web.Response:
        recorded = await self._record(request)
        fault = self._fault("update")
        if fault is not None:
            return fault
        key = (str(recorded.conversation_id), str(recorded.activity_id))
        message = self.messages.get(key)
        if message is None or message.deleted:
            return web.json_response(
                _error("NotFound", "The activity to update does not exist"), status=404
            )
        message.updates.append(recorded.body)
        message.body = recorded.body
        return web.json_response({"id": recorded.activity_id})

    async def _delete_activity(self, request: web.Request) -> web.Response:
        recorded = await self._record(request)
        fault = self._fault("delete")
        if fault is not None:
            return fault
        message = self.messages.get((str(recorded.conversation_id), str(recorded.activity_id)))
        if message is None or message.deleted:
            return web.json_response(
                _error("NotFound", "The activity to delete does not exist"), status=404
            )
        message.deleted = True
        return web.Response(status=200)

    async def _get_members(self, request: web.Request) -> web.Response:
        recorded = await self._record(request)
        return web.json_response(self._roster(str(recorded.conversation_id)))

    async def _get_member(self, request: web.Request) -> web.Response:
        recorded = await self._record(request)
        member_id = request.match_info["member_id"]
        for member in self._roster(str(recorded.conversation_id)):
            if member.get("id") == member_id or member.get("aadObjectId") == member_id:
                return web.json_response(member)
        return web.json_response(
            _error("MemberNotFoundInConversation", "The member is not in the conversation"),
            status=404,
        )

    # ----------------------------------------------------------------- helpers

    def _roster(self, conversation_id: str) -> list[Body]:
        for key in (conversation_id, _thread_root(conversation_id)):
            if key in self.members:
                return self.members[key]
        return self.default_members

    def _post_activity(
        self, conversation_id: str, activity: Body, *, reply_to: str | None
    ) -> web.Response:
        if not activity.get("type"):
            return _bad_argument("Activity type is required")
        activity_id = self._next_id()
        self._store(conversation_id, activity_id, activity, reply_to=reply_to)
        return web.json_response({"id": activity_id}, status=201)

    def _store(
        self, conversation_id: str, activity_id: str, activity: Body, *, reply_to: str | None
    ) -> None:
        self.activities_sent.append(activity)
        self._posted.append((conversation_id, activity))
        self.messages[(conversation_id, activity_id)] = Message(
            conversation_id, activity_id, activity, reply_to_id=reply_to
        )

    def _next_id(self) -> str:
        return str(next(self._ids))


def _bad_argument(message: str) -> web.Response:
    return web.json_response(_error("BadArgument", message), status=400)


def _account(member_id: str, name: str, email: str, aad_object_id: str) -> Body:
    """A roster entry as Teams answers it (a TeamsChannelAccount)."""
    return {
        "id": member_id,
        "name": name,
        "aadObjectId": aad_object_id,
        "email": email,
        "userPrincipalName": email,
        "givenName": name.split()[0],
        "surname": name.split()[-1],
        "tenantId": TENANT_ID,
        "userRole": "user",
    }
