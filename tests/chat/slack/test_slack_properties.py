"""Property: whatever anyone types after /wins, Slack gets a 200 and a reply, never a 5xx."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.chat.slack.conftest import SlackHarness

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
