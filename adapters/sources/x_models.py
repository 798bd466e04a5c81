"""Typed models of the X API v2 responses XSource reads, and only the fields it reads.

Objects follow the API reference (https://docs.x.com/x-api/): the user lookup
(``GET /2/users/:id``), the user timeline (``GET /2/users/:id/tweets``) with its ``includes`` and
``meta``, and the ``errors`` X sends with a 200 when a lookup finds nothing. Unknown fields are
ignored; counts accept ints or digit strings (``http.count``); timestamps become aware UTC
(``http.parse_time``). A fields object that arrives as ``null`` reads as absent.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from adapters.sources.http import parse_time
from adapters.sources.validation import Count

"""An optional count: an int or a digit string ("123"), None when absent."""

UtcTime = Annotated[datetime, BeforeValidator(parse_time)]
"""A timestamp ("2026-11-16T09:30:00.000Z") as an aware UTC datetime."""


def _text(value: Any) -> str | None:
    """Free text is best effort: anything but a string reads as absent."""
    return value if isinstance(value, str) else None


def _list(value: Any) -> Any:
    """An absent or ``null`` list reads as empty."""
    return [] if value is None else value


Text = Annotated[str | None, BeforeValidator(_text)]
Items = Annotated[list[Any], BeforeValidator(_list)]


class XModel(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class UserPublicMetrics(XModel):
    followers_count: Count = None


class User(XModel):
    """``data`` of a user lookup with ``user.fields=public_metrics``."""

    id: str | None = None
    username: str | None = None
    public_metrics: UserPublicMetrics | None = None


class ApiError(XModel):
    """One entry of ``errors`` (a 200 answer to a lookup that found nothing)."""

    detail: str | None = None
    title: str | None = None
    message: str | None = None


class UserResponse(XModel):
    """The user lookup envelope: ``data`` is validated separately as a :class:`User`."""

    data: dict[str, Any] | None = None
    errors: Items = Field(default_factory=list)


class TweetPublicMetrics(XModel):
    like_count: Count = None
    reply_count: Count = None
    retweet_count: Count = None
    quote_count: Count = None
    bookmark_count: Count = None
    impression_count: Count = None


class TweetNonPublicMetrics(XModel):
    """Own posts of the last 30 days only, with a user-context token of the account."""

    impression_count: Count = None
    url_link_clicks: Count = None
    user_profile_clicks: Count = None


class TweetOrganicMetrics(XModel):
    impression_count: Count = None
    like_count: Count = None
    reply_count: Count = None
    retweet_count: Count = None
    url_link_clicks: Count = None
    user_profile_clicks: Count = None


class Attachments(XModel):
    media_keys: Annotated[list[str], BeforeValidator(_list)] = Field(default_factory=list)


class Tweet(XModel):
    """One post of the timeline. ``created_at`` must be there (it was asked for)."""

    id: str
    created_at: UtcTime = Field(default=None, validate_default=True)  # missing: parse_time says so
    text: Text = None
    public_metrics: TweetPublicMetrics | None = None
    non_public_metrics: TweetNonPublicMetrics | None = None
    organic_metrics: TweetOrganicMetrics | None = None
    attachments: Attachments | None = None


class MediaPublicMetrics(XModel):
    view_count: Count = None


class Media(XModel):
    """One entry of ``includes.media``; videos and GIFs report ``view_count``."""

    media_key: str
    public_metrics: MediaPublicMetrics | None = None


class Includes(XModel):
    media: Items = Field(default_factory=list)  # each validated as a Media


class TimelineMeta(XModel):
    result_count: int | None = None
    next_token: str | None = None


class TimelinePage(XModel):
    """One page of ``GET /2/users/:id/tweets``; each of ``data`` is validated as a Tweet."""

    data: Items = Field(default_factory=list)
    includes: Includes | None = None
    meta: TimelineMeta | None = None
    errors: Items = Field(default_factory=list)
