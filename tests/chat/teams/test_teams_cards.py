"""Adaptive Card rendering: golden files for what people see; limits and text for Teams.

Golden files are the reviewable picture of each card (paste one into the Adaptive Cards Designer,
https://adaptivecards.io/designer, host app "Microsoft Teams", or draw it with
``shared/tools/render-card``). Regenerate after an intended change with ``UPDATE_GOLDEN=1 pytest
tests/chat/teams`` and review the diff. Every card in this file also goes through
``assert_teams_accepts``: the card shape, the elements and actions we allow, the 28 KB limit,
and that all text is in TextRuns, which Teams never reads as Markdown: no TextBlock or FactSet.
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

from adapters.chat.teams.cards import (
    CARD_CONTENT_TYPE,
    MAX_CARD_BYTES,
    SHARE_CASE,
    SHARE_WIN,
    attachment,
    plain_text,
    render,
    render_case_share,
    render_digest,
    render_win,
)
from adapters.chat.teams.story_form import ADD_STORY
from adapters.chat.teams.text import WORD_JOINER, clean, fit
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
    "**bold** _italic_ ~~strike~~ `code` ```block```",
    "[click me](https://evil.example) ![img](https://evil.example/x.png) <https://evil.example>",
    '<at>Everyone</at> <at id="0">Dana</at> @General',
    "- list\n* star\n+ plus\n1. one\n2) two\n# Heading\n> quote\n---\n===",
    "[a]: https://evil.example\n\n[a] and [a][]",
    "\\*not bold\\* \\[x\\](y) \\",
    "&lt;at&gt;x&lt;/at&gt; &amp; Q&A <script>alert(1)</script>",
    "{{DATE(2017-02-14T06:00:00Z, SHORT)}} {{TIME(2017-02-14T06:00:00Z)}}",
    "😀" * 3_000,
    "\\" * 10_000,
    "x" * 10_000,
    "",
    " \n\t ",
    "\u200b\u2060\ufeff",
    "\x00\x07\x1b[31m\u202eevil\u202c",
    "https://example.com/a b",
]
LOOKALIKES = set("⧵∗ˍ∼ˋ［］‹›‐＋＝＃․）")  # what the old escaping swapped in; none may appear now


# --- a validator for what Teams would reject or read as markup -------------------------------

ELEMENTS = {"RichTextBlock", "Container", "ColumnSet", "Column", "Image", "ActionSet", "Chart.Line"}
CHART_KEYS = {"type", "title", "colorSet", "data", "fallback"}
RUN_KEYS = {"type", "text", "weight", "isSubtle", "color", "size", "fontType"}
DISGUISES = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
ID_KEYS = {SHARE_WIN: "win_id", SHARE_CASE: "case_id"}


def check_runs(block: dict[str, Any]) -> None:
    """A RichTextBlock of TextRuns: plain strings, styled only by their properties."""
    assert set(block) <= {"type", "inlines", "spacing", "separator"}, set(block)
    runs = block["inlines"]
    assert runs and any(r["text"].strip() for r in runs), "Teams draws a blank block as nothing"
    for run in runs:
        assert run["type"] == "TextRun" and set(run) <= RUN_KEYS, run
        text = run["text"]
        assert isinstance(text, str) and text, repr(text)
        assert not DISGUISES.search(text), repr(text[:200])
        assert not re.search(r"\{\{(DATE|TIME)\(", text), text[:200]  # no date function
        text.encode("utf-8")  # no lone surrogates


STORY_INPUTS = ["what_we_did", "result", "learned"]


def check_story_form(action: dict[str, Any]) -> None:
    """The "Add the story" ShowCard: three labelled multiline inputs and one submit."""
    assert set(action) == {"type", "title", "card"} and action["title"] == "Add the story"
    form = action["card"]
    assert form["type"] == "AdaptiveCard" and set(form) == {"type", "body", "actions"}
    assert [field["id"] for field in form["body"]] == STORY_INPUTS
    for field in form["body"]:
        assert field["type"] == "Input.Text" and field["isMultiline"] is True
        assert field["label"] and field["placeholder"] and 0 < field["maxLength"] <= 3_000
    [submit] = form["actions"]
    assert submit["type"] == "Action.Submit" and submit["title"] == "Save the story"
    data = submit["data"]
    assert set(data) == {"winsbot", "win_id"} and data["winsbot"] == ADD_STORY
    assert isinstance(data["win_id"], int)


def check_action(action: dict[str, Any]) -> None:
    assert action["type"] in {"Action.Submit", "Action.OpenUrl", "Action.ShowCard"}
    if action["type"] == "Action.ShowCard":
        check_story_form(action)
        return
    assert action["title"] in {"View post", "Share to channel", "Share beyond this channel"}
    if action["type"] == "Action.OpenUrl":
        assert re.match(r"https?://[^\s<>\"]+$", action["url"]), action["url"][:200]
        assert action["url"].isascii()
    else:
        data = action["data"]
        assert set(data) == {"winsbot", ID_KEYS[data["winsbot"]]}
        assert isinstance(data[ID_KEYS[data["winsbot"]]], int)


def check_element(element: dict[str, Any]) -> None:
    kind = element["type"]
    assert kind in ELEMENTS, kind  # never a TextBlock or FactSet: both read Markdown
    if kind == "RichTextBlock":
        check_runs(element)
    elif kind in {"Container", "Column"}:
        assert element["items"]
        for child in element["items"]:
            check_element(child)
    elif kind == "ColumnSet":
        for column in element["columns"]:
            assert column["type"] == "Column"
            check_element(column)
    elif kind == "Chart.Line":
        # Teams draws it; other hosts (and the reference renderer) show the fallback's numbers.
        assert set(element) <= CHART_KEYS and element["data"], set(element)
        xs = [[point["x"] for point in series["values"]] for series in element["data"]]
        assert all(x == xs[0] for x in xs), "every line over the same weeks"
        for series in element["data"]:
            assert set(series) == {"legend", "values"} and series["legend"].strip()
            assert all(isinstance(point["y"], int) for point in series["values"])
        assert element["fallback"]["type"] == "RichTextBlock"
        check_runs(element["fallback"])
    elif kind == "Image":
        assert element["url"].startswith("https://")
        assert isinstance(element["altText"], str) and element["altText"].strip()
    else:
        assert 1 <= len(element["actions"]) <= 20
        for action in element["actions"]:
            check_action(action)


def card_sizes(card: dict[str, Any]) -> tuple[int, int]:
    """(UTF-8 JSON, ASCII-escaped JSON as botbuilder sends it) in bytes."""
    return len(json.dumps(card, ensure_ascii=False).encode("utf-8")), len(json.dumps(card))


def assert_teams_accepts(card: dict[str, Any]) -> None:
    assert set(card) <= {"type", "$schema", "version", "body", "actions", "msteams"}
    assert card["type"] == "AdaptiveCard"
    assert card["version"] == "1.5"
    assert card["$schema"] == "http://adaptivecards.io/schemas/adaptive-card.json"
    assert card["msteams"] == {"width": "Full"}
    assert isinstance(card["body"], list) and 1 <= len(card["body"]) <= 50
    for element in card["body"]:
        check_element(element)
    assert 1 <= len(card.get("actions", [1])) <= 20
    for action in card.get("actions", []):
        check_action(action)
    assert max(card_sizes(attachment(card))) < MAX_CARD_BYTES
    assert json.loads(json.dumps(card)) == card  # plain JSON, nothing botbuilder-specific


def runs(value: Any) -> Iterator[dict[str, Any]]:
    """Every TextRun, in reading order."""
    if isinstance(value, dict):
        if value.get("type") == "TextRun":
            yield value
        for child in value.values():
            yield from runs(child)
    elif isinstance(value, list):
        for child in value:
            yield from runs(child)


def texts(value: Any) -> Iterator[str]:
    """Every string Teams shows as text: the TextRuns (and an image's alt text)."""
    if isinstance(value, dict):
        if value.get("type") == "TextRun":
            yield value["text"]
        elif isinstance(value.get("altText"), str):
            yield value["altText"]
        for child in value.values():
            yield from texts(child)
    elif isinstance(value, list):
        for child in value:
            yield from texts(child)


def paragraph(element: dict[str, Any]) -> str:
    assert element["type"] == "RichTextBlock"
    return "".join(run["text"] for run in element["inlines"])


def actions(card: dict[str, Any]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            if str(value.get("type", "")).startswith("Action."):
                found.append(value)
            for child in value.values():
                walk(child)
        elif isinstance(value, list):
            for child in value:
                walk(child)

    walk(card)
    return found


def submits(card: dict[str, Any]) -> list[dict[str, Any]]:
    return [a["data"] for a in actions(card) if a["type"] == "Action.Submit"]


def last_text(card: dict[str, Any]) -> str:
    return paragraph(card["body"][-1])


# --- realistic views ------------------------------------------------------------------------


def case_study(**fields: Any) -> CaseStudy:
    return views.case_study("teams", **fields)


def digest(**fields: Any) -> DigestView:
    return views.digest("teams", **fields)


def subscriptions() -> list[Subscription]:
    return views.subscriptions(
        Chat.TEAMS,
        ("19:leaders@thread.tacv2", "19:hiring@thread.tacv2"),
        "the bot was removed from the team; add it back under Manage team",
    )


HELP = HelpView(
    title="How to use @winsbot wins",
    commands=[
        ("@winsbot wins top [platform] [#tag] [7d|30d]", "Top wins for a period, filtered"),
        ("@winsbot wins digest [department]", "This week's digest, as subscribers get it"),
        ("@winsbot wins subscribe [department] [monday 09:00]", "Post a digest here weekly"),
        ("@winsbot wins cases", "Case studies people have written"),
    ],
    examples=["@winsbot wins linkedin 30d", "@winsbot wins #recruiting", "/wins peers 2w"],
)
NOTICE = NoticeView(text="Saved as a case study for Dana's post.")

GOLDEN_CASES: dict[str, Callable[[], dict[str, Any]]] = {
    "win_list": lambda: render(views.win_list()),
    "win_list_empty": lambda: render(views.empty_win_list("@winsbot wins 30d")),
    "digest": lambda: render_digest(digest(), chart_url=CHART),
    "digest_trend": lambda: render_digest(views.trend_digest("teams"), chart_url=CHART),
    "digest_quiet": lambda: render(views.quiet_digest("teams")),
    "case_studies": lambda: render(views.case_study_list("teams", "19:private")),
    "case_study_as_written": lambda: render(views.as_written_case_study_list("teams")),
    "help": lambda: render(HELP),
    "error": lambda: render(
        views.unknown_tag("Type `@winsbot wins help` to see what I understand.")
    ),
    "subscriptions": lambda: render(
        SubscriptionListView(title="Digests in this channel", subscriptions=subscriptions())
    ),
    "notice_ok": lambda: render(NOTICE),
    "notice_refused": lambda: render(
        NoticeView(text="Only team owners can unsubscribe this channel.", ok=False)
    ),
    "win_shared": lambda: render_win(wins()[0], shared_by="Dana Okafor"),
    "case_share": lambda: render_case_share(NOTICE, 7),
}


def check_golden(name: str, rendered: dict[str, Any]) -> None:
    views.check_golden(GOLDEN, name, rendered)


@pytest.mark.parametrize("name", sorted(GOLDEN_CASES))
def test_render_matches_golden_file(name: str) -> None:
    card = GOLDEN_CASES[name]()
    assert_teams_accepts(card)
    check_golden(name, card)


# --- text as written ------------------------------------------------------------------------


def test_a_case_study_reaches_the_reader_exactly_as_written() -> None:
    body = "acme_hr uses *stars* and `code` in America/Los_Angeles: /wins subscribe #hr"
    card = render(CaseStudyListView(title="Stories", case_studies=[case_study(body=body)]))
    assert_teams_accepts(card)
    assert body in texts(card)
    assert not LOOKALIKES & set(json.dumps(card, ensure_ascii=False))


def test_hostile_win_text_stays_text() -> None:
    hostile = make_win(
        1,
        reason="**urgent** [log in](https://evil.example) <at>Everyone</at>",
        post_text="- 1. _hi_ ![x](https://evil.example/p.png)",
        account="<at>ceo</at>",
    )
    card = render(WinListView(title="[wins](https://evil.example)", wins=[hostile]))
    assert_teams_accepts(card)
    shown = list(texts(card))
    assert "**urgent** [log in](https://evil.example) <at>Everyone</at>" in shown
    assert "“- 1. _hi_ ![x](https://evil.example/p.png)”" in shown
    assert "LinkedIn · <at>ceo</at>" in shown and "[wins](https://evil.example)" in shown
    assert "entities" not in json.dumps(card)  # an <at> only mentions with an entity beside it
    assert [a["url"] for a in actions(card) if a["type"] == "Action.OpenUrl"] == [
        "https://www.linkedin.com/feed/update/urn:li:activity:1"
    ]


def test_a_date_function_shows_as_typed_not_as_a_date() -> None:
    typed = "launch {{DATE(2017-02-14T06:00:00Z, SHORT)}}"
    card = render(WinListView(title="t", wins=[make_win(1, reason=typed)]))
    assert_teams_accepts(card)
    reason = list(texts(card))[4]  # after the win's number and where it happened
    assert reason != typed and reason.replace(WORD_JOINER, "") == typed  # reads the same


def test_zones_handles_and_commands_are_not_respelled() -> None:
    card = render_digest(digest(timezone="America/Los_Angeles"))
    assert "16–22 Nov 2026 (2026-W47) · America/Los_Angeles" in texts(card)
    listed = render(SubscriptionListView(title="Digests", subscriptions=subscriptions()))
    assert "every Friday at 16:30 (America/New_York) · paused" in texts(listed)
    assert "Bluesky · acme_hr.bsky.social" in texts(render(views.win_list()))


def test_the_cores_command_spans_are_monospace_without_backticks() -> None:
    card = render(NoticeView(text="Subscribed. Type `wins unsubscribe` to stop it."))
    assert_teams_accepts(card)
    assert card["body"][0]["inlines"] == [
        {"type": "TextRun", "text": "Subscribed. Type "},
        {"type": "TextRun", "text": "@winsbot wins unsubscribe", "fontType": "monospace"},
        {"type": "TextRun", "text": " to stop it."},
    ]
    error = render(ErrorView(message="I don't know `linkdin`.", usage="top [platform]"))
    code = [r["text"] for r in runs(error) if r.get("fontType") == "monospace"]
    assert code == ["linkdin", "@winsbot wins top [platform]"]
    assert not any("`" in text for text in texts(error))


def test_view_post_only_for_plain_http_urls() -> None:
    def open_urls(url: str) -> list[str]:
        card = render(WinListView(title="t", wins=[make_win(1, post_url=url)]))
        assert_teams_accepts(card)
        return [a["url"] for a in actions(card) if a["type"] == "Action.OpenUrl"]

    assert open_urls("http://example.com/p?a=1&b=2") == ["http://example.com/p?a=1&b=2"]
    for unsafe in (
        "javascript:alert(1)",
        "data:text/html,<script>",
        "https://",
        "https://x.io/a b",
        'https://x.io/"><at>',
        "https://exämple.com/p",
        "https://x.io/" + "p" * 3_000,
        "http://[::1",
    ):
        assert open_urls(unsafe) == [], unsafe


def test_unsafe_or_plain_http_chart_is_left_out() -> None:
    for url in ("javascript:alert(1)", "http://wins.example.org/chart.png"):
        card = render_digest(digest(), chart_url=url)
        assert all(element["type"] != "Image" for element in card["body"])
    chart = render_digest(digest(), chart_url=CHART)
    assert [e["url"] for e in chart["body"] if e["type"] == "Image"] == [CHART]


def test_plain_text_summarises_in_the_words_as_written() -> None:
    listed = WinListView(title="Top wins", wins=wins(), more=4)
    assert plain_text(listed) == "Top wins: 7 wins"
    assert plain_text(digest()) == "Social media wins: Leadership, 16–22 Nov 2026: 8 wins"
    assert plain_text(NoticeView(text="<at>all</at> **saved**")) == "<at>all</at> **saved**"
    assert plain_text(NoticeView(text="Type `wins help`.")) == "Type @winsbot wins help."
    assert plain_text(WinListView(title="Wins", wins=[], more=3)) == "Wins: no wins"
    assert plain_text(NoticeView(text=" ")) == "winsbot"
    assert len(plain_text(ErrorView(message="x" * 10_000))) <= 300


# --- limits ---------------------------------------------------------------------------------


def test_two_hundred_wins_fit_and_count_the_rest() -> None:
    card = render(WinListView(title="All wins", wins=[make_win(i) for i in range(200)], more=7))
    assert_teams_accepts(card)
    shown = len(submits(card))
    assert 0 < shown < 200
    assert last_text(card) == f"…and {200 - shown + 7} more wins"
    assert [data["win_id"] for data in submits(card)] == list(range(shown))


def test_ten_thousand_character_inputs_fit() -> None:
    huge = make_win(
        1,
        reason="*<[" * 3_400,
        post_text="word " * 2_000,
        account="a_" * 5_000,
        campaign="😀" * 10_000,
        post_url="https://example.com/" + "p" * 10_000,
    )
    emoji = "😀" * 10_000
    cards = [
        render(WinListView(title="T" * 10_000, wins=[huge] * 5, more=1)),
        render_win(huge, shared_by=emoji),
        render_digest(digest(top_wins=[huge] * 40, campaigns=[], case_studies=[])),
        render(ErrorView(message=emoji, suggestion=emoji, usage=emoji)),
        render(NoticeView(text=emoji, ok=False)),
        render_case_share(NoticeView(text=emoji), 3),
        render(CaseStudyListView(title=emoji, case_studies=[case_study(body=emoji)] * 30)),
    ]
    for card in cards:
        assert_teams_accepts(card)
    win_texts = list(texts(cards[1]["body"][0]))
    assert len(win_texts[2]) == 500 and win_texts[2].endswith("…")  # the reason
    assert win_texts[2].startswith("*<[*<[")  # as written, not escaped
    assert len(win_texts[3]) <= 202  # the excerpt in quotes
    case_body = list(texts(cards[-1]["body"][1]))[2]
    assert len(case_body) == 1_000 and case_body.endswith("…")


def test_digest_with_every_field_at_its_limit_still_shows_its_head() -> None:
    emoji = "😀" * 10_000
    huge = digest(
        audience=Audience(name=emoji, tags=(emoji,)),
        period_text=emoji,
        period_label=emoji,
        timezone=emoji,
        headlines=[Headline(label=emoji, value=10**15, previous=1)] * 30,
        top_wins=[make_win(1, reason=emoji, post_text=emoji, account=emoji)] * 30,
        quiet_message=emoji,
        campaigns=[digest().campaigns[0]] * 40,
        case_studies=[case_study(body=emoji, author=emoji, win_reason=emoji)] * 30,
    )
    card = render_digest(huge, chart_url=CHART + "?" + "x" * 1_900)
    assert_teams_accepts(card)
    assert paragraph(card["body"][0]).startswith("Social media wins: ")
    assert "…and " in last_text(card)


def test_busy_digest_counts_what_it_leaves_out() -> None:
    progress = digest().campaigns[0]
    card = render_digest(
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
    assert_teams_accepts(card)
    shown = " ".join(texts(card))
    assert "…and 140 more wins" in shown
    assert "…and 30 more campaigns" in shown and "…and 25 more case studies" in shown


def test_long_help_and_subscription_lists_are_cut_with_a_count() -> None:
    long_help = HelpView(commands=[(f"cmd{i} " + "x" * 400, "y" * 600) for i in range(500)])
    card = render(long_help)
    assert_teams_accepts(card)
    assert re.fullmatch(r"…and \d+ more commands", last_text(card))
    subs = subscriptions() * 100
    card = render(SubscriptionListView(title="All", subscriptions=subs))
    assert_teams_accepts(card)
    shown = sum(1 for element in card["body"] if element["type"] == "Container")
    assert last_text(card) == f"…and {200 - shown} more subscriptions"


# --- actions --------------------------------------------------------------------------------


def test_share_action_carries_the_win_id_under_its_win() -> None:
    card = render(WinListView(title="Wins", wins=[make_win(4242)]))
    container = card["body"][1]
    assert container["type"] == "Container"
    action_set = container["items"][-1]
    assert action_set["type"] == "ActionSet"
    assert action_set["actions"][-1] == {
        "type": "Action.Submit",
        "title": "Share to channel",
        "data": {"winsbot": SHARE_WIN, "win_id": 4242},
    }


def test_unshareable_lists_shared_wins_and_digests_offer_no_share() -> None:
    assert submits(render(WinListView(title="Wins", wins=wins(), shareable=False))) == []
    assert submits(render_digest(digest(), chart_url=CHART)) == []
    shared = render_win(wins()[0], shared_by="Dana")  # no share; the story form instead
    assert submits(shared) == [{"winsbot": ADD_STORY, "win_id": wins()[0].id}]


def test_private_case_study_offers_no_share() -> None:
    cases = [case_study(id=1), case_study(id=2, private_to="19:private")]
    card = render(CaseStudyListView(title="Stories", case_studies=cases))
    assert submits(card) == [{"winsbot": SHARE_CASE, "case_id": 1}]


def test_case_share_notice_offers_sharing_beyond_the_channel() -> None:
    card = render_case_share(NoticeView(text="Saved."), 12)
    assert_teams_accepts(card)
    assert card["actions"] == [
        {
            "type": "Action.Submit",
            "title": "Share beyond this channel",
            "data": {"winsbot": SHARE_CASE, "case_id": 12},
        }
    ]


def test_shared_by_is_plain_text_not_a_mention() -> None:
    card = render_win(make_win(1), shared_by="<at>Dana</at> **Okafor**")
    assert_teams_accepts(card)
    assert last_text(card) == "Shared by <at>Dana</at> **Okafor**"  # letters, not a mention
    assert "entities" not in json.dumps(card) and "mention" not in json.dumps(card)
    unshared = render_win(make_win(1))["body"]
    assert not any(text.startswith("Shared by") for text in texts(unshared))


def test_notice_styling_says_whether_it_worked() -> None:
    ok = render(NoticeView(text="Saved."))["body"][0]
    refused = render(NoticeView(text="Not allowed.", ok=False))["body"][0]
    assert all("color" not in run for run in runs(ok)) and paragraph(ok) == "Saved."
    assert all(run["color"] == "attention" for run in runs(refused))
    assert paragraph(refused) == "⛔ Not allowed."
    assert paragraph(render(NoticeView(text=" "))["body"][0]) == "Done."


def test_attachment_wraps_the_card() -> None:
    card = render(NOTICE)
    assert attachment(card) == {"contentType": CARD_CONTENT_TYPE, "content": card}
    assert CARD_CONTENT_TYPE == "application/vnd.microsoft.card.adaptive"


# --- any text at all ------------------------------------------------------------------------


def renders_of(text: str) -> Iterator[dict[str, Any]]:
    win = make_win(
        1, reason=text, post_text=text, account=text, campaign=text, post_url=text or None
    )
    yield render(WinListView(title=text, wins=[win] * 3, empty_message=text))
    yield render(WinListView(title=text, wins=[], empty_message=text))
    yield render_win(win, shared_by=text)
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
        chart_url=text if text.startswith("https://") else CHART,
    )
    yield render(CaseStudyListView(title=text, case_studies=[case_study(body=text)] * 2))
    yield render(HelpView(title=text, commands=[(text, text)], examples=[text]))
    yield render(ErrorView(message=text, suggestion=text or None, usage=text or None))
    yield render(NoticeView(text=text, ok=False))
    yield render_case_share(NoticeView(text=text), 1)
    sub = subscriptions()[1].model_copy(
        update={"audience": Audience(name=text, tags=(text,)), "broken_reason": text or None}
    )
    yield render(SubscriptionListView(title=text, subscriptions=[sub], empty_message=text))


@pytest.mark.parametrize("text", NASTY, ids=range(len(NASTY)))
def test_nasty_strings_render_within_limits_and_as_written(text: str) -> None:
    for card in renders_of(text):
        assert_teams_accepts(card)
        assert not (LOOKALIKES - set(text)) & set(json.dumps(card, ensure_ascii=False))
    as_written(list(texts(render_win(make_win(1, reason=text))))[2], text, 500)


# Random text rarely forms markup, so half the examples are built from markup pieces.
MARKUP_HEAVY = st.lists(
    st.sampled_from(
        [
            *"*_~`[]()<>\\#-+.!|=&{}\n\t 😀x1",
            "https://",
            "<at>a</at>",
            "](http://e.io)",
            "1. ",
            "{{DATE(2017-02-14T06:00:00Z)}}",
        ]
    ),
    max_size=2_000,
).map("".join)


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.text(max_size=4_000), MARKUP_HEAVY))
def test_any_text_renders_within_limits(text: str) -> None:
    for card in renders_of(text):
        assert_teams_accepts(card)
    summary = plain_text(NoticeView(text=text))
    assert summary and len(summary) <= 300 and not DISGUISES.search(summary)


def as_written(shown: str, written: str, limit: int) -> None:
    """``shown`` is ``written`` on one line (cleaned of control and bidi characters) exactly,
    or its start cut at ``limit`` and ended by "…"; a date function only gains a word joiner."""
    flat = " ".join(clean(written).split())
    shown = shown.replace(WORD_JOINER, "") if WORD_JOINER not in flat else shown
    if not flat:
        assert shown == "–"
    elif len(flat) <= limit:
        assert shown == flat
    else:
        assert shown.endswith("…") and len(shown) <= limit
        assert flat.startswith(shown[:-1])


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.text(max_size=4_000), MARKUP_HEAVY))
def test_any_text_reaches_the_reader_as_written(text: str) -> None:
    # Whatever anyone wrote is one TextRun: the input itself on one line (or its cut start),
    # with no character swapped or escaped, in a block Teams never reads as Markdown.
    win = make_win(1, reason=text, account=text, platform=None, post_text=None)
    shown = list(texts(render_win(win, shared_by=text)))
    as_written(shown[0], where(win), 200)
    as_written(shown[2], text, 500)
    if fit(text, 100):
        assert shown[-1] == f"Shared by {fit(text, 100)}"
    case = case_study(win_reason=text or None, author=text)
    listed = list(texts(render(CaseStudyListView(title=text, case_studies=[case]))))
    as_written(listed[0], text if fit(text, 200) else "winsbot", 200)  # the title
    byline = listed[1].removesuffix(" · 19 Nov 2026")
    as_written(byline, text if fit(text, 100) else "anonymous", 100)
    if text:
        assert listed[2].startswith("About: ")
        as_written(listed[2].removeprefix("About: "), text, 300)
