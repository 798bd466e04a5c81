"""Typed views of the Bluesky AppView answers we read (the app.bsky lexicons).

Only the lexicon fields the source uses are declared; everything else is ignored. Counts go
through :func:`adapters.sources.http.count` (ints, or strings of digits); timestamps are
parsed by pydantic and always come out timezone-aware in UTC (a naive one is taken as UTC).

Two views of a feed item: :class:`FeedItemRef` is lenient (what cannot be read is None) and
only places the item in the feed and says whose it is, so reposts and other people's posts are
dropped without being judged; :class:`FeedViewPost` is the full, strict view of an own post.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    ValidatorFunctionWrapHandler,
    WrapValidator,
    field_validator,
)
from pydantic.alias_generators import to_camel

from adapters.sources.validation import Count

REPOST = "app.bsky.feed.defs#reasonRepost"
PIN = "app.bsky.feed.defs#reasonPin"  # only with includePins, which we do not ask for
POST_COLLECTION = "app.bsky.feed.post"

T = TypeVar("T")


def _timestamp(value: Any) -> Any:
    if not isinstance(value, str) or not value:
        raise ValueError(f"expected a timestamp, got {value!r}")
    return value


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _text_or_none(value: Any) -> str | None:
    """Optional text that is dropped, not rejected, when it is not a string."""
    return value if isinstance(value, str) else None


def _or_none(value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
    try:
        return handler(value)
    except ValidationError:
        return None


UtcDatetime = Annotated[datetime, BeforeValidator(_timestamp), AfterValidator(_utc)]
NonEmptyStr = Annotated[str, StringConstraints(min_length=1)]
LenientStr = Annotated[str | None, BeforeValidator(_text_or_none)]
Lenient = Annotated[T | None, WrapValidator(_or_none)]  # unreadable -> None


class _Entity(BaseModel):
    # Fields in snake case; the lexicons' camelCase names are their aliases.
    model_config = ConfigDict(extra="ignore", frozen=True, alias_generator=to_camel)


class Profile(_Entity):
    """app.bsky.actor.getProfile (#profileViewDetailed)."""

    did: str
    handle: str
    followers_count: Count = None


class Author(_Entity):
    """app.bsky.actor.defs#profileViewBasic, as a post's author."""

    did: str
    handle: str


class PostRecord(_Entity):
    """The app.bsky.feed.post record a post view carries."""

    created_at: UtcDatetime | None = None  # required by the lexicon, yet some clients omit it
    text: LenientStr = None


class PostView(_Entity):
    """app.bsky.feed.defs#postView."""

    uri: NonEmptyStr
    cid: str | None = None
    author: Author
    record: PostRecord
    indexed_at: UtcDatetime | None = None
    like_count: Count = None
    repost_count: Count = None
    reply_count: Count = None
    quote_count: Count = None
    bookmark_count: Count = None  # AppViews from 2025 on

    @field_validator("uri")
    @classmethod
    def _a_post_uri(cls, uri: str) -> str:
        """at://<did>/app.bsky.feed.post/<rkey>."""
        parts = uri.removeprefix("at://").split("/")
        if not uri.startswith("at://") or len(parts) != 3 or parts[1] != POST_COLLECTION:
            raise ValueError(f"not a post URI: {uri!r}")
        return uri

    @property
    def repo(self) -> str:
        return self.uri.removeprefix("at://").split("/")[0]

    @property
    def rkey(self) -> str:
        return self.uri.rsplit("/", 1)[1]


class Reason(_Entity):
    """Why an item is in the feed (#reasonRepost, #reasonPin); lenient, only used to order and
    filter: a reason that cannot be read is as good as none."""

    kind: LenientStr = Field(default=None, alias="$type")
    indexed_at: Lenient[UtcDatetime] = None


class FeedViewPost(_Entity):
    """app.bsky.feed.defs#feedViewPost, in full."""

    post: PostView
    reason: Lenient[Reason] = None


class AuthorRef(_Entity):
    did: LenientStr = None
    handle: LenientStr = None


class PostRef(_Entity):
    uri: LenientStr = None
    author: Lenient[AuthorRef] = None
    indexed_at: Lenient[UtcDatetime] = None


class FeedItemRef(_Entity):
    """Just enough of a feed item to place it in the feed and tell whose it is."""

    post: Lenient[PostRef] = None
    reason: Lenient[Reason] = None

    @property
    def sorted_at(self) -> datetime | None:
        """When the item entered the feed: what the AppView orders (and pages) by."""
        if self.reason is not None:
            # A pinned post sits on top whatever its age.
            return None if self.reason.kind == PIN else self.reason.indexed_at
        return self.post.indexed_at if self.post is not None else None


class AuthorFeed(_Entity):
    """app.bsky.feed.getAuthorFeed; items are validated one by one, so one bad item does not
    sink the page."""

    feed: list[Any]
    cursor: LenientStr = None


class Health(_Entity):
    """/xrpc/_health, served by the AppView and the PDS (not a lexicon method)."""

    version: str
