"""The commands people can give winsbot in chat, and the usage lines that teach them.

Slack spells them ``/wins ...`` and Teams ``@winsbot wins ...``; ``bot.domain.grammar`` reads
the text into one of these types, and each type says how its answer may be reused.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import ClassVar

from bot.domain.models import Audience, Cadence, Platform


class _Answer:
    """How an answer to a command may be reused; each command type states it once.

    ``cacheable``: the same words give the same answer for a few seconds, so it may be cached.
    ``writes``: it changes what other answers say, so cached answers are forgotten.
    ``per_channel``: the answer depends on the channel asked in (private case studies).
    """

    cacheable: ClassVar[bool] = True
    writes: ClassVar[bool] = False
    per_channel: ClassVar[bool] = False
    __slots__ = ()


@dataclass(frozen=True, slots=True)
class ShowWins(_Answer):
    span: timedelta = timedelta(days=7)
    platforms: tuple[Platform, ...] = ()
    tags: tuple[str, ...] = ()
    accounts: tuple[str, ...] = ()
    campaign: str | None = None
    peers: bool = False


@dataclass(frozen=True, slots=True)
class ShowCases(_Answer):
    per_channel: ClassVar[bool] = True

    words: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Subscribe(_Answer):
    """None in a schedule field means "use the default" (weekly, Monday 09:00, the channel's
    zone); monthly digests go out on the first such weekday of the month."""

    cacheable: ClassVar[bool] = False
    writes: ClassVar[bool] = True

    audience: Audience
    weekday: int | None = None
    time: str | None = None
    timezone: str | None = None
    cadence: Cadence | None = None


@dataclass(frozen=True, slots=True)
class Unsubscribe(_Answer):
    cacheable: ClassVar[bool] = False
    writes: ClassVar[bool] = True

    audience_name: str | None = None  # None: every subscription of this channel


@dataclass(frozen=True, slots=True)
class ListSubscriptions(_Answer):
    # Per channel and changed by (un)subscribing from any process: always read fresh.
    cacheable: ClassVar[bool] = False


@dataclass(frozen=True, slots=True)
class ShowHelp(_Answer):
    pass


@dataclass(frozen=True, slots=True)
class ExplainWin(_Answer):
    """`why 7`: the numbers behind win 7, so anyone can check the claim.

    Cacheable like any read: a detection pass that refreshes the numbers is minutes apart,
    the cache seconds. Not per channel: a win reads the same wherever it is asked about.
    """

    win_id: int


@dataclass(frozen=True, slots=True)
class SetOwner(_Answer):
    """`owner @acme-careers @dana` (or `owner remove ...`): who is asked for a win's story.

    ``kind`` is account or tag; ``user_id`` None means the person typing (`me`).
    """

    cacheable: ClassVar[bool] = False

    kind: str
    target: str
    user_id: str | None = None
    remove: bool = False


@dataclass(frozen=True, slots=True)
class ListOwners(_Answer):
    cacheable: ClassVar[bool] = False  # changed from chat by any process: read fresh


@dataclass(frozen=True, slots=True)
class MutePrompts(_Answer):
    """`mute prompts` / `unmute prompts`: the person typing stops (or resumes) story prompts."""

    cacheable: ClassVar[bool] = False

    muted: bool = True


# --- pilot form (bot.domain.pilot_grammar, bot.usecases.pilot_editing) ---
@dataclass(frozen=True, slots=True)
class OpenPilotForm(_Answer):
    """`pilot new` / `pilot edit NAME`: the pilot form, empty or filled in (``name``)."""

    cacheable: ClassVar[bool] = False  # who may, and what the pilot holds, are read fresh

    name: str | None = None


# --- end pilot form ---


@dataclass(frozen=True, slots=True)
class CommandError(_Answer):
    """What was wrong with the text; cached like an answer (the same typo, the same reply)."""

    message: str
    suggestion: str | None = None  # e.g. "did you mean `#recruiting`?"


Command = (
    ShowWins
    | ShowCases
    | Subscribe
    | Unsubscribe
    | ListSubscriptions
    | ShowHelp
    | ExplainWin
    | SetOwner
    | ListOwners
    | MutePrompts
    | OpenPilotForm
)

# Usage lines without the "/wins" prefix: Slack writes "/wins 30d", Teams "@winsbot wins 30d".
USAGE: list[tuple[str, str]] = [
    ("", "this week's top wins (the last 7 days)"),
    ("30d", "top wins of the last 30 days (also 24h, 2w, 3m)"),
    ("linkedin", "only one platform (x, instagram, mastodon, bluesky, facebook, youtube, ...)"),
    ("#recruiting", "only accounts tagged recruiting (or tag:recruiting)"),
    ("@handle", "only one social account (or account:handle)"),
    ("peers", "wins of peers and competitors, to learn from"),
    ("campaign NAME", "wins of one campaign (put it last)"),
    ("why 7", "the numbers behind win #7 (every wins list shows each win's number)"),
    ("cases [words]", "case studies, optionally only those with these words"),
    ("subscribe leadership [monday 09:00 Europe/London]", "weekly digest for leadership here"),
    (
        "subscribe leadership monthly [tuesday 9am]",
        "monthly digest of last month, on the first Monday (or the day given)",
    ),
    ("subscribe #recruiting [linkedin] [friday 4pm]", "weekly digest for a department here"),
    ("subscriptions", "the digests this channel receives"),
    ("unsubscribe [leadership | #recruiting]", "stop one digest, or all of them"),
    ("owner @handle|#tag me|@person", "ask them for the story behind its wins (admins)"),
    ("owner remove @handle|#tag me|@person", "stop asking them (admins)"),
    ("owners", "who is asked for the story behind each account's wins"),
    ("[un]mute prompts", "stop (or resume) being asked for the story behind your wins"),
    ("pilot new", "set up a pilot in a form: goal, dates, which posts, owners (admins)"),
    ("pilot edit NAME", "change a pilot in the same form (also its owners)"),
    ("help", "this message"),
]
EXAMPLES: list[str] = [
    "linkedin #recruiting 30d",
    "peers instagram 2w",
    "campaign Spring Open House",
    "cases video",
    "why 7",
    "subscribe #recruiting #hr friday 16:00 America/Toronto",
]
