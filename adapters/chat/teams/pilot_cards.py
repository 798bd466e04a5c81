"""A pilot's report and its learnings ask as Adaptive Cards, and the Teams PilotMessages port.

The report reads like the CLI's and Slack's: goal, result, best posts, learnings, stories, next
step, fitted under Teams' ~28 KB with ``fit_card`` (stories give way first). The ask is a card
with the pilot's numbers and a ShowCard holding the story form's three questions and an
``Input.ChoiceSet`` for the next step; it goes to the owner's 1:1 chat. The Bot Connector
cannot list messages, so a send a stopped worker may have made cannot be looked for.
"""

from __future__ import annotations

from datetime import datetime
from typing import Final

from botbuilder.core import MessageFactory

from adapters.chat.teams.card_fit import Card, Element, Section, fit_card, make_card
from adapters.chat.teams.cards import attachment
from adapters.chat.teams.runs import heading, line, rich, run, sentence, subheading, value
from adapters.chat.teams.sender import TeamsChatSender
from adapters.chat.teams.text import fit
from bot.domain.pilot_end import NEXT_STEP_LABELS, NEXT_STEPS, NO_LEARNINGS, PilotAskView
from bot.domain.pilot_report import PilotReport
from bot.domain.stories import LABELS, MAX_PART_CHARS
from bot.ports import DigestLookupError, PermanentDeliveryError, PersonalChats

PILOT_LEARNINGS: Final = "pilot_learnings"  # the ShowCard's Action.Submit names this


def _fact(label: str, text: str) -> Element:
    return rich([run(f"{label}: ", weight="bolder"), value(text, 1000)])


def render_report(report: PilotReport) -> Card:
    head: list[Element] = [
        heading(f"Pilot report: {report.name}"),
        _fact("Goal", report.goal),
        _fact("Result", report.result),
    ]
    posts = []
    for n, post in enumerate(report.best_posts, start=1):
        runs = [run(f"{n}. {post.platform.label} · "), value(post.account, 200)]
        runs.append(run(f"  {post.value:,} {report.unit}"))
        if post.text:
            runs.append(value(" ".join(post.text.split()), 200, lead="  “", tail="”"))
        if post.url and post.url.startswith("https://"):
            runs.append(run("  "))
            runs.append(
                run("Open the post", selectAction={"type": "Action.OpenUrl", "url": post.url})
            )
        posts.append(rich(runs))
    # No next step means no owner answered the learnings form (it asks for both).
    learned = [line(NO_LEARNINGS)] if report.next_step is None else []
    learned += [rich([value(item, 1000, lead="• ")]) for item in report.learnings]
    stories = []
    for story in report.stories:
        answers = [
            f"{label}: {answer}"
            for label, answer in (
                ("What we did", story.what_we_did),
                ("The result", story.result),
                ("What we learned", story.learned),
            )
            if answer
        ]
        who = story.author_name or story.author or "someone"
        stories.append(
            rich(
                [
                    value(who, 100, lead="• ", weight="bolder"),
                    value(" · ".join(answers) if answers else story.body, 600, lead=": "),
                ]
            )
        )
    step = report.next_step or "No recommendation yet (extend, scale or stop)."
    tail = [_fact("Next step", step)]
    if report.next_step is None:
        tail.append(
            line(
                "Posted two working days after the pilot ended, without its owner's learnings.",
                isSubtle=True,
            )
        )
    card = fit_card(
        head,
        [
            Section(posts, "post", title="Best posts"),
            Section(
                learned,
                "learning",
                title="What we learned",
                empty=[subheading("What we learned"), line(NO_LEARNINGS)],
            ),
            Section(stories, "story", title="The stories behind it"),
        ],
    )
    card["body"] += tail
    return card


def learnings_form(campaign_id: int) -> Element:
    """An Action.ShowCard: the story form's questions and the next step, submitted together."""

    def field(name: str, placeholder: str) -> Element:
        return {
            "type": "Input.Text",
            "id": name,
            "label": LABELS[name],
            "placeholder": placeholder,
            "isMultiline": True,
            "maxLength": MAX_PART_CHARS,
        }

    choices = [{"title": NEXT_STEP_LABELS[s], "value": s} for s in NEXT_STEPS]
    form = {
        "type": "AdaptiveCard",
        "body": [
            field("what_we_did", "The idea, the posts, who was involved"),
            field("result", "What happened, in numbers if you have them"),
            field("learned", "What you would do again, or differently"),
            {
                "type": "Input.ChoiceSet",
                "id": "next_step",
                "label": "Recommended next step",
                "style": "expanded",
                "isRequired": True,
                "errorMessage": "Choose extend, scale or stop.",
                "choices": choices,
            },
        ],
        "actions": [
            {
                "type": "Action.Submit",
                "title": "Save the learnings",
                "data": {"winsbot": PILOT_LEARNINGS, "campaign_id": campaign_id},
            }
        ],
    }
    return {"type": "Action.ShowCard", "title": "Write the learnings", "card": form}


def render_ask(view: PilotAskView) -> Card:
    body = [
        rich(sentence(view.intro, 600)),
        _fact("Goal", view.goal),
        _fact("Result", view.result),
    ]
    return make_card(body, actions=[learnings_form(view.campaign_id)])


class TeamsPilotMessages:
    """The PilotMessages port for Teams, over the sender that posts digests."""

    def __init__(self, sender: TeamsChatSender, personal: PersonalChats) -> None:
        self.sender = sender
        self.personal = personal

    async def ask_learnings(
        self, user_id: str, view: PilotAskView, *, fallback_channel: str | None = None
    ) -> str:
        chat = await self.personal.personal_conversation(user_id)
        if chat is None:
            raise PermanentDeliveryError(f"winsbot has no 1:1 chat with {user_id}")
        message = MessageFactory.attachment(attachment(render_ask(view)))
        message.summary = fit(view.intro, 200)
        return await self.sender.post_activity(chat, message)

    async def post_report(self, channel_id: str, report: PilotReport, *, message_id: int) -> str:
        message = MessageFactory.attachment(attachment(render_report(report)))
        message.summary = fit(f"Pilot report: {report.name}. {report.result}", 200)
        return await self.sender.post_activity(channel_id, message)

    async def find_pilot_message(
        self, *, user_id: str | None, channel_id: str | None, message_id: int, since: datetime
    ) -> str | None:
        """Teams cannot tell: the Bot Connector has no way to list a chat's messages."""
        raise DigestLookupError(
            "Teams cannot list a chat's messages to a bot, so winsbot cannot tell whether the "
            "pilot message was sent"
        )
