"""Signal benchmark: does detection find every real win, and rank wins as a person would?

A seeded history as messy as real accounts: sizes from a dozen to tens of thousands of
interactions a post, spreads from metronome to wildly noisy (heavy-tailed, Student t noise on
the log scale, so natural outliers happen), a weekday effect detection cannot see, format
effects (video draws twice what a link does; each post's format is stored, as the platforms
that report it say), a fast-growing account, slow burners that take days to peak, young posts
seen only hours old, export-style accounts seen once at a random age, an account where big
jumps are routine, and planted outliers from 3x to 60x. The accounts whose platform reports
impressions (LinkedIn, X, Instagram, the Facebook export) get them, with an engagement rate
per post as messy as real ones: see ``bench.signal_rates``.

The truth for each post is its *exceptionality*: final engagement over what the account usually
gets for such a post then (its size that day, weekday and format effects included, noise and
planted multipliers excluded); where there are impressions, also its rate multiple (final rate
over the account's usual rate for the format) and its impressions multiple (the first over the
second). Polling is simulated: the old history arrives at once, the last 14 days in 6-hour
rounds, each followed by real detection (``WinsService`` on a temporary SQLite database), so a
win is caught at whatever age the data allowed.

Printed (``bench.signal_report``): recall of posts >= 6x usual engagement (but for jumps the
account's own history shows are routine: see ``mark_routine``; recall with those too is printed
beside it), the share of posts <= 2x usual *on every metric* that are flagged, early catches
(share of caught >= 6x posts from the polled window first caught under 24 hours old), Kendall
tau between the order of `winsbot wins` and the truth (a post's most exceptional metric, as
detection tells its biggest ratio), the share of rates >= 3x usual found (and how many wins
name the rate) and the share of rates <= 1.5x usual told as rate wins. Posts with fewer than 5
earlier posts on their account are left out of every figure, and rates on fewer than 1,000
impressions out of the rate figures: nobody can judge those.
Targets: recall >= 0.95, flagged <= 1%, tau >= 0.6.

    python bench/bench_signal.py [--seed 11] [--seeds 5]
"""

from __future__ import annotations

import argparse
import asyncio
import math
import random
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import END
from bench.signal_rates import RATE_ACCOUNTS, draw_rate, impressions_at
from bench.signal_report import Figures, measure, pooled
from bot.config import Settings
from bot.domain.models import Metrics, Platform, PostFormat, SnapshotRecord
from bot.domain.rates import RATE_METRIC
from bot.ports import FixedClock
from bot.store.db import Database
from bot.store.wins import WinFilter
from bot.usecases.results import WinsService

SPAN = timedelta(days=150)
POLLED = timedelta(days=14)
ROUND = timedelta(hours=6)
POLL_AGES_H = (1, 3, 6, 12, 24, 48, 72, 168, 336)
FORMATS = {"video": 1.4, "image": 1.1, "text": 0.9, "link": 0.7}


@dataclass(frozen=True)
class AccountSpec:
    platform: Platform
    handle: str
    usual: float  # median final engagement of a post at the start of the span
    spread: float  # scale of the log-engagement noise
    posts: int
    growth: float = 1.0  # how many times bigger the account is at the end of the span
    export: bool = False  # seen once per post, at a random age (a CSV export)
    tail: float = 5.0  # Student t degrees of freedom of the noise: lower is wilder


ACCOUNTS = (
    AccountSpec(Platform.LINKEDIN, "acme", 900, 0.45, 120),
    AccountSpec(Platform.LINKEDIN, "acme-careers", 60, 0.35, 90),
    AccountSpec(Platform.X, "acme-x", 14, 0.7, 160),
    AccountSpec(Platform.INSTAGRAM, "acme-ig", 700, 0.6, 90, growth=4.0),
    AccountSpec(Platform.FACEBOOK, "acme-fb", 150, 0.8, 70, export=True),
    AccountSpec(Platform.MASTODON, "acme-social", 35, 0.5, 80),
    AccountSpec(Platform.BLUESKY, "acme-bsky", 40, 0.9, 60, growth=2.0),
    AccountSpec(Platform.YOUTUBE, "acme-yt", 200, 1.0, 14, tail=3.0),
    AccountSpec(Platform.YOUTUBE, "acme-studio", 20_000, 0.7, 40),
    AccountSpec(Platform.TIKTOK, "acme-tok", 3_000, 1.2, 70, tail=3.0),
    AccountSpec(Platform.THREADS, "acme-threads", 25, 0.9, 50),
)


@dataclass
class TruePost:
    account: str
    platform: Platform
    post_id: str
    published_at: datetime
    final: float
    exceptional: float  # final / usual for this account, day, weekday and format
    tau_hours: float
    judged: bool  # has at least 5 earlier posts on its account
    format: PostFormat
    planted: float = 1.0  # the planted multiplier in ``exceptional`` (the rest is noise)
    routine: bool = False  # such jumps are routine on its account (see ``mark_routine``)
    # (captured at, engagement, impressions or None where the platform reports none)
    snapshots: list[tuple[datetime, int, int | None]] = field(default_factory=list)
    rate: float | None = None  # final engagement rate, where impressions are reported
    rate_multiple: float | None = None  # the rate's truth: times the account's usual rate
    impressions: float = 0.0  # final impressions
    impressions_tau: float = 0.0
    rate_routine: bool = False  # such rates are routine on its account

    @property
    def truth(self) -> float:
        """How exceptional the post is on its most exceptional metric: engagement, impressions
        (engagement multiple over rate multiple) or the rate, as detection tells the biggest."""
        if self.rate_multiple is None:
            return self.exceptional
        impressions = self.exceptional / self.rate_multiple
        return max(self.exceptional, impressions, self.rate_multiple)

    @property
    def ordinary(self) -> bool:
        """At most 2x its usual on every metric it has: nothing a person would call news."""
        return self.truth <= 2.0


def _curve(final: float, age_hours: float, tau: float) -> int:
    return round(final * (1 - math.exp(-age_hours / tau)))


def generate(seed: int) -> list[TruePost]:
    rng = random.Random(seed)
    made: list[TruePost] = []
    for spec in ACCOUNTS:
        gaps = sorted(rng.random() for _ in range(spec.posts))
        span = SPAN if spec.posts > 20 else timedelta(days=45)  # a young channel: short history
        for n, share in enumerate(gaps):
            published = END - span + span * share + timedelta(minutes=rng.randint(0, 59))
            published = min(published, END - timedelta(hours=2))
            progress = (published - (END - SPAN)) / SPAN
            fmt = rng.choice(list(FORMATS))
            weekday = 0.75 if published.weekday() >= 5 else 1.0
            usual = spec.usual * spec.growth ** max(progress, 0.0) * FORMATS[fmt] * weekday
            noise = math.exp(
                spec.spread
                * rng.gauss(0, 1)
                / math.sqrt(rng.gammavariate(spec.tail / 2, 2 / spec.tail))
            )
            planted = rng.choice((3, 4, 6, 8, 12, 20, 41, 60)) if rng.random() < 0.05 else 1.0
            final = usual * noise * planted
            slow = rng.random() < 0.12
            tau = rng.uniform(40, 120) if slow else rng.uniform(2, 12)
            post = TruePost(
                account=spec.handle,
                platform=spec.platform,
                post_id=f"{spec.handle}-{n}",
                published_at=published,
                final=final,
                exceptional=noise * planted,
                planted=planted,
                tau_hours=tau,
                judged=n >= 5,
                format=PostFormat(fmt),
            )
            if spec.export:
                ages = [rng.uniform(1, 30 * 24)]
            else:
                ages = [a + rng.uniform(-0.3, 0.3) * a for a in POLL_AGES_H]
            for age in ages:
                at = published + timedelta(hours=age)
                if at <= END:
                    post.snapshots.append((at, max(_curve(final, age, tau), 0), None))
            if post.snapshots:
                made.append(post)
    # The two posts the old rules missed, on the young noisy YouTube channel.
    yt = sorted((p for p in made if p.account == "acme-yt"), key=lambda p: p.published_at)
    for post, factor in ((yt[-4], 41.0), (yt[-2], 17.6)):
        post.final *= factor / post.exceptional
        post.exceptional = factor
        _resnap(post)
    add_rates(made, seed)
    mark_routine(made)
    mark_rate_routine(made)
    return made


def add_rates(posts: list[TruePost], seed: int) -> None:
    """Impressions and a rate for the posts of accounts whose platform reports impressions.

    Drawn from a generator of their own, so the counts of posts with no planted rate are the
    ones the benchmark had before rates: its figures stay comparable.
    """
    rng = random.Random(seed * 1_000_003 + 13)
    spreads = {spec.handle: spec.spread for spec in ACCOUNTS}
    for post in posts:
        spec = RATE_ACCOUNTS.get(post.account)
        if spec is None:
            continue
        noise = post.exceptional / post.planted
        draw = draw_rate(rng, spec, post.format.value, noise, post.planted, spreads[post.account])
        post.final *= draw.boost
        post.exceptional *= draw.boost
        post.rate, post.rate_multiple = draw.rate, draw.multiple
        post.impressions = post.final / draw.rate
        post.impressions_tau = post.tau_hours * draw.impressions_lag
        _resnap(post)


def _resnap(post: TruePost) -> None:
    """The post's snapshots, at the same moments, recounted from its (changed) truth."""
    snapshots = []
    for at, _, _ in post.snapshots:
        age = (at - post.published_at).total_seconds() / 3600
        seen = impressions_at(post.impressions, age, post.impressions_tau) if post.rate else None
        snapshots.append((at, max(_curve(post.final, age, post.tau_hours), 0), seen))
    post.snapshots = snapshots


# The issue's own exception, judged on the truth: "unless the account's own history shows such
# jumps are routine". A jump is routine when at least ROUTINE_SHARE of the account's previous
# ROUTINE_WINDOW posts truly did max(6x, half this post's multiple): on a wildly noisy account
# where one post in six does 6x, a 6x post is not news, and no detector should be asked to
# find it. Fixed from the words, never from what the detector finds.
ROUTINE_WINDOW = 30
ROUTINE_SHARE = 0.15


def mark_routine(posts: list[TruePost]) -> None:
    by_account: dict[str, list[TruePost]] = {}
    for post in sorted(posts, key=lambda p: p.published_at):
        by_account.setdefault(post.account, []).append(post)
    for history in by_account.values():
        for index, post in enumerate(history):
            earlier = history[max(0, index - ROUTINE_WINDOW) : index]
            bar = max(6.0, post.exceptional / 2)
            jumps = sum(1 for e in earlier if e.exceptional >= bar)
            post.routine = bool(earlier) and jumps >= ROUTINE_SHARE * len(earlier)


def mark_rate_routine(posts: list[TruePost]) -> None:
    """As ``mark_routine`` for rates: 3x (the rate truth's bar) or half this post's multiple."""
    by_account: dict[str, list[TruePost]] = {}
    for post in sorted(posts, key=lambda p: p.published_at):
        if post.rate_multiple is not None:
            by_account.setdefault(post.account, []).append(post)
    for history in by_account.values():
        for index, post in enumerate(history):
            earlier = history[max(0, index - ROUTINE_WINDOW) : index]
            bar = max(3.0, (post.rate_multiple or 0) / 2)
            jumps = sum(1 for e in earlier if (e.rate_multiple or 0) >= bar)
            post.rate_routine = bool(earlier) and jumps >= ROUTINE_SHARE * len(earlier)


def records(posts: list[TruePost], after: datetime, until: datetime) -> list[SnapshotRecord]:
    out = []
    for p in posts:
        for at, count, impressions in p.snapshots:
            if after < at <= until:
                likes = count * 7 // 10
                comments = count // 10
                out.append(
                    SnapshotRecord(
                        platform=p.platform,
                        account=p.account,
                        post_id=p.post_id,
                        published_at=p.published_at,
                        metrics=Metrics(
                            likes=likes,
                            comments=comments,
                            shares=count - likes - comments,
                            impressions=impressions,
                        ),
                        captured_at=at,
                        format=p.format,
                    )
                )
    return out


async def run(seed: int, verbose: bool) -> Figures:
    truth = generate(seed)
    work = Path(tempfile.mkdtemp(prefix="winsbot-signal-"))
    db = Database(f"sqlite+aiosqlite:///{work / 'signal.db'}")
    start = END - POLLED
    clock = FixedClock(start)
    service = WinsService(db, Settings(), clock)
    first_seen: dict[str, datetime] = {}
    rate_named: set[str] = set()  # posts a win named the engagement rate of, at any round
    metrics: dict[str, str] = {}  # the metric each post's win names, at the last round
    try:
        await db.upgrade()
        moment, previous = start, END - SPAN - timedelta(days=1)
        while True:
            clock.moment = moment
            await service.ingest(records(truth, previous, moment))
            await service.detect()
            for win in await service.wins(WinFilter(limit=10_000)):
                if win.post_external_id is not None:
                    first_seen.setdefault(win.post_external_id, moment)
                    metrics[win.post_external_id] = win.metric or "engagement"
                    if win.metric == RATE_METRIC:
                        rate_named.add(win.post_external_id)
            if moment >= END:
                break
            previous, moment = moment, min(moment + ROUND, END)
        ranked = [
            w.post_external_id
            for w in await service.wins(WinFilter(limit=10_000))
            if w.post_external_id is not None
        ]
    finally:
        await db.dispose()
        shutil.rmtree(work, ignore_errors=True)

    figures = measure(truth, first_seen, rate_named, metrics, ranked, start)
    print(f"signal benchmark, seed {seed}: {len(truth)} posts on {len(ACCOUNTS)} accounts")
    figures.print(verbose)
    return figures


async def run_seeds(first: int, count: int, verbose: bool) -> None:
    """Each seed's figures, then all of them pooled: one seed's luck is not a rule's quality."""
    totals = [await run(seed, verbose) for seed in range(first, first + count)]
    if count > 1:
        print(f"pooled over seeds {first}-{first + count - 1}:")
        pooled(totals)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--seeds", type=int, default=1, help="how many seeds from --seed on")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    asyncio.run(run_seeds(args.seed, args.seeds, args.verbose))
