"""The core names commands by the grammar's word; each chat shows them the way it is invoked."""

from __future__ import annotations

import json

import pytest

from adapters.chat.slack import blocks
from adapters.chat.teams import cards
from bot.domain.formatting import invoked
from bot.domain.views import ErrorView, HelpView, NoticeView, WinListView

NOTICE = NoticeView(text="This channel will get the leadership digest. Type `wins unsubscribe`.")


def slack_text(view: NoticeView | ErrorView | HelpView | WinListView) -> str:
    return json.dumps(blocks.render(view), ensure_ascii=False)


def teams_text(view: NoticeView | ErrorView | HelpView | WinListView) -> str:
    return json.dumps(cards.render(view), ensure_ascii=False)


def slack_code(view: NoticeView | ErrorView) -> list[str]:
    """The inline code elements of a Slack message: what the reader can copy and type."""
    message = blocks.render(view)
    return [
        element["text"]
        for block in message["blocks"]
        for section in block.get("elements", [])
        for element in section.get("elements", [])
        if element.get("style") == {"code": True}
    ]


def teams_code(view: NoticeView | ErrorView) -> list[str]:
    """The monospace runs of a Teams card: what the reader can copy and type."""
    found: list[str] = []

    def walk(value: object) -> None:
        if isinstance(value, dict):
            if value.get("type") == "TextRun" and value.get("fontType") == "monospace":
                found.append(value["text"])
            for child in value.values():
                walk(child)
        elif isinstance(value, list):
            for child in value:
                walk(child)

    walk(cards.render(view))
    return found


def test_a_notice_names_the_slash_command_in_slack_and_the_mention_in_teams() -> None:
    # Drawn as code, as typed: no backticks and no lookalikes around or inside the command.
    assert slack_code(NOTICE) == ["/wins unsubscribe"]
    assert teams_code(NOTICE) == ["@winsbot wins unsubscribe"]
    assert "/wins" not in teams_text(NOTICE)
    assert "`" not in slack_text(NOTICE) and "`" not in teams_text(NOTICE)


def test_an_error_hint_and_an_empty_list_get_the_prefix_too() -> None:
    error = ErrorView(message="I don't know that.", hint="Type `wins help` to see more.")
    assert slack_code(error) == ["/wins help"]
    assert teams_code(error) == ["@winsbot wins help"]
    empty = WinListView(title="Top wins", wins=[], empty_message="Try `wins 30d`.")
    assert "/wins 30d" in slack_text(empty)
    assert "@winsbot wins 30d" in teams_text(empty)


def test_help_is_titled_with_the_command_each_chat_knows() -> None:
    help_view = HelpView(commands=[("30d", "top wins of the last 30 days")])
    assert "How to use /wins" in slack_text(help_view)
    assert "How to use @winsbot wins" in teams_text(help_view)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Type `wins help`.", "Type `/wins help`."),
        ("`wins` alone", "`/wins` alone"),
        ("`winsome` is not a command", "`winsome` is not a command"),
        ("wins help without backticks", "wins help without backticks"),
    ],
)
def test_only_command_spans_are_prefixed(text: str, expected: str) -> None:
    assert invoked(text, "/wins") == expected
