"""The one ``wins`` grammar, shared by Slack (``/wins ...``) and Teams (``@winsbot wins ...``).

Text in, a Command (or a CommandError) out: pure, no I/O, never raises, so both chat adapters
answer the same words the same way and every mistake gets a reply that says what to type instead.
The caller passes the tags and campaigns it knows so typos are caught here, with a suggestion,
rather than turning into an empty result that looks like "no wins".
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from functools import cache
from typing import TypeVar
from zoneinfo import available_timezones

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
from bot.domain.models import PLATFORM_ALIASES, WEEKDAYS, Audience, Cadence, Platform
from bot.domain.owner_grammar import OWNER_VERBS, parse_owner_command
from bot.domain.periods import parse_span
from bot.domain.pilot_grammar import parse_pilot_form

MAX_TEXT = 500
MAX_SPAN = timedelta(days=366)
MAX_CASE_WORDS = 10
_VERBS = ("help", "cases", "subscribe", "unsubscribe", "subscriptions", "why", *OWNER_VERBS)
_KEYWORDS = (*_VERBS, "peers", "campaign", "pilot")
_PLATFORMS: dict[str, Platform] = {**{p.value: p for p in Platform}, **PLATFORM_ALIASES}
_PLATFORM_WORDS = [word for word in _PLATFORMS if " " not in word]  # tokens have no spaces
_WEEKDAYS = {w: i for i, day in enumerate(WEEKDAYS) for w in (day, day[:3], f"{day}s")}
_CADENCES = {c.value: c for c in Cadence}  # "weekly", "monthly"
# Words people put around a schedule ("monthly on the first tuesday at 9am"): read, not needed.
_SCHEDULE_FILLERS = frozenset({"on", "at", "the", "every"})
_FIRST = frozenset({"first", "1st"})  # "the first tuesday": only a monthly digest has one
_TOKEN = re.compile(r"[^\s,]+")  # commas separate too: "linkedin, x" is two platforms
_WIN_NUMBER = re.compile(r"^#?([0-9]{1,18})$")  # 18 digits fit any stored id
_SPAN_LIKE = re.compile(r"^[0-9]+[a-z]*$")
_TIME = re.compile(r"^([0-9]{1,2})(?::([0-9]{2}))?(am|pm)?$")
_SLACK_CHANNEL = re.compile(r"^<#[^|>]*(?:\|([^>]*))?>$")
_SLACK_USER = re.compile(r"^<@[^>]*>$")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u2060\ufeff"))  # pasted along, never typed
_QUOTES = "\"'“”‘’"
T = TypeVar("T")


class _ParseError(Exception):
    """Raised by the helpers and turned into a CommandError once, at the top."""

    def __init__(self, message: str, suggestion: str | None = None) -> None:
        super().__init__(message)
        self.error = CommandError(message, suggestion)


@dataclass(frozen=True, slots=True)
class _Token:
    word: str  # as typed (Slack entities decoded)
    lower: str
    end: int  # offset just after the token in the text, to take "the rest" for a campaign


def parse_command(
    text: str, *, known_tags: Collection[str] = (), known_campaigns: Collection[str] = ()
) -> Command | CommandError:
    """Parse what someone typed after ``/wins``; returns a CommandError rather than raising."""
    try:
        return _parse(text, {t.lstrip("#").lower() for t in known_tags}, known_campaigns)
    except _ParseError as invalid:
        return invalid.error


def _parse(text: str, known_tags: set[str], known_campaigns: Collection[str]) -> Command:
    if len(text) > MAX_TEXT:
        raise _ParseError(
            f"That's {len(text)} characters; a command fits in {MAX_TEXT}.", "shorten it"
        )
    if any(unicodedata.category(c) == "Cc" and c not in "\t\n\r" for c in text):
        raise _ParseError("Your command has control characters in it.", "retype it without pasting")
    text = text.translate(_INVISIBLE)
    tokens = [
        _Token(w, w.lower(), m.end()) for m in _TOKEN.finditer(text) if (w := _unescape(m[0]))
    ]
    if tokens and tokens[0].lower in ("wins", "/wins"):  # Teams users often type "wins" too
        tokens = tokens[1:]
    if not tokens:
        return ShowWins()
    verb, rest = tokens[0].lower, tokens[1:]
    if verb in ("help", "?"):
        return ShowHelp()
    if verb == "cases":
        return _cases(rest)
    if verb == "subscriptions":
        if not rest:
            return ListSubscriptions()
        raise _ParseError("`subscriptions` takes nothing after it.", "type just `subscriptions`")
    if verb == "subscribe":
        return _subscribe(rest, known_tags)
    if verb == "unsubscribe":
        return _unsubscribe(rest)
    if verb == "why":
        return _why(rest)
    form = parse_pilot_form(verb, _unescape(text[tokens[0].end :]), known_campaigns)
    if isinstance(form, CommandError):  # `pilot new`, `pilot edit NAME`: pilot_grammar
        raise _ParseError(form.message, form.suggestion)
    if form is not None:
        return form
    if verb in OWNER_VERBS:
        owned = parse_owner_command(verb, [t.word for t in rest], known_tags)
        if isinstance(owned, CommandError):
            raise _ParseError(owned.message, owned.suggestion)
        return owned
    return _wins(text, tokens, known_tags, known_campaigns)


@dataclass(slots=True)
class _Filters:
    """Tags, platforms and accounts as typed; `/wins` and subscriptions read them the same way."""

    known_tags: set[str]
    leadership: bool = False  # everything: a no-op for /wins, an audience for digests
    tags: list[str] = field(default_factory=list)
    platforms: list[Platform] = field(default_factory=list)
    accounts: list[str] = field(default_factory=list)

    def take(self, token: _Token) -> bool:
        if token.lower == "leadership":
            self.leadership = True
        elif (tag := _tag(token, self.known_tags)) is not None:
            self.tags.append(tag)
        elif (account := _account(token)) is not None:
            self.accounts.append(account)
        elif (platform := _PLATFORMS.get(token.lower)) is not None:
            self.platforms.append(platform)
        else:
            return False
        return True

    def audience(self) -> Audience:
        """Sorted, so `#hr #recruiting` and `#recruiting #hr` are one audience with one name."""
        tags, accounts = sorted(set(self.tags)), sorted(set(self.accounts))
        platforms = sorted(set(self.platforms), key=lambda p: p.value)
        if not (self.leadership or tags or platforms or accounts):
            raise _ParseError(
                "Who is the digest for?", "type `subscribe leadership` or `subscribe #department`"
            )
        if self.leadership and (tags or platforms or accounts):
            raise _ParseError(
                "Leadership gets everything, so it takes no tags, platforms or accounts.",
                "type `leadership` or `#department`, not both",
            )
        if self.leadership:
            return Audience()
        name = "+".join(tags) or "+".join(p.value for p in platforms) or "+".join(accounts)
        return Audience(
            name=name, tags=tuple(tags), platforms=tuple(platforms), accounts=tuple(accounts)
        )


def _wins(
    text: str, tokens: list[_Token], known_tags: set[str], known_campaigns: Collection[str]
) -> Command:
    filters = _Filters(known_tags)
    span: timedelta | None = None
    campaign: str | None = None
    peers = False
    for token in tokens:
        # The name is the rest of the text, spaces and all; people say "pilot" as often.
        if token.lower in ("campaign", "pilot"):
            campaign = _campaign(text[token.end :], known_campaigns)
            break
        if token.lower in ("help", "?"):
            return ShowHelp()
        if token.lower == "peers":
            peers = True
        elif _SPAN_LIKE.match(token.lower):
            span = _once(span, _span(token.word), "span", "e.g. `30d`")
        elif filters.take(token):
            pass
        elif token.lower in _VERBS:
            raise _ParseError(f"`{token.lower}` goes first.", f"type `{token.lower} ...`")
        else:
            raise _unknown(token, [f"#{t}" for t in known_tags], guess_tag=not known_tags)
    return ShowWins(
        span=span or timedelta(days=7),
        platforms=tuple(dict.fromkeys(filters.platforms)),
        tags=tuple(dict.fromkeys(filters.tags)),
        accounts=tuple(dict.fromkeys(filters.accounts)),
        campaign=campaign,
        peers=peers,
    )


def _cases(tokens: list[_Token]) -> ShowCases:
    words = tuple(dict.fromkeys(token.lower for token in tokens))
    if len(words) > MAX_CASE_WORDS:
        raise _ParseError(f"Search with at most {MAX_CASE_WORDS} words.", "e.g. `cases video`")
    return ShowCases(words)


def _why(tokens: list[_Token]) -> ExplainWin:
    """`why 7` or `why #7`: one win's number, as every wins list shows it."""
    example = "e.g. `wins why 7`: every wins list shows each win's number, like #7"
    if not tokens:
        raise _ParseError("Which win? Put its number after `why`.", example)
    if len(tokens) > 1:
        raise _ParseError("Ask about one win at a time.", example)
    number = _WIN_NUMBER.match(tokens[0].word)
    if number is None:
        raise _ParseError(f"`why` takes a win's number, not `{_short(tokens[0].word)}`.", example)
    return ExplainWin(int(number[1]))


def _subscribe(tokens: list[_Token], known_tags: set[str]) -> Subscribe:
    filters = _Filters(known_tags)
    weekday: int | None = None
    time: str | None = None
    zone: str | None = None
    cadence: Cadence | None = None
    first = False
    for token in tokens:
        if (day := _WEEKDAYS.get(token.lower)) is not None:
            weekday = _once(weekday, day, "weekday", "e.g. `monday`")
        elif (clock := _time(token.lower)) is not None:
            time = _once(time, clock, "time", "e.g. `09:00`")
        elif (every := _CADENCES.get(token.lower)) is not None:
            cadence = _once(cadence, every, "cadence", "`weekly` or `monthly`")
        elif token.lower in _FIRST:
            first = True
        elif token.lower in _SCHEDULE_FILLERS or filters.take(token):
            pass
        elif token.lower in known_tags:  # "subscribe recruiting": a known tag needs no "#" here
            filters.tags.append(token.lower)
        elif (found := _zone(token.word)) is not None:
            zone = _once(zone, found, "time zone", "e.g. `Europe/London`")
        else:
            extra = ["leadership", *WEEKDAYS, *_CADENCES, *(f"#{t}" for t in known_tags)]
            raise _unknown(token, extra, guess_tag=not known_tags)
    if first and cadence is Cadence.WEEKLY:
        raise _ParseError(
            "A weekly digest goes out every week, not on the first.",
            "type `monthly` for the first Monday of each month",
        )
    if first:
        cadence = Cadence.MONTHLY
    return Subscribe(filters.audience(), weekday, time, zone, cadence)


def _unsubscribe(tokens: list[_Token]) -> Unsubscribe:
    # No known-tag check: a digest for a tag nobody uses any more must still be stoppable.
    filters = _Filters(set())
    for token in tokens:
        if not filters.take(token):
            raise _unknown(token, ["leadership"], guess_tag=True)
    return Unsubscribe(filters.audience().name if tokens else None)


def _span(word: str) -> timedelta:
    try:
        span = parse_span(word)
    except ValueError:
        raise _ParseError(
            f"I don't understand the span `{_short(word)}`.", "try `7d`, `30d`, `2w` or `24h`"
        ) from None
    if span > MAX_SPAN:
        raise _ParseError(f"`{word}` is longer than a year.", "try `3m` or `52w`")
    return span


def _tag(token: _Token, known: set[str]) -> str | None:
    if (slack := _SLACK_CHANNEL.match(token.word)) is not None:
        if not slack[1]:
            raise _ParseError(
                "Slack sent a channel link without its name.", "type `tag:NAME` instead"
            )
        raw = slack[1]
    elif token.word.startswith("#"):
        raw = token.word
    elif token.lower.startswith("tag:"):
        raw = token.word[4:]
    else:
        return None
    tag = raw.lstrip("#").lower()
    if not tag:
        raise _ParseError("A tag needs a name.", "e.g. `#recruiting`")
    if known and tag not in known:
        close = difflib.get_close_matches(tag, sorted(known), n=1)
        hint = f"did you mean `#{close[0]}`?" if close else _one_of(f"#{t}" for t in sorted(known))
        raise _ParseError(f"No account is tagged #{_short(tag)}.", hint)
    return tag


def _account(token: _Token) -> str | None:
    if _SLACK_USER.match(token.word):
        raise _ParseError(
            "Accounts are social-media handles, not Slack users.",
            "e.g. `@ourcompany` or `account:ourcompany`",
        )
    if token.word.startswith("@"):
        handle = token.word[1:]
    elif token.lower.startswith("account:"):
        handle = token.word[8:].removeprefix("@")
    else:
        return None
    if not handle:
        raise _ParseError("An account needs a handle.", "e.g. `@ourcompany`")
    return handle


def _campaign(rest: str, known: Collection[str]) -> str:
    name = " ".join(_unescape(rest).split()).strip(_QUOTES).strip()
    if not name:
        raise _ParseError(
            "Which campaign? Put its name after `campaign`.", "e.g. `campaign Spring Open House`"
        )
    canonical = {" ".join(c.split()).lower(): c for c in known}
    if not canonical:
        return name
    if name.lower() in canonical:
        return canonical[name.lower()]
    close = difflib.get_close_matches(name.lower(), sorted(canonical), n=1)
    hint = f"did you mean `campaign {canonical[close[0]]}`?" if close else _one_of(sorted(known))
    raise _ParseError(f"I don't know a campaign called “{_short(name)}”.", hint)


def _time(word: str) -> str | None:
    match = _TIME.match(word)
    if match is None or (match[2] is None and match[3] is None):
        return None  # a bare "9" is too ambiguous to be a time
    hour, minute, half = int(match[1]), int(match[2] or 0), match[3]
    if half is not None:
        if not 1 <= hour <= 12:
            raise _ParseError(f"`{word}` isn't a time.", "e.g. `9am` or `4:30pm`")
        hour = hour % 12 + (12 if half == "pm" else 0)
    if hour > 23 or minute > 59:
        raise _ParseError(f"`{word}` isn't a time.", "use 24-hour time, e.g. `09:00` or `17:30`")
    return f"{hour:02d}:{minute:02d}"


@cache
def _zones() -> dict[str, str]:
    return {zone.lower(): zone for zone in available_timezones()}


def _zone(word: str) -> str | None:
    """The canonical IANA spelling; None when the word doesn't even look like a zone."""
    zones = _zones()
    if (zone := zones.get(word.lower())) is not None:
        return zone
    if "/" in word:
        close = [zones[z] for z in difflib.get_close_matches(word.lower(), sorted(zones), n=3)]
    else:  # people know their zone by its city: "toronto" -> America/Toronto
        close = sorted(z for z in zones.values() if z.lower().endswith("/" + word.lower()))[:3]
        if not close:
            return None
    hint = " or ".join(f"`{z}`" for z in close)
    raise _ParseError(
        f"I don't know the time zone `{_short(word)}`.",
        f"did you mean {hint}?" if hint else "e.g. `Europe/London` or `UTC`",
    )


def _unknown(token: _Token, extra: Iterable[str], *, guess_tag: bool) -> _ParseError:
    """Name the word and offer the nearest thing that works; with no tag list, guess a tag."""
    close = difflib.get_close_matches(token.lower, [*_KEYWORDS, *_PLATFORM_WORDS, *extra], n=1)
    if close == [token.lower]:  # a real word, in the wrong command
        return _ParseError(f"`{token.lower}` doesn't fit here.", "type `help` to see what works")
    if close:
        hint = f"did you mean `{close[0]}`?"
    elif guess_tag and re.fullmatch(r"[\w-]+", token.lower):
        hint = f"did you mean `#{token.lower}`?"
    else:
        hint = "type `help` to see what works"
    return _ParseError(f"I don't know `{_short(token.word)}`.", hint)


def _once(current: T | None, new: T, what: str, example: str) -> T:
    if current is not None:
        raise _ParseError(f"Give one {what}, not two.", example)
    return new


def _one_of(names: Iterable[str]) -> str:
    shown = [f"`{n}`" for n in list(names)[:5]]
    return "try " + ", ".join(shown) if shown else "type `help` to see what works"


def _unescape(text: str) -> str:
    # Slack escapes these three in command text; "&amp;" must go last to avoid double-decoding.
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _short(text: str) -> str:
    return text if len(text) <= 40 else text[:39] + "…"
