"""The chat use cases Slack and Teams share, wired once: the adapters get one of these.

A listener decodes its platform's payload into a ChatContext and text, calls one of these parts
and renders the neutral view it gets back; nothing here knows Block Kit or Adaptive Cards.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from bot.ports import ChatDirectory
from bot.usecases.answering import Answering
from bot.usecases.case_studies import CaseStudies
from bot.usecases.dispatch import CommandHandler
from bot.usecases.results import WinsService
from bot.usecases.sharing import WinSharing
from bot.usecases.subscriptions import Subscriptions


@dataclass(frozen=True, slots=True)
class ChatCore:
    answers: Answering
    cases: CaseStudies
    sharing: WinSharing


def build_chat(
    service: WinsService,
    directory: ChatDirectory,
    *,
    cache_clock: Callable[[], float] = time.monotonic,
) -> ChatCore:
    """Answers, case studies and sharing over one service; writes forget cached answers."""
    commands = CommandHandler(service, Subscriptions(service, directory))
    answers = Answering(commands, ttl=service.settings.query_cache_seconds, clock=cache_clock)
    return ChatCore(
        answers=answers,
        cases=CaseStudies(service, directory, on_change=answers.forget),
        sharing=WinSharing(service),
    )
