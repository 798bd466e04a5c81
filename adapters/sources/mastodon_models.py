"""Typed views of the Mastodon REST entities we read (docs.joinmastodon.org/entities/).

Only the documented fields the source uses are declared; everything else is ignored. Counts
go through :func:`adapters.sources.http.count` (ints, or strings of digits); timestamps are
parsed by pydantic and always come out timezone-aware in UTC (a naive one is taken as UTC).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    StringConstraints,
)

from adapters.sources.validation import Count


def _timestamp(value: Any) -> Any:
    if not isinstance(value, str) or not value:
        raise ValueError(f"expected a timestamp, got {value!r}")
    return value


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _text_or_none(value: Any) -> str | None:
    """Optional text that is dropped, not rejected, when it is not a string."""
    return value if isinstance(value, str) else None


def _text_or_empty(value: Any) -> Any:
    return "" if value is None else value


UtcDatetime = Annotated[datetime, BeforeValidator(_timestamp), AfterValidator(_utc)]
NonEmptyStr = Annotated[str, StringConstraints(min_length=1)]
LenientStr = Annotated[str | None, BeforeValidator(_text_or_none)]


class _Entity(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class Account(_Entity):
    """GET /api/v1/accounts/:id and /api/v1/accounts/lookup."""

    id: NonEmptyStr
    acct: str
    url: str | None = None
    followers_count: Count = None


class StatusRef(_Entity):
    """What identifies a status before it is validated in full: its id, and whether it is a
    boost (skipped without judging the rest)."""

    id: LenientStr = None
    reblog: object | None = None


class Status(_Entity):
    """One entry of GET /api/v1/accounts/:id/statuses."""

    id: NonEmptyStr
    created_at: UtcDatetime
    url: LenientStr = None
    uri: LenientStr = None
    content: Annotated[str, BeforeValidator(_text_or_empty)] = ""
    replies_count: Count = None
    reblogs_count: Count = None
    favourites_count: Count = None
    quotes_count: Count = None  # Mastodon 4.5+; absent before
    reblog: object | None = None


class Instance(_Entity):
    """GET /api/v1/instance (the v1 entity: ``uri`` is the domain)."""

    uri: LenientStr = None
    version: LenientStr = None


class Application(_Entity):
    """GET /api/v1/apps/verify_credentials."""

    name: LenientStr = None
