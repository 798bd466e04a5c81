"""Peer examples on a real database (SQLite, and PostgreSQL when configured): saved once per
post and person, found by URL or id, listed by period, and shown in the digest."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.domain.models import AccountKind, Audience, Metrics, Platform, SnapshotRecord
from bot.domain.periods import week_containing
from bot.store.accounts import register_account
from bot.store.peer_examples import find_peer_post, list_peer_examples, save_peer_example
from bot.store.wins import WinFilter
from bot.usecases.peer_examples import PeerExamples
from bot.usecases.results import WinsService
from tests.conftest import NOW

RIVAL = "rival"


def snap(n: int, likes: int, account: str = RIVAL) -> SnapshotRecord:
    published = NOW - timedelta(days=40 - n)
    return SnapshotRecord(
        Platform.LINKEDIN, account, f"{account}-{n}", published,
        Metrics(likes=likes, comments=3, impressions=likes * 40),
        url=f"https://www.linkedin.com/feed/update/urn:li:activity:{account}{n}/",
        text=f"{account} post {n}", captured_at=published + timedelta(days=1),
    )  # fmt: skip


async def with_peers(service: WinsService) -> int:
    """A peer and one of ours, each with a standout post; the peer win's id."""
    async with service.db.engine.begin() as conn:
        await register_account(conn, Platform.LINKEDIN, RIVAL, kind=AccountKind.PEER)
        await register_account(conn, Platform.LINKEDIN, "acme")
    records = [snap(n, 50 + n % 3) for n in range(30)] + [snap(36, 1900)]
    records += [snap(n, 50 + n % 3, "acme") for n in range(30)] + [snap(36, 1900, "acme")]
    await service.ingest(records)
    await service.detect()
    [win] = await service.peer_wins(WinFilter(limit=1))
    return win.id


async def test_saved_once_per_post_and_person_and_the_note_updates(service: WinsService) -> None:
    await with_peers(service)
    peers = PeerExamples(service)
    url = "https://www.linkedin.com/feed/update/urn:li:activity:rival36/"
    first, created = await peers.save_from_cli(url, "Lead with people", saved_by="U1")
    again, created_again = await peers.save_from_cli("rival-36", "Lead with faces", saved_by="U1")
    assert created and not created_again and first == again
    [example] = await peers.examples()
    assert example.note == "Lead with faces" and example.post_url == url
    assert example.win_id is not None and example.account == RIVAL
    other, created_other = await peers.save_from_cli(url, "Subtitles", saved_by="U2")
    assert created_other and other != first
    assert len(await peers.examples()) == 2


async def test_only_peer_posts_and_real_notes_are_saved(service: WinsService) -> None:
    await with_peers(service)
    peers = PeerExamples(service)
    with pytest.raises(ValueError, match="No peer post"):
        await peers.save_from_cli("acme-36", "Ours, not a peer's")
    with pytest.raises(ValueError, match="No peer post"):
        await peers.save_from_cli("https://nowhere.example/1", "Unknown")
    with pytest.raises(ValueError, match="what to learn"):
        await peers.save_from_cli("rival-36", "  ")
    with pytest.raises(ValueError, match="1,000"):
        await peers.save_from_cli("rival-36", "x" * 1001)
    assert await peers.examples() == []


async def test_listed_by_period_and_platform(service: WinsService) -> None:
    win_id = await with_peers(service)
    peers = PeerExamples(service)
    await peers.save_from_cli("rival-36", "Lead with people")
    async with service.db.engine.connect() as conn:
        assert len(await list_peer_examples(conn, since=NOW - timedelta(days=1))) == 1
        assert await list_peer_examples(conn, since=NOW + timedelta(seconds=1)) == []
        assert await list_peer_examples(conn, platforms=(Platform.YOUTUBE,)) == []
    week = await service.digest(Audience(), week_containing(NOW, "UTC"))
    assert [e.note for e in week.peer_examples] == ["Lead with people"]
    assert week.peer_examples[0].win_id == win_id
    earlier = await service.digest(Audience(), week_containing(NOW - timedelta(days=7), "UTC"))
    assert earlier.peer_examples == []


async def test_the_digest_shows_at_most_three(service: WinsService) -> None:
    await with_peers(service)
    async with service.db.engine.begin() as conn:
        found = await find_peer_post(conn, "rival-36")
        assert found is not None
        for n in range(5):
            await save_peer_example(
                conn, post_id=found[0], note=f"note {n}", saved_by=f"U{n}", now=NOW
            )
    view = await service.digest(Audience(), week_containing(NOW, "UTC"))
    assert len(view.peer_examples) == 3
