"""Detection use case: score posts with new snapshots, find milestones and reached goals.

Incremental by design: ingest flags posts whose series changed, and only those are scored
(against their account's earlier posts). Win keys make every step safe to repeat.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncConnection

from bot.domain.campaigns import progress_reason
from bot.domain.milestones import follower_milestones
from bot.domain.models import WinKind
from bot.domain.post_series import PostSeries
from bot.domain.wins import DetectionRules, comparable_age, goal_score, score_post
from bot.store.campaigns import campaign_progress, list_campaigns
from bot.store.db import Database
from bot.store.series import (
    AccountRef,
    PostStub,
    account_posts,
    account_refs,
    clear_flags,
    flagged_posts,
    follower_series,
    load_at_ages,
    load_series,
)
from bot.store.wins import WinDraft, save_wins


@dataclass
class DetectionReport:
    posts_scored: int = 0
    wins_added: int = 0
    wins_updated: int = 0
    milestones_added: int = 0
    goals_added: int = 0


async def detect(
    db: Database,
    rules: DetectionRules,
    *,
    everything: bool = False,
    now: datetime | None = None,
    on_account: Callable[[int, int], None] | None = None,
) -> DetectionReport:
    """Run one detection pass; ``everything`` rescores every post (after a rules change)."""
    now = now or datetime.now(UTC)
    report = DetectionReport()
    async with db.engine.connect() as conn:
        flagged = await flagged_posts(conn, everything=everything)
        refs = await account_refs(conn, sorted(flagged))
    for done, (account_id, flagged_stubs) in enumerate(sorted(flagged.items()), start=1):
        async with db.engine.begin() as conn:
            targets = {s.id for s in flagged_stubs}
            stubs = await account_posts(conn, account_id, flagged_stubs, rules.history_window)
            series = await _account_series(conn, stubs, targets, rules)
            drafts = _score_account(stubs, targets, series, refs[account_id], rules)
            added, updated = await save_wins(conn, _not_after(drafts, now), now=now)
            await clear_flags(conn, [s for s in stubs if s.id in targets])
        report.posts_scored += len(flagged_stubs)
        report.wins_added += added
        report.wins_updated += updated
        if on_account is not None:
            on_account(done, len(flagged))
    async with db.engine.begin() as conn:
        milestones = _not_after(await _milestones(conn), now)
        report.milestones_added = (await save_wins(conn, milestones, now=now))[0]
        report.goals_added = (await save_wins(conn, await _goals(conn, now), now=now))[0]
    return report


def _not_after(drafts: list[WinDraft], now: datetime) -> list[WinDraft]:
    """The drafts with none dated after ``now``: a win cannot have happened yet.

    A snapshot stored with an absurd capture time (9999-12-31 is a spreadsheet's "no date")
    would date its win in year 9999, and showing that moment in a zone east of UTC overflows,
    which made every later `winsbot wins` fail.
    """
    return [d if d.occurred_at <= now else replace(d, occurred_at=now) for d in drafts]


async def _account_series(
    conn: AsyncConnection, stubs: list[PostStub], targets: set[int], rules: DetectionRules
) -> dict[int, PostSeries]:
    """All that scoring the targets reads: their whole series, and their history at their age.

    A target's comparable age needs its own series; a history post that is not a target is only
    read at the comparable ages of the targets it is a baseline for, so only those snapshots
    are fetched. Full detection makes every post a target and still reads each series once.
    """
    series = await load_series(conn, [s for s in stubs if s.id in targets])
    wanted: list[tuple[PostStub, timedelta]] = []
    for index, stub in enumerate(stubs):
        target = series.get(stub.id)
        if target is None or not target.ages:
            continue  # not a target, or one score_post will pass over without reading history
        age = timedelta(seconds=comparable_age(target, rules))
        history = _window(stubs, index, target, rules)
        wanted.extend((past, age) for past in history if past.id not in targets)
    series.update(await load_at_ages(conn, wanted))
    return series


def _window(
    stubs: list[PostStub], index: int, target: PostSeries, rules: DetectionRules
) -> list[PostStub]:
    """The earlier posts a target may be compared with: a wider window when its format is known,
    so that enough posts of its own format are in it (``baseline_posts`` picks among them)."""
    depth = rules.history_window if target.format is not None else rules.baseline_posts
    return stubs[max(0, index - depth) : index]


def _score_account(
    stubs: list[PostStub],
    targets: set[int],
    series: dict[int, PostSeries],
    account: AccountRef,
    rules: DetectionRules,
) -> list[WinDraft]:
    drafts: list[WinDraft] = []
    for index, stub in enumerate(stubs):
        if stub.id not in targets:
            continue
        post = series[stub.id]
        if not post.ages:
            continue  # nothing to judge, and _account_series fetched no history for it
        history = [series[s.id] for s in _window(stubs, index, post, rules)]
        verdict = score_post(
            post, history, rules, account=account.handle, platform=account.platform
        )
        if verdict is None or not verdict.is_win:
            continue
        drafts.append(
            WinDraft(
                key=f"post:{post.post_id}",
                kind=WinKind.POST,
                score=verdict.score,
                reason=verdict.reason,
                ratio=verdict.ratio,
                expected=verdict.baseline,
                occurred_at=verdict.occurred_at,
                account_id=account.id,
                post_id=post.post_id,
                details={
                    "ratio": verdict.ratio,
                    "z": verdict.z,
                    "metric": verdict.metric,
                    "value": verdict.value,
                    "baseline": verdict.baseline,
                    "history": verdict.history,
                    "age_seconds": verdict.age,
                    "compared": [list(pair) for pair in verdict.compared],
                    # A rate's counts, so `wins why` can show what it was computed from.
                    **_counts(verdict.counts),
                },
            )
        )
    return drafts


def _counts(counts: tuple[int, int] | None) -> dict[str, int]:
    if counts is None:
        return {}
    return {"engagement": counts[0], "impressions": counts[1]}


async def _milestones(conn: AsyncConnection) -> list[WinDraft]:
    series = await follower_series(conn)
    refs = await account_refs(conn, sorted(series))
    drafts = []
    for account_id, points in series.items():
        ref = refs[account_id]
        for m in follower_milestones(points, account=ref.handle, platform=ref.platform):
            drafts.append(
                WinDraft(
                    key=f"milestone:{account_id}:{m.followers}",
                    kind=WinKind.MILESTONE,
                    score=m.score,
                    reason=m.reason,
                    occurred_at=m.occurred_at,
                    account_id=account_id,
                    details={
                        "followers": m.reached,
                        "milestone": m.followers,
                        "previous": m.previous,  # the count before, for `wins why`
                    },
                )
            )
    return drafts


async def _goals(conn: AsyncConnection, now: datetime) -> list[WinDraft]:
    drafts = []
    for campaign in await list_campaigns(conn):
        progress, last = await campaign_progress(conn, campaign, now=now)
        if progress.reached and campaign.id is not None:
            drafts.append(
                WinDraft(
                    key=f"campaign:{campaign.id}",
                    kind=WinKind.CAMPAIGN,
                    # Reaching a declared goal is news whatever the size: ranks like a post at 8x.
                    score=goal_score(progress.fraction),
                    reason=progress_reason(progress, today=now.date()),
                    occurred_at=last or now,
                    campaign_id=campaign.id,
                    details={"value": progress.value, "target": campaign.target},
                )
            )
    return drafts
