"""A Teams reply with pictures or files is a story with links to them, credited by name."""

from __future__ import annotations

from sqlalchemy import select

from adapters.chat.teams.cards import SHARE_WIN
from bot.store.case_studies import CaseStudyFilter
from bot.store.tables import posted_messages
from bot.store.wins import WinFilter
from tests.chat.teams.conftest import TeamsHarness

IMAGE = "https://smba.trafficmanager.net/emea/v3/attachments/0-wus-d1-abc/views/original"
FILE = "https://acme.sharepoint.com/sites/social/_layouts/15/download.aspx?UniqueId=1234"


async def _shared_root(teams: TeamsHarness) -> str:
    [win] = await teams.server.service.wins(WinFilter(limit=1))
    click = teams.activity("", mention=False, value={"winsbot": SHARE_WIN, "win_id": win.id})
    click["text"] = None
    await teams.send(click)
    async with teams.server.service.db.engine.connect() as conn:
        [row] = (await conn.execute(select(posted_messages.c.message_id))).all()
    return str(row.message_id)


async def test_a_reply_with_a_picture_and_a_file_keeps_links_to_both(teams: TeamsHarness) -> None:
    root = await _shared_root(teams)
    reply = teams.activity("Here is the thread that turned it round", mention=False, thread=root)
    reply["attachments"] = [
        {"contentType": "image/*", "contentUrl": IMAGE},
        {"contentType": "application/vnd.microsoft.teams.file.download.info",
         "name": "pilot-report.pdf",
         "content": {"downloadUrl": FILE, "uniqueId": "1234", "fileType": "pdf"}},
        {"contentType": "text/html", "content": "<p>Here is the thread that turned it round</p>"},
    ]  # fmt: skip
    await teams.send(reply)
    [story] = await teams.server.service.case_studies(CaseStudyFilter())
    assert story.body == (
        f"Here is the thread that turned it round\nimage: {IMAGE}\npilot-report.pdf: {FILE}"
    )
    assert (story.author, story.author_name) == ("aad-sam", "Sam Lee")


async def test_a_picture_alone_is_a_story_too(teams: TeamsHarness) -> None:
    root = await _shared_root(teams)
    reply = teams.activity("", mention=False, thread=root)
    reply["attachments"] = [{"contentType": "image/png", "contentUrl": IMAGE, "name": "a.png"}]
    await teams.send(reply)
    [story] = await teams.server.service.case_studies(CaseStudyFilter())
    assert story.body == f"a.png: {IMAGE}"
