"""Win ratios on a real database: stored, read back, ranked by, and backfilled by migration 0006."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select, text

from bot.domain.models import Metrics, Platform, SnapshotRecord, WinKind
from bot.store.db import Database
from bot.store.tables import wins
from bot.store.wins import WinFilter
from bot.usecases.results import WinsService

T0 = datetime(2026, 10, 1, 9, 0, tzinfo=UTC)
POST_DETAILS = '{"ratio": 8.0, "baseline": 200.0}'


def post(account: str, n: int, likes: int) -> SnapshotRecord:
    published = T0 + timedelta(days=n)
    return SnapshotRecord(
        platform=Platform.LINKEDIN,
        account=account,
        post_id=f"{account}-{n}",
        published_at=published,
        metrics=Metrics(likes=likes),
        captured_at=published + timedelta(hours=24),
    )


async def test_post_win_stores_its_ratio_and_expected_engagement(service: WinsService) -> None:
    steady = [post("acme", n, 100 + n % 3) for n in range(12)]
    await service.ingest([*steady, post("acme", 12, 640)])
    await service.detect()
    [win] = await service.wins(WinFilter())
    assert win.kind is WinKind.POST
    assert win.expected == 101
    assert win.ratio == round(640 / 101, 2)
    async with service.db.engine.connect() as conn:
        stored = (await conn.execute(select(wins.c.ratio, wins.c.expected))).one()
    assert tuple(stored) == (win.ratio, 101)


async def test_wins_are_listed_by_times_their_usual_not_by_z_score(service: WinsService) -> None:
    # A metronome account's 2.6x has the bigger z-score; a noisy account's 16x is the bigger news.
    metronome = [post("metronome", n, 200 + n % 2) for n in range(10)]
    noisy_counts = [60, 900, 200, 40, 700, 150, 300, 200, 1200, 90]
    noisy = [post("noisy", n, c) for n, c in enumerate(noisy_counts)]
    await service.ingest([*metronome, post("metronome", 10, 520), *noisy, post("noisy", 10, 3_217)])
    await service.detect()
    listed = {w.post_external_id: w for w in await service.wins(WinFilter())}
    order = list(listed)
    assert order.index("noisy-10") < order.index("metronome-10")
    assert listed["noisy-10"].ratio is not None and listed["noisy-10"].ratio >= 16


async def test_migration_0006_moves_old_wins_onto_the_ratio_scale(tmp_path: Path) -> None:
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'old.db'}")
    await db.upgrade("0005")
    async with db.engine.begin() as conn:
        await conn.execute(
            text(
                "INSERT INTO wins (key, kind, score, reason, details, occurred_at, detected_at,"
                " updated_at) VALUES (:key, :kind, :score, '', :details, :at, :at, :at)"
            ),
            [
                {"key": "post:1", "kind": "post", "score": 8.4, "details": POST_DETAILS, "at": T0},
                {
                    "key": "milestone:1:10000",
                    "kind": "milestone",
                    "score": 4.0,
                    "details": "{}",
                    "at": T0,
                },
                {"key": "campaign:1", "kind": "campaign", "score": 5.2, "details": "{}", "at": T0},
            ],
        )
    await db.upgrade()
    async with db.engine.connect() as conn:
        rows = await conn.execute(
            select(wins.c.key, wins.c.score, wins.c.ratio, wins.c.expected).order_by(wins.c.key)
        )
        found = [tuple(r) for r in rows]
    await db.dispose()
    assert found == [
        ("campaign:1", 3.2, None, None),
        ("milestone:1:10000", 3.0, None, None),
        ("post:1", 3.0, 8.0, 200.0),
    ]
