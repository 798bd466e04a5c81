"""What the fake social-network APIs share: the request log and the faults a test can queue.

Each fake keeps its platform's protocol (routes, bodies, error formats, which checks come
before the faults and what a truncated answer looks like) in its own module; this one holds:

- ``Request``, one received request as the fakes record it (before any check or fault);
- ``Fault`` and ``SocialFake``'s queue of them: ``fail_next`` (each fake's own, with its
  platform's error body), ``delay_next`` and ``truncate_next``, taken in the order queued;
- ``SocialFake._middleware``, for fakes that record, refuse and fault around aiohttp handlers,
  and ``catch_all`` for those that take every path and route by themselves;
- ``FIXTURES``, the folder of recorded responses (../shared/fixtures/social, see SOURCES.md).
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, AnyStr, ClassVar, Literal

from aiohttp import web
from multidict import CIMultiDict

from tests.fakes.server import FakeServer

FIXTURES = Path(__file__).resolve().parents[3].parent / "shared" / "fixtures" / "social"

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
FaultKind = Literal["fail", "delay", "truncate"]


@dataclass(frozen=True)
class Request:
    """One request as the fake received it: path, query, the raw query string and headers."""

    path: str
    query: dict[str, str]
    raw_query: str
    headers: dict[str, str]


@dataclass(frozen=True)
class Fault:
    kind: FaultKind
    status: int = 500
    headers: Mapping[str, str] = field(default_factory=dict)
    body: Any = None
    seconds: float = 0.0
    only: str | None = None  # applies to the next request whose path ends with this

    def answer(self) -> web.Response:
        """A "fail" fault's answer: its JSON body with its status and headers."""
        return web.json_response(self.body, status=self.status, headers=self.headers)


def catch_all(handler: Handler) -> web.Application:
    """An application that hands every GET to ``handler``, for a fake that routes by itself."""
    app = web.Application()
    app.router.add_get("/{tail:.*}", handler)
    return app


def first_half(data: AnyStr) -> AnyStr:
    """What a truncated answer sends of its body."""
    return data[: len(data) // 2]


def truncated(response: web.Response) -> web.Response:
    """A 200 with the first half of the response's body and its headers (a broken JSON)."""
    body = bytes(response.body or b"")  # type: ignore[arg-type]
    headers = CIMultiDict(response.headers)
    headers.popall("Content-Length", None)
    return web.Response(body=first_half(body), headers=headers)


class SocialFake(FakeServer):
    """A fake social-network API that records every request and answers queued faults."""

    shutdown_timeout: ClassVar[float] = 1.0  # a delayed answer does not hold up stop()

    def __init__(self) -> None:
        super().__init__()
        self.requests: list[Request] = []
        self._faults: deque[Fault] = deque()

    # ------------------------------------------------------------ test helpers

    def delay_next(self, seconds: float) -> None:
        """Hold the next answer back, to run a client into its timeout."""
        self._faults.append(Fault("delay", seconds=seconds))

    def truncate_next(self) -> None:
        """Send only the first half of the next answer's body (broken JSON)."""
        self._faults.append(Fault("truncate"))

    def _queue_failure(
        self,
        status: int,
        headers: Mapping[str, str] | None,
        body: Any,
        *,
        only: str | None = None,
    ) -> None:
        """What each fake's ``fail_next`` does once it has its platform's error ``body``."""
        fault = Fault("fail", status=status, headers=dict(headers or {}), body=body, only=only)
        self._faults.append(fault)

    # ---------------------------------------------------------------- plumbing

    def _record(self, request: web.Request, path: str | None = None) -> None:
        """Log the request (under ``path`` where the fake strips something from it)."""
        self.requests.append(
            Request(
                request.path if path is None else path,
                dict(request.query),
                request.rel_url.raw_query_string,
                dict(request.headers),
            )
        )

    async def _next_fault(self, path: str) -> Fault | None:
        """Take the first queued fault that applies to ``path``; a "delay" is waited out here.

        The caller answers a "fail" with ``fault.answer()`` and truncates for a "truncate".
        """
        fault = next((f for f in self._faults if f.only is None or path.endswith(f.only)), None)
        if fault is None:
            return None
        self._faults.remove(fault)
        if fault.kind == "delay":
            await asyncio.sleep(fault.seconds)
        return fault

    def _refusal(self, request: web.Request) -> web.Response | None:
        """What ``_middleware`` answers before any fault, instead of the route (None: go on)."""
        return None

    @web.middleware
    async def _middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        """Record, refuse (``_refusal``), then apply the next fault around the route's handler."""
        self._record(request)
        refusal = self._refusal(request)
        if refusal is not None:
            return refusal
        fault = await self._next_fault(request.path)
        if fault is not None and fault.kind == "fail":
            return fault.answer()
        response = await handler(request)
        if fault is not None and fault.kind == "truncate" and isinstance(response, web.Response):
            return truncated(response)
        return response
