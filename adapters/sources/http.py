"""One resilient JSON-over-HTTP client for every social source.

Rate limits are honoured from whatever header the platform sends (Retry-After in seconds or as a
date, X-RateLimit-Reset / x-rate-limit-reset as an epoch, Mastodon's ISO reset time); 5xx and
timeouts back off with jitter up to a limit; 401/403 is an auth problem, not a retry; a body
that is not the JSON we asked for is a SourceError with the first bytes in the message.
"""

from __future__ import annotations

import asyncio
import email.utils
import json
import logging
import random
from collections.abc import Awaitable, Callable, Mapping
from datetime import UTC, datetime
from typing import Any

import httpx

from bot.ports import SourceAuthError, SourceError

log = logging.getLogger("winsbot.sources")

MAX_ATTEMPTS = 4
MAX_WAIT_SECONDS = 900.0  # longer waits end the round; the next round starts fresh
TIMEOUT = httpx.Timeout(20.0, connect=10.0)


def rate_limit_wait(response: httpx.Response, now: datetime | None = None) -> float | None:
    """Seconds the platform asked us to wait, from any of the headers platforms use."""
    now = now or datetime.now(UTC)
    headers = response.headers
    retry_after = headers.get("retry-after")
    if retry_after:
        try:
            return max(0.0, float(retry_after))
        except ValueError:
            try:
                when = email.utils.parsedate_to_datetime(retry_after)
                return max(0.0, (when - now).total_seconds())
            except (TypeError, ValueError):
                pass
    for name in ("x-ratelimit-reset", "x-rate-limit-reset", "ratelimit-reset"):
        value = headers.get(name)
        if not value:
            continue
        try:
            number = float(value)
        except ValueError:
            try:  # Mastodon sends an ISO 8601 time
                reset = datetime.fromisoformat(value.replace("Z", "+00:00"))
                return max(0.0, (reset - now).total_seconds())
            except ValueError:
                continue
        # An epoch timestamp, or (some APIs) seconds from now.
        return max(0.0, number - now.timestamp()) if number > 1e9 else max(0.0, number)
    return None


class SourceHttp:
    """Shared per source: one httpx.AsyncClient (connection reuse) and one retry policy."""

    def __init__(
        self,
        name: str,
        base_url: str,
        *,
        headers: Mapping[str, str] | None = None,
        client: httpx.AsyncClient | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        max_attempts: int = MAX_ATTEMPTS,
    ) -> None:
        self.name = name
        self.client = client or httpx.AsyncClient(
            base_url=base_url, headers=dict(headers or {}), timeout=TIMEOUT
        )
        self.sleep = sleep
        self.max_attempts = max_attempts
        self.requests = 0

    async def get_json(
        self, url: str, *, params: Mapping[str, Any] | None = None
    ) -> tuple[Any, httpx.Response]:
        """GET and decode JSON, retrying what is worth retrying."""
        for attempt in range(1, self.max_attempts + 1):
            try:
                self.requests += 1
                response = await self.client.get(url, params=params)
            except (httpx.TimeoutException, httpx.TransportError) as exc:
                if attempt == self.max_attempts:
                    raise SourceError(
                        f"{self.name}: no answer after {attempt} tries ({exc})"
                    ) from exc
                await self._back_off(attempt, None, f"{type(exc).__name__}")
                continue
            status = response.status_code
            if status in (401, 403):
                raise SourceAuthError(
                    f"{self.name}: the API refused our credentials ({status}: "
                    f"{_detail(response)}); check the token and its scopes",
                    status=status,
                    code=_code(response),
                )
            if status == 429 or status >= 500:
                if attempt == self.max_attempts:
                    raise SourceError(
                        f"{self.name}: HTTP {status} after {attempt} tries", status=status
                    )
                await self._back_off(attempt, rate_limit_wait(response), f"HTTP {status}")
                continue
            if status >= 400:
                raise SourceError(
                    f"{self.name}: HTTP {status} for {url}: {_detail(response)}",
                    status=status,
                    code=_code(response),
                )
            try:
                return response.json(), response
            except (json.JSONDecodeError, UnicodeDecodeError) as exc:
                raise SourceError(
                    f"{self.name}: the answer to {url} is not JSON: {response.text[:80]!r}"
                ) from exc
        raise AssertionError("unreachable")  # pragma: no cover

    async def _back_off(self, attempt: int, asked: float | None, why: str) -> None:
        wait = asked if asked is not None else min(60.0, 0.5 * 2 ** (attempt - 1))
        if wait > MAX_WAIT_SECONDS:
            raise SourceError(f"{self.name}: rate limited for {wait:.0f} s; trying next round")
        wait += random.uniform(0, 0.25)
        log.info("%s: %s, retrying in %.1f s", self.name, why, wait)
        await self.sleep(wait)

    async def close(self) -> None:
        await self.client.aclose()


def _detail(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.text[:120]
    if isinstance(body, dict):
        for key in ("error_description", "error", "message", "detail", "title"):
            value = body.get(key)
            if isinstance(value, str):
                return value[:200]
            if isinstance(value, dict) and isinstance(value.get("message"), str):
                return str(value["message"])[:200]
    return str(body)[:120]


def _code(response: httpx.Response) -> str | None:
    """The platform's error code from the body: {"error": {"code"|"errors"[0].reason}}, XRPC's
    {"error": "ExpiredToken"}, Graph's {"error": {"code": 190}}, LinkedIn's serviceErrorCode."""
    try:
        body = response.json()
    except ValueError:
        return None
    if not isinstance(body, dict):
        return None
    error = body.get("error")
    if isinstance(error, str):
        return error
    if isinstance(error, dict):
        reasons = error.get("errors")
        if isinstance(reasons, list) and reasons and isinstance(reasons[0], dict):
            reason = reasons[0].get("reason")
            if reason:
                return str(reason)
        if error.get("code") is not None:
            return str(error["code"])
    for key in ("serviceErrorCode", "code", "type"):
        if body.get(key) is not None:
            return str(body[key])
    return None


def parse_time(value: Any) -> datetime:
    """Platform timestamps ("2026-11-16T09:30:00.000Z", "+0000" offsets) as aware UTC."""
    if not isinstance(value, str) or not value:
        raise ValueError(f"expected a timestamp, got {value!r}")
    text = value.strip().replace("Z", "+00:00")
    if len(text) > 5 and text[-5] in "+-" and text[-3] != ":":  # Graph API: +0000
        text = f"{text[:-2]}:{text[-2:]}"
    moment = datetime.fromisoformat(text)
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def count(value: Any) -> int | None:
    """Counts arrive as ints, or as strings (YouTube); None when absent."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(f"expected a count, got {value!r}")
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    raise ValueError(f"expected a count, got {value!r}")
