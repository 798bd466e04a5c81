"""The fake's views.open answers slack_sdk the way Slack does: a view, or the reason it is not."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from .slack_api import FakeSlackApi

MODAL: dict[str, Any] = {
    "type": "modal",
    "callback_id": "form",
    "private_metadata": '{"win":"7"}',
    "title": {"type": "plain_text", "text": "Add the story"},
    "submit": {"type": "plain_text", "text": "Save"},
    "blocks": [
        {
            "type": "input",
            "block_id": "b",
            "label": {"type": "plain_text", "text": "What we did"},
            "element": {"type": "plain_text_input", "action_id": "a", "multiline": True},
        }
    ],
}


@pytest.fixture
async def slack() -> AsyncIterator[FakeSlackApi]:
    async with FakeSlackApi() as fake:
        yield fake


@pytest.fixture
def client(slack: FakeSlackApi) -> AsyncWebClient:
    return AsyncWebClient(token="xoxb-test", base_url=slack.base_url)


async def test_views_open_returns_the_view_with_its_id_and_an_empty_state(
    slack: FakeSlackApi, client: AsyncWebClient
) -> None:
    response = await client.views_open(trigger_id="1.2.3", view=MODAL)
    view = response["view"]
    assert view["id"].startswith("V") and view["state"] == {"values": {}}
    assert view["callback_id"] == "form" and view["private_metadata"] == '{"win":"7"}'
    assert slack.views.opened == [view]
    assert slack.calls_to("views.open")[0].params["trigger_id"] == "1.2.3"


async def test_a_trigger_id_works_once_and_expires(
    slack: FakeSlackApi, client: AsyncWebClient
) -> None:
    await client.views_open(trigger_id="1.2.3", view=MODAL)
    with pytest.raises(SlackApiError) as used:
        await client.views_open(trigger_id="1.2.3", view=MODAL)
    assert used.value.response["error"] == "exchanged_trigger_id"
    slack.views.expired.add("4.5.6")
    with pytest.raises(SlackApiError) as late:
        await client.views_open(trigger_id="4.5.6", view=MODAL)
    assert late.value.response["error"] == "expired_trigger_id"


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"title": {"type": "plain_text", "text": "A title of more than 24 chars"}}, "title"),
        ({"private_metadata": "x" * 3001}, "private_metadata"),
        ({"submit": None}, "submit"),
        ({"blocks": [{**MODAL["blocks"][0], "label": {"type": "mrkdwn", "text": "x"}}]}, "label"),
    ],
)
async def test_a_view_beyond_block_kit_limits_is_refused_with_the_reason(
    client: AsyncWebClient, change: dict[str, Any], reason: str
) -> None:
    view = {k: v for k, v in {**MODAL, **change}.items() if v is not None}
    with pytest.raises(SlackApiError) as refused:
        await client.views_open(trigger_id="1.2.3", view=view)
    assert refused.value.response["error"] == "invalid_arguments"
    assert reason in " ".join(refused.value.response["response_metadata"]["messages"])
