"""Bodies shaped as Slack sends them, for the edge tests: events winsbot ignores and ones it reads.

Shapes follow Slack's Events API reference (docs.slack.dev/reference/events/...) and the
payloads in slackapi/bolt-python's scenario tests (tests/scenario_tests_async/: shared channels,
org-wide apps on Enterprise Grid, url_verification, ssl_check). Ids are made up.
"""

from __future__ import annotations

import time
from typing import Any

from tests.fakes.slack_api import BOT_USER_ID, TEAM_ID

Body = dict[str, Any]

AUTHORIZATIONS = [
    {
        "enterprise_id": None,
        "team_id": TEAM_ID,
        "user_id": BOT_USER_ID,
        "is_bot": True,
        "is_enterprise_install": False,
    }
]
GRID_AUTHORIZATIONS = [
    {
        "enterprise_id": "E0GRID",
        "team_id": None,
        "user_id": "W0BOT",
        "is_bot": True,
        "is_enterprise_install": True,
    }
]


def envelope(event: Body, **extra: Any) -> Body:
    """An Events API ``event_callback`` around ``event``."""
    return {
        "token": "verification-token",
        "team_id": TEAM_ID,
        "api_app_id": "A0001",
        "event": event,
        "type": "event_callback",
        "event_id": "Ev0EDGE",
        "event_time": int(time.time()),
        "authorizations": AUTHORIZATIONS,
        "is_ext_shared_channel": False,
        "event_context": "4-eyJldCI6Im1lc3NhZ2UifQ",
        **extra,
    }


# Events winsbot receives but does not act on: each must be acknowledged with a 2xx.
IGNORED_EVENTS: dict[str, Body] = {
    "app_mention": envelope(
        {
            "client_msg_id": "9cbd4c5b-7ddf-4ede-b479-ad21fca66d63",
            "type": "app_mention",
            "text": "<@U0BOT> what are our wins?",
            "user": "U0ALEX",
            "ts": "1700000300.009600",
            "team": TEAM_ID,
            "channel": "C1",
            "event_ts": "1700000300.009600",
        }
    ),
    "reaction_added": envelope(
        {
            "type": "reaction_added",
            "user": "U0ALEX",
            "item": {"type": "message", "channel": "C1", "ts": "1700000000.000400"},
            "reaction": "tada",
            "item_user": "U0SAM",
            "event_ts": "1700000301.000800",
        }
    ),
    "reaction_added on Enterprise Grid (shared channel)": envelope(
        {
            "type": "reaction_added",
            "user": "W0ALEX",
            "item": {"type": "message", "channel": "C0SHARED", "ts": "1700000000.000400"},
            "reaction": "heart_eyes",
            "item_user": "W0SAM",
            "event_ts": "1700000301.000900",
        },
        enterprise_id="E0GRID",
        team_id="T0SOURCE",
        authorizations=GRID_AUTHORIZATIONS,
        is_ext_shared_channel=True,
        context_team_id="T0SOURCE",
        context_enterprise_id="E0GRID",
    ),
    "member_joined_channel (shared channel)": envelope(
        {
            "type": "member_joined_channel",
            "user": "W0ALEX",
            "channel": "C0SHARED",
            "channel_type": "C",
            "team": "T0OTHER",
            "inviter": "U0SAM",
        },
        enterprise_id="E0GRID",
        is_ext_shared_channel=True,
    ),
    "team_access_granted (org-wide install)": {
        "token": "verification-token",
        "enterprise_id": "E0GRID",
        "api_app_id": "A0001",
        "event": {
            "type": "team_access_granted",
            "team_ids": ["T0001", "T0002"],
            "event_ts": "1700000302.000100",
        },
        "type": "event_callback",
        "event_id": "Ev0GRANT",
        "event_time": 1700000302,
    },
    "app_home_opened": envelope(
        {
            "type": "app_home_opened",
            "user": "U0ALEX",
            "channel": "D0HOME",
            "tab": "messages",
            "event_ts": "1700000303.510671",
        }
    ),
    "tokens_revoked": envelope(
        {"type": "tokens_revoked", "tokens": {"oauth": ["U0ALEX"], "bot": ["U0BOT"]}}
    ),
    "channel_created (channel is an object)": envelope(
        {
            "type": "channel_created",
            "channel": {"id": "C0NEW", "name": "wins", "created": 1700000304, "creator": "U0SAM"},
        }
    ),
    "user_change (user is an object)": envelope(
        {
            "type": "user_change",
            "user": {"id": "U0ALEX", "team_id": TEAM_ID, "name": "alex", "tz": "Europe/Paris"},
            "cache_ts": 1700000305,
            "event_ts": "1700000305.000100",
        }
    ),
    "message from a bot": envelope(
        {
            "type": "message",
            "subtype": "bot_message",
            "text": "Build passed",
            "ts": "1700000306.000100",
            "bot_id": "B0CI",
            "channel": "C1",
            "channel_type": "channel",
            "event_ts": "1700000306.000100",
        }
    ),
    "message: channel_join": envelope(
        {
            "type": "message",
            "subtype": "channel_join",
            "user": "U0ALEX",
            "text": "<@U0ALEX> has joined the channel",
            "ts": "1700000307.000100",
            "channel": "C1",
            "channel_type": "channel",
            "event_ts": "1700000307.000100",
        }
    ),
    "message on Enterprise Grid, not in a thread": envelope(
        {
            "client_msg_id": "0186b75a-2ad4-4f36-8ccc-18608b0ac5d1",
            "type": "message",
            "text": "<@W0BOT>",
            "user": "W0ALEX",
            "ts": "1700000308.000800",
            "team": "T0SOURCE",
            "channel": "C0SHARED",
            "event_ts": "1700000308.000800",
            "channel_type": "channel",
        },
        enterprise_id="E0GRID",
        team_id="T0SOURCE",
        authed_users=[],
        authorizations=GRID_AUTHORIZATIONS,
    ),
}

# Slack checking the endpoint, its rate-limit notice, and interactions that are not ours.
OTHER_REQUESTS: dict[str, Body] = {
    "app_rate_limited": {
        "token": "verification-token",
        "type": "app_rate_limited",
        "team_id": TEAM_ID,
        "minute_rate_limited": 1518467820,
        "api_app_id": "A0001",
    },
    "view_submission": {
        "type": "view_submission",
        "team": {"id": TEAM_ID, "domain": "acme"},
        "user": {"id": "U0SAM", "name": "sam", "team_id": TEAM_ID},
        "view": {"id": "V0MODAL", "callback_id": "someone_elses_modal", "team_id": TEAM_ID},
        "api_app_id": "A0001",
    },
    "a link button in one of our messages": {
        "type": "block_actions",
        "team": {"id": TEAM_ID, "domain": "acme"},
        "user": {"id": "U0SAM", "name": "sam", "team_id": TEAM_ID},
        "channel": {"id": "C1", "name": "general"},
        "response_url": "https://hooks.slack.com/actions/T0001/1/abc",
        "actions": [
            {
                "action_id": "open_post",
                "block_id": "b1",
                "type": "button",
                "url": "https://www.linkedin.com/feed/",
                "action_ts": "1700000309.1",
            }
        ],
    },
}


def url_verification(challenge: str) -> Body:
    return {"token": "verification-token", "challenge": challenge, "type": "url_verification"}
