"""Owners in the grammar and the pure rules: who owns a win, and when the reminder is due."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.domain.commands import CommandError, ListOwners, MutePrompts, SetOwner
from bot.domain.grammar import parse_command
from bot.domain.models import Chat, Platform
from bot.domain.owners import Ownership, add_working_days, chat_of

AAD = "6F1C2B7E-0D3A-4C55-9A1E-2B8F3C4D5E6F"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("owner @acme-careers <@U012AB3CD|dana>", SetOwner("account", "acme-careers", "U012AB3CD")),
        ("owner acme-careers U012AB3CD", SetOwner("account", "acme-careers", "U012AB3CD")),
        ("owner #Recruiting me", SetOwner("tag", "recruiting", None)),
        ("owner tag:recruiting " + AAD, SetOwner("tag", "recruiting", AAD.lower())),
        ("wins owner remove @acme me", SetOwner("account", "acme", None, remove=True)),
        ("owners", ListOwners()),
        ("mute prompts", MutePrompts(muted=True)),
        ("unmute prompts", MutePrompts(muted=False)),
    ],
)
def test_owner_commands_parse(text: str, expected: object) -> None:
    assert parse_command(text, known_tags=["recruiting"]) == expected


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("owner @acme-careers", "one account or tag, then one person"),
        ("owner @acme-careers @dana", "should_escape: true"),
        ("owner @acme-careers dana", "can't tell who"),
        ("owner <@U012AB3CD> @acme", "account or tag first"),
        ("owner #recruting me", "did you mean `#recruiting`?"),
        ("owners acme", "takes nothing"),
        ("mute everything", "`prompts`"),
    ],
)
def test_owner_mistakes_say_what_to_type(text: str, says: str) -> None:
    result = parse_command(text, known_tags=["recruiting"])
    assert isinstance(result, CommandError)
    assert says in f"{result.message} {result.suggestion}"


def test_the_id_says_which_chat_reaches_an_owner() -> None:
    assert chat_of("U012AB3CD") is Chat.SLACK
    assert chat_of("W012AB3CD") is Chat.SLACK
    assert chat_of(AAD) is Chat.TEAMS
    assert chat_of("dana") is None


def test_owners_of_a_win_merge_config_and_chat_once_each() -> None:
    ownership = Ownership(
        configured_accounts={(Platform.LINKEDIN, "acme-careers"): ("U1", "U2")},
        configured_tags={"recruiting": ("U2", "U3")},
        named={("account", "acme-careers"): ("U4",), ("tag", "recruiting"): ("U1", "U5")},
    )
    found = ownership.owners_of(Platform.LINKEDIN, "acme-careers", ["#Recruiting"])
    assert found == ["U1", "U2", "U4", "U3", "U5"]
    assert ownership.owners_of(Platform.X, "acme-careers", []) == ["U4"]  # chat: every platform
    assert ownership.owners_of(Platform.X, "other", ["brand"]) == []
    assert [(t.label, u, s) for t, u, s in ownership.listing()][:2] == [
        ("@acme-careers", "U1", "winsbot.toml"),
        ("@acme-careers", "U2", "winsbot.toml"),
    ]


@pytest.mark.parametrize(
    ("sent", "due"),
    [
        (datetime(2026, 11, 23, 9, tzinfo=UTC), datetime(2026, 11, 25, 9, tzinfo=UTC)),  # Mon
        (datetime(2026, 11, 27, 15, tzinfo=UTC), datetime(2026, 12, 1, 15, tzinfo=UTC)),  # Fri
        (datetime(2026, 11, 28, 10, tzinfo=UTC), datetime(2026, 12, 1, 10, tzinfo=UTC)),  # Sat
    ],
)
def test_the_reminder_waits_two_working_days(sent: datetime, due: datetime) -> None:
    assert add_working_days(sent, 2) == due
