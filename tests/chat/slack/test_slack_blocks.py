"""Block Kit rendering: golden files for what people see; limits and escaping for what Slack takes.

Golden files are the reviewable picture of each message (paste one into Block Kit Builder to see
it). Regenerate after an intended change with ``UPDATE_GOLDEN=1 pytest tests/chat/slack`` and
review the diff. Every render in this file also goes through ``assert_slack_accepts``, which
checks the limits Slack enforces with ``invalid_blocks`` and that no user text became markup.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
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
from bot.models import (
    Audience,
    Campaign,
    CampaignMetric,
    CampaignProgress,
    CaseStudy,
    Chat,
    Platform,
    Schedule,
    Subscription,
    Win,
    WinKind,
)
from bot.views import (
    CaseStudyListView,
    DigestView,
    ErrorView,
    Headline,
    HelpView,
    NoticeView,
    SubscriptionListView,
    WinListView,
)

GOLDEN = Path(__file__).parent / "golden"
TUESDAY = datetime(2026, 11, 17, 9, 30, tzinfo=UTC)
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


def make_win(id: int, **fields: Any) -> Win:
    values: dict[str, Any] = {
        "kind": WinKind.POST,
        "score": 4.2,
        "reason": "Earned 3.1× its usual engagement (1,204 vs 388)",
        "occurred_at": TUESDAY,
        "detected_at": TUESDAY,
        "platform": Platform.LINKEDIN,
        "account": "acme",
        "post_url": f"https://www.linkedin.com/feed/update/urn:li:activity:{id}",
        "post_text": "We shipped the thing.",
        "engagement": 1_204,
        "impressions": 40_210,
    }
    values.update(fields)
    return Win.model_validate({"id": id, **values})


def wins() -> list[Win]:
    return [
        make_win(
            101,
            score=8.4,
            reason="Earned 4.2× its usual engagement (2,310 vs 550): most shared post this year",
            post_text=(
                "Our graduate programme opens today! 40 places across engineering, design & "
                "operations. Applications close 12 December; tell someone who'd love it."
            ),
            engagement=2_310,
            impressions=61_480,
        ),
        make_win(
            102,
            score=5.1,
            platform=Platform.BLUESKY,
            account="acme_hr.bsky.social",
            reason="Reached 3× the usual replies (96 vs 31) for acme_hr",
            post_text="Q&A: what *really* happens in week one? <3 to everyone who asked",
            post_url="https://bsky.app/profile/acme_hr.bsky.social/post/3kxyz?ref=a&src=b",
            engagement=312,
            impressions=None,
        ),
        make_win(
            103,
            kind=WinKind.MILESTONE,
            score=3.0,
            platform=Platform.INSTAGRAM,
            account="acme",
            reason="Passed 10k followers (10,042, +612 this week)",
            post_url=None,
            post_text=None,
            engagement=None,
            impressions=None,
        ),
    ]


def digest(**fields: Any) -> DigestView:
    campaign = Campaign(
        name="Winter hiring pilot",
        metric=CampaignMetric.ENGAGEMENT,
        target=5_000,
        starts_on=date(2026, 11, 1),
        ends_on=date(2026, 11, 30),
    )
    reached = campaign.model_copy(
        update={"name": "Open day sign-ups", "metric": CampaignMetric.CLICKS, "target": 300}
    )
    values: dict[str, Any] = {
        "audience": Audience(name="leadership"),
        "period_label": "2026-W47",
        "period_text": "16–22 Nov 2026",
        "timezone": "Europe/London",
        "starts_at": datetime(2026, 11, 16, tzinfo=UTC),
        "ends_at": datetime(2026, 11, 23, tzinfo=UTC),
        "headlines": [
            Headline(label="Posts", value=14, previous=11),
            Headline(label="Engagement", value=12_480, previous=9_920),
            Headline(label="Impressions", value=402_310, previous=455_000),
            Headline(label="New followers", value=612, previous=0),
        ],
        "top_wins": wins()[:2],
        "more_wins": 6,
        "campaigns": [
            CampaignProgress(campaign=campaign, value=3_210, posts=9),
            CampaignProgress(campaign=reached, value=318, posts=4),
        ],
        "case_studies": [case_study()],
    }
    values.update(fields)
    return DigestView.model_validate(values)


def case_study(**fields: Any) -> CaseStudy:
    values: dict[str, Any] = {
        "id": 7,
        "body": (
            "We asked a question instead of announcing the programme, and replied to every "
            "comment within the hour. Replies tripled; next time we'll pin the FAQ."
        ),
        "author": "Dana Okafor",
        "win_id": 101,
        "win_reason": "Earned 4.2× its usual engagement (2,310 vs 550)",
        "created_at": datetime(2026, 11, 19, 14, tzinfo=UTC),
        "source": "slack",
    }
    values.update(fields)
    return CaseStudy.model_validate(values)


def subscriptions() -> list[Subscription]:
    return [
        Subscription(
            id=1,
            chat=Chat.SLACK,
            channel_id="C0LEADERS",
            audience=Audience(name="leadership"),
            schedule=Schedule(weekday=0, time="09:00", timezone="Europe/London"),
        ),
        Subscription(
            id=2,
            chat=Chat.SLACK,
            channel_id="C0HIRING",
            audience=Audience(
                name="recruiting", tags=("recruiting",), platforms=(Platform.LINKEDIN,)
            ),
            schedule=Schedule(weekday=4, time="16:30", timezone="America/New_York"),
            active=False,
            broken_reason="the bot was removed from the channel; invite it back with /invite",
        ),
    ]


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
    "win_list": lambda: render(
        WinListView(title="Top wins, last 7 days · #recruiting", wins=wins(), more=4)
    ),
    "win_list_empty": lambda: render(
        WinListView(
            title="Top wins, last 7 days · TikTok",
            wins=[],
            empty_message="No wins on TikTok in the last 7 days. Try `/wins top 30d`.",
        )
    ),
    "digest": lambda: render_digest(digest(), chart_url=CHART),
    "digest_quiet": lambda: render(
        digest(
            headlines=[Headline(label="Posts", value=0, previous=0)],
            top_wins=[],
            more_wins=0,
            campaigns=[],
            case_studies=[],
            quiet_message="A quiet week: no posts from leadership accounts.",
        )
    ),
    "case_studies": lambda: render(
        CaseStudyListView(
            title="Case studies",
            case_studies=[case_study(), case_study(id=8, author=None, private_to="C0PRIVATE")],
            more=2,
        )
    ),
    "help": lambda: render(HELP, command="/wins"),
    "error": lambda: render(
        ErrorView(
            message="I don't know the tag #recruting.",
            suggestion="Did you mean #recruiting?",
            usage="top [platform] [#tag] [7d|30d]",
        )
    ),
    "subscriptions": lambda: render(
        SubscriptionListView(title="Digests in this channel", subscriptions=subscriptions())
    ),
    "notice_ok": lambda: render(NoticeView(text="Saved as a case study for Dana's post.")),
    "notice_refused": lambda: render(
        NoticeView(text="Only workspace admins can unsubscribe this channel.", ok=False)
    ),
    "win_shared": lambda: render_win(wins()[0], shared_by="U0SHARER"),
}


def check_golden(name: str, message: dict[str, Any]) -> None:
    path = GOLDEN / f"{name}.json"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        GOLDEN.mkdir(exist_ok=True)
        text = json.dumps(message, indent=2, ensure_ascii=False) + "\n"
        path.write_text(text, encoding="utf-8")
        return
    assert path.exists(), f"{path} is missing: run UPDATE_GOLDEN=1 pytest {__file__}"
    assert json.loads(path.read_text(encoding="utf-8")) == message, (
        f"{name} changed: if intended, run UPDATE_GOLDEN=1 and review the diff"
    )


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
