"""Typed models of the YouTube Data API v3 responses YouTubeSource reads, and only those fields.

Resources follow the API reference (https://developers.google.com/youtube/v3/docs):
``channels.list`` (``contentDetails.relatedPlaylists.uploads``, ``statistics``),
``playlistItems.list`` (``contentDetails.videoId``/``videoPublishedAt``, ``snippet.publishedAt``
and ``snippet.resourceId.videoId``) and ``videos.list`` (``snippet``, ``statistics``), each in
its list envelope with ``nextPageToken``. Unknown fields are ignored; counts arrive as strings
("7920") and become ints (``http.count``); timestamps become aware UTC (``http.parse_time``).
A part that arrives as ``null`` reads as absent, an empty timestamp as no timestamp.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from adapters.sources.http import parse_time
from adapters.sources.validation import Count


def _time_or_none(value: Any) -> datetime | None:
    return None if value is None or value == "" else parse_time(value)


def _text(value: Any) -> str | None:
    """Free text is best effort: anything but a string reads as absent."""
    return value if isinstance(value, str) else None


def _list(value: Any) -> Any:
    """An absent or ``null`` list reads as empty."""
    return [] if value is None else value


"""An optional count: a digit string ("7920") or an int, None when absent."""

UtcTime = Annotated[datetime | None, BeforeValidator(_time_or_none)]
"""An optional timestamp ("2019-03-21T20:37:49.000Z") as an aware UTC datetime."""

Text = Annotated[str | None, BeforeValidator(_text)]
Items = Annotated[list[Any], BeforeValidator(_list)]


class YouTubeModel(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class ListResponse(YouTubeModel):
    """The envelope of every ``*.list`` answer; each of ``items`` is validated on its own."""

    items: Items = Field(default_factory=list)
    nextPageToken: str | None = None  # noqa: N815 (the API's name)


class RelatedPlaylists(YouTubeModel):
    uploads: str | None = None


class ChannelContentDetails(YouTubeModel):
    relatedPlaylists: RelatedPlaylists | None = None  # noqa: N815


class ChannelStatistics(YouTubeModel):
    """``subscriberCount`` is rounded to three significant figures, absent when hidden."""

    subscriberCount: Count = None  # noqa: N815
    hiddenSubscriberCount: bool = False  # noqa: N815


class Channel(YouTubeModel):
    id: str | None = None
    contentDetails: ChannelContentDetails | None = None  # noqa: N815
    statistics: ChannelStatistics | None = None

    @property
    def uploads(self) -> str | None:
        """The uploads playlist id, when the channel has one."""
        details = self.contentDetails
        playlists = details.relatedPlaylists if details else None
        return playlists.uploads if playlists and playlists.uploads else None


class PlaylistItemContentDetails(YouTubeModel):
    videoId: str | None = None  # noqa: N815
    videoPublishedAt: UtcTime = None  # noqa: N815 (the video's own date)


class ResourceId(YouTubeModel):
    videoId: str | None = None  # noqa: N815


class PlaylistItemSnippet(YouTubeModel):
    publishedAt: UtcTime = None  # noqa: N815 (when the video was added to the playlist)
    resourceId: ResourceId | None = None  # noqa: N815


class PlaylistItem(YouTubeModel):
    id: str | None = None
    contentDetails: PlaylistItemContentDetails | None = None  # noqa: N815
    snippet: PlaylistItemSnippet | None = None

    @property
    def video_id(self) -> str | None:
        details, snippet = self.contentDetails, self.snippet
        resource = snippet.resourceId if snippet else None
        return (details.videoId if details else None) or (resource.videoId if resource else None)

    @property
    def published_at(self) -> datetime | None:
        """The video's own date when the part is there, else when it was added."""
        details, snippet = self.contentDetails, self.snippet
        return (details.videoPublishedAt if details else None) or (
            snippet.publishedAt if snippet else None
        )


class VideoSnippet(YouTubeModel):
    publishedAt: UtcTime = None  # noqa: N815
    title: Text = None


class VideoStatistics(YouTubeModel):
    viewCount: Count = None  # noqa: N815
    likeCount: Count = None  # noqa: N815
    commentCount: Count = None  # noqa: N815


class Video(YouTubeModel):
    id: str
    snippet: VideoSnippet | None = None
    statistics: VideoStatistics | None = None
