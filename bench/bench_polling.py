"""Polling rounds: N Mastodon accounts x M posts from a fake instance answering in 50 ms each.

- Fake: an aiohttp Mastodon REST API on 127.0.0.1 (in this file) serving, for each of N
  accounts (default 200, ids "1".."N"), ``GET /api/v1/accounts/:id`` (the Account entity, with
  followers_count) and ``GET /api/v1/accounts/:id/statuses`` with its M statuses (default 100)
  newest first, created over the last 60 days, paged ``limit`` (max 40) at a time by ``max_id``
  with a ``Link: <...>; rel="next"`` header whenever a page is full, as Mastodon does. Status
  ids are snowflake-like (creation ms << 16 | account), so unique across accounts. Only
  documented Status/Account fields. Every response waits ``--latency`` (50 ms) first: the
  realistic latency. Bodies are serialised before each round, so the fake's own CPU in the
  (shared) event loop is only aiohttp's request handling. Counts grow a little every round on
  posts younger than a week, as they would between real rounds.
- Run: winsbot as `winsbot serve` wires it (bot.app.build_server and build_poller: the real
  MastodonSource, SourceHttp/httpx client, Poller, SQLite in a temporary file), accounts
  registered, then ``--rounds`` timed ``Poller.poll()`` calls one after another (the first is
  an account's first round: 90 days; the next ones are what the scheduler does next). Each
  poll() includes the win detection that follows the round; detect() is timed on its own too.
- Minimum: requests made x latency / C, C = poll_concurrency (the per-source limit): one
  source's requests, C at a time, each taking at least the latency. Target: 1.2x.
- The fake shares winsbot's process and event loop, so its own CPU (about 1.3 ms a request:
  aiohttp parsing and writing; measured by moving it to a child process) counts against the
  round. "process CPU" near the wall time means the round is bound by one core, not by HTTP.
- Peak memory: ru_maxrss of this process, and tracemalloc's peak in a separate, untimed first
  round on a fresh database (tracemalloc slows Python down several times).
- Several --concurrency values run one after another (fresh database and fake each) and end
  with a table.

    python bench/bench_polling.py [--accounts 200] [--posts 100] [--latency 0.05]
                                  [--concurrency 4 [16 ...]] [--rounds 3] [--no-tracemalloc]
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import json
import logging
import random
import resource
import shutil
import sys
import tempfile
import time
import tracemalloc
from collections import Counter, defaultdict
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Literal, ParamSpec, TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from aiohttp import web
from sqlalchemy import func, select

from bench.common import LoopLag
from bot.app import Server, build_poller, build_server
from bot.config import Settings
from bot.domain.models import Platform, SourceAccount
from bot.store.tables import follower_snapshots, post_snapshots, posts
from bot.usecases.polling import Poller, PollReport

TARGET_RATIO = 1.2
SPAN = timedelta(days=60)  # the statuses' creation times spread over this, newest first
YOUNG = timedelta(days=7)
PAGE_MAX = 40  # Mastodon's documented maximum ``limit`` for account statuses
SLOT_STAGES = (  # what Poller._poll_source does while it holds a concurrency slot
    "since: newest post query",
    "fetch: whole account (HTTP+parse)",
    "queue for the writing lock",
    "store: ingest under the lock",
)

P = ParamSpec("P")
T = TypeVar("T")
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


# --------------------------------------------------------------------------- the fake instance


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


class FakeInstance:
    """A synthetic Mastodon instance with N accounts of M statuses; every answer takes `latency`."""

    def __init__(self, accounts: int, posts_each: int, latency: float, now: datetime) -> None:
        self.n, self.m, self.latency, self.now = accounts, posts_each, latency, now
        self.round = 0
        self.requests: Counter[str] = Counter()  # "account", "statuses page 1", "... max_id"
        self.pages_by_account: Counter[str] = Counter()  # statuses requests per account id
        self.busy = 0.0  # seconds summed over requests, from arrival to the answer
        self.in_flight = 0
        self.peak_in_flight = 0
        self._accounts: dict[str, bytes] = {}
        self._pages: dict[tuple[str, str | None], tuple[bytes, str | None]] = {}
        self._statuses: dict[str, list[dict[str, Any]]] = {}
        self._runner: web.AppRunner | None = None
        self.url = ""

    async def start(self) -> None:
        app = web.Application(middlewares=[self._middleware])
        app.router.add_get("/api/v1/accounts/{id}", self._account)
        app.router.add_get("/api/v1/accounts/{id}/statuses", self._statuses_page)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        self.url = f"http://127.0.0.1:{self._runner.addresses[0][1]}"
        self.serialise()

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    def reset_counts(self) -> None:
        self.requests.clear()
        self.pages_by_account.clear()
        self.busy, self.peak_in_flight = 0.0, 0

    def next_round(self) -> None:
        """Counts on young posts grow between rounds; serialise the new answers (untimed)."""
        self.round += 1
        self.serialise()

    # ----------------------------------------------------------------------------- content

    def _account_entity(self, i: int) -> dict[str, Any]:
        handle = f"acct{i}"
        return {
            "id": str(i),
            "username": handle,
            "acct": handle,
            "display_name": f"Account {i}",
            "locked": False,
            "bot": False,
            "discoverable": True,
            "group": False,
            "created_at": "2022-01-01T00:00:00.000Z",
            "note": f"<p>The official account number {i}.</p>",
            "url": f"{self.url}/@{handle}",
            "uri": f"{self.url}/users/{handle}",
            "avatar": f"{self.url}/avatars/original/missing.png",
            "avatar_static": f"{self.url}/avatars/original/missing.png",
            "header": f"{self.url}/headers/original/missing.png",
            "header_static": f"{self.url}/headers/original/missing.png",
            "followers_count": 1000 + 37 * i + 5 * self.round,
            "following_count": 100 + i,
            "statuses_count": self.m,
            "last_status_at": self.now.date().isoformat(),
            "emojis": [],
            "fields": [],
        }

    def _status(self, i: int, j: int, account: dict[str, Any]) -> dict[str, Any]:
        # Newest first, spread evenly over SPAN; accounts a few seconds apart so ids differ.
        created = self.now - SPAN * (j + 0.5) / self.m - timedelta(seconds=7 * i)
        created = created.replace(microsecond=(created.microsecond // 1000) * 1000)
        status_id = str((int(created.timestamp() * 1000) << 16) | i)
        rng = random.Random(i * 100_003 + j)
        favourites = int(rng.lognormvariate(3.0, 0.8)) * (8 if rng.random() < 0.03 else 1)
        if self.now - created < YOUNG:  # still growing: a little more every round
            favourites += self.round * (1 + favourites // 10)
        url = f"{self.url}/@{account['username']}/{status_id}"
        return {
            "id": status_id,
            "created_at": _iso(created),
            "in_reply_to_id": None,
            "in_reply_to_account_id": None,
            "sensitive": False,
            "spoiler_text": "",
            "visibility": "public",
            "language": "en",
            "uri": f"{self.url}/users/{account['username']}/statuses/{status_id}",
            "url": url,
            "replies_count": favourites // 12,
            "reblogs_count": favourites // 4,
            "favourites_count": favourites,
            "quotes_count": favourites // 40,
            "edited_at": None,
            "content": (
                f"<p>Update {j} from account {i}: we shipped something &amp; hired people. "
                f'<a href="{self.url}/tags/wins" class="mention hashtag" rel="tag">'
                "#<span>wins</span></a></p>"
            ),
            "reblog": None,
            "application": None,
            "account": account,
            "media_attachments": [],
            "mentions": [],
            "tags": [{"name": "wins", "url": f"{self.url}/tags/wins"}],
            "emojis": [],
            "card": None,
            "poll": None,
        }

    def serialise(self) -> None:
        """Every account and every full-size page, as the bytes answered this round."""
        self._accounts.clear()
        self._pages.clear()
        for i in range(1, self.n + 1):
            entity = self._account_entity(i)
            self._accounts[str(i)] = json.dumps(entity).encode()
            statuses = [self._status(i, j, entity) for j in range(self.m)]
            self._statuses[str(i)] = statuses
            max_id: str | None = None
            for start in range(0, max(1, len(statuses)), PAGE_MAX):
                page = statuses[start : start + PAGE_MAX]
                self._pages[(str(i), max_id)] = self._page(str(i), page, PAGE_MAX)
                max_id = page[-1]["id"] if page else None

    def _page(
        self, account_id: str, page: list[dict[str, Any]], limit: int
    ) -> tuple[bytes, str | None]:
        link = None
        if len(page) == limit:  # Mastodon links a next page whenever a page is full
            path = f"{self.url}/api/v1/accounts/{account_id}/statuses"
            query = f"exclude_reblogs=true&exclude_replies=true&limit={limit}"
            link = (
                f'<{path}?{query}&max_id={page[-1]["id"]}>; rel="next", '
                f'<{path}?{query}&min_id={page[0]["id"]}>; rel="prev"'
            )
        return json.dumps(page).encode(), link

    # --------------------------------------------------------------------------- endpoints

    @web.middleware
    async def _middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        arrived = time.perf_counter()
        self.in_flight += 1
        self.peak_in_flight = max(self.peak_in_flight, self.in_flight)
        try:
            await asyncio.sleep(self.latency)
            return await handler(request)
        finally:
            self.in_flight -= 1
            self.busy += time.perf_counter() - arrived

    async def _account(self, request: web.Request) -> web.Response:
        self.requests["account"] += 1
        body = self._accounts.get(request.match_info["id"])
        if body is None:
            return web.json_response({"error": "Record not found"}, status=404)
        return web.Response(body=body, content_type="application/json")

    async def _statuses_page(self, request: web.Request) -> web.Response:
        account_id = request.match_info["id"]
        max_id = request.query.get("max_id")
        self.requests["statuses, first page" if max_id is None else "statuses, max_id page"] += 1
        self.pages_by_account[account_id] += 1
        if account_id not in self._accounts:
            return web.json_response({"error": "Record not found"}, status=404)
        limit = max(1, min(int(request.query.get("limit", "20")), PAGE_MAX))
        cached = self._pages.get((account_id, max_id)) if limit == PAGE_MAX else None
        if cached is None:  # not a page boundary the Link headers gave out: build it
            statuses = self._statuses[account_id]
            if max_id is not None:
                statuses = [s for s in statuses if int(s["id"]) < int(max_id)]
            cached = self._page(account_id, statuses[:limit], limit)
        body, link = cached
        headers = {"Link": link} if link else {}
        return web.Response(body=body, content_type="application/json", headers=headers)


# ----------------------------------------------------------------------------- instrumentation


class Probe:
    """Wall time summed over concurrent calls (task-seconds, so it can exceed the run)."""

    def __init__(self) -> None:
        self.seconds: defaultdict[str, float] = defaultdict(float)
        self.calls: Counter[str] = Counter()

    def wrap(
        self, name: str, fn: Callable[P, Coroutine[Any, Any, T]]
    ) -> Callable[P, Coroutine[Any, Any, T]]:
        @functools.wraps(fn)
        async def timed(*args: P.args, **kwargs: P.kwargs) -> T:
            started = time.perf_counter()
            try:
                return await fn(*args, **kwargs)
            finally:
                self.seconds[name] += time.perf_counter() - started
                self.calls[name] += 1

        return timed

    def clear(self) -> None:
        self.seconds.clear()
        self.calls.clear()


class TimedLock(asyncio.Lock):
    """The poller's writing lock, also adding up how long tasks queued for it."""

    def __init__(self, probe: Probe) -> None:
        super().__init__()
        self.probe = probe

    async def acquire(self) -> Literal[True]:
        started = time.perf_counter()
        try:
            return await super().acquire()
        finally:
            self.probe.seconds["queue for the writing lock"] += time.perf_counter() - started
            self.probe.calls["queue for the writing lock"] += 1


def instrument(poller: Poller, probe: Probe) -> None:
    """Time the stages of a round by wrapping instance attributes (no code changes)."""
    service = poller.service
    service.detect = probe.wrap("detect (after the round)", service.detect)  # type: ignore[method-assign]
    poller.since = probe.wrap("since: newest post query", poller.since)  # type: ignore[method-assign]
    poller._store = probe.wrap("store: ingest under the lock", poller._store)  # type: ignore[method-assign]
    poller._writing = TimedLock(probe)
    for source in poller.sources.values():
        source.fetch = probe.wrap("fetch: whole account (HTTP+parse)", source.fetch)  # type: ignore[method-assign]
        http = getattr(source, "http", None)
        if http is not None:
            http.get_json = probe.wrap("get_json: one request", http.get_json)


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux


# ------------------------------------------------------------------------------------- rounds


@dataclass
class Round:
    number: int
    report: PollReport
    seconds: float
    cpu: float
    requests: Counter[str]
    client_requests: int
    pages: Counter[int]  # statuses requests per account -> accounts
    busy: float
    peak_in_flight: int
    probe: dict[str, tuple[float, int]]
    lag_worst: float
    lag_stalled: float
    posts: int
    snapshots: int
    followers: int

    @property
    def made(self) -> int:
        return sum(self.requests.values())

    @property
    def detect(self) -> float:
        return self.probe.get("detect (after the round)", (0.0, 0))[0]


@dataclass
class Run:
    concurrency: int
    rounds: list[Round] = field(default_factory=list)
    traced_peak: int | None = None
    traced_seconds: float | None = None
    rss_before: float = 0.0
    rss_after: float = 0.0


async def counts(server: Server) -> tuple[int, int, int]:
    async with server.service.db.engine.connect() as conn:
        return (
            (await conn.execute(select(func.count()).select_from(posts))).scalar_one(),
            (await conn.execute(select(func.count()).select_from(post_snapshots))).scalar_one(),
            (await conn.execute(select(func.count()).select_from(follower_snapshots))).scalar_one(),
        )


async def polling(
    args: argparse.Namespace, concurrency: int, work: Path, *, rounds: int, trace: bool
) -> Run:
    """Fresh database and fake; `rounds` timed poll() calls (or one under tracemalloc)."""
    fake = FakeInstance(args.accounts, args.posts, args.latency, datetime.now(UTC))
    await fake.start()
    tag = f"c{concurrency}{'-traced' if trace else ''}"
    settings = Settings(
        database_url=f"sqlite+aiosqlite:///{work / f'{tag}.db'}",
        output_dir=work / f"out-{tag}",
        mastodon_base_url=fake.url,
        accounts=[
            SourceAccount(platform=Platform.MASTODON, handle=f"acct{i}", id=str(i))
            for i in range(1, args.accounts + 1)
        ],
        poll_concurrency=concurrency,
    )
    server = await build_server(settings)
    run = Run(concurrency)
    try:
        poller = build_poller(server)
        await poller.register_accounts()
        probe = Probe()
        instrument(poller, probe)
        source = poller.sources[Platform.MASTODON]
        http = source.http  # type: ignore[attr-defined]
        run.rss_before = rss_mb()
        for number in range(1, rounds + 1):
            if number > 1:
                fake.next_round()
            fake.reset_counts()
            probe.clear()
            client_before = http.requests
            if trace:
                tracemalloc.start()
            with LoopLag(stall_after=0.02) as lag:
                cpu = time.process_time()
                started = time.perf_counter()
                report = await poller.poll()
                seconds = time.perf_counter() - started
                cpu = time.process_time() - cpu
            if trace:
                run.traced_peak = tracemalloc.get_traced_memory()[1]
                run.traced_seconds = seconds
                tracemalloc.stop()
            stored = await counts(server)
            stages = {k: (v, probe.calls[k]) for k, v in probe.seconds.items()}
            pages = Counter(fake.pages_by_account.values())
            done = Round(
                number, report, seconds, cpu, Counter(fake.requests),
                http.requests - client_before, pages, fake.busy, fake.peak_in_flight, stages,
                lag.worst, lag.stalled, *stored,
            )  # fmt: skip
            run.rounds.append(done)
        run.rss_after = rss_mb()
        return run
    finally:
        for close in server.on_stop:
            await close()
        await fake.stop()


# ------------------------------------------------------------------------------------- report


def why_window(number: int) -> str:
    if number == 1:
        return "no post stored yet: since = now - 90 days (FIRST), every status is in it"
    if number == 2:
        return (
            "posts stored, and the first round never set the daily reach-back mark "
            "(_old_read): since = now - 30 days (OLD), and the mark is set now"
        )
    return "the reach-back ran under 24 h ago: since = now - 7 days (YOUNG)"


def report_round(args: argparse.Namespace, c: int, r: Round) -> None:
    minimum = r.made * args.latency / c
    ratio = r.seconds / minimum if minimum else float("inf")
    poll_phase = r.seconds - r.detect
    verdict = "ok" if ratio <= TARGET_RATIO else "MISSED"
    pages = ", ".join(
        f"{accounts} account{'s' if accounts != 1 else ''} x {n}"
        for n, accounts in sorted(r.pages.items())
    )
    detection = r.report.detection
    print(f"  round {r.number}: {why_window(r.number)}")
    print(
        f"    accounts read                  {r.report.accounts:,} (failed {len(r.report.failed)})"
    )
    print(
        f"    requests made                  {r.made:,} at the fake ("
        + ", ".join(f"{k} {v:,}" for k, v in sorted(r.requests.items()))
        + f"); the client counted {r.client_requests:,}"
    )
    print(f"    statuses pages per account     {pages}")
    print(
        f"    items returned / stored        {r.report.items:,} items (incl. one follower count "
        f"per account), {r.report.snapshots_added:,} snapshots added; store now holds "
        f"{r.posts:,} posts, {r.snapshots:,} post snapshots, {r.followers:,} follower snapshots"
    )
    print(
        f"    wall time poll()               {r.seconds:.2f} s (process CPU {r.cpu:.2f} s = "
        f"{r.cpu / r.seconds:.0%} of one core; "
        f"loop blocked up to {r.lag_worst * 1000:.0f} ms, {r.lag_stalled:.2f} s in all)"
    )
    print(
        f"      of which detection           {r.detect:.2f} s ("
        + (
            f"{detection.posts_scored:,} posts scored, {detection.wins_added} wins added"
            if detection
            else "none"
        )
        + f"); fetch + store phase {poll_phase:.2f} s"
    )
    print(
        f"    minimum                        {minimum:.2f} s = {r.made:,} requests x "
        f"{args.latency * 1000:.0f} ms / {c}"
    )
    print(
        f"    ratio wall / minimum           {ratio:.2f}x (target <= {TARGET_RATIO}x) {verdict}; "
        f"without detection {poll_phase / minimum if minimum else 0:.2f}x"
    )
    print(
        f"    requests in flight             {r.busy / poll_phase if poll_phase else 0:.2f} on "
        f"average over the fetch+store phase (peak {r.peak_in_flight}; the limit allows {c})"
    )
    slots = sum(r.probe.get(k, (0.0, 0))[0] for k in SLOT_STAGES)
    print(
        f"    concurrency slots held         {slots / poll_phase if poll_phase else 0:.2f} on "
        f"average ({slots / max(1, r.report.accounts) * 1000:.0f} ms per account: since + fetch "
        f"+ queue for the lock + store, all inside the slot; the requests alone need "
        f"{r.made / max(1, r.report.accounts) * args.latency * 1000:.0f} ms)"
    )
    print("    where the time goes (task-seconds, summed over concurrent tasks):")
    for name, (total, calls) in sorted(r.probe.items(), key=lambda kv: -kv[1][0]):
        print(
            f"      {name:<40} {total:>8.2f} task-s {calls:>6,} calls "
            f"{1000 * total / max(1, calls):>8.1f} ms/call"
        )


def report_run(args: argparse.Namespace, run: Run) -> None:
    c = run.concurrency
    print(
        f"\npolling: {args.accounts:,} Mastodon accounts x {args.posts} statuses over "
        f"{SPAN.days} days; {args.latency * 1000:.0f} ms per request; poll_concurrency {c}"
    )
    for r in run.rounds:
        report_round(args, c, r)
    print(
        f"  peak memory (ru_maxrss)          {run.rss_after:.0f} MB: this process's peak RSS so far, "
        f"+{run.rss_after - run.rss_before:.0f} MB during the rounds ({run.rss_before:.0f} MB "
        "before them: imports, the fake's serialised answers, and any earlier --concurrency run)"
    )
    if run.traced_peak is not None:
        print(
            f"  peak memory (tracemalloc)        {run.traced_peak / 2**20:.1f} MB peak of Python "
            f"allocations during a separate first round under tracemalloc "
            f"({run.traced_seconds:.1f} s, untimed)"
        )


def table(args: argparse.Namespace, runs: list[Run]) -> None:
    print("\nsummary (wall time of poll() including detection; minimum = requests x latency / C)")
    print(
        f"  {'C':>3} {'round':>5} {'requests':>9} {'wall s':>8} {'detect s':>9} {'minimum s':>10} "
        f"{'ratio':>6} {'w/o detect':>10} {'in flight':>9} {'CPU/wall':>8}"
    )
    for run in runs:
        for r in run.rounds:
            minimum = r.made * args.latency / run.concurrency
            phase = r.seconds - r.detect
            print(
                f"  {run.concurrency:>3} {r.number:>5} {r.made:>9,} {r.seconds:>8.2f} "
                f"{r.detect:>9.2f} {minimum:>10.2f} {r.seconds / minimum:>5.2f}x "
                f"{phase / minimum:>9.2f}x {r.busy / phase if phase else 0:>9.2f} "
                f"{r.cpu / r.seconds:>8.0%}"
            )


async def main(args: argparse.Namespace) -> None:
    logging.basicConfig(level=logging.WARNING if args.verbose else logging.CRITICAL)
    work = Path(tempfile.mkdtemp(prefix="winsbot-bench-polling-"))
    runs: list[Run] = []
    try:
        for index, c in enumerate(args.concurrency):
            run = await polling(args, c, work, rounds=args.rounds, trace=False)
            if args.tracemalloc and index == 0:
                traced = await polling(args, c, work, rounds=1, trace=True)
                run.traced_peak, run.traced_seconds = traced.traced_peak, traced.traced_seconds
            report_run(args, run)
            runs.append(run)
        if len(runs) > 1:
            table(args, runs)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=200)
    parser.add_argument("--posts", type=int, default=100, help="statuses per account")
    parser.add_argument("--latency", type=float, default=0.05, help="seconds per request")
    parser.add_argument(
        "--concurrency", type=int, nargs="+", default=[4],
        help="settings.poll_concurrency (1-64); several values run one after another",
    )  # fmt: skip
    parser.add_argument("--rounds", type=int, default=3, help="poll rounds back to back")
    parser.add_argument(
        "--no-tracemalloc", dest="tracemalloc", action="store_false",
        help="skip the separate first round under tracemalloc (for the first --concurrency)",
    )  # fmt: skip
    parser.add_argument("--verbose", action="store_true", help="show winsbot's warnings")
    asyncio.run(main(parser.parse_args()))
