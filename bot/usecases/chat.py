"""The chat use cases Slack and Teams share, wired once: the adapters get one of these.

A listener decodes its platform's payload into a ChatContext and text, calls one of these parts
and renders the neutral view it gets back; nothing here knows Block Kit or Adaptive Cards.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from bot.ports import ChatDirectory, OwnersLookup
from bot.usecases.answering import Answering
from bot.usecases.buy_in import BuyInSignals
from bot.usecases.case_studies import CaseStudies
from bot.usecases.dispatch import CommandHandler
from bot.usecases.peer_examples import PeerExamples
from bot.usecases.results import WinsService
from bot.usecases.sharing import WinSharing
from bot.usecases.story_owners import owners_lookup
from bot.usecases.subscriptions import Subscriptions


@dataclass(frozen=True, slots=True)
class ChatCore:
    answers: Answering
    cases: CaseStudies
    sharing: WinSharing
    signals: BuyInSignals | None = None  # reactions on what we posted (buy-in)
    peers: PeerExamples | None = None  # "Save as example" on peer wins


def build_chat(
    service: WinsService,
    directory: ChatDirectory,
    *,
    cache_clock: Callable[[], float] = time.monotonic,
    owners: OwnersLookup | None = None,
) -> ChatCore:
    """Answers, case studies and sharing over one service; writes forget cached answers.

    ``owners`` defaults to ``owners_lookup`` (winsbot.toml and chat); tests pass their own.
    """
    commands = CommandHandler(service, Subscriptions(service, directory))
    answers = Answering(commands, ttl=service.settings.query_cache_seconds, clock=cache_clock)
    return ChatCore(
        answers=answers,
        cases=CaseStudies(
            service,
            directory,
            on_change=answers.forget,
            owners=owners or owners_lookup(service),
        ),
        sharing=WinSharing(service),
        signals=BuyInSignals(service, directory),
        peers=PeerExamples(service, directory, on_change=answers.forget),
    )
