"""Command handling: one ``match`` from a parsed command to the use case that answers it.

Adding a sub-command means a type in ``bot/domain/commands.py`` (with how its answer may be
reused) and a case here; nothing else needs to remember it.
"""

from __future__ import annotations

import logging

from bot.domain.campaigns import campaign_pace
from bot.domain.commands import (
    EXAMPLES,
    USAGE,
    Command,
    CommandError,
    ExplainWin,
    ListOwners,
    ListSubscriptions,
    MutePrompts,
    OpenPilotForm,
    SetOwner,
    ShowCases,
    ShowHelp,
    ShowWins,
    Subscribe,
    Unsubscribe,
)
from bot.domain.context import ChatContext
from bot.domain.formatting import campaign_goal
from bot.domain.views import CaseStudyListView, ChatView, ErrorView, HelpView, WinListView
from bot.store.accounts import known_tags
from bot.store.campaigns import campaign_names
from bot.store.case_studies import CaseStudyFilter
from bot.store.wins import WinFilter
from bot.usecases.owners import Owners
from bot.usecases.pilot_editing import PilotEditing
from bot.usecases.results import WinsService
from bot.usecases.subscriptions import Subscriptions

log = logging.getLogger("winsbot.chat")

LIST_LIMIT = 10
# Known tags and campaign names, as one cached tuple.
Vocabulary = tuple[list[str], list[str]]


class CommandHandler:
    """Runs parsed commands; reading answers come from the results, writes from subscriptions."""

    def __init__(self, service: WinsService, subscriptions: Subscriptions) -> None:
        self.service = service
        self.subscriptions = subscriptions
        self.owners = Owners(service, subscriptions)
        self.pilots = PilotEditing(service, subscriptions.directory)  # the pilot form

    async def vocabulary(self) -> Vocabulary:
        """The tags and campaign names a command may name, so typos get a suggestion."""
        async with self.service.db.engine.connect() as conn:
            return await known_tags(conn), await campaign_names(conn)

    async def run(self, parsed: Command | CommandError, context: ChatContext) -> ChatView:
        match parsed:
            case CommandError():
                log.info("rejected command input from %s: %s", context.user_id, parsed.message)
                return ErrorView(
                    message=parsed.message,
                    suggestion=parsed.suggestion,
                    hint="Type `wins help` to see what I understand.",
                )
            case ShowHelp():
                return HelpView(commands=list(USAGE), examples=list(EXAMPLES))
            case ShowWins():
                return await self._wins(parsed)
            case ShowCases():
                return await self._cases(parsed, context)
            case Subscribe():
                return await self.subscriptions.subscribe(parsed, context)
            case Unsubscribe():
                return await self.subscriptions.unsubscribe(parsed, context)
            case ListSubscriptions():
                return await self.subscriptions.listing(context)
            case ExplainWin():
                return await self.service.why(parsed.win_id)
            case SetOwner():
                return await self.owners.set_owner(parsed, context)
            case ListOwners():
                return await self.owners.listing()
            case MutePrompts():
                return await self.owners.mute(parsed, context)
            case OpenPilotForm():
                return await self.pilots.open_form(parsed, context)

    async def _wins(self, command: ShowWins) -> WinListView:
        query = WinFilter(
            since=self.service.clock.now() - command.span,
            platforms=command.platforms,
            tags=command.tags,
            accounts=command.accounts,
            campaign=command.campaign,
            peers=command.peers,
            limit=LIST_LIMIT + 1,
        )
        found = await self.service.wins(query)
        notes = await self._campaign_notes(command.campaign) if command.campaign else []
        if found:
            notes.append(f"Ask `wins why {found[0].id}` for the numbers behind win #{found[0].id}.")
        return WinListView(
            title=describe_query(command),
            wins=found[:LIST_LIMIT],
            more=max(0, len(found) - LIST_LIMIT),
            empty_message=None
            if found
            else "No wins match yet. Try a longer span (e.g. `30d`) or fewer filters.",
            shareable=not command.peers,
            peers=command.peers,
            notes=notes,
        )

    async def _campaign_notes(self, name: str) -> list[str]:
        """A campaign's progress and pace, said even before it has a win to list."""
        notes: list[str] = []
        for progress in await self.service.campaigns():
            if progress.campaign.name == name:
                notes.append(f"{name}: {campaign_goal(progress)}")
                if pace := campaign_pace(progress):
                    notes.append(pace + ".")
        return notes

    async def _cases(self, command: ShowCases, context: ChatContext) -> CaseStudyListView:
        found = await self.service.case_studies(
            CaseStudyFilter(
                words=command.words, visible_in=context.channel_id, limit=LIST_LIMIT + 1
            )
        )
        words = " ".join(command.words)
        return CaseStudyListView(
            title=f"Case studies matching “{words}”" if words else "Case studies",
            case_studies=found[:LIST_LIMIT],
            more=max(0, len(found) - LIST_LIMIT),
            empty_message=None
            if found
            else "No case studies yet. Reply in the thread under a win to tell its story.",
        )


def describe_query(command: ShowWins) -> str:
    """The title of a wins answer: the span and every filter, so an empty list explains itself."""
    days = command.span.total_seconds() / 86400
    span = f"last {round(days)} days" if days >= 1 else f"last {round(days * 24)} hours"
    parts = [f"Top wins, {span}"]
    parts += [p.label for p in command.platforms]
    parts += [f"#{t}" for t in command.tags]
    parts += [f"@{a}" for a in command.accounts]
    if command.campaign:
        parts.append(f"campaign {command.campaign}")
    if command.peers:
        parts[0] = f"Peers' standout posts, {span}"
    return " · ".join(parts)
