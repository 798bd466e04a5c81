"""Story prompts to owners in Teams: the 1:1 chat when winsbot has one, else the channel.

A bot can only start a conversation with someone whose 1:1 chat reference it holds (they have
talked to winsbot personally, or installed it for themselves). Without one the prompt goes to
the department's subscribed channel, @mentioning the owner by their Azure AD object id, which
Adaptive Card mentions accept. The Bot Connector cannot list messages, so a prompt whose
sender died mid-post cannot be looked for: ``find_direct`` says so and the core decides.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from botbuilder.core import MessageFactory
from botbuilder.schema import Activity

from adapters.chat.teams.cards import Card, attachment, render_win
from adapters.chat.teams.runs import rich, sentence
from adapters.chat.teams.sender import TeamsChatSender
from adapters.chat.teams.story_form import add_story_action
from adapters.chat.teams.text import fit
from bot.domain.views import StoryPromptView
from bot.ports import DigestLookupError, PermanentDeliveryError, PersonalChats

MENTION_NAME = "owner"  # what the mention shows: Teams gives a bot no cheap name lookup


def render_prompt(view: StoryPromptView, *, mention: str | None = None) -> Card:
    """The intro, the win as a shared win reads, and the "Add the story" form.

    ``mention`` (an AAD object id) @mentions the owner: for a prompt posted in a channel.
    """
    card = render_win(view.win)
    head: list[dict[str, Any]] = [rich(sentence(view.intro, 600))]
    if mention is not None:
        tag = f"<at>{MENTION_NAME}</at>"
        head.insert(0, {"type": "TextBlock", "wrap": True, "text": f"For the {tag} of this win:"})
        card["msteams"] = {
            **card.get("msteams", {}),
            "entities": [
                {
                    "type": "mention",
                    "text": tag,
                    "mentioned": {"id": mention, "name": fit(MENTION_NAME, 50)},
                }
            ],
        }
    card["body"] = [*head, *card["body"]]
    action = add_story_action(view.win.id)
    actions = list(card.get("actions", []))
    card["actions"] = actions if action in actions else [*actions, action]
    return card


def prompt_activity(view: StoryPromptView, *, mention: str | None = None) -> Activity:
    message = MessageFactory.attachment(attachment(render_prompt(view, mention=mention)))
    message.summary = fit(view.intro, 200)
    return message


class TeamsDirectMessages:
    """The DirectMessages port for Teams, over the sender that posts digests."""

    def __init__(self, sender: TeamsChatSender, personal: PersonalChats) -> None:
        self.sender = sender
        self.personal = personal

    async def post_direct(
        self, user_id: str, view: StoryPromptView, *, fallback_channel: str | None = None
    ) -> str:
        chat = await self.personal.personal_conversation(user_id)
        if chat is not None:
            return await self.sender.post_activity(chat, prompt_activity(view))
        if fallback_channel is not None:
            activity = prompt_activity(view, mention=user_id)
            return await self.sender.post_activity(fallback_channel, activity)
        raise PermanentDeliveryError(
            f"winsbot has no 1:1 chat with {user_id} and no department channel to ask in"
        )

    async def find_direct(self, user_id: str, prompt_id: int, since: datetime) -> str | None:
        """Teams cannot tell: the Bot Connector has no way to list a chat's messages."""
        raise DigestLookupError(
            "Teams cannot list a chat's messages to a bot, so winsbot cannot tell whether the "
            "prompt was sent"
        )
