"""What every fake service here has in common: a real aiohttp server on 127.0.0.1.

Each fake (Slack, Bot Connector, the social networks) subclasses ``FakeServer``, builds its
``web.Application`` with the platform's routes in ``_app()`` and keeps its protocol to itself;
this module only starts and stops the server on a port the OS picks and says where it listens::

    async with FakeSomething() as fake:
        client = make_client(base_url=fake.url)
        ...

``start()``/``stop()`` do the same as entering and leaving the ``async with`` block.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from types import TracebackType
from typing import ClassVar, Self

from aiohttp import web
from multidict import CIMultiDict, CIMultiDictProxy

LOCALHOST = "127.0.0.1"


class FakeServer(ABC):
    """An aiohttp application served on 127.0.0.1 (random free port); an async context manager."""

    # How long ``stop()`` waits for requests still being answered (aiohttp's default is 60 s).
    shutdown_timeout: ClassVar[float] = 60.0

    def __init__(self) -> None:
        self._runner: web.AppRunner | None = None
        self._port: int | None = None

    @abstractmethod
    def _app(self) -> web.Application:
        """The application with this fake's routes (called by every ``start()``)."""

    # ----------------------------------------------------------------- lifecycle

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    async def start(self) -> None:
        if self._runner is not None:
            raise RuntimeError(f"{type(self).__name__} is already running")
        runner = web.AppRunner(self._app(), access_log=None, shutdown_timeout=self.shutdown_timeout)
        await runner.setup()
        site = web.TCPSite(runner, LOCALHOST, 0)
        await site.start()
        self._runner = runner
        self._port = int(runner.addresses[0][1])

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
        self._runner = None
        self._port = None

    @property
    def port(self) -> int:
        if self._port is None:
            name = type(self).__name__
            raise RuntimeError(f"{name} is not running; use `async with {name}()`")
        return self._port

    @property
    def url(self) -> str:
        """The server root, e.g. ``http://127.0.0.1:54321``."""
        return f"http://{LOCALHOST}:{self.port}"


def bearer_token(request: web.Request) -> str | None:
    """The token of an ``Authorization: Bearer <token>`` header, as sent; None without one."""
    auth = request.headers.get("Authorization", "")
    return auth.removeprefix("Bearer ") if auth.startswith("Bearer ") else None


def frozen_headers(request: web.Request) -> Mapping[str, str]:
    """A case-insensitive, read-only copy of the request's headers (for a request log)."""
    return CIMultiDictProxy(CIMultiDict(request.headers))


def retry_after_header(seconds: int | None) -> dict[str, str]:
    """A ``Retry-After`` header in whole seconds, or no header for None."""
    return {} if seconds is None else {"Retry-After": str(seconds)}
