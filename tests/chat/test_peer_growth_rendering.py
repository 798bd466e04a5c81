"""The peers line reaches Slack, Teams and the terminal as written, under the peers heading."""

from __future__ import annotations

import io
import json

from rich.console import Console

from adapters.chat.slack.blocks import render_digest as slack_digest
from adapters.chat.teams.cards import render_digest as teams_digest
from bot.cli.render import render_digest as terminal_digest
from bot.domain.layout import PEERS_HEADING
from tests.chat.sample_views import digest

# A peer's display name is outside input: markup characters must arrive as written.
LINE = (
    "Followers this week: ours up 1.2% on LinkedIn, ahead of the peers we follow there "
    "(up 0.11%: <Initech> *co* +1.5%, Globex +0.10%)."
)


def test_slack_says_it_first_in_the_peers_section() -> None:
    message = slack_digest(digest("slack", peer_growth=LINE))
    blocks = json.dumps(message["blocks"], ensure_ascii=False)
    assert blocks.count(LINE) == 1
    assert blocks.index(PEERS_HEADING) < blocks.index(LINE)


def test_teams_says_it_first_in_the_peers_section() -> None:
    card = json.dumps(teams_digest(digest("teams", peer_growth=LINE)), ensure_ascii=False)
    assert card.count(LINE) == 1
    assert card.index(PEERS_HEADING) < card.index(LINE)


def test_the_terminal_prints_it_under_the_heading() -> None:
    out = io.StringIO()
    terminal_digest(digest("cli", peer_growth=LINE), Console(file=out, width=400))
    text = out.getvalue()
    assert text.index(PEERS_HEADING) < text.index(LINE)


def test_no_peers_and_no_line_is_no_section() -> None:
    assert PEERS_HEADING not in json.dumps(slack_digest(digest("slack"))["blocks"])
