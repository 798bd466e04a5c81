"""`wins why 7` in words: the figures, the compared posts with the median marked, and what an
old win lacks, for every kind of win. Pure: no database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.domain.models import Platform, Win, WinKind
from bot.domain.why import (
    NO_NUMBERS,
    PEER_NOTE,
    RECORD_COMPARED,
    StoredPost,
    compared_pairs,
    explain_win,
)
from bot.domain.wins import DetectionRules

WHEN = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
RULES = DetectionRules()


def win(kind: WinKind = WinKind.POST, **fields: object) -> Win:
    values: dict[str, object] = {
        "id": 7, "kind": kind, "score": 4.0, "ratio": 16.1, "expected": 200.0,
        "reason": "16x the median engagement of acme's last 5 LinkedIn posts",
        "occurred_at": WHEN, "detected_at": WHEN, "platform": Platform.LINKEDIN,
        "account": "acme", "engagement": 3_300,
    }  # fmt: skip
    values.update(fields)
    return Win.model_validate(values)


def details(compared: list[list[int]] | None) -> dict[str, object]:
    found: dict[str, object] = {
        "ratio": 16.1, "z": 3.71, "engagement": 3_217, "baseline": 200.0, "history": 5,
        "age_seconds": 3 * 86400.0,
    }  # fmt: skip
    if compared is not None:
        found["compared"] = compared
    return found


def stored(post_id: int, days_ago: int) -> StoredPost:
    return StoredPost(post_id, WHEN - timedelta(days=days_ago), f"https://x.test/{post_id}", "Hi")


def test_a_post_win_states_its_count_its_usual_and_the_ratio() -> None:
    pairs = [[1, 150], [2, 200], [3, 90], [4, 260], [5, 230]]
    posts = {i: stored(i, 10 - i) for i in range(1, 6)}
    view = explain_win(win(), details(pairs), peer=False, posts=posts, rules=RULES)
    assert view.title == "Why #7 is a win"
    assert view.facts == [
        "3,217 interactions in the first 3 days.",
        "Its usual: 200, the median of acme's last 5 LinkedIn posts at the same age.",
        "16x its usual. Robust z-score 3.7: how far above the usual spread.",
        "Now it has 3,300 interactions in all.",
    ]
    assert [p.engagement for p in view.compared] == [260, 230, 200, 150, 90]  # highest first
    assert [p.median for p in view.compared] == [False, False, True, False, False]
    assert view.compared[2].label == "12 Nov 2026 · 200 interactions · the median"
    assert view.compared[0].url == "https://x.test/4"
    assert view.note is None


def test_an_even_number_of_posts_marks_the_two_the_median_averages() -> None:
    pairs = [[1, 100], [2, 300], [3, 200], [4, 400]]
    posts = {i: stored(i, i) for i in range(1, 5)}
    view = explain_win(win(), details(pairs), peer=False, posts=posts, rules=RULES)
    marked = [p.label for p in view.compared if p.median]
    assert marked == [
        "18 Nov 2026 · 300 interactions · the median (250, averaged)",
        "17 Nov 2026 · 200 interactions · the median (250, averaged)",
    ]


def test_a_compared_post_deleted_since_is_still_counted() -> None:
    view = explain_win(win(), details([[1, 10], [2, 20], [3, 30]]), peer=False,
                       posts={1: stored(1, 3)}, rules=RULES)  # fmt: skip
    assert [p.published_at is None for p in view.compared] == [True, True, False]
    assert view.compared[0].label.startswith("a post no longer stored · 30 interactions")


def test_a_win_detected_before_compared_was_kept_says_how_to_record_it() -> None:
    view = explain_win(win(), details(None), peer=False, posts={}, rules=RULES)
    assert view.facts[0] == "3,217 interactions in the first 3 days."
    assert view.compared == [] and view.note == RECORD_COMPARED
    assert "`winsbot detect --all`" in RECORD_COMPARED


def test_a_win_with_no_numbers_at_all_says_so() -> None:
    view = explain_win(win(), {}, peer=False, posts={}, rules=RULES)
    assert view.facts == [] and view.note == NO_NUMBERS


def test_a_peers_post_is_named_as_one() -> None:
    view = explain_win(win(), details([[1, 5], [2, 6]]), peer=True, posts={}, rules=RULES)
    assert view.title == "Why #7 stood out" and view.note == PEER_NOTE


def test_a_milestone_says_the_follower_counts_it_is_based_on() -> None:
    milestone = win(WinKind.MILESTONE, ratio=None, engagement=None)
    view = explain_win(
        milestone, {"followers": 50_035, "milestone": 50_000, "previous": 49_965},
        peer=False, posts={}, rules=RULES,
    )  # fmt: skip
    assert view.facts == [
        "Two follower counts in a row: 49,965 before, 50,035 on 20 Nov 2026, crossing 50,000."
    ]
    older = explain_win(milestone, {"followers": 50_035, "milestone": 50_000},
                        peer=False, posts={}, rules=RULES)  # fmt: skip
    assert "run `winsbot detect` to record the count before it" in older.facts[0]


def test_a_pilot_goal_says_its_value_against_its_target() -> None:
    goal = win(WinKind.CAMPAIGN, ratio=None, platform=None, account=None, campaign="Pilot")
    view = explain_win(goal, {"value": 1_474, "target": 1_000}, peer=False, posts={},
                       rules=RULES, metric="clicks")  # fmt: skip
    assert view.facts[0].startswith("1,474 clicks against a target of 1,000: 147% of the goal")


def test_compared_pairs_read_back_only_pairs_of_whole_numbers() -> None:
    assert compared_pairs({"compared": [[1, 2], [3, 4]]}) == [(1, 2), (3, 4)]
    assert compared_pairs({}) is None
    assert compared_pairs({"compared": [[1, 2.5]]}) is None
    assert compared_pairs({"compared": [[1, True]]}) is None
    assert compared_pairs({"compared": "nope"}) is None
