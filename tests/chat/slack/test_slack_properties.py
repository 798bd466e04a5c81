"""Property: whatever anyone types after /wins, Slack gets a 200 and a reply, never a 5xx,
and the reply is Block Kit Slack accepts, in which nothing typed became markup or a mention."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.chat.slack.conftest import SlackHarness
from tests.chat.slack.test_slack_blocks import check_block, elements, objects

TOKENS = [
    "7d", "30d", "0d", "999w", "linkedin", "linkdin", "x", "twitter", "#recruiting", "#",
    "tag:", "@", "@acme", "account:", "campaign", "cases", "peers", "help", "subscribe",
    "unsubscribe", "subscriptions", "leadership", "monday", "25:99", "9am", "Mars/Base",
    "America/Toronto", "<@U123>", "<#C1|general>", "<!channel>", "*bold*", "&amp;", "\u200b",
]  # fmt: skip

typed = st.one_of(
    st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=600),
    st.lists(st.sampled_from(TOKENS), max_size=8).map(" ".join),
)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(text=typed)
async def test_any_wins_text_gets_a_200_and_a_reply(harness: SlackHarness, text: str) -> None:
    status, reply = await harness.command(text, user="UADMIN")
    assert status == 200
    assert isinstance(reply, dict)
    assert reply["text"]
    assert 0 < len(reply["blocks"]) <= 50
    for block in reply["blocks"]:
        check_block(block)  # limits, slack_sdk's models, only the element types we make
    assert not any(obj.get("type") == "mrkdwn" for obj in objects(reply))
    assert {e["type"] for e in elements(reply)} <= {"text", "link", "date", "emoji"}
