"""A seeded, realistic social-media history for ``winsbot demo`` and the benchmarks.

The demo must show every kind of win on its first run without credentials: posts that beat their
account's usual numbers (some in the last week, so Monday's digest has news), a follower
milestone in the last fortnight and a campaign that reaches its goal. Those are built in on
purpose rather than left to chance, so every seed tells the same story with different numbers.

All randomness comes from ``random.Random`` seeded with strings (hashed with SHA-512, unlike
``hash()``), so a seed and an end give byte-identical output on every run and machine.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from bot.domain.models import (
    AccountKind,
    Campaign,
    CampaignMetric,
    FollowerRecord,
    Metrics,
    Platform,
    SnapshotRecord,
)

DAY = timedelta(days=1)
HOUR = timedelta(hours=1)
SNAPSHOT_AGES_HOURS: tuple[int, ...] = (2, 12, 24, 72, 168, 336)
MILESTONE = 50_000  # Acme's LinkedIn page passes it five days before the end
_MILESTONE_DAYS_BEFORE_END = 5

GRAD_PILOT_HASHTAG = "#GradPilot"
# Days before the end's date on which the recruiting accounts post for the pilot. The campaign runs
# from end-21 to end-7 days, so each pilot post is at least three days old before it ends.
_GRAD_PILOT_DAYS = (20, 18, 16, 15, 13, 11)
_GRAD_PILOT_CLICKS_FLOOR = 175
_PILOT_PROFILE = 4  # Acme Careers on LinkedIn
_TAU_HOURS = (8.0, 14.0)  # a post gathers 63% of its engagement in its first tau hours


@dataclass(frozen=True)
class SampleAccount:
    platform: Platform
    handle: str
    display_name: str
    kind: AccountKind
    tags: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _Profile:
    account: SampleAccount
    followers_at_end: int
    growth_per_day: float
    posts_per_week: float


@dataclass(slots=True)
class _Post:
    profile: int
    post_id: str
    url: str
    text: str
    published_at: datetime
    final: dict[str, int]
    tau: float


def _acct(p: Platform, handle: str, name: str, *tags: str, peer: bool = False) -> SampleAccount:
    kind = AccountKind.PEER if peer else AccountKind.OURS
    return SampleAccount(p, handle, name, kind, tags)


_L, _X, _I, _F = Platform.LINKEDIN, Platform.X, Platform.INSTAGRAM, Platform.FACEBOOK
_Y, _M, _B = Platform.YOUTUBE, Platform.MASTODON, Platform.BLUESKY
_PROFILES: tuple[_Profile, ...] = (
    _Profile(_acct(_L, "acme", "Acme", "brand"), 50_150, 31.0, 4.0),  # pinned to MILESTONE
    _Profile(_acct(_X, "acme", "Acme", "brand", "product"), 21_430, 6.0, 5.5),
    _Profile(_acct(_I, "acme", "Acme", "brand", "recruiting"), 12_870, 9.0, 3.0),
    _Profile(_acct(_F, "acme", "Acme", "brand", "customer-care"), 8_310, 2.0, 2.5),
    _Profile(_acct(_L, "acme-careers", "Acme Careers", "recruiting"), 23_640, 14.0, 3.5),
    _Profile(_acct(_X, "acmecareers", "Acme Careers", "recruiting"), 4_120, 3.0, 3.0),
    _Profile(_acct(_Y, "acme", "Acme", "product", "recruiting"), 31_200, 12.0, 2.0),
    _Profile(_acct(_M, "acme", "Acme Engineering", "product"), 3_270, 2.5, 4.0),
    _Profile(_acct(_B, "acme.bsky.social", "Acme", "product", "customer-care"), 5_840, 8.0, 4.5),
    _Profile(_acct(_X, "acmesupport", "Acme Support", "customer-care"), 6_910, 2.0, 6.0),
    _Profile(_acct(_L, "globex", "Globex", "competitor", peer=True), 88_400, 40.0, 5.0),
    _Profile(_acct(_X, "initech", "Initech", "competitor", peer=True), 15_300, 5.0, 4.0),
)


# Usual final engagement of a post per follower, how it splits, which exposure counts exist.
_PLATFORMS: dict[Platform, tuple[float, str, str]] = {
    _L: (0.006, "likes .70 comments .08 shares .07 clicks .15", "impressions"),
    _X: (0.003, "likes .62 comments .08 shares .12 quotes .03 saves .05 clicks .10", "impressions"),
    _I: (0.014, "likes .85 comments .05 shares .04 saves .06", "impressions reach"),
    _F: (0.004, "likes .68 comments .10 shares .10 clicks .12", "impressions reach"),
    _Y: (0.009, "likes .85 comments .10 shares .05", "video_views"),
    _M: (0.02, "likes .65 comments .10 shares .25", ""),
    _B: (0.016, "likes .70 comments .10 shares .15 quotes .05", ""),
}
_MIXES = {
    platform: [(name, float(share)) for name, share in zip(*[iter(mix.split())] * 2, strict=True)]
    for platform, (_, mix, _) in _PLATFORMS.items()
}
_URLS = {
    _L: "https://www.linkedin.com/feed/update/urn:li:activity:{id}/",
    _X: "https://x.com/{handle}/status/{id}",
    _I: "https://www.instagram.com/p/{id}/",
    _F: "https://www.facebook.com/{handle}/posts/{id}",
    _Y: "https://www.youtube.com/watch?v={id}",
    _M: "https://mastodon.social/@{handle}/{id}",
    _B: "https://bsky.app/profile/{handle}/post/{id}",
}

_TEMPLATES: dict[str, tuple[str, ...]] = {
    "brand": (
        "Proud to share that {news}. Thank you to everyone who made it happen. #Acme #Milestone",
        "{quarter} in numbers: {number} customers, one team. Here's what we learned. #Acme",
        "Meet the people behind Acme: this week, our {team} team in {city}. #LifeAtAcme",
    ),
    "product": (
        "Release {version} is out: {feature} is now available to everyone. #ProductUpdate",
        "New in Acme: {feature}. Tell us what you think! #Changelog #{hashtag}",
        "From the engineering blog: how we built {feature}. #Engineering #{hashtag}",
    ),
    "recruiting": (
        "We're hiring! {role}s wanted in {city}, hybrid or remote. #Hiring #Careers",
        "A day in the life of a {role} at Acme, in their own words. #LifeAtAcme #Careers",
        "Internships for {quarter} are open: apply by Friday. #Internships #EarlyCareers",
    ),
    "customer-care": (
        "Tip of the week: {tip}. Questions? Reply here, we answer within the hour. #CustomerCare",
        "Scheduled maintenance {quarter}: no downtime expected. Status page linked. #Status",
        "Thanks for {number} five-star reviews this month! #CustomerCare #Thanks",
    ),
    "competitor": (
        "Announcing {feature}, built with our community. #{hashtag}",
        "{news}: read the full story on our blog. #{hashtag}",
    ),
}
_GRAD_PILOT_TEMPLATES = (
    "Graduating this year? Our graduate programme in {city} opens today. #GradPilot #Careers",
    "Three grads, three teams, one year: meet our {city} cohort. #GradPilot #EarlyCareers",
    "Live Q&A with our graduate hiring team on Thursday, bring your questions. #GradPilot",
)
_FILLS: dict[str, tuple[str, ...]] = {
    "news": ("we won Employer of the Year", "Acme is now carbon neutral", "we opened in Lisbon"),
    "quarter": ("Q1", "Q2", "this spring", "this autumn"),
    "number": ("1,200", "2,500", "10,000", "480"),
    "team": ("design", "support", "data", "platform"),
    "city": ("Leeds", "Berlin", "Toronto", "Lisbon", "Austin"),
    "version": ("4.2", "4.3", "5.0", "5.1"),
    "feature": ("offline mode", "shared dashboards", "the new API", "faster search"),
    "hashtag": ("SaaS", "DevTools", "OpenSource", "Accessibility"),
    "role": ("backend engineer", "product designer", "data analyst", "support specialist"),
    "tip": ("export any report to CSV", "use keyboard shortcuts", "set up SSO in minutes"),
}


def sample_accounts() -> list[SampleAccount]:
    """The demo organisation: ten of our accounts over seven platforms, and two peers."""
    return [p.account for p in _PROFILES]


def _saturation(age_hours: float, tau: float) -> float:
    # Most engagement arrives in the first day; a stretched exponential gives the long tail.
    return 1.0 - math.exp(-((age_hours / tau) ** 0.8))


# Worst case by construction: 6 posts x 175 clicks x 97.5% gathered at 3 days (tau 14h) = 1,023.
GRAD_PILOT_TARGET = 100 * int(
    len(_GRAD_PILOT_DAYS) * _GRAD_PILOT_CLICKS_FLOOR * _saturation(72, _TAU_HOURS[1]) / 100
)


def sample_campaigns(end: datetime) -> list[Campaign]:
    """The graduate hiring pilot, whose target the pilot posts of ``sample_records`` reach."""
    return [
        Campaign(
            name="Graduate hiring pilot",
            metric=CampaignMetric.CLICKS,
            target=GRAD_PILOT_TARGET,
            starts_on=(_utc(end) - 21 * DAY).date(),
            ends_on=(_utc(end) - 7 * DAY).date(),
            tag="recruiting",
            hashtag=GRAD_PILOT_HASHTAG,
        )
    ]


def sample_records(
    end: datetime, *, seed: int = 7, days: int = 90
) -> Iterator[SnapshotRecord | FollowerRecord]:
    """Yield ``days`` of daily follower counts and post snapshots up to ``end``.

    Records come in time order, as polling would have seen them, so replaying them through the
    importer builds the same history a live deployment would have.
    """
    end = _utc(end)
    start = end - days * DAY
    rng = random.Random(f"winsbot-sample:{seed}")
    followers = [_follower_series(rng, i, days) for i in range(len(_PROFILES))]
    posts = _plan_posts(rng, start, end, followers)
    events: list[tuple[datetime, int, int, int]] = []
    for i in range(len(_PROFILES)):
        events.extend((start + d * DAY, 0, i, d) for d in range(days + 1))
    for n, post in enumerate(posts):
        for age in SNAPSHOT_AGES_HOURS:
            if (captured := post.published_at + age * HOUR) <= end:
                events.append((captured, 1, n, age))
    events.sort()
    for captured, kind, n, value in events:
        if kind == 0:
            account = _PROFILES[n].account
            yield FollowerRecord(account.platform, account.handle, captured, followers[n][value])
            continue
        post = posts[n]
        account = _PROFILES[post.profile].account
        # One curve for exposure and interactions keeps the engagement rate steady as posts age.
        share = _saturation(value, post.tau)
        counts = {name: int(final * share + 0.5) for name, final in post.final.items()}
        yield SnapshotRecord(
            platform=account.platform,
            account=account.handle,
            post_id=post.post_id,
            published_at=post.published_at,
            metrics=Metrics(**counts),
            url=post.url,
            text=post.text,
            captured_at=captured,
        )


def benchmark_records(
    posts: int, snapshots_per_post: int, *, seed: int = 11, end: datetime
) -> Iterator[SnapshotRecord]:
    """Yield ``posts * snapshots_per_post`` snapshots, post by post, as fast as Python allows.

    Benchmarks measure the importer and queries, not this generator, so per-record work is a few
    multiplications: the random draws happen once per post and the growth curve is precomputed.
    Posts spread over the year before ``end``; snapshots are hourly and never later than ``end``.
    """
    end = _utc(end)
    rng = random.Random(f"winsbot-bench:{seed}")
    platforms = (Platform.LINKEDIN, Platform.X, Platform.MASTODON, Platform.BLUESKY)
    accounts = [(platforms[i % 4], f"bench{i:02d}", rng.randint(2_000, 80_000)) for i in range(20)]
    offsets = [k * HOUR for k in range(snapshots_per_post)]
    shares = [_saturation(k + 1, 10.0) for k in range(snapshots_per_post)]
    last_published = end - offsets[-1] if offsets else end
    spacing = 365 * DAY / max(posts, 1)
    for n in range(posts):
        platform, handle, followers = accounts[n % len(accounts)]
        published = last_published - (posts - 1 - n) * spacing
        post_id = str(10**17 + n)
        url = _URLS[platform].format(handle=handle, id=post_id)
        likes = int(followers * 0.004 * rng.lognormvariate(0.0, 0.5)) + 1
        comments, reposts = likes // 8 + rng.randrange(3), likes // 6 + rng.randrange(3)
        impressions = likes * rng.randint(25, 70) if platform in (_L, _X) else None
        for offset, share in zip(offsets, shares, strict=True):
            yield SnapshotRecord(
                platform=platform,
                account=handle,
                post_id=post_id,
                published_at=published,
                metrics=Metrics(
                    impressions=int(impressions * share) if impressions is not None else None,
                    likes=int(likes * share),
                    comments=int(comments * share),
                    shares=int(reposts * share),
                ),
                url=url,
                captured_at=published + offset,
            )


def _utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("end must be timezone-aware, e.g. datetime.now(UTC)")
    return moment.astimezone(UTC)


def _follower_series(rng: random.Random, index: int, days: int) -> list[int]:
    """Daily counts from the start to the end; the first profile is pinned to cross MILESTONE."""
    profile = _PROFILES[index]
    mean = profile.growth_per_day
    gains = [max(0, round(rng.gauss(mean, mean * 0.5))) for _ in range(days)]
    final = profile.followers_at_end
    if index == 0 and days > _MILESTONE_DAYS_BEFORE_END:
        # A gain of at least 2 on the crossing day puts the day before below the milestone.
        crossing = days - _MILESTONE_DAYS_BEFORE_END
        gains[crossing - 1] = max(gains[crossing - 1], 2)
        final = MILESTONE + gains[crossing - 1] // 2 + sum(gains[crossing:])
    series = [final]
    for gain in reversed(gains):
        series.append(series[-1] - gain)
    return series[::-1]


def _plan_posts(
    rng: random.Random, start: datetime, end: datetime, followers: list[list[int]]
) -> list[_Post]:
    """Choose when each account posts, which posts break out, then each post's final counts."""
    slots: list[tuple[datetime, int, bool]] = []  # published, profile index, pilot post
    first_day = datetime.combine(start.date(), time(0), tzinfo=UTC)
    for i, profile in enumerate(_PROFILES):
        per_weekday = profile.posts_per_week / 5.5  # a weekend day gets a quarter of a weekday
        for d in range((end.date() - start.date()).days + 1):
            day = first_day + d * DAY
            lam = per_weekday * (0.25 if day.weekday() >= 5 else 1.0)
            for _ in range(int(lam) + (rng.random() < lam % 1)):
                hour = min(19.5, max(7.0, rng.gauss(11.5, 2.5)))  # office hours, late morning
                published = day + timedelta(seconds=round(hour * 3600) + rng.randrange(60))
                if start <= published < end:
                    slots.append((published, i, False))
    end_day = datetime.combine(end.date(), time(0), tzinfo=UTC)
    for days_before in _GRAD_PILOT_DAYS:
        working_hours = timedelta(seconds=rng.randrange(9 * 3600, 16 * 3600))
        published = end_day - days_before * DAY + working_hours
        if published >= start:
            slots.append((published, _PILOT_PROFILE, True))
    slots.sort()
    boosts = _choose_outliers(rng, slots, end)
    factors = [rng.uniform(0.7, 1.3) for _ in _PROFILES]
    seen: set[tuple[Platform, str]] = set()
    posts = []
    for n, (published, i, pilot) in enumerate(slots):
        account = _PROFILES[i].account
        post_id = _post_id(rng, account.platform, published)
        while (account.platform, post_id) in seen:
            post_id = _post_id(rng, account.platform, published)
        seen.add((account.platform, post_id))
        tag = rng.choice(account.tags)
        template = rng.choice(_GRAD_PILOT_TEMPLATES if pilot else _TEMPLATES[tag])
        text = template.format(**{key: rng.choice(words) for key, words in _FILLS.items()})
        usual = followers[i][(published - start) // DAY] * _PLATFORMS[account.platform][0]
        boost = boosts.get(n) or (1.8 if pilot else 1.0) * rng.lognormvariate(0.0, 0.45)
        final = {
            name: int(usual * factors[i] * boost * share * rng.lognormvariate(0.0, 0.2) + 0.5)
            for name, share in _MIXES[account.platform]
        }
        if pilot:  # a call to apply: clicks well above the account's usual share
            final["clicks"] = max(3 * final["clicks"], _GRAD_PILOT_CLICKS_FLOOR + rng.randrange(30))
        _add_exposure(rng, account.platform, final)
        url = _URLS[account.platform].format(handle=account.handle, id=post_id)
        tau = rng.uniform(*_TAU_HOURS)
        posts.append(_Post(i, post_id, url, text, published, final, tau))
    return posts


def _choose_outliers(
    rng: random.Random, slots: list[tuple[datetime, int, bool]], end: datetime
) -> dict[int, float]:
    """Pick the breakout posts: three of ours in the last week, four older ones, one pilot post.

    Recent breakouts are at least 30 hours old so their one-day snapshot already shows the jump.
    """
    recent = [
        n
        for n, (t, i, pilot) in enumerate(slots)
        if end - 6 * DAY <= t < end - 30 * HOUR
        and not pilot
        and _PROFILES[i].account.kind is AccountKind.OURS
    ]
    rng.shuffle(recent)
    boosts: dict[int, float] = {}
    used: set[int] = set()
    for n in recent:
        if len(boosts) < 3 and slots[n][1] not in used:
            used.add(slots[n][1])
            boosts[n] = rng.uniform(8.0, 14.0)
    older = [n for n, (t, _, pilot) in enumerate(slots) if t < end - 8 * DAY and not pilot]
    for n in rng.sample(older, min(4, len(older))):
        boosts[n] = rng.uniform(6.0, 15.0)
    pilots = [n for n, slot in enumerate(slots) if slot[2]]
    if len(pilots) > 2:
        boosts[pilots[2]] = rng.uniform(6.0, 8.0)
    return boosts


def _add_exposure(rng: random.Random, platform: Platform, final: dict[str, int]) -> None:
    """Impressions run 20-60x engagement where reported; YouTube and Reels report views."""
    engagement = sum(final.values())
    reported = _PLATFORMS[platform][2]
    if "impressions" in reported:
        final["impressions"] = int(engagement * rng.uniform(20.0, 60.0))
        if "reach" in reported:
            final["reach"] = int(final["impressions"] * rng.uniform(0.55, 0.85))
        if platform is Platform.INSTAGRAM and rng.random() < 0.3:
            final["video_views"] = int(final["impressions"] * rng.uniform(0.4, 0.7))
    elif "video_views" in reported:
        final["video_views"] = int(engagement * rng.uniform(20.0, 60.0))


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_X_EPOCH_MS = 1_288_834_974_657
_BASE64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
_BASE32_SORTABLE = "234567abcdefghijklmnopqrstuvwxyz"


def _post_id(rng: random.Random, platform: Platform, published: datetime) -> str:
    """Ids shaped like the platform's own, time-ordered where the platform's are."""
    ms = (published - _EPOCH) // timedelta(milliseconds=1)
    if platform is Platform.LINKEDIN:
        return str(ms << 22 | rng.getrandbits(22))
    if platform is Platform.X:
        return str((ms - _X_EPOCH_MS) << 22 | rng.getrandbits(22))
    if platform is Platform.MASTODON:
        return str(ms << 16 | rng.getrandbits(16))
    if platform is Platform.BLUESKY:  # a TID: microseconds and a clock id, base32-sortable
        value = (ms * 1000 + rng.randrange(1000)) << 10 | rng.getrandbits(10)
        return "".join(_BASE32_SORTABLE[value >> (5 * k) & 31] for k in range(12, -1, -1))
    if platform is Platform.FACEBOOK:
        return str(rng.randrange(10**15, 10**16))
    return "".join(rng.choice(_BASE64URL) for _ in range(11))  # YouTube ids, Instagram codes
