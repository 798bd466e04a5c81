"""Digest fan-out: N Slack subscriptions due at the same minute against a rate-limiting fake Slack.

- Data: the demo's sample organisation (90 days of posts ending at the due moment, wins
  detected, the graduate hiring campaign), and N Slack subscriptions (default 1,000) in N
  distinct channels (C0000, C0001, ...), all due Monday 09:00 UTC, subscribed a week earlier,
  spread over four audiences: leadership and the recruiting, product and customer-care
  departments (by tag).
- Slack: tests/fakes/slack_api.py's FakeSlackApi enforcing 1 chat.postMessage per second per
  channel and a workspace token bucket of W messages per second (burst W); anything above is
  answered HTTP 429 with Retry-After. Only chat.postMessage counts against the limits: each
  digest's chart goes through files.getUploadURLExternal, the upload URL and
  files.completeUploadExternal, which are other methods (other tiers in real Slack).
- Run: the server as `winsbot serve` builds it (bot.app.build_server, the real slack_sdk client
  and its retry handlers, SlackChatSender) with the clock one minute after the due moment, and
  one timed `DigestRunner.catch_up()`: the fan-out the scheduler runs, with everything that
  makes it exactly-once when a worker dies (the delivery id in each digest's Slack message
  metadata, the "sending" mark committed before each post, the heartbeat renewing the claims'
  leases every WINSBOT_DELIVERY_LEASE_SECONDS / 3).
- Minimum: the messages owed (one per subscription) divided by W (1 message per channel, so
  the per-channel limit never binds). Target: total at most 1.2x the minimum, no message lost
  (a channel without exactly one digest after the pass), no duplicate.
- Peak memory: ru_maxrss of this process, and tracemalloc's peak in a second, identical run on
  a copy of the database (tracemalloc slows Python down several times, so it is not timed).
- winsbot paces its own posts to WINSBOT_SLACK_WORKSPACE_RATE, set here to W as an admin would;
  --client-rate R sets another rate (0: no client-side pacing, to see the 429 storm).

    python bench/bench_digests.py [--subscriptions 1000] [--workspace-rate 50]
                                  [--concurrency 50] [--no-tracemalloc] [--client-rate R]
"""

from __future__ import annotations

import argparse
import asyncio
import copy
import functools
import logging
import resource
import shutil
import sys
import tempfile
import time
import tracemalloc
from collections import Counter, defaultdict
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler

from adapters.sources.sample import sample_accounts, sample_campaigns, sample_records
from bench.common import END, LoopLag
from bot.app import build_server
from bot.cli.digest import audience_from
from bot.config import Settings
from bot.domain.models import Audience, Chat, Schedule
from bot.ports import FixedClock
from bot.store.accounts import register_account
from bot.store.campaigns import add_campaign
from bot.store.db import Database
from bot.store.deliveries import delivery_for, start_sending
from bot.store.subscriptions import subscribe
from bot.usecases import delivery
from bot.usecases.delivery import DigestRunner, Outcome
from bot.usecases.results import WinsService
from tests.fakes.slack_api import FakeSlackApi

DUE = END  # Monday 23 Nov 2026 09:00 UTC
SCHEDULE = Schedule(weekday=0, time="09:00", timezone="UTC")
AUDIENCES: tuple[Audience, ...] = (
    Audience(),  # leadership
    audience_from("recruiting"),
    audience_from("product"),
    audience_from("customer-care"),
)
TARGET_RATIO = 1.2

P = ParamSpec("P")
T = TypeVar("T")


# ------------------------------------------------------------------------------------ the data


async def build_database(url: str, subscriptions: int) -> tuple[int, int]:
    """The demo's sample data ending at DUE, and the subscriptions; (records, wins)."""
    db = Database(url)
    service = WinsService(db, Settings(), FixedClock(DUE))
    try:
        await db.upgrade()
        async with db.engine.begin() as conn:
            for account in sample_accounts():
                await register_account(
                    conn, account.platform, account.handle, kind=account.kind,
                    display_name=account.display_name, tags=account.tags,
                )  # fmt: skip
            for campaign in sample_campaigns(DUE):
                await add_campaign(conn, campaign, now=DUE)
        records = list(sample_records(DUE))
        await service.ingest(records)
        found = await service.detect()
        async with db.engine.begin() as conn:
            for i in range(subscriptions):
                await subscribe(
                    conn, chat=Chat.SLACK, workspace_id="T0001", channel_id=channel(i),
                    audience=AUDIENCES[i % len(AUDIENCES)], schedule=SCHEDULE,
                    created_by="U0ADMIN", now=DUE - timedelta(days=7),
                )  # fmt: skip
        return len(records), found.wins_added
    finally:
        await db.dispose()


def channel(i: int) -> str:
    return f"C{i:04d}"


# ----------------------------------------------------------------------------- instrumentation


class Probe:
    """Wall time summed over concurrent calls (task-seconds, so it can exceed the run) and calls."""

    def __init__(self) -> None:
        self.seconds: defaultdict[str, float] = defaultdict(float)
        self.calls: Counter[str] = Counter()
        self.errors: Counter[str] = Counter()

    def wrap_async(
        self, name: str, fn: Callable[P, Coroutine[Any, Any, T]]
    ) -> Callable[P, Coroutine[Any, Any, T]]:
        @functools.wraps(fn)
        async def timed(*args: P.args, **kwargs: P.kwargs) -> T:
            started = time.perf_counter()
            try:
                return await fn(*args, **kwargs)
            except Exception:
                self.errors[name] += 1
                raise
            finally:
                self.seconds[name] += time.perf_counter() - started
                self.calls[name] += 1

        return timed

    def wrap_sync(self, name: str, fn: Callable[P, T]) -> Callable[P, T]:
        @functools.wraps(fn)
        def timed(*args: P.args, **kwargs: P.kwargs) -> T:
            started = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                self.seconds[name] += time.perf_counter() - started
                self.calls[name] += 1

        return timed


def instrument(server: Any, runner: DigestRunner, probe: Probe) -> None:
    """Time the stages of a delivery by wrapping instance attributes (no code changes)."""
    service, sender = server.service, server.senders[Chat.SLACK]
    client = sender.client
    service.digest = probe.wrap_async("compose: service.digest", service.digest)
    runner._chart = probe.wrap_sync("chart: render PNG", runner._chart)  # type: ignore[method-assign]
    runner.deliver = probe.wrap_async(  # type: ignore[method-assign]
        "deliver: claim..mark sent", runner.deliver
    )
    sender.post_digest = probe.wrap_async("post_digest: message + chart", sender.post_digest)
    runner.heartbeat.renew_now = probe.wrap_async(  # type: ignore[method-assign]
        "heartbeat: renew the leases held", runner.heartbeat.renew_now
    )
    client.chat_postMessage = probe.wrap_async(
        "chat.postMessage incl. retries", client.chat_postMessage
    )
    client.files_upload_v2 = probe.wrap_async("files_upload_v2 (3 calls)", client.files_upload_v2)
    for handler in client.retry_handlers:
        if isinstance(handler, AsyncRateLimitErrorRetryHandler):
            handler.prepare_for_next_attempt_async = probe.wrap_async(  # type: ignore[method-assign]
                "429 back-off sleeps (Retry-After + jitter)",
                handler.prepare_for_next_attempt_async,
            )


# ------------------------------------------------------------------------------------------ main


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux


def busiest_second(times: list[float]) -> int:
    """The most messages accepted in any 1-second window."""
    ordered, best, start = sorted(times), 0, 0
    for end, t in enumerate(ordered):
        while t - ordered[start] >= 1.0:
            start += 1
        best = max(best, end - start + 1)
    return best


@dataclass
class Run:
    fake: FakeSlackApi
    probe: Probe
    lag: LoopLag
    outcomes: list[Outcome]
    seconds: float
    cpu: float
    started: float  # time.monotonic() at the start: the fake's clock
    rss_before: float
    rss_after: float
    uploads: int  # charts completed in this pass
    traced_peak: int | None = None
    error: str | None = None
    second: tuple[list[Outcome], float] | None = None


async def fan_out(args: argparse.Namespace, url: str, out: Path, *, trace: bool) -> Run:
    """One catch_up over every due subscription, against a fresh rate-limiting fake Slack."""
    fake = FakeSlackApi(per_channel_per_second=1.0, workspace_per_second=args.workspace_rate)
    probe = Probe()
    fake._handle_api = probe.wrap_async(  # type: ignore[method-assign]
        "fake Slack: /api handling", fake._handle_api
    )
    async with fake:
        settings = Settings(
            database_url=url,
            slack_bot_token="xoxb-bench",
            slack_signing_secret="x",
            slack_api_url=fake.base_url,
            output_dir=out,
            delivery_concurrency=args.concurrency,
            slack_post_interval=1.0,
            # What an admin sets WINSBOT_SLACK_WORKSPACE_RATE to: the workspace's limit.
            slack_workspace_rate=args.workspace_rate
            if args.client_rate is None
            else args.client_rate,
        )
        server = await build_server(settings, clock=FixedClock(DUE + timedelta(minutes=1)))
        try:
            runner = DigestRunner(server.service, server.senders)
            instrument(server, runner, probe)
            # catch_up looks each subscription's delivery up before it waits for its turn.
            lookup = probe.wrap_async("catch_up: delivery_for lookup", delivery_for)
            delivery.delivery_for = lookup  # type: ignore[attr-defined]
            # Committed before each post, so a takeover knows the message may exist.
            marking = probe.wrap_async("start_sending: mark before posting", start_sending)
            delivery.start_sending = marking  # type: ignore[attr-defined]
            rss_before = rss_mb()
            error = None
            if trace:
                tracemalloc.start()
            with LoopLag(stall_after=0.05) as lag:
                cpu = time.process_time()
                started, mono_started = time.perf_counter(), time.monotonic()
                try:
                    outcomes = await runner.catch_up()
                except Exception as exc:  # report it, with what got through, rather than die
                    outcomes, error = [], f"{type(exc).__name__}: {str(exc).splitlines()[0]}"
                seconds = time.perf_counter() - started
                cpu = time.process_time() - cpu
            traced_peak = tracemalloc.get_traced_memory()[1] if trace else None
            tracemalloc.stop()
            if error is not None:
                await drain(fake)
            uploads = sum(1 for u in fake.uploads.values() if u.completed)
            run = Run(
                fake, copy.deepcopy(probe), lag, outcomes, seconds, cpu, mono_started, rss_before,
                rss_mb(), uploads, traced_peak, error,
            )  # fmt: skip
            if not trace and any(o.result == "failed" for o in outcomes):
                # What the periodic catch-up (every 5 minutes, jobs/digests.py) would do next.
                again = time.perf_counter()
                run.second = (await runner.catch_up(), time.perf_counter() - again)
            return run
        finally:
            delivery.delivery_for = delivery_for  # type: ignore[attr-defined]
            delivery.start_sending = start_sending  # type: ignore[attr-defined]
            await runner.close()
            for close in server.on_stop:
                await close()


async def drain(fake: FakeSlackApi, quiet: float = 3.0) -> None:
    """After catch_up raised, its other deliveries go on: wait until Slack hears nothing new."""
    seen = -1
    while seen != len(fake.calls):
        seen = len(fake.calls)
        await asyncio.sleep(quiet)


async def main(args: argparse.Namespace) -> None:
    logging.basicConfig(level=logging.WARNING if args.verbose else logging.CRITICAL)
    work = Path(tempfile.mkdtemp(prefix="winsbot-bench-digests-"))
    try:
        started = time.perf_counter()
        records, wins = await build_database(
            f"sqlite+aiosqlite:///{work / 'timed.db'}", args.subscriptions
        )
        shutil.copyfile(work / "timed.db", work / "memory.db")
        print(
            f"built the sample organisation ({records:,} records, {wins} wins) ending "
            f"{DUE:%a %d %b %Y %H:%M} UTC and {args.subscriptions:,} Slack subscriptions in "
            f"{args.subscriptions:,} channels over {len(AUDIENCES)} audiences, all due then, "
            f"in {time.perf_counter() - started:.1f} s"
        )
        timed = await fan_out(
            args, f"sqlite+aiosqlite:///{work / 'timed.db'}", work / "out-timed", trace=False
        )
        report(args, timed)
        if args.tracemalloc:
            # Its own run: tracemalloc slows allocation-heavy code several times over.
            memory = await fan_out(
                args, f"sqlite+aiosqlite:///{work / 'memory.db'}", work / "out-memory", trace=True
            )
            assert memory.traced_peak is not None
            sent = sum(1 for o in memory.outcomes if o.result == "sent")
            print(
                f"  peak memory (tracemalloc)      {memory.traced_peak / 2**20:.1f} MB peak of "
                f"Python allocations during a second, identical catch_up under tracemalloc "
                f"({memory.seconds:.1f} s, {sent:,} sent"
                + (f"; it raised {memory.error}" if memory.error else "")
                + f"; loop stalled up to {memory.lag.worst:.2f} s)"
            )
        print(
            f"  peak memory (ru_maxrss)        {timed.rss_after:.0f} MB: the whole process's peak "
            f"RSS after the timed run ({timed.rss_before:.0f} MB before it, after building the "
            "data and the server)"
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)


def report(args: argparse.Namespace, run: Run) -> None:
    n, rate, fake, probe = args.subscriptions, args.workspace_rate, run.fake, run.probe
    expected = {channel(i) for i in range(n)}
    digests = [p for p in fake.accepted_posts if p.thread_ts is None]
    first_pass = [p for p in digests if p.at <= run.started + run.seconds]
    counts = Counter(p.channel for p in first_pass)
    lost = n - sum(1 for c in expected if counts[c] == 1)
    duplicates = sum(max(0, k - 1) for k in counts.values())
    strays = sum(k for c, k in counts.items() if c not in expected)
    messages = len(first_pass)
    minimum = n / rate  # one message owed per subscription (per channel: 1/s never binds)
    ratio = run.seconds / minimum if minimum else float("inf")
    results = Counter(o.result for o in run.outcomes)
    times = sorted(p.at - run.started for p in first_pass)
    gave_up = probe.errors["chat.postMessage incl. retries"]

    print(
        f"\ndigest fan-out: {n:,} subscriptions due at once; fake Slack allows 1 msg/s per "
        f"channel and {rate:g} msg/s per workspace (burst {rate:g}); delivery_concurrency "
        f"{args.concurrency}"
        + (
            f"; winsbot paced to {args.client_rate:g} msg/s (--client-rate)"
            if args.client_rate is not None
            else ""
        )
    )
    if run.error:
        print(f"  catch_up RAISED                {run.error}")
    print(f"  subscriptions                  {n:,}")
    print(f"  digests sent (outcome 'sent')  {results['sent']:,}")
    print(
        "  outcomes by result             "
        + (", ".join(f"{k} {v:,}" for k, v in sorted(results.items())) or "none returned")
    )
    print(f"  chat.postMessage accepted      {messages:,} (charts completed: {run.uploads:,})")
    named = sum(1 for p in first_pass if fake.messages[(p.channel, p.ts)].get("metadata"))
    print(f"  digests naming their delivery  {named:,} (Slack message metadata, for takeovers)")
    print(
        f"  total                          {run.seconds:.2f} s (process CPU {run.cpu:.2f} s; event "
        f"loop blocked up to {run.lag.worst:.2f} s at once, {run.lag.stalled:.2f} s in all)"
    )
    print(
        f"  minimum the limits allow       {minimum:.2f} s = {n:,} messages owed / {rate:g} per s "
        f"(the bucket's burst of {rate:g} would allow {max(0, n - rate) / rate:.2f} s)"
    )
    verdict = "ok" if ratio <= TARGET_RATIO else "MISSED"
    print(f"  ratio total / minimum          {ratio:.2f}x (target <= {TARGET_RATIO}x) {verdict}")
    print(f"  messages lost                  {lost:,} (must be 0)")
    print(
        f"  duplicates                     {duplicates:,} (must be 0; to unknown channels {strays})"
    )
    print(
        f"  429s answered                  {fake.rejected_429:,} ({gave_up:,} posts given up after "
        "the client's 2 retries)"
    )
    if times:
        print(
            f"  accepted messages              first at {times[0]:.2f} s, half by "
            f"{times[len(times) // 2]:.2f} s, last at {times[-1]:.2f} s; busiest 1 s window "
            f"{busiest_second(times)}"
        )
    print("  where the time goes (wall time summed over concurrent tasks, so it overlaps):")
    for name, total in sorted(probe.seconds.items(), key=lambda kv: -kv[1]):
        calls = probe.calls[name]
        print(
            f"    {name:<44} {total:>9.2f} task-s {calls:>6,} calls "
            f"{1000 * total / max(1, calls):>8.1f} ms/call"
        )
    if run.second is not None:
        again, again_seconds = run.second
        everything = Counter(p.channel for p in digests)
        print(
            f"  second catch_up pass (the scheduler's next, 5 min later) {again_seconds:.2f} s: "
            + ", ".join(f"{k} {v:,}" for k, v in sorted(Counter(o.result for o in again).items()))
            + f"; then lost {n - sum(1 for c in expected if everything[c] == 1):,}, duplicates "
            f"{sum(max(0, k - 1) for k in everything.values()):,}"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscriptions", type=int, default=1000)
    parser.add_argument(
        "--workspace-rate", type=float, default=50.0, help="chat.postMessage per second"
    )
    parser.add_argument(
        "--concurrency", type=int, default=50, help="settings.delivery_concurrency (1-100)"
    )
    parser.add_argument(
        "--no-tracemalloc", dest="tracemalloc", action="store_false",
        help="skip the second, identical run under tracemalloc that measures peak allocations",
    )  # fmt: skip
    parser.add_argument(
        "--client-rate", type=float, default=None, metavar="R",
        help="winsbot's own workspace pacing (default: the workspace rate; 0 turns it off)",
    )  # fmt: skip
    parser.add_argument("--verbose", action="store_true", help="show winsbot's warnings")
    asyncio.run(main(parser.parse_args()))
