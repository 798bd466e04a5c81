"""`wins why` for an engagement-rate win: the rate and its counts, the usual rate, and the
compared posts' rates with the median marked. Pure: no database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.domain.formatting import win_strength
from bot.domain.models import Platform, Win, WinKind
from bot.domain.rates import RATE_METRIC
from bot.domain.why import RECORD_COMPARED, StoredPost, compared_pairs, compared_rates, explain_win
from bot.domain.wins import DetectionRules

WHEN = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
RULES = DetectionRules()
# (post, engagement, impressions): 2.0%, 2.5%, 2.4%, 3.0%, 1.5% -> the median is 2.4%.
ROWS = [[1, 80, 4_000], [2, 100, 4_000], [3, 96, 4_000], [4, 150, 5_000], [5, 30, 2_000]]


def rate_win(**fields: object) -> Win:
    values: dict[str, object] = {
        "id": 9, "kind": WinKind.POST, "score": 2.03, "ratio": 4.08, "expected": 0.024,
        "metric": RATE_METRIC, "occurred_at": WHEN, "detected_at": WHEN,
        "reason": "an engagement rate of 9.8%, 4.1x acme's usual 2.4% on its last 5 LinkedIn "
        "posts after 7 days (980 interactions on 10,000 impressions)",
        "platform": Platform.LINKEDIN, "account": "acme", "engagement": 1_010,
    }  # fmt: skip
    values.update(fields)
    return Win.model_validate(values)


def details(compared: list[list[int]] | None = ROWS) -> dict[str, object]:
    found: dict[str, object] = {
        "metric": RATE_METRIC, "ratio": 4.08, "z": 6.2, "value": 0.098, "baseline": 0.024,
        "history": 5, "age_seconds": 7 * 86400.0, "engagement": 980, "impressions": 10_000,
    }  # fmt: skip
    if compared is not None:
        found["compared"] = compared
    return found


def stored(post_id: int) -> StoredPost:
    return StoredPost(post_id, WHEN - timedelta(days=10 - post_id), f"https://x.test/{post_id}")


def test_a_rate_win_states_its_rate_with_its_counts_its_usual_rate_and_the_ratio() -> None:
    posts = {i: stored(i) for i in range(1, 6)}
    view = explain_win(rate_win(), details(), peer=False, posts=posts, rules=RULES)
    assert view.facts == [
        "An engagement rate of 9.8% after 7 days: 980 interactions on 10,000 impressions.",
        "Its usual: 2.4%, the median rate of acme's last 5 LinkedIn posts at the same age "
        "(those with 1,000 impressions or more).",
        "4.1x its usual rate. Robust z-score 6.2 on the log of the rate.",
    ]
    assert view.compared_heading == (
        "The 5 posts it was compared with, highest rate first, each counted at the same age"
    )
    labels = [p.label for p in view.compared]
    assert labels == [
        "14 Nov 2026 · 3.0% (150 interactions on 5,000 impressions)",
        "12 Nov 2026 · 2.5% (100 interactions on 4,000 impressions)",
        "13 Nov 2026 · 2.4% (96 interactions on 4,000 impressions) · the median",
        "11 Nov 2026 · 2.0% (80 interactions on 4,000 impressions)",
        "15 Nov 2026 · 1.5% (30 interactions on 2,000 impressions)",
    ]
    assert [p.engagement for p in view.compared] == [150, 100, 96, 80, 30]
    assert view.compared[0].url == "https://x.test/4"


def test_an_even_number_of_compared_rates_names_the_averaged_median_as_a_percentage() -> None:
    view = explain_win(rate_win(), details(ROWS[:4]), peer=False, posts={}, rules=RULES)
    marked = [p.label for p in view.compared if p.median]
    assert marked == [
        "a post no longer stored · 2.5% (100 interactions on 4,000 impressions)"
        " · the median (2.5%, averaged)",
        "a post no longer stored · 2.4% (96 interactions on 4,000 impressions)"
        " · the median (2.5%, averaged)",
    ]


def test_a_rate_win_without_its_compared_posts_says_how_to_record_them() -> None:
    view = explain_win(rate_win(), details(None), peer=False, posts={}, rules=RULES)
    assert view.facts[0].startswith("An engagement rate of 9.8%")
    assert view.compared == [] and view.note == RECORD_COMPARED


def test_the_strength_names_the_rate() -> None:
    assert win_strength(rate_win()) == "4.1x its usual engagement rate"


def test_compared_rows_are_read_back_as_pairs_for_the_store_and_rates_for_why() -> None:
    assert compared_pairs({"compared": ROWS[:2]}) == [(1, 80), (2, 100)]
    assert compared_rates({"compared": ROWS[:2]}) == [(1, 80, 4_000), (2, 100, 4_000)]
    assert compared_rates({"compared": [[1, 2]]}) is None  # a count win's pairs: no rate
    assert compared_rates({"compared": [[1, 2, 0]]}) is None  # no impressions: no rate
    assert compared_pairs({"compared": [[1, 2, 3, 4]]}) is None
