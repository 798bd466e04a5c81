"""Typed models of the LinkedIn REST API responses LinkedInSource reads.

Only the documented fields it reads (https://learn.microsoft.com/linkedin/marketing/): a post
of the Posts API (``id``, ``author``, ``createdAt``/``publishedAt`` in epoch milliseconds,
``commentary``, ``lifecycleState``), the Rest.li collection envelope (``elements`` +
``paging``), an element of organizationalEntityShareStatistics (``share``/``ugcPost`` +
``totalShareStatistics``) and a networkSizes answer (``firstDegreeSize``).

Unknown fields are ignored. Counts accept ints or digit strings (``http.count``); epoch
milliseconds become aware UTC datetimes; free text that is not a string reads as absent.
Elements are validated one by one by the source, so that one malformed post is a RowProblem
rather than a lost page.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Self

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic.alias_generators import to_camel

from adapters.sources.validation import Count, describe_all
from bot.domain.models import Metrics

URN_PREFIX = "urn:li:"

"""An optional count: an int or a digit string ("123"), None when absent."""


def _text(value: Any) -> str | None:
    """Free text is best effort: anything but a string reads as absent."""
    return value if isinstance(value, str) else None


def _post_urn(value: Any) -> str:
    if not isinstance(value, str) or not value.startswith(URN_PREFIX):
        raise ValueError(f"expected a post URN as id, got {value!r}")
    return value


Text = Annotated[str | None, BeforeValidator(_text)]
PostUrn = Annotated[str, BeforeValidator(_post_urn)]


class LinkedInModel(BaseModel):
    """Fields in snake_case; the API's camelCase names are their aliases (and error paths)."""

    model_config = ConfigDict(extra="ignore", frozen=True, alias_generator=to_camel)


class Post(LinkedInModel):
    """One element of ``GET /rest/posts?q=author``. Drafts and posts still being processed
    (``lifecycleState`` other than PUBLISHED) may have no timestamp yet."""

    id: PostUrn = Field(default=None, validate_default=True)  # missing: "expected a post URN"
    author: str
    created_at: datetime | None = None
    published_at: datetime | None = None
    commentary: Text = None
    lifecycle_state: str = "PUBLISHED"

    @field_validator("created_at", "published_at", mode="before")
    @classmethod
    def _epoch_millis(cls, value: Any, info: ValidationInfo) -> datetime | None:
        if value is None:
            return None
        if not isinstance(value, int) or isinstance(value, bool):
            name = cls.model_fields[info.field_name or ""].alias
            raise ValueError(f"expected {name} in epoch milliseconds, got {value!r}")
        return datetime.fromtimestamp(value / 1000, UTC)

    @model_validator(mode="after")
    def _published_posts_have_a_time(self) -> Self:
        if self.published and self.time is None:
            raise ValueError("expected publishedAt in epoch milliseconds, got None")
        return self

    @property
    def published(self) -> bool:
        return self.lifecycle_state == "PUBLISHED"

    @property
    def time(self) -> datetime | None:
        """When it was published (``publishedAt``), else when it was created."""
        return self.published_at or self.created_at


class Link(LinkedInModel):
    rel: str
    href: str | None = None


class Paging(LinkedInModel):
    start: int | None = None
    count: int | None = None
    total: int | None = None
    links: list[Link] = Field(default_factory=list)

    @property
    def has_next_link(self) -> bool:
        return any(link.rel == "next" for link in self.links)


class Collection(LinkedInModel):
    """A Rest.li collection; each of ``elements`` is validated separately by its model."""

    elements: list[Any]
    paging: Paging | None = None


class TotalShareStatistics(LinkedInModel):
    """Lifetime figures of one post; an absent figure counts as zero (``metrics``)."""

    impression_count: Count = None
    unique_impressions_count: Count = None
    click_count: Count = None
    like_count: Count = None
    comment_count: Count = None
    share_count: Count = None

    def metrics(self) -> Metrics:
        return Metrics(
            impressions=self.impression_count or 0,
            reach=self.unique_impressions_count or 0,
            likes=self.like_count or 0,
            comments=self.comment_count or 0,
            shares=self.share_count or 0,
            clicks=self.click_count or 0,
        )


class ShareStatistics(LinkedInModel):
    """One element of organizationalEntityShareStatistics, keyed by ``share`` or ``ugcPost``.
    ``totalShareStatistics`` is validated per post as :class:`TotalShareStatistics`, so that an
    unreadable figure is that post's problem."""

    share: str | None = None
    ugc_post: str | None = None
    total_share_statistics: dict[str, Any] | None = None

    @property
    def post(self) -> str | None:
        return self.share or self.ugc_post


class NetworkSize(LinkedInModel):
    """``GET /rest/networkSizes/<org urn>?edgeType=COMPANY_FOLLOWED_BY_MEMBER``."""

    first_degree_size: Count = None


def describe(error: ValidationError) -> str:
    return describe_all(error, locate=True)
