"""A pilot's report: the goal beside the result, the posts that carried it, what was learned."""

from __future__ import annotations

from datetime import UTC, date, datetime

from bot.domain.models import Campaign, CampaignMetric, CampaignProgress, CaseStudy, Platform
from bot.domain.pilot_report import PilotPost, compose_pilot_report

PILOT = Campaign(
    name="Graduate hiring pilot", metric=CampaignMetric.CLICKS, target=1_000,
    starts_on=date(2026, 11, 9), ends_on=date(2026, 11, 23), tag="recruiting",
    hashtag="GradPilot", platform=Platform.LINKEDIN,
)  # fmt: skip


def post(value: int, day: int) -> PilotPost:
    return PilotPost(Platform.LINKEDIN, "acme-careers", datetime(2026, 11, day, tzinfo=UTC), value)


def story(n: int, learned: str | None, day: int) -> CaseStudy:
    return CaseStudy(
        id=n, body=f"story {n}", learned=learned, created_at=datetime(2026, 11, day, tzinfo=UTC)
    )


def test_a_reached_goal_reads_goal_result_best_posts_and_learnings() -> None:
    progress = CampaignProgress(campaign=PILOT, value=1_474, posts=6)
    posts = [post(201, 12), post(474, 19), post(90, 10), post(228, 11), post(474, 14)]
    stories = [story(1, "Live Q&As beat job ads", 20), story(2, None, 21), story(3, "  ", 22)]
    report = compose_pilot_report(progress, posts, stories, today=date(2026, 11, 30))
    assert report.goal == (
        "1,000 clicks from 9 Nov 2026 to 23 Nov 2026, counting LinkedIn posts of accounts "
        "tagged recruiting with #GradPilot"
    )
    assert report.result == "1,474 clicks from 6 posts: 147% of the goal. Goal reached."
    assert (report.status, report.pace, report.unit) == ("reached", None, "clicks")
    # Highest first; of two equal, the earlier post.
    assert [(p.value, p.published_at.day) for p in report.best_posts] == [
        (474, 14), (474, 19), (228, 11)
    ]  # fmt: skip
    assert [s.id for s in report.stories] == [3, 2, 1]  # newest first
    assert report.learnings == ("Live Q&As beat job ads",)  # blank answers are no learning


def test_short_and_running_pilots_say_so_and_a_running_one_its_pace() -> None:
    short = compose_pilot_report(
        CampaignProgress(campaign=PILOT, value=640, posts=4), [], [], today=date(2026, 11, 24)
    )
    assert short.status == "short"
    assert short.result.endswith("64% of the goal. Ended on 23 Nov 2026 short of the goal.")
    running = compose_pilot_report(
        CampaignProgress(campaign=PILOT, value=640, posts=4, as_of=date(2026, 11, 18)),
        [], [], today=date(2026, 11, 18),
    )  # fmt: skip
    assert running.status == "running" and running.pace is not None
    assert running.result.endswith("Still running until 23 Nov 2026.")


def test_a_followers_pilot_counts_no_posts_and_ranks_posts_by_engagement() -> None:
    followers = PILOT.model_copy(update={"metric": CampaignMetric.FOLLOWERS, "target": 500})
    report = compose_pilot_report(
        CampaignProgress(campaign=followers, value=510, posts=0), [post(50, 12)], [],
        today=date(2026, 11, 30),
    )  # fmt: skip
    assert report.result == "510 followers: 102% of the goal. Goal reached."
    assert report.unit == "interactions"


def test_owners_who_disagree_on_the_next_step_are_both_heard() -> None:
    from bot.usecases.pilot_reports import next_step_of

    assert next_step_of([]) is None
    assert next_step_of(["scale", "scale"]) == "Scale: more accounts or budget"
    both = next_step_of(["stop", "extend", "stop"])
    assert both == "The owners differ: Stop: it has taught us what it could; Extend: run it longer"


def test_the_report_waits_for_every_owner_who_was_asked() -> None:
    from bot.domain.pilot_end import everyone_answered

    assert not everyone_answered({"U1", "U2"}, {"U1"})
    assert everyone_answered({"U1", "U2"}, {"U2", "U1"})
    assert everyone_answered(set(), {"U1"})  # answered without an ask reaching them
    assert not everyone_answered(set(), set())
