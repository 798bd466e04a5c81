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
  one timed `DigestRunner.catch_up()`: the fan-out the scheduler runs.
- Minimum: the messages divided by W (1 message per channel, so the per-channel limit never
  binds). Target: total at most 1.2x the minimum, no message lost, no duplicate.

    python bench/bench_digests.py [--subscriptions 1000] [--workspace-rate 50]
                                  [--concurrency 50] [--no-tracemalloc]
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import logging
import resource
import shutil
import sys
import tempfile
import time
import tracemalloc
from collections import Counter, defaultdict
from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler

from bench.common import END
from bot.app import build_server
from bot.cli.digest import audience_from
from bot.config import Settings
from bot.delivery import DigestRunner, Outcome
from bot.models import Audience, Chat, Schedule
from bot.ports import FixedClock
from bot.sample_data import sample_accounts, sample_campaigns, sample_records
from bot.service import WinsService
from bot.store.accounts import register_account
from bot.store.campaigns import add_campaign
from bot.store.db import Database
from bot.store.subscriptions import subscribe
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
        self, name: str, fn: Callable[P, Awaitable[T]]
    ) -> Callable[P, Awaitable[T]]:
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


def instrument(server: Any, runner: DigestRunner, fake: FakeSlackApi, probe: Probe) -> None:
    """Time the stages of a delivery by wrapping instance attributes (no code changes)."""
    service, sender = server.service, server.senders[Chat.SLACK]
    client = sender.client
    service.digest = probe.wrap_async("compose: service.digest", service.digest)
    runner._chart = probe.wrap_sync("chart: render PNG", runner._chart)  # type: ignore[method-assign]
    runner.deliver = probe.wrap_async(  # type: ignore[method-assign]
        "deliver: claim..mark sent", runner.deliver
    )
    sender.post_digest = probe.wrap_async("post_digest: message + chart", sender.post_digest)
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


async def main(args: argparse.Namespace) -> None:
    logging.basicConfig(level=logging.CRITICAL if not args.verbose else logging.WARNING)
    work = Path(tempfile.mkdtemp(prefix="winsbot-bench-digests-"))
    url = f"sqlite+aiosqlite:///{work / 'bench.db'}"
    try:
        started = time.perf_counter()
        records, wins = await build_database(url, args.subscriptions)
        print(
            f"built the sample organisation ({records:,} records, {wins} wins) ending "
            f"{DUE:%a %d %b %Y %H:%M} UTC and {args.subscriptions:,} Slack subscriptions in "
            f"{args.subscriptions:,} channels over {len(AUDIENCES)} audiences, all due then, "
            f"in {time.perf_counter() - started:.1f} s"
        )
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
                output_dir=work / "out",
                delivery_concurrency=args.concurrency,
                slack_post_interval=1.0,
            )
            server = await build_server(settings, clock=FixedClock(DUE + timedelta(minutes=1)))
            try:
                runner = DigestRunner(server.service, server.senders)
                instrument(server, runner, fake, probe)
                rss_before = rss_mb()
                if args.tracemalloc:
                    tracemalloc.start()
                cpu = time.process_time()
                started = time.perf_counter()
                mono_started = time.monotonic()  # the fake's clock
                outcomes = await runner.catch_up()
                seconds = time.perf_counter() - started
                cpu = time.process_time() - cpu
                traced_peak = tracemalloc.get_traced_memory()[1] if args.tracemalloc else None
                tracemalloc.stop()
                rss_after = rss_mb()
                second: tuple[list[Outcome], float] | None = None
                if any(o.result == "failed" for o in outcomes):
                    # What the periodic catch-up (every 5 minutes in jobs/digests.py) would do.
                    again = time.perf_counter()
                    second = (await runner.catch_up(), time.perf_counter() - again)
            finally:
                for close in server.on_stop:
                    await close()
        report(args, fake, probe, outcomes, seconds, cpu, mono_started, second)
        traced = f"{traced_peak / 2**20:.1f} MB" if traced_peak is not None else "off"
        print(
            f"  peak memory: tracemalloc peak of Python allocations during catch_up {traced}; "
            f"process ru_maxrss {rss_after:.0f} MB (was {rss_before:.0f} MB before the run, "
            f"after building the data)"
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)


def report(
    args: argparse.Namespace,
    fake: FakeSlackApi,
    probe: Probe,
    outcomes: list[Outcome],
    seconds: float,
    cpu: float,
    mono_started: float,
    second: tuple[list[Outcome], float] | None,
) -> None:
    n = args.subscriptions
    rate = args.workspace_rate
    expected = {channel(i) for i in range(n)}
    digests = [p for p in fake.accepted_posts if p.thread_ts is None]
    per_channel = Counter(p.channel for p in digests)
    first_pass = [p for p in digests if p.at <= mono_started + seconds]
    first_counts = Counter(p.channel for p in first_pass)
    exactly_one = sum(1 for c in expected if first_counts[c] == 1)
    lost = n - exactly_one
    duplicates = sum(max(0, k - 1) for k in first_counts.values())
    strays = sum(k for c, k in first_counts.items() if c not in expected)
    messages = len(first_pass)
    minimum = messages / rate
    ratio = seconds / minimum if minimum else float("inf")
    results = Counter(o.result for o in outcomes)
    times = [p.at - mono_started for p in first_pass]
    uploads = sum(1 for u in fake.uploads.values() if u.completed)

    print(
        f"\ndigest fan-out: {n:,} subscriptions due at once, fake Slack at 1 msg/s per channel "
        f"and {rate:g} msg/s per workspace (burst {rate:g}), delivery_concurrency "
        f"{args.concurrency}"
    )
    print(f"  subscriptions                  {n:,}")
    print(f"  digests sent (outcome 'sent')  {results['sent']:,}")
    print(
        "  outcomes by result             "
        + ", ".join(f"{k} {v:,}" for k, v in sorted(results.items()))
    )
    print(f"  chat.postMessage accepted      {messages:,} (charts completed: {uploads:,})")
    print(f"  total                          {seconds:.2f} s (process CPU {cpu:.2f} s)")
    print(
        f"  minimum the limits allow       {minimum:.2f} s = {messages:,} messages / {rate:g} per s "
        f"(with the burst of {rate:g} the bucket alone allows {max(0, messages - rate) / rate:.2f} s)"
    )
    verdict = "ok" if ratio <= TARGET_RATIO else "MISSED"
    print(f"  ratio total / minimum          {ratio:.2f}x (target <= {TARGET_RATIO}x) {verdict}")
    print(f"  messages lost                  {lost:,} (must be 0)")
    print(f"  duplicates                     {duplicates:,} (must be 0; strays {strays})")
    print(
        f"  429s answered                  {fake.rejected_429:,}; attempts given up after 2 retries "
        f"{probe.errors['chat.postMessage incl. retries']:,}"
    )
    if times:
        print(
            f"  accepted messages              first at {min(times):.2f} s, last at "
            f"{max(times):.2f} s, busiest 1 s window {busiest_second(times)}"
        )
    print("  where the time goes (wall seconds summed over concurrent tasks; calls):")
    for name, total in sorted(probe.seconds.items(), key=lambda kv: -kv[1]):
        calls = probe.calls[name]
        print(
            f"    {name:<44} {total:>9.2f} task-s  {calls:>6,} calls  "
            f"{1000 * total / max(1, calls):>8.1f} ms/call"
        )
    if second is not None:
        again, again_seconds = second
        late = Counter(o.result for o in again)
        print(
            f"  a second catch_up pass (the scheduler's periodic one) took {again_seconds:.2f} s: "
            + ", ".join(f"{k} {v:,}" for k, v in sorted(late.items()))
            + f"; channels with exactly one digest after it: "
            f"{sum(1 for c in expected if per_channel[c] == 1):,}, duplicates "
            f"{sum(max(0, k - 1) for k in per_channel.values()):,}"
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
        help="skip tracemalloc (it slows Python code down)",
    )  # fmt: skip
    parser.add_argument("--verbose", action="store_true", help="show winsbot's warnings")
    asyncio.run(main(parser.parse_args()))
