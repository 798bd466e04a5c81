"""Shared helpers for benchmarks: data sets written once, peak memory of a child process."""

from __future__ import annotations

import csv
import os
import resource
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from bot.sample_data import benchmark_records

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


def run_child(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Run a command; return (seconds, peak RSS in MB of that child alone)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    subprocess.run(args, env={**os.environ, **env}, check=True, stdout=subprocess.DEVNULL)
    elapsed = time.perf_counter() - started
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if peak_kb <= before:
        print("warning: peak RSS not attributable (an earlier child was larger)", file=sys.stderr)
    return elapsed, peak_kb / 1024


def percentile(samples: list[float], pct: float) -> float:
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * (len(ordered) - 1))))
    return ordered[index]
