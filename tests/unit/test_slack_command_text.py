"""Slack's escaped /wins text read back as typed: users stay ids, channels and links go back."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from adapters.chat.slack.command_text import plain_command_text
from bot.domain.commands import SetOwner
from bot.domain.grammar import parse_command


@pytest.mark.parametrize(
    ("sent", "typed"),
    [
        ("owner @acme <@U012AB3CD|Dana Smith>", "owner @acme <@U012AB3CD>"),
        ("owner @acme <@W012AB3CD>", "owner @acme <@W012AB3CD>"),
        ("<#C0REC|recruiting> 30d", "#recruiting 30d"),
        ("<#C0REC|> 30d", "#C0REC 30d"),
        ("cases add --peer <https://x.com/globex/status/1|x.com/globex/status/1>",
         "cases add --peer https://x.com/globex/status/1"),
        ("<https://example.com/a?b=1&amp;c=2>", "https://example.com/a?b=1&amp;c=2"),
        ("<mailto:dana@example.com|dana@example.com>", "dana@example.com"),
        ("<!here> <!subteam^S0LEAD|@leaders>", "@here @leaders"),
        ("campaign R&amp;D &lt;pilot&gt;", "campaign R&amp;D &lt;pilot&gt;"),
    ],
)  # fmt: skip
def test_entities_go_back_to_what_was_typed(sent: str, typed: str) -> None:
    assert plain_command_text(sent) == typed


def test_a_picked_person_with_a_space_in_their_name_is_one_owner() -> None:
    text = plain_command_text("owner @acme-careers <@U012AB3CD|Dana Smith>")
    assert parse_command(text) == SetOwner("account", "acme-careers", "U012AB3CD")


@given(st.text(alphabet=st.characters(blacklist_characters="<>")))
def test_text_without_entities_is_left_alone(text: str) -> None:
    assert plain_command_text(text) == text


@given(st.text())
def test_any_text_comes_back_without_entities_it_could_misread(text: str) -> None:
    out = plain_command_text(text)
    assert out.count("<@") <= text.count("<@")  # never makes up a mention
