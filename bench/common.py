"""Shared helpers for benchmarks: data sets written once, peak memory of a child process."""

from __future__ import annotations

import asyncio
import csv
import os
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from adapters.sources.sample import benchmark_records

END = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
CANONICAL_HEADER = [
    "platform", "account", "post_id", "url", "published_at", "text", "impressions", "reach",
    "likes", "comments", "shares", "saves", "clicks", "video_views", "followers", "captured_at",
]  # fmt: skip


def _cell(value: int | None) -> str:
    return "" if value is None else str(value)


def write_canonical_csv(path: Path, posts: int, snapshots: int) -> int:
    """The benchmark data set as the canonical CSV a user would import; returns the row count."""
    rows = 0
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(CANONICAL_HEADER)
        for r in benchmark_records(posts, snapshots, end=END):
            m = r.metrics
            out.writerow(
                [
                    r.platform.value, r.account, r.post_id, r.url or "",
                    r.published_at.isoformat(), r.text or "", _cell(m.impressions),
                    _cell(m.reach), _cell(m.likes), _cell(m.comments), _cell(m.shares),
                    _cell(m.saves), _cell(m.clicks), _cell(m.video_views), "",
                    r.captured_at.isoformat() if r.captured_at else "",
                ]
            )  # fmt: skip
            rows += 1
    return rows


_PEAK_PROBE = (
    "import atexit, sys\n"
    "import resource\n"
    "def _peak():\n"
    "    status = open('/proc/self/status').read()\n"
    "    sys.stderr.write('PEAK_KB ' + status.split('VmHWM:')[1].split()[0] + '\\n')\n"
    "    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
    "    sys.stderr.write('CHILD_PEAK_KB ' + str(children) + '\\n')\n"
    "atexit.register(_peak)\n"
    "sys.argv = ['winsbot', *sys.argv[1:]]\n"
    "from bot.cli import main\n"
    "main()\n"
)


def run_winsbot(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Run a winsbot command in a child; return (seconds, its peak RSS in MB).

    The peak is the child's own VmHWM, read at exit: getrusage(RUSAGE_CHILDREN) here would also
    count this process's memory at fork time, which the floor's in-memory rows inflate. A
    process the command starts itself (the import's parser) is added: the largest of those,
    as the command's RUSAGE_CHILDREN reports it.
    """
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", _PEAK_PROBE, *args],
        env={**os.environ, **env},
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    elapsed = time.perf_counter() - started
    own = _reported(done.stderr, "PEAK_KB ")
    helpers = _reported(done.stderr, "CHILD_PEAK_KB ")
    return elapsed, (own + helpers) / 1024 if own else float("nan")


def _reported(stderr: str, prefix: str) -> int:
    lines = [line for line in stderr.splitlines() if line.startswith(prefix)]
    return int(lines[-1].split()[1]) if lines else 0


def percentile(samples: list[float], pct: float) -> float:
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * (len(ordered) - 1))))
    return ordered[index]


class LoopLag:
    """How long the event loop was blocked: a task that asks to wake every TICK seconds.

    ``stalled`` adds up the lateness of the wake-ups later than ``stall_after`` seconds, the
    delay a benchmark counts as a stall of its own work.
    """

    TICK = 0.01

    def __init__(self, *, stall_after: float) -> None:
        self.stall_after = stall_after
        self.worst = 0.0
        self.stalled = 0.0
        self._task: asyncio.Task[None] | None = None

    async def _watch(self) -> None:
        while True:
            before = time.perf_counter()
            await asyncio.sleep(self.TICK)
            late = time.perf_counter() - before - self.TICK
            self.worst = max(self.worst, late)
            if late > self.stall_after:
                self.stalled += late

    def __enter__(self) -> LoopLag:
        self._task = asyncio.ensure_future(self._watch())
        return self

    def __exit__(self, *_: object) -> None:
        if self._task is not None:
            self._task.cancel()
