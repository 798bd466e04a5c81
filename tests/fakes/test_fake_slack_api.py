"""The fake Slack Web API speaks the protocol the real slack_sdk client uses."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.http_retry.builtin_interval_calculators import FixedValueRetryIntervalCalculator
from slack_sdk.web.async_client import AsyncWebClient

from .slack_api import BOT_USER_ID, Call, FakeSlackApi

BLOCKS = [{"type": "section", "text": {"type": "mrkdwn", "text": "*3 wins* this week"}}]


@pytest.fixture
async def slack() -> AsyncIterator[FakeSlackApi]:
    async with FakeSlackApi() as fake:
        yield fake


@pytest.fixture
async def client(slack: FakeSlackApi) -> AsyncIterator[AsyncWebClient]:
    yield AsyncWebClient(token="xoxb-test", base_url=slack.base_url)


async def test_base_url_is_a_local_api_root_with_trailing_slash(slack: FakeSlackApi) -> None:
    assert slack.base_url.startswith("http://127.0.0.1:")
    assert slack.base_url.endswith("/api/")
    assert slack.port > 0


async def test_auth_test_identifies_the_bot(slack: FakeSlackApi, client: AsyncWebClient) -> None:
    response = await client.auth_test()

    assert response["user_id"] == BOT_USER_ID
    assert response["team_id"] == "T0001"
    assert response["bot_id"] == "B0BOT"
    assert slack.calls_to("auth.test")[0].headers["authorization"] == "Bearer xoxb-test"


async def test_post_message_returns_ts_and_records_decoded_blocks(
    slack: FakeSlackApi, client: AsyncWebClient
) -> None:
    first = await client.chat_postMessage(channel="C1", text="3 wins", blocks=BLOCKS)
    reply = await client.chat_postMessage(channel="C1", text="details", thread_ts=first["ts"])

    assert first["ok"] is True
    assert first["channel"] == "C1"
    assert first["ts"] == "1700000000.000100"
    assert float(reply["ts"]) > float(first["ts"])
    assert first["message"]["blocks"] == BLOCKS
    assert first["message"]["user"] == BOT_USER_ID
    assert reply["message"]["thread_ts"] == first["ts"]
    posted = slack.calls_to("chat.postMessage")
    assert [call.params["channel"] for call in posted] == ["C1", "C1"]
    assert posted[0].params["blocks"] == BLOCKS
    assert posted[1].params["thread_ts"] == first["ts"]


async def test_post_message_without_content_is_rejected_like_slack(client: AsyncWebClient) -> None:
    with pytest.raises(SlackApiError) as caught:
        await client.api_call("chat.postMessage", json={"channel": "C1"})

    assert caught.value.response["error"] == "no_text"


async def test_json_bodies_are_recorded_too(slack: FakeSlackApi, client: AsyncWebClient) -> None:
    await client.api_call("chat.postMessage", json={"channel": "C2", "blocks": BLOCKS})

    assert slack.calls_to("chat.postMessage")[0].params == {"channel": "C2", "blocks": BLOCKS}


async def test_post_ephemeral_and_update(slack: FakeSlackApi, client: AsyncWebClient) -> None:
    ephemeral = await client.chat_postEphemeral(channel="C1", user="U1", text="only you")
    posted = await client.chat_postMessage(channel="C1", text="draft")
    updated = await client.chat_update(channel="C1", ts=posted["ts"], text="final")

    assert ephemeral["message_ts"]
    assert updated["ts"] == posted["ts"]
    assert updated["message"]["text"] == "final"
    assert slack.messages[("C1", posted["ts"])]["text"] == "final"
    with pytest.raises(SlackApiError) as caught:
        await client.chat_update(channel="C1", ts="1.000000", text="nope")
    assert caught.value.response["error"] == "message_not_found"


async def test_users_info_reports_admin_and_regular_users(
    slack: FakeSlackApi, client: AsyncWebClient
) -> None:
    slack.users["U1"] = {"is_admin": True, "name": "ada"}
    slack.users["U2"] = {}

    admin = await client.users_info(user="U1")
    regular = await client.users_info(user="U2")

    assert admin["user"]["is_admin"] is True
    assert admin["user"]["name"] == "ada"
    assert admin["user"]["tz"] == "Europe/London"
    assert regular["user"]["is_admin"] is False
    assert regular["user"]["is_owner"] is False
    assert regular["user"]["is_bot"] is False
    assert slack.calls_to("users.info")[0].params["user"] == "U1"


async def test_users_info_for_unknown_user_is_user_not_found(client: AsyncWebClient) -> None:
    with pytest.raises(SlackApiError) as caught:
        await client.users_info(user="U404")

    assert caught.value.response["error"] == "user_not_found"


async def test_conversations_info_reports_privacy(
    slack: FakeSlackApi, client: AsyncWebClient
) -> None:
    slack.channels["G1"] = {"is_private": True, "name": "leadership"}

    private = await client.conversations_info(channel="G1")
    public = await client.conversations_info(channel="C1")

    assert private["channel"]["is_private"] is True
    assert private["channel"]["name"] == "leadership"
    assert public["channel"]["is_private"] is False


async def test_reacting_twice_is_already_reacted(client: AsyncWebClient) -> None:
    first = await client.reactions_add(channel="C1", timestamp="1700000000.000100", name="tada")

    with pytest.raises(SlackApiError) as caught:
        await client.reactions_add(channel="C1", timestamp="1700000000.000100", name="tada")

    assert first["ok"] is True
    assert caught.value.response["error"] == "already_reacted"


async def test_rate_limited_call_is_retried_after_retry_after(slack: FakeSlackApi) -> None:
    client = AsyncWebClient(
        token="xoxb-test",
        base_url=slack.base_url,
        retry_handlers=[AsyncRateLimitErrorRetryHandler(max_retry_count=1)],
    )
    slack.fail_next("chat.postMessage", status=429, retry_after=0)

    response = await client.chat_postMessage(channel="C1", text="hi")

    assert response["ok"] is True
    assert len(slack.calls_to("chat.postMessage")) == 2


async def test_rate_limit_without_retry_handler_surfaces_ratelimited(
    slack: FakeSlackApi, client: AsyncWebClient
) -> None:
    slack.fail_next("chat.postMessage", status=429, retry_after=7)

    with pytest.raises(SlackApiError) as caught:
        await client.chat_postMessage(channel="C1", text="hi")

    assert caught.value.response.status_code == 429
    assert caught.value.response["error"] == "ratelimited"
    assert caught.value.response.headers["Retry-After"] == "7"


async def test_server_error_is_retried(slack: FakeSlackApi) -> None:
    client = AsyncWebClient(
        token="xoxb-test",
        base_url=slack.base_url,
        retry_handlers=[
            AsyncServerErrorRetryHandler(
                max_retry_count=1, interval_calculator=FixedValueRetryIntervalCalculator(0.0)
            )
        ],
    )
    slack.fail_next("chat.postMessage", status=500)

    response = await client.chat_postMessage(channel="C1", text="hi")

    assert response["ok"] is True
    assert len(slack.calls_to("chat.postMessage")) == 2


async def test_queued_faults_are_served_in_order(
    slack: FakeSlackApi, client: AsyncWebClient
) -> None:
    slack.error_next("chat.postMessage", "channel_not_found")
    slack.error_next("chat.postMessage", "not_in_channel")

    errors = []
    for _ in range(2):
        with pytest.raises(SlackApiError) as caught:
            await client.chat_postMessage(channel="C1", text="hi")
        errors.append(caught.value.response["error"])
    third = await client.chat_postMessage(channel="C1", text="hi")

    assert errors == ["channel_not_found", "not_in_channel"]
    assert third["ok"] is True


@pytest.mark.parametrize("token", ["bogus", "xoxa-2-nope", ""])
async def test_invalid_token_is_invalid_auth(slack: FakeSlackApi, token: str) -> None:
    client = AsyncWebClient(token=token, base_url=slack.base_url)

    with pytest.raises(SlackApiError) as caught:
        await client.auth_test()

    assert caught.value.response["error"] == "invalid_auth"


async def test_unknown_method_is_unknown_method(client: AsyncWebClient) -> None:
    with pytest.raises(SlackApiError) as caught:
        await client.api_call("winsbot.doesNotExist")

    assert caught.value.response["error"] == "unknown_method"


async def test_files_upload_v2_end_to_end(slack: FakeSlackApi, client: AsyncWebClient) -> None:
    response = await client.files_upload_v2(
        channel="C1",
        content=b"png bytes",
        filename="chart.png",
        title="Weekly wins",
        thread_ts="1700000000.000100",
    )

    assert response["file"]["title"] == "Weekly wins"
    assert response["file"]["mimetype"] == "image/png"
    (upload,) = slack.uploads.values()
    assert upload.data == b"png bytes"
    assert upload.size == upload.length == len(b"png bytes")
    get_url = slack.calls_to("files.getUploadURLExternal")[0]
    assert get_url.params["filename"] == "chart.png"
    (complete,) = slack.calls_to("files.completeUploadExternal")
    assert complete.params["channel_id"] == "C1"
    assert complete.params["thread_ts"] == "1700000000.000100"
    assert complete.params["files"][0]["id"] == upload.file_id
    assert upload.channel_id == "C1"
    assert upload.thread_ts == "1700000000.000100"


async def test_completing_an_upload_that_never_arrived_fails(client: AsyncWebClient) -> None:
    announced = await client.files_getUploadURLExternal(filename="chart.png", length=3)

    with pytest.raises(SlackApiError) as caught:
        await client.files_completeUploadExternal(
            files=[{"id": announced["file_id"], "title": "chart"}], channel_id="C1"
        )

    assert caught.value.response["error"] == "file_not_found"


DIGEST_METADATA = {"event_type": "winsbot_digest", "event_payload": {"delivery_id": 7}}


async def test_history_lists_top_level_messages_newest_first_with_metadata_on_request(
    client: AsyncWebClient,
) -> None:
    digest = await client.chat_postMessage(channel="C1", text="digest", metadata=DIGEST_METADATA)
    await client.chat_postMessage(channel="C1", text="chart", thread_ts=digest["ts"])
    chatter = await client.chat_postMessage(channel="C1", text="chatter")
    await client.chat_postMessage(channel="C2", text="elsewhere")

    plain = await client.conversations_history(channel="C1")
    full = await client.conversations_history(channel="C1", include_all_metadata=True)

    assert [m["ts"] for m in plain["messages"]] == [chatter["ts"], digest["ts"]]
    assert "metadata" not in plain["messages"][1]
    assert full["messages"][1]["metadata"] == DIGEST_METADATA
    assert full["has_more"] is False and full["response_metadata"]["next_cursor"] == ""
    assert digest["message"]["metadata"] == DIGEST_METADATA  # as chat.postMessage echoes it


async def test_history_honours_oldest_latest_inclusive_and_pages_with_a_cursor(
    client: AsyncWebClient,
) -> None:
    posted = [(await client.chat_postMessage(channel="C1", text=f"m{i}"))["ts"] for i in range(5)]

    after = await client.conversations_history(channel="C1", oldest=posted[1])
    from_ = await client.conversations_history(channel="C1", oldest=posted[1], inclusive=True)
    before = await client.conversations_history(channel="C1", latest=posted[1])
    first = await client.conversations_history(channel="C1", limit=2)
    second = await client.conversations_history(
        channel="C1", limit=2, cursor=first["response_metadata"]["next_cursor"]
    )

    assert [m["ts"] for m in after["messages"]] == posted[:1:-1]
    assert [m["ts"] for m in from_["messages"]] == posted[:0:-1]
    assert [m["ts"] for m in before["messages"]] == [posted[0]]
    assert first["has_more"] is True and [m["ts"] for m in first["messages"]] == posted[:2:-1]
    assert [m["ts"] for m in second["messages"]] == posted[2:0:-1]


async def test_ts_clock_gives_real_unique_timestamps() -> None:
    async with FakeSlackApi(ts_clock=lambda: 1_800_000_000.5) as slack:
        client = AsyncWebClient(token="xoxb-test", base_url=slack.base_url)
        one = await client.chat_postMessage(channel="C1", text="a")
        two = await client.chat_postMessage(channel="C1", text="b")

    assert (one["ts"], two["ts"]) == ("1800000000.500000", "1800000000.500001")


async def test_before_answer_runs_after_the_work_and_before_the_answer() -> None:
    async with FakeSlackApi(latency=0.05) as slack:
        client = AsyncWebClient(token="xoxb-test", base_url=slack.base_url)
        seen: list[tuple[str, int]] = []

        async def note(call: Call, answer: dict[str, object]) -> None:
            seen.append((call.method, len(slack.messages)))

        slack.before_answer = note
        await client.chat_postMessage(channel="C1", text="a")

    assert seen == [("chat.postMessage", 1)]  # the message was stored before the answer
