from __future__ import annotations

import io
from datetime import UTC, date, datetime

from rich.console import Console

from bot.cli.render import render_case_studies, render_digest, render_wins_table
from bot.domain.digest import compose_digest
from bot.domain.models import (
    Audience,
    Campaign,
    CampaignMetric,
    CampaignProgress,
    CaseStudy,
    Platform,
    Win,
    WinKind,
)
from bot.domain.periods import Period
from bot.domain.views import DigestView, PeriodStats

WEEK = Period(2026, 47, "Europe/London")
TUESDAY = datetime(2026, 11, 17, 9, tzinfo=UTC)


def make_win(id: int, score: float, **fields: object) -> Win:
    values: dict[str, object] = {
        "kind": WinKind.POST,
        "reason": f"Post {id} earned 3× its usual engagement (1,204 vs 400)",
        "occurred_at": TUESDAY,
        "detected_at": TUESDAY,
        "platform": Platform.LINKEDIN,
        "account": f"acme{id}",
        "post_url": f"https://example.com/posts/{id}",
        "post_text": "We shipped the thing.",
        "ratio": 2**score,  # the score is log2 of "times its usual"
    }
    values.update(fields)
    return Win.model_validate({"id": id, "score": score, **values})


def recording_console() -> Console:
    # Wide enough that no assertion depends on where rich wraps a line.
    return Console(record=True, width=160, color_system=None)


def busy_digest() -> DigestView:
    wins = [make_win(i, 10.0 - i) for i in range(1, 9)]
    campaign = Campaign(
        name="Winter pilot",
        metric=CampaignMetric.ENGAGEMENT,
        target=1_000,
        starts_on=date(2026, 11, 1),
        ends_on=date(2026, 11, 30),
    )
    case = CaseStudy(
        id=1,
        body="We asked a question instead of announcing; replies tripled.",
        author="Dana",
        win_reason="Post 1 earned 3× its usual engagement",
        created_at=TUESDAY,
    )
    return compose_digest(
        Audience(),
        WEEK,
        PeriodStats(posts=10, engagement=1_250, impressions=40_200, followers_gained=12),
        PeriodStats(posts=8, engagement=1_500, impressions=40_200, followers_gained=0),
        wins,
        [CampaignProgress(campaign=campaign, value=1_340, posts=6)],
        [case],
    )


def test_digest_shows_period_headlines_and_signed_changes() -> None:
    console = recording_console()

    render_digest(busy_digest(), console)

    text = console.export_text()
    assert "Social media wins: Leadership" in text
    assert "16–22 Nov 2026 (2026-W47)" in text
    assert "+25%" in text  # posts 8 -> 10
    assert "−17%" in text  # engagement 1,500 -> 1,250
    assert "40.2k" in text
    assert "new" in text  # followers from 0


def test_rises_are_green_and_falls_red() -> None:
    out = io.StringIO()
    console = Console(file=out, width=160, color_system="standard", force_terminal=True)

    render_digest(busy_digest(), console)

    assert "\x1b[32m+25%" in out.getvalue()
    assert "\x1b[31m−17%" in out.getvalue()


def test_digest_lists_wins_with_reason_link_and_the_count_left_out() -> None:
    console = recording_console()

    render_digest(busy_digest(), console)

    text = console.export_text()
    assert "Post 1 earned 3× its usual engagement (1,204 vs 400)" in text
    assert "LinkedIn · acme1" in text
    # How big in words, never a bare score: 2**9 = 512 times its usual.
    assert "512x its usual engagement" in text and "score" not in text
    assert "https://example.com/posts/1" in text
    assert "acme6" not in text
    assert "and 3 more wins" in text


def test_digest_shows_campaign_progress_and_case_studies() -> None:
    console = recording_console()

    render_digest(busy_digest(), console)

    text = console.export_text()
    assert "Winter pilot" in text
    assert "134%" in text
    assert "goal reached" in text
    assert "replies tripled" in text
    assert "Dana" in text


def test_user_text_cannot_inject_markup() -> None:
    win = make_win(
        1,
        5.0,
        account="[red]acme",
        reason="Reason with [bold]brackets[/bold]",
        post_text="Look at [link=https://evil.example]this[/link] \\[escaped]",
    )
    view = compose_digest(Audience(), WEEK, PeriodStats(posts=1), PeriodStats(), [win], [], [])
    console = recording_console()

    render_digest(view, console)
    render_wins_table([win], console)

    text = console.export_text()
    assert "Reason with [bold]brackets[/bold]" in text
    assert "[link=https://evil.example]this[/link] \\[escaped]" in text
    assert "LinkedIn · [red]acme" in text


def test_long_post_text_is_trimmed_to_a_preview() -> None:
    long_text = "Launch " * 60 + "SECRET-END"
    view = compose_digest(
        Audience(),
        WEEK,
        PeriodStats(posts=1),
        PeriodStats(),
        [make_win(1, 5.0, post_text=long_text)],
        [],
        [],
    )
    console = recording_console()

    render_digest(view, console)

    text = console.export_text()
    assert "Launch Launch" in text
    assert "SECRET-END" not in text
    assert "…" in text


def test_quiet_week_prints_the_quiet_message() -> None:
    view = compose_digest(Audience(), WEEK, PeriodStats(), PeriodStats(), [], [], [])
    console = recording_console()

    render_digest(view, console)

    text = console.export_text()
    assert "A quiet week" in text
    assert "Top wins" not in text


def test_wins_table_lists_every_win_with_its_reason() -> None:
    console = recording_console()

    render_wins_table([make_win(1, 9.5), make_win(2, 4.0, platform=Platform.X)], console)

    text = console.export_text()
    assert "724x its usual engagement" in text  # 2**9.5, in words
    assert "Post 2 earned" in text
    assert "X · acme2" in text
    assert "Tue 17 Nov" in text


def test_empty_lists_say_what_to_do_next() -> None:
    console = recording_console()

    render_wins_table([], console)
    render_case_studies([], console)

    text = console.export_text()
    assert "No wins to show" in text
    assert "No case studies yet" in text


def test_case_studies_show_author_win_and_escaped_body() -> None:
    case = CaseStudy(
        id=3, body="Used [italic]humour[/italic].", win_reason=None, created_at=TUESDAY
    )
    console = recording_console()

    render_case_studies([case], console)

    text = console.export_text()
    assert "anonymous" in text
    assert "Used [italic]humour[/italic]." in text
