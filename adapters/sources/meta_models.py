"""Typed models of the Graph API responses FacebookSource and InstagramSource read.

Only the documented fields the sources read (https://developers.facebook.com/docs/graph-api/):
a Page or IG user node (``id``, ``name``, ``followers_count``, ``fan_count``), a Page post
(``/{page-id}/posts`` with ``shares`` and the ``reactions``/``comments`` summaries), an IG
media object (``/{ig-user-id}/media``), the list envelope (``data`` + ``paging``), insights
(``/{id}/insights``: ``name`` + ``values[].value``) and the error body (``{"error": {...}}``).

Unknown fields are ignored. Counts accept ints or digit strings (``http.count``); timestamps
(``"2021-07-04T19:50:58+0000"``) become aware UTC (``http.parse_time``); free text that is
not a string reads as absent. List items (``data``) are validated one by one by the source,
so that one malformed post is a RowProblem rather than a lost page.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictInt,
    ValidationError,
    ValidationInfo,
)

from adapters.sources.http import parse_time
from adapters.sources.validation import Count, describe_all

"""An optional count: an int or a digit string ("123"), None when absent."""


def _utc_time(value: Any, info: ValidationInfo) -> datetime:
    try:
        return parse_time(value)
    except ValueError as exc:
        raise ValueError(f"{info.field_name}: {exc}") from exc


UtcTime = Annotated[datetime, BeforeValidator(_utc_time)]
"""A Graph timestamp (``+0000`` offsets) as an aware UTC datetime; errors name the field."""


def _text(value: Any) -> str | None:
    """Free text is best effort: anything but a string reads as absent."""
    return value if isinstance(value, str) else None


def _node_id(value: Any) -> str:
    if not isinstance(value, str) or not value:
        raise ValueError("no id")
    return value


Text = Annotated[str | None, BeforeValidator(_text)]
NodeId = Annotated[str, BeforeValidator(_node_id)]
"""A Graph object id: a non-empty string ("no id" otherwise, or when absent)."""


class GraphModel(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


# ------------------------------------------------------------------------------- nodes


class Page(GraphModel):
    """A Page or IG user node: ``/me?fields=id,name``, ``/{id}?fields=followers_count,...``."""

    id: str
    name: Text = None
    followers_count: Count = None
    fan_count: Count = None

    @property
    def followers(self) -> int | None:
        """``followers_count``; a Page's older ``fan_count`` when that is absent."""
        return self.fan_count if self.followers_count is None else self.followers_count


# ------------------------------------------------------------------------------- lists


class Cursors(GraphModel):
    before: str | None = None
    after: str | None = None


class Paging(GraphModel):
    next: str | None = None
    cursors: Cursors | None = None


class GraphPage(GraphModel):
    """One page of a list edge; each of ``data`` is validated separately by its item model."""

    data: list[Any]
    paging: Paging | None = None


# ------------------------------------------------------------------------------- posts


class Summary(GraphModel):
    total_count: Count = None


class Edge(GraphModel):
    """``reactions``/``comments`` with ``.summary(total_count)``; older answers: ``count``."""

    summary: Summary | None = None
    count: Count = None

    @property
    def total(self) -> int | None:
        if self.summary is not None and self.summary.total_count is not None:
            return self.summary.total_count
        return self.count


class Shares(GraphModel):
    count: Count = None


class FacebookPost(GraphModel):
    """One Page post of ``/{page-id}/posts``."""

    id: NodeId = Field(default=None, validate_default=True)  # missing: "no id"
    created_time: UtcTime = Field(default=None, validate_default=True)  # missing: parse_time
    message: Text = None
    permalink_url: Text = None
    shares: Shares | None = None
    reactions: Edge | None = None
    comments: Edge | None = None


class IgMedia(GraphModel):
    """One media object of ``/{ig-user-id}/media``."""

    id: NodeId = Field(default=None, validate_default=True)
    timestamp: UtcTime = Field(default=None, validate_default=True)
    caption: Text = None
    permalink: Text = None
    like_count: Count = None
    comments_count: Count = None
    media_type: Text = None
    media_product_type: Text = None


# ---------------------------------------------------------------------------- insights


class InsightValue(GraphModel):
    value: StrictInt | None = None  # breakdown metrics answer objects: not a count we read


class Insight(GraphModel):
    """One entry of ``/{id}/insights``: lifetime metrics have a single value."""

    name: str
    values: list[InsightValue] = Field(default_factory=list)


class InsightsPage(GraphModel):
    data: list[Any] = Field(default_factory=list)  # each validated as an Insight

    def values(self) -> dict[str, int]:
        """{name: count} of the entries that read as a count; the others are skipped."""
        found: dict[str, int] = {}
        for raw in self.data:
            try:
                insight = Insight.model_validate(raw)
            except ValidationError:
                continue
            value = insight.values[0].value if insight.values else None
            if value is not None:
                found[insight.name] = value
        return found


# ------------------------------------------------------------------------------ errors


class GraphErrorDetail(GraphModel):
    message: str
    type: str | None = None
    code: int
    error_subcode: int | None = None


class GraphErrorBody(GraphModel):
    """What Graph answers with HTTP 4xx: ``{"error": {"message", "type", "code", ...}}``."""

    error: GraphErrorDetail


def describe(error: ValidationError) -> str:
    return describe_all(error, locate=True)
