"""The fake Bot Connector speaks the protocol botbuilder's real ConnectorClient uses.

The client is the asyncio one botbuilder's ``CloudAdapter`` builds for every outgoing call
(``botframework.connector.aio.ConnectorClient``), with anonymous credentials as in development
mode (no app id: no token is fetched and no ``Authorization`` header is sent).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from botbuilder.schema import (
    Activity,
    ActivityTypes,
    Attachment,
    ChannelAccount,
    ConversationAccount,
    ConversationParameters,
    ErrorResponseException,
)
from botframework.connector.aio import ConnectorClient
from botframework.connector.auth import MicrosoftAppCredentials
from msrest.exceptions import HttpOperationError

from .bot_connector import BOT_ID, FakeBotConnector

CHANNEL = "19:abc@thread.tacv2"
THREAD = f"{CHANNEL};messageid=1700000000001"
ADAPTIVE = "application/vnd.microsoft.card.adaptive"
CARD: dict[str, Any] = {
    "type": "AdaptiveCard",
    "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
    "version": "1.5",
    "body": [{"type": "TextBlock", "text": "3 wins this week", "wrap": True}],
}


@pytest.fixture
async def connector() -> AsyncIterator[FakeBotConnector]:
    async with FakeBotConnector() as fake:
        yield fake


@pytest.fixture
def client(connector: FakeBotConnector) -> ConnectorClient:
    return ConnectorClient(MicrosoftAppCredentials("", ""), base_url=connector.service_url)


def _card_activity(text: str = "3 wins") -> Activity:
    return Activity(
        type=ActivityTypes.message,
        text=text,
        from_property=ChannelAccount(id=BOT_ID, name="winsbot"),
        attachments=[Attachment(content_type=ADAPTIVE, content=CARD)],
    )


def _status(error: HttpOperationError) -> int:
    return int(error.response.status_code)


async def test_service_url_is_a_local_root_with_trailing_slash(connector: FakeBotConnector) -> None:
    assert connector.service_url.startswith("http://127.0.0.1:")
    assert connector.service_url.endswith("/")
    assert connector.service_url == f"{connector.url}/"
    assert connector.port > 0


async def test_send_to_conversation_records_the_adaptive_card_and_answers_a_new_id(
    connector: FakeBotConnector, client: ConnectorClient
) -> None:
    sent = await client.conversations.send_to_conversation(CHANNEL, _card_activity())

    assert sent.id == "1700000000001"
    [request] = connector.requests
    assert request.method == "POST"
    assert request.conversation_id == CHANNEL
    assert request.activity_id is None
    assert request.body["type"] == "message"
    assert request.body["text"] == "3 wins"
    assert request.body["from"] == {"id": BOT_ID, "name": "winsbot"}
    assert request.body["attachments"] == [{"contentType": ADAPTIVE, "content": CARD}]
    assert request.headers["content-type"].startswith("application/json")
    # Development mode: anonymous credentials send no token.
    assert "authorization" not in request.headers
    assert connector.activities_sent == [request.body]
    assert connector.sent_to(CHANNEL) == [request.body]


async def test_activity_ids_are_unique_and_increasing(
    connector: FakeBotConnector, client: ConnectorClient
) -> None:
    ids = [
        (await client.conversations.send_to_conversation(CHANNEL, _card_activity(str(n)))).id
        for n in range(3)
    ]

    assert ids == ["1700000000001", "1700000000002", "1700000000003"]
    assert [body["text"] for body in connector.activities_sent] == ["0", "1", "2"]


async def test_reply_to_activity_routes_the_conversation_and_activity_ids(
    connector: FakeBotConnector, client: ConnectorClient
) -> None:
    reply = _card_activity("thanks!")
    reply.reply_to_id = "1699999999999"
    reply.conversation = ConversationAccount(id=THREAD, is_group=True)

    answer = await client.conversations.reply_to_activity(THREAD, "1699999999999", reply)

    assert answer.id == "1700000000001"
    [request] = connector.requests
    assert request.method == "POST"
    assert request.path == (
        "/v3/conversations/19%3Aabc%40thread.tacv2%3Bmessageid%3D1700000000001"
        "/activities/1699999999999"
    )
    assert request.conversation_id == THREAD
    assert request.activity_id == "1699999999999"
    assert request.body["replyToId"] == "1699999999999"
    assert request.body["conversation"] == {"id": THREAD, "isGroup": True}
    assert connector.sent_to(THREAD) == [request.body]
    assert connector.messages[(THREAD, "1700000000001")].reply_to_id == "1699999999999"


async def test_create_conversation_starts_a_channel_thread_whose_id_round_trips(
    connector: FakeBotConnector, client: ConnectorClient
) -> None:
    params = ConversationParameters(
        is_group=True,
        bot=ChannelAccount(id=BOT_ID),
        channel_data={"channel": {"id": CHANNEL}},
        activity=_card_activity("Weekly digest"),
        tenant_id="tenant-1",
    )

    created = await client.conversations.create_conversation(params)
    reply = await client.conversations.send_to_conversation(created.id, _card_activity("story"))

    assert created.id == THREAD
    assert created.activity_id == "1700000000001"
    create, send = connector.requests
    assert create.path == "/v3/conversations"
    assert create.conversation_id is None
    assert create.body["isGroup"] is True
    assert create.body["channelData"] == {"channel": {"id": CHANNEL}}
    # botbuilder-python spells it "tenantID" (the REST reference says "tenantId").
    assert create.body["tenantID"] == "tenant-1"
    assert create.body["activity"]["attachments"][0]["contentType"] == ADAPTIVE
    assert send.conversation_id == THREAD
    assert reply.id == "1700000000002"
    assert [body["text"] for body in connector.sent_to(THREAD)] == ["Weekly digest", "story"]
    assert connector.sent_to(CHANNEL) == []


async def test_create_conversation_with_a_member_opens_a_stable_personal_chat(
    connector: FakeBotConnector, client: ConnectorClient
) -> None:
    params = ConversationParameters(
        is_group=False, bot=ChannelAccount(id=BOT_ID), members=[ChannelAccount(id="29:1-alice")]
    )

    first = await client.conversations.create_conversation(params)
    second = await client.conversations.create_conversation(params)

    assert first.id == second.id == "a:11-alice"
    assert first.activity_id is None


async def test_create_conversation_without_channel_or_members_is_a_bad_argument(
    client: ConnectorClient,
) -> None:
    with pytest.raises(ErrorResponseException) as caught:
        await client.conversations.create_conversation(ConversationParameters(is_group=True))

    assert _status(caught.value) == 400
    assert caught.value.error.error.code == "BadArgument"


@pytest.mark.parametrize(
    "conversation_id",
    [
        THREAD,
        "a:1Xy-Z_09.abc",
        "19:meeting_N2Q@thread.v2",
        "29:1/slash%percent?query#frag é+&=",
    ],
)
async def test_conversation_ids_with_reserved_characters_round_trip(
    connector: FakeBotConnector, client: ConnectorClient, conversation_id: str
) -> None:
    sent = await client.conversations.send_to_conversation(conversation_id, _card_activity())
    await client.conversations.update_activity(conversation_id, sent.id, _card_activity("v2"))
    await client.conversations.delete_activity(conversation_id, sent.id)

    assert [r.conversation_id for r in connector.requests] == [conversation_id] * 3
    assert [r.activity_id for r in connector.requests] == [None, sent.id, sent.id]
    # msrest quotes the id as one path segment (urllib.parse.quote(..., safe="")).
    assert "%3A" in connector.requests[0].path
    assert connector.messages[(conversation_id, sent.id)].deleted


async def test_update_activity_replaces_the_message_and_answers_its_id(
    connector: FakeBotConnector, client: ConnectorClient
) -> None:
    sent = await client.conversations.send_to_conversation(CHANNEL, _card_activity("v1"))
    updated = _card_activity("v2")
    updated.id = sent.id

    answer = await client.conversations.update_activity(CHANNEL, sent.id, updated)

    assert answer.id == sent.id
    put = connector.requests[-1]
    assert put.method == "PUT"
    assert put.activity_id == sent.id
    assert put.body["text"] == "v2"
    message = connector.messages[(CHANNEL, sent.id)]
    assert message.body["text"] == "v2"
    assert [body["text"] for body in message.updates] == ["v2"]
    # sent_to and activities_sent keep what was posted; updates are not new activities.
    assert [body["text"] for body in connector.sent_to(CHANNEL)] == ["v1"]
    assert len(connector.activities_sent) == 1


async def test_update_of_an_unknown_activity_is_not_found(client: ConnectorClient) -> None:
    with pytest.raises(ErrorResponseException) as caught:
        await client.conversations.update_activity(CHANNEL, "42", _card_activity())

    assert _status(caught.value) == 404
    assert caught.value.error.error.code == "NotFound"


async def test_delete_activity_marks_the_message_deleted(
    connector: FakeBotConnector, client: ConnectorClient
) -> None:
    sent = await client.conversations.send_to_conversation(CHANNEL, _card_activity())

    await client.conversations.delete_activity(CHANNEL, sent.id)

    assert connector.requests[-1].method == "DELETE"
    assert connector.messages[(CHANNEL, sent.id)].deleted
    with pytest.raises(ErrorResponseException) as caught:
        await client.conversations.delete_activity(CHANNEL, sent.id)
    assert _status(caught.value) == 404


async def test_members_answer_the_configured_roster_and_threads_use_their_channel(
    connector: FakeBotConnector, client: ConnectorClient
) -> None:
    connector.members[CHANNEL] = [
        {"id": "29:1-carol", "name": "Carol", "aadObjectId": "aad-carol", "email": "c@example.com"}
    ]

    in_channel = await client.conversations.get_conversation_members(CHANNEL)
    in_thread = await client.conversations.get_conversation_members(THREAD)
    elsewhere = await client.conversations.get_conversation_members("a:1other")
    carol = await client.conversations.get_conversation_member(THREAD, "29:1-carol")

    assert [m.id for m in in_channel] == ["29:1-carol"]
    assert in_channel[0].name == "Carol"
    assert in_channel[0].aad_object_id == "aad-carol"
    assert [m.id for m in in_thread] == ["29:1-carol"]
    assert [m.name for m in elsewhere] == ["Alice Admin", "Bob Builder"]
    assert carol.name == "Carol"
    assert connector.requests[0].method == "GET"
    assert connector.requests[0].conversation_id == CHANNEL
    with pytest.raises(ErrorResponseException) as caught:
        await client.conversations.get_conversation_member(CHANNEL, "29:1-nobody")
    assert _status(caught.value) == 404


@pytest.mark.parametrize(
    ("status", "code"),
    [
        (403, "BotNotInConversationRoster"),
        (412, "PreconditionFailed"),
        (429, "Throttled"),
        (502, "ServiceError"),
    ],
)
async def test_a_fault_surfaces_as_the_clients_error_once(
    connector: FakeBotConnector, client: ConnectorClient, status: int, code: str
) -> None:
    connector.fail_next(status=status, retry_after=0 if status == 429 else None)

    with pytest.raises(ErrorResponseException) as caught:
        await client.conversations.send_to_conversation(CHANNEL, _card_activity())
    after = await client.conversations.send_to_conversation(CHANNEL, _card_activity())

    assert isinstance(caught.value, HttpOperationError)
    assert _status(caught.value) == status
    assert caught.value.error is not None
    assert caught.value.error.error.code == code
    # The client does not retry a POST (urllib3 2 leaves POST out of its retryable methods),
    # so the fault answered exactly one request and the next send succeeds.
    assert len(connector.requests) == 2
    assert after.id == "1700000000001"
    assert len(connector.activities_sent) == 1


async def test_a_throttle_carries_retry_after(
    connector: FakeBotConnector, client: ConnectorClient
) -> None:
    connector.fail_next(status=429)

    with pytest.raises(ErrorResponseException) as caught:
        await client.conversations.send_to_conversation(CHANNEL, _card_activity())

    assert caught.value.response.headers["Retry-After"] == "1"


async def test_queued_faults_apply_in_order_to_sends_replies_and_creates(
    connector: FakeBotConnector, client: ConnectorClient
) -> None:
    connector.fail_next(status=429, retry_after=2)
    connector.fail_next(status=502)
    connector.fail_next(status=403, error="ConversationBlockedByUser", message="blocked")
    create = ConversationParameters(
        is_group=True, channel_data={"channel": {"id": CHANNEL}}, activity=_card_activity()
    )

    errors: list[ErrorResponseException] = []
    for send in (
        client.conversations.send_to_conversation(CHANNEL, _card_activity()),
        client.conversations.reply_to_activity(THREAD, "1", _card_activity()),
        client.conversations.create_conversation(create),
    ):
        with pytest.raises(ErrorResponseException) as caught:
            await send
        errors.append(caught.value)

    assert [_status(e) for e in errors] == [429, 502, 403]
    assert errors[0].response.headers["Retry-After"] == "2"
    assert "Retry-After" not in errors[1].response.headers
    assert errors[2].error.error.code == "ConversationBlockedByUser"
    assert errors[2].error.error.message == "blocked"
    assert connector.activities_sent == []
    created = await client.conversations.create_conversation(create)
    assert created.id == THREAD


async def test_faults_on_updates_wait_for_an_update(
    connector: FakeBotConnector, client: ConnectorClient
) -> None:
    connector.fail_next(status=412, on="update")
    sent = await client.conversations.send_to_conversation(CHANNEL, _card_activity())

    with pytest.raises(ErrorResponseException) as caught:
        await client.conversations.update_activity(CHANNEL, sent.id, _card_activity("v2"))

    assert _status(caught.value) == 412
    assert connector.messages[(CHANNEL, sent.id)].body["text"] == "3 wins"


async def test_the_client_silently_retries_a_throttled_or_failed_update(
    connector: FakeBotConnector, client: ConnectorClient
) -> None:
    # msrest's urllib3 Retry covers PUT, DELETE and GET (5xx, and 429 with Retry-After), not POST:
    # a fault on an update is retried once and only the second PUT succeeds.
    sent = await client.conversations.send_to_conversation(CHANNEL, _card_activity())
    connector.fail_next(status=502, on="update")
    connector.fail_next(status=429, retry_after=0, on="delete")

    updated = await client.conversations.update_activity(CHANNEL, sent.id, _card_activity("v2"))
    await client.conversations.delete_activity(CHANNEL, sent.id)

    assert updated.id == sent.id
    assert [r.method for r in connector.requests] == ["POST", "PUT", "PUT", "DELETE", "DELETE"]
    assert connector.messages[(CHANNEL, sent.id)].deleted
