"""Block Kit rendering: golden files for what people see; limits and escaping for what Slack takes.

Golden files are the reviewable picture of each message (paste one into Block Kit Builder to see
it). Regenerate after an intended change with ``UPDATE_GOLDEN=1 pytest tests/chat/slack`` and
review the diff. Every render in this file also goes through ``assert_slack_accepts``, which
checks the limits Slack enforces with ``invalid_blocks`` and that no user text became markup.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from adapters.chat.slack.blocks import (
    SHARE_CASE_ACTION,
    SHARE_WIN_ACTION,
    escape,
    render,
    render_digest,
    render_win,
)
from adapters.chat.slack.mrkdwn import fit
from bot.domain.models import (
    Audience,
    CaseStudy,
    Chat,
    Subscription,
)
from bot.domain.views import (
    CaseStudyListView,
    DigestView,
    ErrorView,
    Headline,
    HelpView,
    NoticeView,
    SubscriptionListView,
    WinListView,
)
from tests.chat import sample_views as views
from tests.chat.sample_views import make_win, wins

GOLDEN = Path(__file__).parent / "golden"
CHART = "https://wins.example.org/charts/2026-W47.png"
NASTY = [
    "<!channel> <!here> <!everyone> @channel @here",
    "<@U123> <#C1> <!subteam^S1> <https://evil.example|click me>",
    "*bold* _italic_ ~strike~ `code` ```block```",
    "Q&A &amp; &lt; <> & > < &",
    "> quote\n>>> quote all\n\n- list",
    "😀" * 3_000,
    "&" * 10_000,
    "x" * 10_000,
    "",
    " \n\t ",
    "\u200b\u2060\ufeff",
    ":smile: :skull_and_crossbones:",
    "https://example.com/a|b",
]


# --- a validator for what Slack would reject ----------------------------------------------


def slack_len(text: str) -> int:
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


# "&" only as one of the three entities; "<" only as markup we produce ourselves.
_BAD_AMP = re.compile(r"&(?!amp;|lt;|gt;)")
_OUR_MARKUP = re.compile(
    r"<(?:!date\^\d+\^\{date_short\}\|[^<>]*|@U0SHARER|https?://[^<>|\s]+\|[^<>]*)>"
)


def check_text(obj: dict[str, Any], limit: int) -> None:
    assert obj["type"] in {"mrkdwn", "plain_text"}
    text = obj["text"]
    assert isinstance(text, str)
    assert 1 <= slack_len(text) <= limit, (slack_len(text), limit)
    assert text.strip(), "Slack rejects blank text"
    assert not _BAD_AMP.search(text), text[:200]
    if obj["type"] == "mrkdwn":
        assert obj.get("verbatim") is True, "mrkdwn must be verbatim so @here stays inert"
        assert "<" not in _OUR_MARKUP.sub("", text), text[:200]
        assert ">" not in _OUR_MARKUP.sub("", text), text[:200]


def check_block(block: dict[str, Any]) -> None:
    kind = block["type"]
    if kind == "header":
        assert block["text"]["type"] == "plain_text"
        check_text(block["text"], 150)
    elif kind == "section":
        assert "text" in block or "fields" in block
        if "text" in block:
            check_text(block["text"], 3_000)
        fields = block.get("fields", [])
        assert len(fields) <= 10
        for field in fields:
            check_text(field, 2_000)
        if "accessory" in block:
            button = block["accessory"]
            assert button["type"] == "button"
            check_text(button["text"], 75)
            assert button["action_id"] in {SHARE_WIN_ACTION, SHARE_CASE_ACTION}
            assert 1 <= len(button["value"]) <= 2_000
    elif kind == "context":
        assert 1 <= len(block["elements"]) <= 10
        for element in block["elements"]:
            check_text(element, 3_000)
    elif kind == "image":
        assert 1 <= slack_len(block["alt_text"]) <= 2_000
        assert len(block["image_url"]) <= 3_000
        assert block["image_url"].startswith("https://")
    else:
        assert kind == "divider", kind


def assert_slack_accepts(message: dict[str, Any]) -> None:
    assert set(message) == {"text", "blocks"}
    assert 1 <= slack_len(message["text"]) <= 3_000
    assert "<" not in message["text"] and ">" not in message["text"]
    assert 1 <= len(message["blocks"]) <= 50
    for block in message["blocks"]:
        check_block(block)
    json.dumps(message)  # ready for the Web API as is


def all_text(message: dict[str, Any]) -> str:
    return json.dumps(message, ensure_ascii=False)


def mrkdwn_texts(value: Any) -> Iterator[str]:
    """Every mrkdwn string in a message; plain_text (headers, buttons) is never formatted."""
    if isinstance(value, dict):
        if value.get("type") == "mrkdwn":
            yield value["text"]
        for child in value.values():
            yield from mrkdwn_texts(child)
    elif isinstance(value, list):
        for child in value:
            yield from mrkdwn_texts(child)


def more_line(message: dict[str, Any]) -> str:
    last = message["blocks"][-1]
    assert last["type"] == "context"
    text = last["elements"][0]["text"]
    assert isinstance(text, str)
    return text


# --- realistic views ----------------------------------------------------------------------


def case_study(**fields: Any) -> CaseStudy:
    return views.case_study("slack", **fields)


def digest(**fields: Any) -> DigestView:
    return views.digest("slack", **fields)


def subscriptions() -> list[Subscription]:
    return views.subscriptions(
        Chat.SLACK,
        ("C0LEADERS", "C0HIRING"),
        "the bot was removed from the channel; invite it back with /invite",
    )


HELP = HelpView(
    commands=[
        ("top [platform] [#tag] [7d|30d]", "Top wins for a period, filtered if you like"),
        ("digest [department]", "This week's digest, as subscribers get it"),
        ("subscribe [department] [monday 09:00]", "Post a digest here every week"),
        ("stories", "Case studies people have written"),
    ],
    examples=["top linkedin 30d", "top #recruiting", "/wins subscribe recruiting friday 16:30"],
)

GOLDEN_CASES: dict[str, Callable[[], dict[str, Any]]] = {
    "win_list": lambda: render(views.win_list()),
    "win_list_empty": lambda: render(views.empty_win_list("/wins top 30d")),
    "digest": lambda: render_digest(digest(), chart_url=CHART),
    "digest_quiet": lambda: render(views.quiet_digest("slack")),
    "case_studies": lambda: render(views.case_study_list("slack", "C0PRIVATE")),
    "help": lambda: render(HELP),
    "error": lambda: render(views.unknown_tag("top [platform] [#tag] [7d|30d]")),
    "subscriptions": lambda: render(
        SubscriptionListView(title="Digests in this channel", subscriptions=subscriptions())
    ),
    "notice_ok": lambda: render(NoticeView(text="Saved as a case study for Dana's post.")),
    "notice_refused": lambda: render(
        NoticeView(text="Only workspace admins can unsubscribe this channel.", ok=False)
    ),
    "win_shared": lambda: render_win(wins()[0], shared_by="U0SHARER"),
}


def check_golden(name: str, rendered: dict[str, Any]) -> None:
    views.check_golden(GOLDEN, name, rendered)


@pytest.mark.parametrize("name", sorted(GOLDEN_CASES))
def test_render_matches_golden_file(name: str) -> None:
    message = GOLDEN_CASES[name]()
    assert_slack_accepts(message)
    check_golden(name, message)


# --- escaping -----------------------------------------------------------------------------


def test_escape_neutralises_mentions_links_and_formatting() -> None:
    escaped = escape("<!channel> <@U123> <#C1> <https://x.io|y> *bold* _it_ ~no~ `code` Q&A")
    assert "<" not in escaped and ">" not in escaped
    assert "&lt;!channel&gt;" in escaped and "&lt;@U123&gt;" in escaped
    assert "Q&amp;A" in escaped
    assert not set("*_~`") & set(escaped)
    assert "∗bold∗" in escaped  # still readable, never bold


def test_hostile_win_text_renders_as_text() -> None:
    hostile = make_win(
        1,
        reason="<!channel> *urgent* & <@U999>",
        post_text="<!here> `rm -rf` _hi_",
        account="<#C1>",
        campaign="<!everyone>",
    )
    message = render(WinListView(title="<!channel> *wins*", wins=[hostile]))
    assert_slack_accepts(message)
    text = all_text(message)
    for live in ("<!channel>", "<!here>", "<@U999>", "<#C1>", "*urgent*", "`rm -rf`", "_hi_"):
        assert live not in text
    assert "&lt;!channel&gt; ∗urgent∗ &amp; &lt;@U999&gt;" in text


def test_truncation_never_splits_an_entity() -> None:
    for source in ("&" * 5_000, "a&" * 5_000, "<>" * 5_000, "😀&" * 2_000):
        cut = fit(source, 3_000)
        assert slack_len(cut) <= 3_000
        assert cut.endswith("…")
        assert not _BAD_AMP.search(cut)


def test_links_only_for_plain_http_urls() -> None:
    def rendered(url: str) -> str:
        return all_text(render(WinListView(title="t", wins=[make_win(1, post_url=url)])))

    assert "<https://example.com/p?a=1&amp;b=2|View post>" in rendered(
        "https://example.com/p?a=1&b=2"
    )
    unsafe_urls = (
        "javascript:alert(1)",
        "https://x.io/a|<!channel>",
        "https://x.io/a b",
        "https://",
    )
    for unsafe in unsafe_urls:
        text = rendered(unsafe)
        assert "|View post>" not in text
        assert "<!channel>" not in text


def test_fallback_text_cannot_ping_anyone() -> None:
    message = render(NoticeView(text="@channel <!here> saved"))
    assert_slack_accepts(message)
    assert "@\u2060channel" in message["text"]
    assert "<!here>" not in message["text"]


# --- limits -------------------------------------------------------------------------------


def test_two_hundred_wins_stay_within_fifty_blocks_and_count_the_rest() -> None:
    many = [make_win(i) for i in range(200)]
    message = render(WinListView(title="All wins", wins=many, more=7))
    assert_slack_accepts(message)
    shown = [b for b in message["blocks"] if b.get("accessory")]
    assert 0 < len(shown) < 200
    assert more_line(message) == f"…and {200 - len(shown) + 7} more wins"


def test_ten_thousand_character_texts_stay_within_section_limits() -> None:
    huge = make_win(
        1,
        reason="&<*" * 3_400,
        post_text="word " * 2_000,
        account="a_" * 5_000,
        post_url="https://example.com/" + "p" * 10_000,
    )
    for message in (
        render(WinListView(title="T" * 10_000, wins=[huge])),
        render_win(huge, shared_by="U0SHARER"),
        render_digest(digest(top_wins=[huge] * 40, campaigns=[], case_studies=[])),
    ):
        assert_slack_accepts(message)


def test_busy_digest_stays_within_fifty_blocks() -> None:
    progress = digest().campaigns[0]
    message = render_digest(
        digest(
            headlines=[Headline(label=f"Metric {i}", value=i, previous=1) for i in range(30)],
            top_wins=[make_win(i) for i in range(100)],
            more_wins=50,
            campaigns=[progress] * 40,
            case_studies=[case_study(id=i) for i in range(30)],
            quiet_message="quiet " * 1_000,
        ),
        chart_url=CHART,
    )
    assert_slack_accepts(message)
    assert "…and 140 more wins" in all_text(message)


def test_long_help_and_subscription_lists_are_cut_with_a_count() -> None:
    long_help = HelpView(commands=[(f"cmd{i} " + "x" * 400, "y" * 600) for i in range(500)])
    assert_slack_accepts(render(long_help))
    subs = subscriptions() * 100
    message = render(SubscriptionListView(title="All", subscriptions=subs))
    assert_slack_accepts(message)
    shown = sum(1 for b in message["blocks"] if b["type"] == "section")
    assert more_line(message) == f"…and {200 - shown} more subscriptions"


def test_unsafe_chart_url_is_left_out() -> None:
    message = render_digest(digest(), chart_url="javascript:alert(1)")
    assert all(block["type"] != "image" for block in message["blocks"])


# --- actions and mentions -----------------------------------------------------------------


def test_share_button_carries_the_win_id() -> None:
    message = render(WinListView(title="Wins", wins=[make_win(4242)]))
    button = message["blocks"][1]["accessory"]
    assert button["action_id"] == SHARE_WIN_ACTION
    assert button["value"] == "4242"


def test_unshareable_lists_and_digests_have_no_buttons() -> None:
    listed = render(WinListView(title="Wins", wins=wins(), shareable=False))
    assert all("accessory" not in block for block in listed["blocks"])
    assert SHARE_WIN_ACTION not in all_text(render_digest(digest()))


def test_private_case_study_offers_no_share_button() -> None:
    message = render(
        CaseStudyListView(
            title="Stories", case_studies=[case_study(id=1), case_study(id=2, private_to="C0P")]
        )
    )
    buttons = [b["accessory"] for b in message["blocks"] if "accessory" in b]
    assert [(b["action_id"], b["value"]) for b in buttons] == [(SHARE_CASE_ACTION, "1")]


def test_shared_win_mentions_only_the_sharer_once() -> None:
    hostile = make_win(1, reason="<@U999> <!channel> did it", post_text="<@U998>")
    message = render_win(hostile, shared_by="U0SHARER")
    assert_slack_accepts(message)
    text = all_text(message)
    assert text.count("<@") == 1
    assert "<@U0SHARER>" in text
    assert all("accessory" not in block for block in message["blocks"])


def test_shared_win_without_sharer_mentions_nobody() -> None:
    assert "<@" not in all_text(render_win(make_win(1)))


def test_shared_by_must_be_a_slack_user_id() -> None:
    with pytest.raises(ValueError, match="not a Slack user id"):
        render_win(make_win(1), shared_by="<!channel>")


# --- any text at all ----------------------------------------------------------------------


def renders_of(text: str) -> Iterator[dict[str, Any]]:
    win = make_win(
        1, reason=text, post_text=text, account=text, campaign=text, post_url=text or None
    )
    yield render(WinListView(title=text, wins=[win] * 3, empty_message=text))
    yield render(WinListView(title=text, wins=[], empty_message=text))
    yield render_win(win, shared_by="U0SHARER")
    yield render_digest(
        digest(
            audience=Audience(name=text, tags=(text,), accounts=(text,)),
            period_text=text,
            headlines=[Headline(label=text, value=1, previous=2)],
            top_wins=[win],
            quiet_message=text or None,
            case_studies=[case_study(body=text, author=text or None, win_reason=text)],
        ),
        chart_url=CHART,
    )
    yield render(CaseStudyListView(title=text, case_studies=[case_study(body=text)] * 2))
    yield render(HelpView(title=text, commands=[(text, text)], examples=[text]))
    yield render(ErrorView(message=text, suggestion=text or None, usage=text or None))
    yield render(NoticeView(text=text, ok=False))
    yield render(NoticeView(text=text))
    sub = subscriptions()[1].model_copy(
        update={"audience": Audience(name=text, tags=(text,)), "broken_reason": text or None}
    )
    yield render(SubscriptionListView(title=text, subscriptions=[sub]))


@pytest.mark.parametrize("text", NASTY, ids=range(len(NASTY)))
def test_nasty_strings_render_within_limits(text: str) -> None:
    for message in renders_of(text):
        assert_slack_accepts(message)
        for live in ("<!channel>", "<!here>", "<@U123>", "<#C1>"):
            assert live not in all_text(message)
        for text in mrkdwn_texts(message):
            assert "*bold*" not in text and "`code`" not in text and "_italic_" not in text


# Random text rarely forms markup, so half the examples are built from markup pieces.
MARKUP_HEAVY = st.lists(
    st.sampled_from([*"&<>*_~`@!|: \n😀x", "https://", "<!channel>", "&amp;", "<@U1|x>"]),
    max_size=2_000,
).map("".join)


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.text(max_size=4_000), MARKUP_HEAVY))
def test_any_text_renders_within_limits(text: str) -> None:
    for message in renders_of(text):
        assert_slack_accepts(message)


@given(st.text())
def test_escaped_text_has_no_markup_left(text: str) -> None:
    escaped = escape(text)
    assert not set("<>*_~`") & set(escaped)
    assert not _BAD_AMP.search(escaped)
