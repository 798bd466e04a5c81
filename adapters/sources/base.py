"""What every API source shares: its HTTP client, the clock, and the paging bounds."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import ClassVar

from adapters.sources.http import SourceHttp
from bot.domain.models import Platform


def utc_now() -> datetime:
    return datetime.now(UTC)


class HttpSource:
    """Base of the platform sources: subclasses set their page-size range and defaults."""

    platform: ClassVar[Platform]
    # The page sizes the API accepts, and the defaults (a round reads at most
    # page_size * max_pages posts per account).
    PAGE_SIZES: ClassVar[tuple[int, int]] = (1, 100)
    PAGE_SIZE: ClassVar[int] = 25
    MAX_PAGES: ClassVar[int] = 10

    def __init__(
        self,
        http: SourceHttp,
        *,
        now: Callable[[], datetime] = utc_now,
        page_size: int | None = None,
        max_pages: int | None = None,
    ) -> None:
        low, high = self.PAGE_SIZES
        self.http = http
        self.now = now
        self.page_size = min(high, max(low, self.PAGE_SIZE if page_size is None else page_size))
        self.max_pages = self.MAX_PAGES if max_pages is None else max_pages

    async def close(self) -> None:
        await self.http.close()
