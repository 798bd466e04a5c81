"""A story told with the form, as each renderer draws it: every answer after its label, within
the platform's limits, shorter in a digest than in `wins cases`."""

from __future__ import annotations

import json

from adapters.chat.slack.blocks import render as slack_render
from adapters.chat.teams.cards import render as teams_render
from adapters.chat.teams.cards import render_digest
from bot.domain.views import CaseStudyListView
from tests.chat import sample_views as views
from tests.chat.slack.test_slack_blocks import assert_slack_accepts
from tests.chat.teams.test_teams_cards import assert_teams_accepts

ANSWERS = {
    "what_we_did": "Posted the graduate video at 7:30, when students commute " * 8,
    "result": "2,400 likes, 16x our usual; 38 applications that week " * 8,
    "learned": "Timing mattered more than the edit " * 8,
}


def test_slack_shows_each_answer_after_its_label_and_a_digest_keeps_it_short() -> None:
    story = views.case_study("slack", **ANSWERS)
    listed = slack_render(CaseStudyListView(title="Case studies", case_studies=[story]))
    digest = slack_render(views.digest("slack", case_studies=[story]))
    for message in (listed, digest):
        assert_slack_accepts(message)
        text = json.dumps(message)
        for label in ("What we did:", "The result:", "What we learned:"):
            assert f'"text": "{label}", "style": {{"bold": true}}' in text
    four_times = " ".join(["Timing mattered more than the edit"] * 4)
    assert four_times in json.dumps(listed) and four_times not in json.dumps(digest)


def test_teams_shows_each_answer_after_its_label_in_lists_and_digests() -> None:
    story = views.case_study("teams", **ANSWERS)
    listed = teams_render(CaseStudyListView(title="Case studies", case_studies=[story]))
    digest = render_digest(views.digest("teams", case_studies=[story]))
    for card in (listed, digest):
        assert_teams_accepts(card)
        text = json.dumps(card)
        for label in ("What we did: ", "The result: ", "What we learned: "):
            assert f'"text": "{label}", "weight": "bolder"' in text
