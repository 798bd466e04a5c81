"""Stored campaigns and their progress, measured from the snapshots we already hold."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.sql.elements import ColumnElement

from bot.domain.campaigns import text_has_hashtag, window
from bot.domain.models import Campaign, CampaignMetric, CampaignProgress, Platform, normalise_tag
from bot.domain.pilot_report import PilotPost
from bot.store.tables import account_tags, accounts, campaigns, posts, wins
from bot.store.tables import follower_snapshots as followers
from bot.store.tables import post_snapshots as snapshots


class CampaignExistsError(ValueError):
    """Campaign names are how people refer to a pilot in chat, so they must be unique."""


async def add_campaign(conn: AsyncConnection, campaign: Campaign, *, now: datetime) -> int:
    exists = await conn.execute(select(campaigns.c.id).where(campaigns.c.name == campaign.name))
    if exists.first() is not None:
        raise CampaignExistsError(
            f"a campaign named {campaign.name!r} already exists: pick another name"
        )
    result = await conn.execute(campaigns.insert().values(**_columns(campaign), created_at=now))
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


def _columns(campaign: Campaign) -> dict[str, Any]:
    """A campaign as its row stores it: tags normalised, a hashtag without its "#"."""
    return {
        "name": campaign.name,
        "metric": campaign.metric.value,
        "target": campaign.target,
        "starts_on": campaign.starts_on,
        "ends_on": campaign.ends_on,
        "tag": normalise_tag(campaign.tag) if campaign.tag else None,
        "hashtag": campaign.hashtag.lstrip("#") if campaign.hashtag else None,
        "account": campaign.account,
        "platform": campaign.platform.value if campaign.platform else None,
    }


async def update_campaign(conn: AsyncConnection, campaign: Campaign) -> bool:
    """Change a stored campaign (by its id) to ``campaign``; False when it is gone.

    Names stay unique (CampaignExistsError, as when adding): the name is how chat refers to a
    pilot. The id, its wins and its pilot-end ledger rows are kept, so an edit never makes a
    pilot "new" to the reports already sent about it.
    """
    assert campaign.id is not None
    clash = await conn.execute(
        select(campaigns.c.id).where(
            campaigns.c.name == campaign.name, campaigns.c.id != campaign.id
        )
    )
    if clash.first() is not None:
        raise CampaignExistsError(
            f"a campaign named {campaign.name!r} already exists: pick another name"
        )
    changed = await conn.execute(
        campaigns.update().where(campaigns.c.id == campaign.id).values(**_columns(campaign))
    )
    return bool(changed.rowcount)


async def find_campaign(
    conn: AsyncConnection, *, name: str | None = None, campaign_id: int | None = None
) -> Campaign | None:
    """One campaign by id, or by name (spaces and case as people type them)."""
    if campaign_id is not None:
        row = (
            await conn.execute(select(campaigns).where(campaigns.c.id == campaign_id))
        ).one_or_none()
        return None if row is None else _campaign_of(row)
    wanted = " ".join((name or "").split()).lower()
    for campaign in await list_campaigns(conn):
        if name and campaign.name.lower() == wanted:
            return campaign
    return None


# --- end editing a pilot ---


async def campaign_names(conn: AsyncConnection) -> list[str]:
    """Every campaign's name: what "did you mean ..." chooses from in `wins campaign NAME`."""
    return [row[0] for row in await conn.execute(select(campaigns.c.name))]


async def list_campaigns(conn: AsyncConnection) -> list[Campaign]:
    rows = await conn.execute(select(campaigns).order_by(campaigns.c.starts_on, campaigns.c.id))
    return [_campaign_of(r) for r in rows]


def _campaign_of(r: Any) -> Campaign:
    return Campaign(
        id=r.id,
        name=r.name,
        metric=CampaignMetric(r.metric),
        target=r.target,
        starts_on=r.starts_on,
        ends_on=r.ends_on,
        tag=r.tag,
        hashtag=r.hashtag,
        account=r.account,
        platform=Platform(r.platform) if r.platform else None,
    )


def _account_filter(campaign: Campaign) -> list[object]:
    conditions: list[object] = [accounts.c.kind == "ours"]
    if campaign.tag:
        conditions.append(
            accounts.c.id.in_(
                select(account_tags.c.account_id).where(account_tags.c.tag == campaign.tag)
            )
        )
    if campaign.account:
        conditions.append(accounts.c.handle == campaign.account)
    if campaign.platform:
        conditions.append(accounts.c.platform == campaign.platform.value)
    return conditions


async def campaign_progress(
    conn: AsyncConnection, campaign: Campaign, *, now: datetime | None = None
) -> tuple[CampaignProgress, datetime | None]:
    """Progress counted up to the campaign's end (or now), and when the latest count was taken."""
    start, end = window(campaign)
    now = now or datetime.now(UTC)
    cutoff = min(end, now)
    today = _day(now)
    if campaign.metric is CampaignMetric.FOLLOWERS:
        return await _follower_progress(conn, campaign, start, cutoff, today)
    matched = await _matched_posts(conn, campaign, start, cutoff)
    if campaign.metric is CampaignMetric.POSTS:
        return CampaignProgress(
            campaign=campaign, value=len(matched), posts=len(matched), as_of=today
        ), None
    latest = await _latest_values(conn, campaign, matched, cutoff)
    value = sum(v for _, v in latest.values())
    last = max((at for at, _ in latest.values()), default=None)
    return CampaignProgress(campaign=campaign, value=value, posts=len(matched), as_of=today), last


async def campaign_posts(
    conn: AsyncConnection, campaign: Campaign, *, now: datetime
) -> list[PilotPost]:
    """The posts that count towards a campaign, each with its count of the campaign's metric
    (for a posts or followers campaign: its engagement, which says which posts carried it)."""
    start, end = window(campaign)
    cutoff = min(end, now)
    matched = await _matched_posts(conn, campaign, start, cutoff)
    column = campaign.metric.value
    if column not in ("posts", "followers"):
        latest = await _latest_values(conn, campaign, matched, cutoff)
    else:
        latest = await _latest_values(conn, campaign, matched, cutoff, column="engagement")
    found: list[PilotPost] = []
    for start_i in range(0, len(matched), 500):
        rows = await conn.execute(
            select(
                posts.c.id, posts.c.url, posts.c.text, posts.c.published_at,
                accounts.c.platform, accounts.c.handle,
            )
            .join(accounts, accounts.c.id == posts.c.account_id)
            .where(posts.c.id.in_(matched[start_i : start_i + 500]))
        )  # fmt: skip
        found.extend(
            PilotPost(
                platform=Platform(r.platform),
                account=r.handle,
                published_at=r.published_at,
                value=latest.get(r.id, (None, 0))[1],
                url=r.url,
                text=r.text,
            )
            for r in rows
        )
    return found


async def campaign_win_ids(
    conn: AsyncConnection, campaign: Campaign, *, now: datetime
) -> list[int]:
    """The wins a campaign's stories hang on: its posts' wins and its goal-reached win."""
    start, end = window(campaign)
    matched = await _matched_posts(conn, campaign, start, min(end, now))
    ids: list[int] = []
    for start_i in range(0, max(len(matched), 1), 500):
        chunk = matched[start_i : start_i + 500]
        condition: ColumnElement[bool] = wins.c.post_id.in_(chunk)
        if start_i == 0 and campaign.id is not None:
            condition = or_(condition, wins.c.campaign_id == campaign.id)
        ids.extend(r.id for r in await conn.execute(select(wins.c.id).where(condition)))
    return sorted(set(ids))


async def _matched_posts(
    conn: AsyncConnection, campaign: Campaign, start: datetime, cutoff: datetime
) -> list[int]:
    stmt = (
        select(posts.c.id, posts.c.text)
        .join(accounts, accounts.c.id == posts.c.account_id)
        .where(posts.c.published_at >= start, posts.c.published_at < cutoff)
        .where(*_account_filter(campaign))  # type: ignore[arg-type]
    )
    if campaign.hashtag:
        # LIKE narrows cheaply in SQL; the exact hashtag rule runs in Python below.
        stmt = stmt.where(func.lower(posts.c.text).like(f"%#{campaign.hashtag.lower()}%"))
    return [
        r.id
        for r in await conn.execute(stmt)
        if not campaign.hashtag or text_has_hashtag(r.text, campaign.hashtag)
    ]


async def _latest_values(
    conn: AsyncConnection,
    campaign: Campaign,
    matched: list[int],
    cutoff: datetime,
    *,
    column: str | None = None,
) -> dict[int, tuple[datetime, int]]:
    """Each post's last count of the campaign's metric (or ``column``) before ``cutoff``."""
    counted = snapshots.c[column or campaign.metric.value]
    latest: dict[int, tuple[datetime, int]] = {}
    for start_i in range(0, len(matched), 500):
        rows = await conn.execute(
            select(snapshots.c.post_id, snapshots.c.captured_at, counted)
            .where(
                snapshots.c.post_id.in_(matched[start_i : start_i + 500]),
                snapshots.c.captured_at < cutoff,
            )
            .order_by(snapshots.c.post_id, snapshots.c.captured_at)
        )
        for post_id, captured_at, value in rows:
            latest[post_id] = (captured_at, value or 0)
    return latest


async def _follower_progress(
    conn: AsyncConnection, campaign: Campaign, start: datetime, cutoff: datetime, today: date
) -> tuple[CampaignProgress, datetime | None]:
    ids = [
        r.id
        for r in await conn.execute(
            select(accounts.c.id).where(*_account_filter(campaign))  # type: ignore[arg-type]
        )
    ]
    gained = 0
    last: datetime | None = None
    for account_id in ids:
        rows = (
            await conn.execute(
                select(followers.c.captured_at, followers.c.followers)
                .where(
                    followers.c.account_id == account_id,
                    followers.c.captured_at >= start,
                    followers.c.captured_at < cutoff,
                )
                .order_by(followers.c.captured_at)
            )
        ).all()
        if len(rows) >= 2:
            gained += rows[-1].followers - rows[0].followers
            last = max(last, rows[-1].captured_at) if last else rows[-1].captured_at
    return CampaignProgress(campaign=campaign, value=max(gained, 0), posts=0, as_of=today), last


def _day(now: datetime) -> date:
    """The day progress is counted on, for its pace: a digest counts up to its period's end,
    an exclusive midnight, which belongs to the day before."""
    return (now.astimezone(UTC) - timedelta(microseconds=1)).date()
