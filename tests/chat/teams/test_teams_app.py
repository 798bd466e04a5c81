"""Teams end to end: real-shaped activities into the server, a fake Bot Connector behind it."""

from __future__ import annotations

import asyncio
import json

import pytest
from sqlalchemy import select

from adapters.chat.teams.cards import MAX_CARD_BYTES, SHARE_CASE, SHARE_WIN
from bot.config import Settings
from bot.domain.models import Chat
from bot.store.case_studies import CaseStudyFilter
from bot.store.db import Database
from bot.store.subscriptions import list_subscriptions
from bot.store.tables import conversations, posted_messages
from bot.store.wins import WinFilter
from tests.chat.teams.conftest import CHANNEL, TEAM, TeamsHarness, start
from tests.fakes.bot_connector import BOT_ID, FakeBotConnector


async def test_channel_mention_answers_with_a_card_in_the_thread(teams: TeamsHarness) -> None:
    activity = teams.activity("wins 30d")
    assert await teams.send(activity) in (200, 201)
    [card] = teams.cards()
    text = json.dumps(card)
    assert "the median impressions of acme-careers" in text
    assert SHARE_WIN in text
    # User text arrives as written, in TextRuns, which Teams never reads as Markdown.
    assert "[link](https://evil.example)" in text and '"TextBlock"' not in text
    assert len(json.dumps(card).encode()) < MAX_CARD_BYTES
    [reply] = teams.connector.requests_to("POST")
    assert reply.conversation_id == activity["conversation"]["id"]


async def test_personal_chat_needs_no_mention_and_typos_get_suggestions(
    teams: TeamsHarness,
) -> None:
    await teams.send(teams.activity("help", kind="personal", mention=False))
    await teams.send(teams.activity("wins linkdin", kind="groupChat"))
    help_card, error_card = teams.cards()
    assert "subscribe" in json.dumps(help_card)
    assert "linkedin" in json.dumps(error_card)


async def test_unmentioned_channel_chatter_is_ignored(teams: TeamsHarness) -> None:
    assert await teams.send(teams.activity("lunch anyone?", mention=False)) in (200, 201)
    assert teams.connector.activities_sent == []


async def test_share_posts_a_new_thread_and_its_replies_become_one_case_study(
    teams: TeamsHarness,
) -> None:
    [win] = await teams.server.service.wins(WinFilter(limit=1))
    click = teams.activity("", mention=False, value={"winsbot": SHARE_WIN, "win_id": win.id})
    click["text"] = None
    await teams.send(click)
    created = [r for r in teams.connector.requests if r.path.rstrip("/").endswith("/conversations")]
    assert len(created) == 1  # a new thread in the channel...
    assert created[0].body["channelData"]["channel"]["id"] == CHANNEL
    root_id = await _root_of_shared_win(teams)  # ...whose id the bot remembered
    reply = teams.activity("We answered the angry customer in 5 minutes", mention=False,
                           thread=root_id)  # fmt: skip
    await teams.send(reply)
    await teams.send(reply)  # Teams redelivers the same activity
    [story] = await teams.server.service.case_studies(CaseStudyFilter())
    assert story.body == "We answered the angry customer in 5 minutes"
    assert story.win_id == win.id
    confirmations = [c for c in teams.cards() if "Saved as a case study" in json.dumps(c)]
    assert len(confirmations) == 1

    edit = {**reply, "type": "messageUpdate", "text": "We answered in 4 minutes",
            "channelData": {**reply["channelData"], "eventType": "editMessage"}}  # fmt: skip
    await teams.send(edit)
    [story] = await teams.server.service.case_studies(CaseStudyFilter())
    assert story.body == "We answered in 4 minutes"
    deleted = {**reply["channelData"], "eventType": "softDeleteMessage"}
    delete = {**reply, "type": "messageDelete", "channelData": deleted}
    await teams.send(delete)
    assert await teams.server.service.case_studies(CaseStudyFilter()) == []


async def _root_of_shared_win(teams: TeamsHarness) -> str:
    async with teams.server.service.db.engine.connect() as conn:
        [row] = (await conn.execute(select(posted_messages.c.message_id))).all()
    return str(row.message_id)


async def test_install_stores_the_reference_and_removal_stops_subscriptions(
    teams: TeamsHarness,
) -> None:
    install = teams.activity("", mention=False)
    added = {**install["channelData"], "eventType": "teamMemberAdded"}
    install.update(
        {
            "type": "conversationUpdate",
            "text": None,
            "membersAdded": [{"id": BOT_ID}],
            "channelData": added,
        }
    )
    await teams.send(install)
    async with teams.server.service.db.engine.connect() as conn:
        [row] = (await conn.execute(select(conversations))).all()
    assert (row.conversation_id, row.team_id, row.active) == (CHANNEL, TEAM, True)
    await teams.send(teams.activity("wins subscribe leadership", user="aad-boss"))
    async with teams.server.service.db.engine.connect() as conn:
        [sub] = await list_subscriptions(conn, chat=Chat.TEAMS)
    assert (sub.channel_id, sub.schedule.timezone) == (CHANNEL, "Europe/Paris")
    removed = {**install["channelData"], "eventType": "teamMemberRemoved"}
    remove = {**install, "membersAdded": None, "membersRemoved": [{"id": BOT_ID}],
              "channelData": removed}  # fmt: skip
    await teams.send(remove)
    async with teams.server.service.db.engine.connect() as conn:
        [sub] = await list_subscriptions(conn, chat=Chat.TEAMS)
        [row] = (await conn.execute(select(conversations))).all()
    assert sub.active is False and row.active is False
    await teams.send(install)  # added back: the reference is live again
    async with teams.server.service.db.engine.connect() as conn:
        [row] = (await conn.execute(select(conversations))).all()
    assert row.active is True


async def test_leadership_subscription_is_refused_to_non_admins(teams: TeamsHarness) -> None:
    await teams.send(teams.activity("wins subscribe leadership", user="aad-sam"))
    assert "Only workspace admins" in json.dumps(teams.cards()[-1])


async def test_private_channel_story_offers_a_share_action(teams: TeamsHarness) -> None:
    [win] = await teams.server.service.wins(WinFilter(limit=1))
    click = teams.activity("", mention=False, value={"winsbot": SHARE_WIN, "win_id": win.id})
    await teams.send(click)
    root_id = await _root_of_shared_win(teams)
    reply = teams.activity("Private story", mention=False, thread=root_id)
    reply["channelData"]["channel"]["membershipType"] = "private"
    await teams.send(reply)
    assert SHARE_CASE in json.dumps(teams.cards()[-1])
    assert await teams.server.service.case_studies(CaseStudyFilter()) == []


async def test_without_app_id_teams_is_refused_unless_dev_mode(db: Database) -> None:
    async with FakeBotConnector():
        server, runner, url = await start(Settings(database_url=db.url))
        import aiohttp

        async with (
            aiohttp.ClientSession() as http,
            http.post(f"{url}/api/messages", json={"type": "message", "text": "hi"}) as response,
        ):
            assert response.status == 503
            assert "MICROSOFT_APP_ID" in (await response.json())["error"]
        await runner.cleanup()
        for close in server.on_stop:
            await close()


async def test_with_an_app_id_missing_or_forged_tokens_get_401(db: Database) -> None:
    async with FakeBotConnector() as connector:
        settings = Settings(
            database_url=db.url,
            microsoft_app_id="7d0e2c4a-1b2c-4d5e-8f90-123456789abc",
            microsoft_app_password="not-a-real-password",
        )
        server, runner, url = await start(settings)
        harness = TeamsHarness(server, connector, url, None)  # type: ignore[arg-type]
        import aiohttp

        async with aiohttp.ClientSession() as http:
            harness.http = http
            assert await harness.send(harness.activity("wins")) == 401
            forged = {"Authorization": "Bearer eyJhbGciOiJub25lIn0.eyJhdWQiOiJ4In0."}
            assert await harness.send(harness.activity("wins"), headers=forged) == 401
            signed_by_someone = {"Authorization": f"Bearer {_foreign_token()}"}
            assert await harness.send(harness.activity("wins"), headers=signed_by_someone) == 401
        assert connector.activities_sent == []
        await runner.cleanup()
        for close in server.on_stop:
            await close()


def _foreign_token() -> str:
    """A well-formed RS256-looking token claiming to be from Bot Framework, expired."""
    import base64

    def part(data: dict[str, object]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

    header = part({"alg": "RS256", "kid": "not-a-microsoft-key", "typ": "JWT"})
    claims = part(
        {
            "iss": "https://api.botframework.com",
            "aud": "7d0e2c4a-1b2c-4d5e-8f90-123456789abc",
            "exp": 1_600_000_000,
            "nbf": 1_599_990_000,
            "serviceurl": "http://127.0.0.1/",
        }
    )
    return f"{header}.{claims}.c2lnbmF0dXJl"


@pytest.mark.ack_budget(0)
async def test_slow_answers_follow_proactively(teams: TeamsHarness) -> None:
    await teams.send(teams.activity("wins 30d"))
    for _ in range(100):
        if len(teams.connector.activities_sent) >= 2:
            break
        await asyncio.sleep(0.02)
    first, second = teams.connector.activities_sent[:2]
    assert first.get("text") == "Working on it…"
    assert "the median impressions of acme-careers" in json.dumps(second)


async def test_every_command_answers_in_teams(teams: TeamsHarness) -> None:
    for text in ("wins", "wins cases", "wins subscriptions", "wins subscribe #recruiting",
                 "wins unsubscribe", "wins peers", "wins campaign nothing", "help"):  # fmt: skip
        assert await teams.send(teams.activity(text, user="aad-boss")) in (200, 201)
    cards = [json.dumps(c) for c in teams.cards()]
    assert len(cards) == 8
    assert "Case studies" in cards[1] or "case studies" in cards[1].lower()
    assert "recruiting digest" in cards[3]
    assert "Stopped the recruiting digest" in cards[4]


async def test_the_channel_reference_is_written_once_not_on_every_message(
    teams: TeamsHarness,
) -> None:
    """Each message names itself, its sender and their language; only a new service URL is a
    new reference."""

    async def updated() -> object:
        async with teams.server.service.db.engine.connect() as conn:
            [row] = (await conn.execute(select(conversations))).all()
        return row.updated_at

    await teams.send(teams.activity("wins 30d", user="aad-sam"))
    first = await updated()
    await asyncio.sleep(0.01)
    await teams.send(teams.activity("wins help", user="aad-alex", locale="de-DE"))
    await teams.send(teams.activity("wins 7d", user="aad-sam"))
    assert await updated() == first
    moved = teams.activity("wins help", serviceUrl=teams.connector.service_url + "/")
    await teams.send(moved)
    assert await updated() != first
