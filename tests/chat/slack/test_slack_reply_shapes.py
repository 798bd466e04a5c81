"""Every shape of a person's reply in a win's thread becomes its story, credited by name."""

from __future__ import annotations

from typing import Any

from adapters.chat.slack.blocks import SHARE_WIN_ACTION
from bot.store.case_studies import CaseStudyFilter
from bot.store.wins import WinFilter
from tests.chat.slack.conftest import SlackHarness

PERMALINK = "https://acme.slack.com/files/U0ALEX/F0SCREEN/launch.png"


async def _shared_root(harness: SlackHarness) -> str:
    [win] = await harness.server.service.wins(WinFilter(limit=1))
    await harness.action(SHARE_WIN_ACTION, str(win.id))
    return next(ts for (channel, ts) in harness.slack.messages if channel == "C1")


def _reply(root_ts: str, ts: str, **fields: Any) -> dict[str, Any]:
    return {
        "type": "message", "channel": "C1", "user": "U0ALEX", "ts": ts, "thread_ts": root_ts,
        "channel_type": "channel", "event_ts": ts, **fields,
    }  # fmt: skip


async def test_an_image_with_a_caption_is_a_story_with_a_link_to_the_image(
    harness: SlackHarness,
) -> None:
    harness.slack.users["U0ALEX"] = {"profile": {"display_name": "Alex Krycek"}}
    root_ts = await _shared_root(harness)
    # The shape Slack sends for a file shared in a thread (subtype file_share, its files).
    shared = _reply(
        root_ts, "1800000000.000400", subtype="file_share", upload=True,
        text="This is the reply that won them back",
        files=[{"id": "F0SCREEN", "name": "launch.png", "title": "launch screenshot",
                "mimetype": "image/png", "filetype": "png", "permalink": PERMALINK,
                "url_private": "https://files.slack.com/files-pri/T0001-F0SCREEN/launch.png"}],
    )  # fmt: skip
    status, _ = await harness.event(shared)
    assert status == 200
    [story] = await harness.server.service.case_studies(CaseStudyFilter())
    assert story.body == f"This is the reply that won them back\nlaunch screenshot: {PERMALINK}"
    assert (story.author, story.author_name, story.byline) == (
        "U0ALEX",
        "Alex Krycek",
        "Alex Krycek",
    )

    edited = {
        "type": "message", "subtype": "message_changed", "channel": "C1", "channel_type": "channel",
        "message": {**shared, "text": "The reply that won them back"}, "ts": "1800000001.000009",
    }  # fmt: skip
    await harness.event(edited, event_id="Ev2")
    [story] = await harness.server.service.case_studies(CaseStudyFilter())
    assert story.body == f"The reply that won them back\nlaunch screenshot: {PERMALINK}"


async def test_a_reply_also_sent_to_the_channel_is_a_story_too(harness: SlackHarness) -> None:
    harness.slack.users["U0ALEX"] = {}  # no display name of their own: Slack shows the handle
    root_ts = await _shared_root(harness)
    broadcast = _reply(
        root_ts, "1800000000.000600", subtype="thread_broadcast",
        text="Two-week pilot: 1,240 clicks against a goal of 1,000",
        root={"ts": root_ts, "user": "U0BOT", "text": "A social media win"},
    )  # fmt: skip
    status, _ = await harness.event(broadcast)
    assert status == 200
    [story] = await harness.server.service.case_studies(CaseStudyFilter())
    assert story.body == "Two-week pilot: 1,240 clicks against a goal of 1,000"
    assert story.author_name == "user.u0alex"  # the fake's display name for an unnamed user


async def test_what_slack_writes_into_a_thread_is_not_a_story(harness: SlackHarness) -> None:
    root_ts = await _shared_root(harness)
    for index, subtype in enumerate(("channel_join", "pinned_item", "bot_message")):
        notice = _reply(root_ts, f"1800000000.00070{index}", subtype=subtype, text="joined")
        status, _ = await harness.event(notice, event_id=f"Ev{index}")
        assert status == 200
    assert await harness.server.service.case_studies(CaseStudyFilter()) == []


async def test_a_person_without_a_readable_profile_is_still_credited_by_id(
    harness: SlackHarness,
) -> None:
    root_ts = await _shared_root(harness)
    status, _ = await harness.event(_reply(root_ts, "1800000000.000800", user="U0GONE", text="Hi"))
    assert status == 200
    [story] = await harness.server.service.case_studies(CaseStudyFilter())
    assert (story.author_name, story.byline) == (None, "U0GONE")  # users.info: user_not_found


async def test_a_reply_in_someone_elses_thread_costs_no_users_info_call(
    harness: SlackHarness,
) -> None:
    stranger = _reply("1799999999.000001", "1800000000.000900", text="not under our post")
    status, _ = await harness.event(stranger)
    assert status == 200
    assert await harness.server.service.case_studies(CaseStudyFilter()) == []
    assert harness.slack.calls_to("users.info") == []
