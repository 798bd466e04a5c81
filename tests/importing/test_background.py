"""A large export parsed in a second process: the same batches, clear failures, no orphans."""

from __future__ import annotations

import csv
import multiprocessing
import os
import pickle
import signal
import subprocess
from pathlib import Path

import pytest

from adapters.sources.exports import (
    BackgroundExport,
    ParserStoppedError,
    UnknownFormatError,
    open_export,
)
from adapters.sources.exports.parse_child import parse
from bot.domain.batches import RecordBatch, packed

DATA = Path(__file__).parent / "data"


def in_process(path: Path, size: int, **options: str) -> list[RecordBatch]:
    with open_export(path, **options) as reader:
        return list(packed(reader, size))


def in_background(path: Path, size: int, **options: str) -> list[RecordBatch]:
    with BackgroundExport(path, batch_size=size, **options) as export:
        batches = list(export.batches())
        assert export.bytes_read == export.total_bytes
        return batches


@pytest.mark.parametrize(
    ("name", "options"),
    [
        ("canonical.csv", {}),
        ("bad_rows.csv", {}),
        ("canonical_semicolon_bom.csv", {}),
        ("linkedin_posts.csv", {"account": "acme-corp"}),
        ("x_legacy.csv", {}),
    ],
)
def test_the_child_sends_exactly_what_an_in_process_read_packs(
    name: str, options: dict[str, str]
) -> None:
    assert in_background(DATA / name, 2, **options) == in_process(DATA / name, 2, **options)


def test_a_file_winsbot_does_not_recognise_fails_before_any_process_starts(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    started: list[object] = []
    monkeypatch.setattr(subprocess, "Popen", lambda *args, **kw: started.append(args))
    with pytest.raises(UnknownFormatError, match="Known formats"):
        BackgroundExport(DATA / "unrecognised.csv")
    assert started == []


def write_rows(path: Path, rows: int) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(
            ["platform", "account", "post_id", "url", "published_at", "likes", "captured_at"]
        )
        for i in range(rows):
            moment = f"2026-07-15T{i % 10:02d}:00:00Z"
            out.writerow(["x", "acme", str(i // 10), "", "2026-07-14T09:30:00Z", i, moment])


def test_a_child_killed_part_way_is_reported_not_waited_for(tmp_path: Path) -> None:
    export_file = tmp_path / "big.csv"
    write_rows(export_file, 20_000)
    with BackgroundExport(export_file, batch_size=100) as export:
        batches = export.batches()
        first = next(batches)
        assert len(first.snapshots) == 100
        os.kill(export.pid, signal.SIGKILL)
        with pytest.raises(ParserStoppedError) as stopped:
            for _ in batches:  # what the pipe already held arrives first
                pass
    message = str(stopped.value)
    assert "exit code -9" in message
    assert "run the same command again" in message


def test_leaving_early_stops_the_child(tmp_path: Path) -> None:
    export_file = tmp_path / "big.csv"
    write_rows(export_file, 20_000)
    with BackgroundExport(export_file, batch_size=100) as export:
        next(export.batches())
        pid = export.pid
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)  # reaped: no such process any more


def test_a_failure_in_the_child_comes_back_as_a_message(tmp_path: Path) -> None:
    receiver, sender = multiprocessing.Pipe(duplex=False)  # what the child is given, in-process
    parse(str(tmp_path / "gone.csv"), "canonical", None, None, 100, sender)
    kind, bytes_read, message = pickle.loads(receiver.recv_bytes())
    assert (kind, bytes_read) == ("invalid", 0)  # the file's fault, not the parser's
    assert message == "cannot read gone.csv: No such file or directory"
