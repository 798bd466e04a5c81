"""What bench_slack and bench_teams share, so that their figures can be set side by side.

Both put winsbot's command path under the same load as a bare framework floor started the same
way, in the same run, and print the same table. Sharing the queries, the load loop, the
alternation of floor and winsbot runs and the percentiles keeps the two benchmarks measuring
the same thing; each keeps what its platform does differently: how a request is built (a signed
slash command, an @mention activity), what its floor server is, and what counts as answered.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import (
    AsyncIterator,
    Awaitable,
    Callable,
    Coroutine,
    Iterable,
    Mapping,
    Sequence,
)
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web
from sqlalchemy import select

from adapters.sources.sample import benchmark_records
from bench.common import END, percentile
from bot.config import Settings
from bot.domain.models import Platform
from bot.ports import FixedClock
from bot.store.accounts import register_account
from bot.store.db import Database
from bot.store.tables import accounts
from bot.usecases.results import WinsService

# Realistic queries (a typo among them): each benchmark phrases them its platform's way.
TEXTS = ("", "30d", "linkedin 30d", "#recruiting 30d", "cases", "help", "linkdin")
TAGS = ("recruiting", "product", "customer-care", "brand")
START_TIMEOUT = 30.0
HEALTHZ = "/healthz"

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


# ---------------------------------------------------------------------------------------- data


def data_end() -> datetime:
    """bench.common.END, or now once END is past: `winsbot serve` runs on the real clock, so
    "/wins 30d" only finds wins while the data reaches up to today."""
    return max(END, datetime.now(UTC).replace(minute=0, second=0, microsecond=0))


async def build_database(path: Path, posts: int, snapshots: int, end: datetime) -> tuple[int, int]:
    """The sample database: posts x snapshots, accounts tagged, detection run; (snapshots, wins)."""
    db = Database(f"sqlite+aiosqlite:///{path}")
    service = WinsService(db, Settings(), FixedClock(end + timedelta(hours=1)))
    try:
        await db.upgrade()
        report = await service.ingest(benchmark_records(posts, snapshots, end=end))
        async with db.engine.begin() as conn:
            handles = (await conn.execute(select(accounts.c.platform, accounts.c.handle))).all()
            for i, (platform, handle) in enumerate(sorted(handles)):
                await register_account(conn, Platform(platform), handle, tags=[TAGS[i % len(TAGS)]])
        detected = await service.detect()
        return report.snapshots_added, detected.wins_added
    finally:
        await db.dispose()


@asynccontextmanager
async def sample_database(args: argparse.Namespace, prefix: str) -> AsyncIterator[Path]:
    """A work folder holding bench.db, built before any server starts so that building it is
    not part of the load; the folder (with the servers' logs) goes when the benchmark ends."""
    work = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        started = time.perf_counter()
        end = data_end()
        snapshots, wins = await build_database(work / "bench.db", args.posts, args.snapshots, end)
        print(
            f"built {args.posts:,} posts x {args.snapshots} snapshots per post ({snapshots:,} "
            f"snapshots; the full sample has 100 per post: --snapshots 100) ending "
            f"{end:%Y-%m-%d %H:%M} UTC, {wins:,} wins detected, in "
            f"{time.perf_counter() - started:.1f} s"
        )
        yield work
    finally:
        shutil.rmtree(work, ignore_errors=True)


# ------------------------------------------------------------------------------------- servers


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Child:
    name: str
    process: subprocess.Popen[bytes]
    url: str
    log: Path

    def stderr(self) -> str:
        return self.log.read_text(errors="replace")[-4000:]


def start_child(name: str, argv: list[str], port: int, env: dict[str, str], work: Path) -> Child:
    log = work / f"{name}.log"
    with log.open("wb") as err:
        process = subprocess.Popen(
            argv, env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=err
        )
    return Child(name, process, f"http://127.0.0.1:{port}", log)


async def wait_healthy(child: Child, http: aiohttp.ClientSession) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if child.process.poll() is not None:
            raise RuntimeError(
                f"{child.name} exited with {child.process.returncode}:\n{child.stderr()}"
            )
        try:
            async with http.get(f"{child.url}{HEALTHZ}") as response:
                if response.status == 200:
                    return
        except aiohttp.ClientError:
            pass
        await asyncio.sleep(0.1)
    raise RuntimeError(
        f"{child.name} did not answer {HEALTHZ} in {START_TIMEOUT:.0f} s:\n{child.stderr()}"
    )


def stop_child(child: Child) -> None:
    if child.process.poll() is None:
        child.process.terminate()
        try:
            child.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            child.process.kill()
            child.process.wait()


@asynccontextmanager
async def winsbot_and_floor(
    script: Path, work: Path, env: Mapping[str, str]
) -> AsyncIterator[tuple[Child, Child]]:
    """`winsbot serve` and the benchmark's floor (`script --floor-server PORT`), both healthy.

    The floor runs in its own process like winsbot, with the same environment and database, so
    neither pays for the load generator's event loop and the two differ only in their servers.
    """
    env = {
        **env,
        "WINSBOT_LOG_LEVEL": "WARNING",
        "DATABASE_URL": f"sqlite:///{work / 'bench.db'}",
    }
    winsbot_cli = str(Path(sys.executable).with_name("winsbot"))
    children: list[Child] = []
    try:
        port = free_port()
        serve = [winsbot_cli, "serve", "--host", "127.0.0.1", "--port", str(port)]
        children.append(start_child("winsbot", serve, port, env, work))
        port = free_port()
        floor = [sys.executable, str(script), "--floor-server", str(port)]
        children.append(start_child("floor", floor, port, env, work))
        async with aiohttp.ClientSession() as http:
            for child in children:
                await wait_healthy(child, http)
        yield children[0], children[1]
    finally:
        for child in children:
            stop_child(child)


async def serve_floor(port: int, path: str, handler: Handler) -> None:
    """Serve a floor's handler on aiohttp, as winsbot serves its own, until terminated.

    It answers /healthz too, so the parent waits for it exactly as it waits for winsbot.
    """

    async def healthz(_: web.Request) -> web.Response:
        return web.json_response({"ok": True})

    app = web.Application()
    app.router.add_post(path, handler)
    app.router.add_get(HEALTHZ, healthz)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    await asyncio.Event().wait()  # until the parent terminates us


# ---------------------------------------------------------------------------------------- load


@dataclass(frozen=True)
class Post:
    """One request as the platform would send it; built before its clock starts."""

    path: str
    body: str
    headers: dict[str, str]


@dataclass
class Result:
    samples: list[float]  # ms to the full response, successful requests only
    failures: int
    seconds: float

    @property
    def rate(self) -> float:
        return (len(self.samples) + self.failures) / self.seconds

    @property
    def p50(self) -> float:
        return percentile(self.samples, 50)

    @property
    def p99(self) -> float:
        return percentile(self.samples, 99)


async def load(
    url: str,
    clients: int,
    requests: int,
    prepare: Callable[[str], Post],
    ok: Callable[[int], bool],
) -> Result:
    """`requests` posts from `clients` concurrent clients over one keep-alive pool, the text
    cycling through TEXTS.

    Each post is built (signed, serialised) before its clock starts, so the time is the
    server's and the loopback's, not the load generator's.
    """
    samples: list[float] = []
    failures = 0
    issued = 0

    async def client(http: aiohttp.ClientSession) -> None:
        nonlocal failures, issued
        while issued < requests:
            text = TEXTS[issued % len(TEXTS)]
            issued += 1
            post = prepare(text)
            started = time.perf_counter()
            async with http.post(
                f"{url}{post.path}", data=post.body, headers=post.headers
            ) as response:
                await response.read()
                status = response.status
            elapsed = (time.perf_counter() - started) * 1000
            if ok(status):
                samples.append(elapsed)
            else:
                failures += 1

    connector = aiohttp.TCPConnector(limit=clients)
    async with aiohttp.ClientSession(connector=connector) as http:
        started = time.perf_counter()
        await asyncio.gather(*(client(http) for _ in range(clients)))
        seconds = time.perf_counter() - started
    return Result(samples, failures, seconds)


async def send(http: aiohttp.ClientSession, url: str, post: Post) -> tuple[int, bytes]:
    """One untimed post, for checking what a server answers before it is measured."""
    async with http.post(f"{url}{post.path}", data=post.body, headers=post.headers) as response:
        return response.status, await response.read()


# ---------------------------------------------------------------------------------- comparison


@dataclass(frozen=True)
class Comparison:
    """The floor's run and winsbot's at one load, taken back to back in the same run."""

    clients: int
    requests: int
    floor: Result
    winsbot: Result

    @property
    def ratio(self) -> float:
        return self.winsbot.p99 / self.floor.p99


def loads(args: argparse.Namespace) -> tuple[tuple[int, int], ...]:
    """(clients, requests) of each measured run: one client, then fifty."""
    return (1, args.requests_1), (50, args.requests_50)


async def alternate(
    floor: Child,
    winsbot: Child,
    shape: Iterable[tuple[int, int]],
    measure: Callable[[Child, int, int], Awaitable[Result]],
) -> list[Comparison]:
    """Floor then winsbot at each load, so the pair shares the machine's noise of the moment
    and a ratio compares like with like; `measure(child, clients, requests)` is the
    benchmark's warm-up and measured run."""
    comparisons = []
    for clients, requests in shape:
        base = await measure(floor, clients, requests)
        ours = await measure(winsbot, clients, requests)
        comparisons.append(Comparison(clients, requests, base, ours))
    for child in (winsbot, floor):
        if child.process.poll() is not None:
            raise RuntimeError(f"{child.name} died during the run:\n{child.stderr()}")
    return comparisons


@dataclass(frozen=True)
class Column:
    title: str
    cell: Callable[[Comparison], str]
    width: int = 0  # at least: a wider title or cell widens the column


def _side(name: str, pick: Callable[[Comparison], Result]) -> list[Column]:
    return [
        Column(f"{name} p50", lambda c: f"{pick(c).p50:.2f}"),
        Column("p99", lambda c: f"{pick(c).p99:.2f}", 6),
        Column("req/s", lambda c: f"{pick(c).rate:.0f}", 7),
    ]


def comparison_table(
    comparisons: Sequence[Comparison],
    failures: str,
    ratio: Column,
    floor_extra: Sequence[Column] = (),
    winsbot_extra: Sequence[Column] = (),
) -> list[str]:
    """The floor's figures beside winsbot's, one row per load, in one layout for both
    benchmarks; `failures` names what counts as failed, `ratio` is the last, free-text column
    (a target's verdict or a note), and the extras follow each side's figures."""
    columns = [
        Column("clients", lambda c: str(c.clients)),
        Column("requests", lambda c: str(c.requests)),
        *_side("floor", lambda c: c.floor),
        *floor_extra,
        *_side("winsbot", lambda c: c.winsbot),
        *winsbot_extra,
        Column(failures, lambda c: f"{c.floor.failures:>3}/{c.winsbot.failures:<3}"),
    ]
    rows = [[column.cell(c) for column in columns] for c in comparisons]
    widths = [
        max(column.width, len(column.title), *(len(row[i]) for row in rows))
        for i, column in enumerate(columns)
    ]

    def line(cells: Sequence[str], last: str) -> str:
        padded = (cell.rjust(width) for cell, width in zip(cells, widths, strict=True))
        return "  " + "  ".join([*padded, last])

    return [
        line([column.title for column in columns], ratio.title),
        *(line(row, ratio.cell(c)) for row, c in zip(rows, comparisons, strict=True)),
    ]


# -------------------------------------------------------------------------------- command line


def run(
    doc: str,
    floor_server: Callable[[int], None],
    main: Callable[[argparse.Namespace], Coroutine[Any, Any, None]],
) -> None:
    """The same options for both benchmarks, so their runs share a load shape; the script is
    also its own floor's entry point (--floor-server PORT, hidden) so that the floor starts
    from the same interpreter and imports as the benchmark."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--snapshots", type=int, default=10, help="per post (the full sample: 100)")
    parser.add_argument("--requests-1", type=int, default=300, help="requests at 1 client")
    parser.add_argument("--requests-50", type=int, default=2000, help="requests at 50 clients")
    parser.add_argument("--warmup", type=int, default=20, help="requests before each measured run")
    parser.add_argument("--floor-server", type=int, metavar="PORT", help=argparse.SUPPRESS)
    parsed = parser.parse_args()
    if parsed.floor_server is not None:
        floor_server(parsed.floor_server)
    else:
        asyncio.run(main(parsed))
