"""How each command's answer may be reused: stated once on its type, checked for every type."""

from __future__ import annotations

import typing
from typing import Any

import pytest

from bot.domain.commands import (
    Command,
    CommandError,
    ExplainWin,
    ListSubscriptions,
    ShowCases,
    ShowHelp,
    ShowWins,
    Subscribe,
    Unsubscribe,
)

EVERY_TYPE = [*typing.get_args(Command), CommandError]


@pytest.mark.parametrize("kind", EVERY_TYPE, ids=lambda kind: kind.__name__)
def test_a_command_that_writes_is_never_answered_from_the_cache(kind: Any) -> None:
    assert not (kind.writes and kind.cacheable)


def test_reading_commands_are_cached_and_writing_ones_forget_the_cache() -> None:
    assert {k.__name__ for k in EVERY_TYPE if k.cacheable} == {
        ShowWins.__name__, ShowCases.__name__, ShowHelp.__name__, CommandError.__name__,
        ExplainWin.__name__,
    }  # fmt: skip
    assert {k for k in EVERY_TYPE if k.writes} == {Subscribe, Unsubscribe}
    # Private case studies show only in their channel, so that answer is kept per channel.
    assert {k for k in EVERY_TYPE if k.per_channel} == {ShowCases}
    assert not ListSubscriptions.cacheable
