"""Block Kit rendering: golden files for what people see; limits and text for what Slack takes.

Golden files are the reviewable picture of each message (paste one into Block Kit Builder to see
it). Regenerate after an intended change with ``UPDATE_GOLDEN=1 pytest tests/chat/slack`` and
review the diff. Every render in this file also goes through ``assert_slack_accepts``: the
limits Slack enforces with ``invalid_blocks``, slack_sdk's own Block Kit models (which parse
each block back to the same JSON), and that nothing anyone wrote can become markup: there is
no mrkdwn at all, and the only mention element is the sharer we were given.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from slack_sdk.models.blocks import Block

from adapters.chat.slack.blocks import (
    SHARE_CASE_ACTION,
    SHARE_WIN_ACTION,
    render,
    render_digest,
    render_win,
)
from adapters.chat.slack.mrkdwn import fit_plain
from adapters.chat.slack.story_form import ADD_STORY_ACTION
from bot.domain.formatting import where
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
LOOKALIKES = set("∗ˍ∼ˋ\u2060")  # what the old escaping swapped in; nothing may add them now


# --- a validator for what Slack would reject ----------------------------------------------


def slack_len(text: str) -> int:
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


# "&" only as one of the three entities Slack asks for in plain_text and the fallback.
_BAD_AMP = re.compile(r"&(?!amp;|lt;|gt;)")
BLOCKS = {"header", "context", "rich_text", "actions", "divider", "image"}
STYLES = {"bold", "italic", "code", "strike"}
SHARER = "U0SHARER"


def check_plain(obj: dict[str, Any], limit: int) -> None:
    """plain_text is never formatted: Slack only wants "&<>" as entities, and no emoji codes."""
    assert obj["type"] == "plain_text" and obj["emoji"] is False
    text = obj["text"]
    assert isinstance(text, str) and text.strip(), "Slack rejects blank text"
    assert 1 <= slack_len(text) <= limit, (slack_len(text), limit)
    assert not _BAD_AMP.search(text) and "<" not in text and ">" not in text, text[:200]


def element_size(element: dict[str, Any]) -> int:
    kind = element["type"]
    if kind == "text":
        return slack_len(element["text"])
    if kind == "link":
        return slack_len(element["url"]) + slack_len(element["text"])
    return slack_len(element.get("fallback", "")) + 20


def check_rich_text(block: dict[str, Any]) -> None:
    """Text elements carry any text as is; mentions, links and dates only as we made them."""
    assert set(block) == {"type", "elements"} and block["elements"]
    total = 0
    for section in block["elements"]:
        assert section["type"] == "rich_text_section" and section["elements"]
        for element in section["elements"]:
            kind = element["type"]
            assert kind in {"text", "link", "date", "emoji", "user"}, kind
            assert set(element.get("style", {})) <= STYLES
            if kind == "text":
                assert isinstance(element["text"], str) and element["text"], element
            elif kind == "link":
                assert re.fullmatch(r"https?://[^\s|<>]+", element["url"]), element["url"]
                assert element["text"] == "View post"
            elif kind == "date":
                assert isinstance(element["timestamp"], int) and element["fallback"]
                assert element["format"] == "{date_short}"
            elif kind == "emoji":
                # Standard Slack emoji only (a custom name would show as ":name:").
                assert element["name"] in {
                    "warning", "no_entry", "chart_with_upwards_trend", "small_red_triangle_down",
                }  # fmt: skip
            else:
                assert element["user_id"] == SHARER, "only the sharer is ever mentioned"
            total += element_size(element)
    # Slack documents no size for rich text; we hold it to the section limit it replaced.
    assert total <= 3_000, total


def check_block(block: dict[str, Any]) -> None:
    kind = block["type"]
    assert kind in BLOCKS, kind
    if kind == "header":
        check_plain(block["text"], 150)
    elif kind == "rich_text":
        check_rich_text(block)
    elif kind == "actions":
        assert 1 <= len(block["elements"]) <= 25
        for button in block["elements"]:
            assert button["type"] == "button"
            check_plain(button["text"], 75)
            assert button["action_id"] in {SHARE_WIN_ACTION, SHARE_CASE_ACTION, ADD_STORY_ACTION}
            assert 1 <= len(button["value"]) <= 2_000
    elif kind == "context":
        assert 1 <= len(block["elements"]) <= 10
        for element in block["elements"]:
            check_plain(element, 3_000)
    elif kind == "image":
        assert 1 <= slack_len(block["alt_text"]) <= 2_000
        assert len(block["image_url"]) <= 3_000
        assert block["image_url"].startswith("https://")
    # Slack's own models (slack_sdk) parse the block and give back the very same JSON.
    parsed = Block.parse(block)
    assert parsed is not None
    parsed.validate_json()
    assert parsed.to_dict() == block


def assert_slack_accepts(message: dict[str, Any]) -> None:
    assert set(message) == {"text", "blocks"}
    text = message["text"]
    assert 1 <= slack_len(text) <= 3_000
    assert "<" not in text and ">" not in text and not _BAD_AMP.search(text)
    assert 1 <= len(message["blocks"]) <= 50
    for block in message["blocks"]:
        check_block(block)
    # Nothing anywhere is parsed as markup: no mrkdwn object, in any block.
    assert not any(obj.get("type") == "mrkdwn" for obj in objects(message))
    json.dumps(message)  # ready for the Web API as is


def objects(value: Any) -> Iterator[dict[str, Any]]:
    if isinstance(value, dict):
        yield value
        for child in value.values():
            yield from objects(child)
    elif isinstance(value, list):
        for child in value:
            yield from objects(child)


def all_text(message: dict[str, Any]) -> str:
    return json.dumps(message, ensure_ascii=False)


def elements(value: Any) -> Iterator[dict[str, Any]]:
    """Every element of every rich text block, in reading order."""
    if isinstance(value, dict):
        if value.get("type") == "rich_text_section":
            yield from value["elements"]
        else:
            for child in value.values():
                yield from elements(child)
    elif isinstance(value, list):
        for child in value:
            yield from elements(child)


def texts(message: dict[str, Any]) -> list[str]:
    """The text of every rich text ``text`` element: the words as the reader gets them."""
    return [e["text"] for e in elements(message) if e["type"] == "text"]


def rich(message: dict[str, Any]) -> str:
    """The message's rich text as one string, in reading order: what a reader sees and copies
    (a date as its fallback, an emoji as its name, a mention as "@" and the id)."""
    shown = {"text": "text", "link": "text", "date": "fallback", "emoji": "name", "user": "user_id"}
    marks = {"emoji": ":", "user": "@"}
    return "".join(marks.get(e["type"], "") + e[shown[e["type"]]] for e in elements(message))


def shown(message: dict[str, Any]) -> str:
    """All text a reader sees, rich and plain."""
    pieces = [rich(message)]
    for block in message["blocks"]:
        for obj in (block.get("text"), *block.get("elements", [])):
            if isinstance(obj, dict) and obj.get("type") == "plain_text":
                pieces.append(html.unescape(obj["text"]))
    return "\n".join(pieces)


def cut_as_written(written: str, limit: int) -> str:
    """What a value of ``limit`` characters shows, by the rule (not the renderer's code): the
    text itself; or its start, in whole characters, ending in "…"; or "–" if it is blank."""
    if not written.strip():
        return "–"
    if slack_len(written) <= limit:
        return written
    kept, used = "", 0
    for char in written:
        if used + slack_len(char) > limit - 1:
            break
        kept, used = kept + char, used + slack_len(char)
    return kept.rstrip() + "…"


def more_line(message: dict[str, Any]) -> str:
    last = message["blocks"][-1]
    assert last["type"] == "context"
    text = last["elements"][0]["text"]
    assert isinstance(text, str)
    return text


def buttons(message: dict[str, Any]) -> list[dict[str, Any]]:
    return [e for b in message["blocks"] if b["type"] == "actions" for e in b["elements"]]


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
    "digest_trend": lambda: render_digest(views.trend_digest("slack"), chart_url=CHART),
    "digest_quiet": lambda: render(views.quiet_digest("slack")),
    "case_studies": lambda: render(views.case_study_list("slack", "C0PRIVATE")),
    "case_study_as_written": lambda: render(views.as_written_case_study_list("slack")),
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


# --- text as written ----------------------------------------------------------------------


def test_a_case_study_reaches_the_reader_exactly_as_written() -> None:
    body = "acme_hr uses *stars* and `code` in America/Los_Angeles: /wins subscribe #hr"
    message = render(CaseStudyListView(title="Stories", case_studies=[case_study(body=body)]))
    assert_slack_accepts(message)
    assert body in rich(message)
    assert not LOOKALIKES & set(all_text(message))


def test_hostile_text_stays_text_and_pings_nobody() -> None:
    hostile = make_win(
        1,
        reason="<!channel> *urgent* & <@U999>",
        post_text="<!here> `rm -rf` _hi_ @here",
        account="<#C1>",
        campaign="<!everyone>",
    )
    message = render(WinListView(title="<!channel> *wins*", wins=[hostile]))
    assert_slack_accepts(message)
    assert "\n<!channel> *urgent* & <@U999>\n“<!here> `rm -rf` _hi_ @here”\n" in rich(message)
    assert texts(message)[:2] == ["#1  ", "LinkedIn · <#C1>"]  # its number, for `/wins why 1`
    assert message["blocks"][0]["text"]["text"] == "&lt;!channel&gt; *wins*"  # plain_text
    kinds = {element["type"] for element in elements(message)}
    assert kinds <= {"text", "date", "link"}  # no broadcast, user, channel or usergroup


def test_zones_handles_and_commands_are_not_respelled() -> None:
    digest_view = digest(timezone="America/Los_Angeles")
    assert "16–22 Nov 2026 (2026-W47) · America/Los_Angeles" in shown(render_digest(digest_view))
    listed = render(SubscriptionListView(title="Digests", subscriptions=subscriptions()))
    assert "\nevery Friday at 16:30 (America/New_York) · paused" in rich(listed)
    assert "Bluesky · acme_hr.bsky.social" in texts(render(views.win_list()))


def test_the_cores_command_spans_are_drawn_as_code_without_backticks() -> None:
    notice = render(NoticeView(text="Subscribed. Type `wins unsubscribe` to stop it."))
    assert_slack_accepts(notice)
    section = next(elements(notice["blocks"][0]["elements"][0]))
    assert section == {"type": "text", "text": "Subscribed. Type "}
    assert list(elements(notice))[1] == {
        "type": "text",
        "text": "/wins unsubscribe",
        "style": {"code": True},
    }
    assert not any("`" in text for text in texts(notice))
    assert notice["text"] == "Subscribed. Type /wins unsubscribe to stop it."
    error = render(ErrorView(message="I don't know `linkdin`.", usage="top [platform]"))
    codes = [e["text"] for e in elements(error) if e.get("style") == {"code": True}]
    assert codes == ["linkdin", "/wins top [platform]"]


def test_plain_text_cuts_never_split_an_entity() -> None:
    for source in ("&" * 5_000, "a&" * 5_000, "<>" * 5_000, "😀&" * 2_000):
        cut = fit_plain(source, 3_000)
        assert slack_len(cut) <= 3_000
        assert cut.endswith("…")
        assert not _BAD_AMP.search(cut)


def test_links_only_for_plain_http_urls() -> None:
    def links(url: str) -> list[dict[str, Any]]:
        message = render(WinListView(title="t", wins=[make_win(1, post_url=url)]))
        assert_slack_accepts(message)
        return [e for e in elements(message) if e["type"] == "link"]

    url = "https://example.com/p?a=1&b=2"
    assert links(url) == [{"type": "link", "url": url, "text": "View post"}]
    for unsafe in ("javascript:alert(1)", "https://x.io/a|<!channel>", "https://x.io/a b"):
        assert links(unsafe) == []
        message = render(WinListView(title="t", wins=[make_win(1, post_url=unsafe)]))
        assert unsafe in rich(message)  # still shown, as text


def test_fallback_text_is_the_words_with_only_entities() -> None:
    message = render(NoticeView(text="@channel <!here> saved_it & *done*"))
    assert_slack_accepts(message)
    # Inert as is: senders post with parse=none and no link_names, so "@channel" is letters.
    assert message["text"] == "@channel &lt;!here&gt; saved_it &amp; *done*"


# --- limits -------------------------------------------------------------------------------


def test_two_hundred_wins_stay_within_fifty_blocks_and_count_the_rest() -> None:
    many = [make_win(i) for i in range(200)]
    message = render(WinListView(title="All wins", wins=many, more=7))
    assert_slack_accepts(message)
    shown_wins = buttons(message)
    assert 0 < len(shown_wins) < 200
    assert more_line(message) == f"…and {200 - len(shown_wins) + 7} more wins"


def test_ten_thousand_character_texts_stay_within_block_limits() -> None:
    huge = make_win(
        1,
        reason="&<*" * 3_400,
        post_text="word " * 2_000,
        account="a_" * 5_000,
        post_url="https://example.com/" + "p" * 10_000,
    )
    for message in (
        render(WinListView(title="T" * 10_000, wins=[huge])),
        render_win(huge, shared_by=SHARER),
        render_digest(digest(top_wins=[huge] * 40, campaigns=[], case_studies=[])),
    ):
        assert_slack_accepts(message)
        assert "\n" + "&<*" * 333 + "…\n" in rich(message)  # 1,000 characters, as written


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
    assert "…and 140 more wins" in shown(message)
    assert "…and 30 more campaigns" in shown(message)


def test_long_help_and_subscription_lists_are_cut_with_a_count() -> None:
    long_help = HelpView(commands=[(f"cmd{i} " + "x" * 400, "y" * 600) for i in range(500)])
    assert_slack_accepts(render(long_help))
    subs = subscriptions() * 100
    message = render(SubscriptionListView(title="All", subscriptions=subs))
    assert_slack_accepts(message)
    count = sum(1 for b in message["blocks"] if b["type"] == "rich_text")
    assert more_line(message) == f"…and {200 - count} more subscriptions"


def test_unsafe_chart_url_is_left_out() -> None:
    message = render_digest(digest(), chart_url="javascript:alert(1)")
    assert all(block["type"] != "image" for block in message["blocks"])


# --- actions and mentions -----------------------------------------------------------------


def test_share_button_carries_the_win_id_under_its_win() -> None:
    message = render(WinListView(title="Wins", wins=[make_win(4242)]))
    assert [b["type"] for b in message["blocks"]] == ["header", "rich_text", "actions"]
    button = message["blocks"][2]["elements"][0]
    assert button["action_id"] == SHARE_WIN_ACTION
    assert button["value"] == "4242"


def test_unshareable_lists_and_digests_have_no_buttons() -> None:
    assert buttons(render(WinListView(title="Wins", wins=wins(), shareable=False))) == []
    assert buttons(render_digest(digest(), chart_url=CHART)) == []


def test_private_case_study_offers_no_share_button() -> None:
    message = render(
        CaseStudyListView(
            title="Stories", case_studies=[case_study(id=1), case_study(id=2, private_to="C0P")]
        )
    )
    assert [(b["action_id"], b["value"]) for b in buttons(message)] == [(SHARE_CASE_ACTION, "1")]


def test_shared_win_mentions_only_the_sharer_once() -> None:
    hostile = make_win(1, reason="<@U999> <!channel> did it", post_text="<@U998>")
    message = render_win(hostile, shared_by=SHARER)
    assert_slack_accepts(message)
    mentions = [e for e in elements(message) if e["type"] == "user"]
    assert mentions == [{"type": "user", "user_id": SHARER}]
    assert "\n<@U999> <!channel> did it\n" in rich(message)  # letters, not mentions
    assert [b["action_id"] for b in buttons(message)] == [ADD_STORY_ACTION]  # the story form


def test_shared_win_without_sharer_mentions_nobody() -> None:
    assert all(e["type"] != "user" for e in elements(render_win(make_win(1))))


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
    yield render_win(win, shared_by=SHARER)
    yield render_digest(
        digest(
            audience=Audience(name=text, tags=(text,), accounts=(text,)),
            period_text=text,
            timezone=text,
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
def test_nasty_strings_render_within_limits_and_as_written(text: str) -> None:
    for message in renders_of(text):
        assert_slack_accepts(message)
        assert not (LOOKALIKES - set(text)) & set(all_text(message))
    assert f"\n{cut_as_written(text, 1_000)}\n" in rich(render_win(make_win(1, reason=text)))


# Random text rarely forms markup, so half the examples are built from markup pieces.
MARKUP_HEAVY = st.lists(
    st.sampled_from(
        [*"&<>*_~`@!|: \n😀x", "https://", "<!channel>", "@here", "&amp;", "<@U1|x>", "#hr"]
    ),
    max_size=2_000,
).map("".join)
ANY_TEXT = st.one_of(st.text(max_size=4_000), MARKUP_HEAVY)


@settings(max_examples=200, deadline=None)
@given(ANY_TEXT)
def test_any_text_renders_within_limits(text: str) -> None:
    for message in renders_of(text):
        assert_slack_accepts(message)


@settings(max_examples=200, deadline=None)
@given(ANY_TEXT)
def test_any_text_reaches_the_reader_as_written(text: str) -> None:
    # Whatever anyone wrote is in the message's rich text as written (or its cut start), with
    # no character swapped, escaped or read as markup, and no mention but the sharer beside it.
    win = make_win(1, reason=text, account=text, platform=None, post_text=None)
    message = render_win(win, shared_by=SHARER)
    assert texts(message)[0] == cut_as_written(where(win), 220)  # the bold head
    assert f"\n{cut_as_written(text, 1_000)}\nEngagement 1.2k" in rich(message)
    assert [e["type"] for e in elements(message)].count("user") == 1
    case = case_study(win_reason=text or None, author=text, body=text)
    listed = render(CaseStudyListView(title="Stories", case_studies=[case]))
    byline = cut_as_written(text, 200) if text.strip() else "anonymous"
    assert rich(listed).startswith(f"{byline} · 19 Nov 2026\n")
    if text:
        assert f"About: {cut_as_written(text, 600)}\n" in rich(listed)
