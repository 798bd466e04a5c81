"""Parsing a large export in a second process while this one writes to the database.

A canonical import is two CPU-bound halves of about the same size: reading rows and storing
them. Threads cannot run the two at once under the GIL (tried, no gain); two processes can, so
on a machine with two cores an import takes about as long as its slower half
(bench/bench_import.py). The child reads the file with the same ``open_export`` as an
in-process import and sends packed batches (``bot.domain.batches``) through a pipe; a few batches in
flight at most keep memory flat however large the file.

The child is ``python -m`` this module rather than a multiprocessing "spawn": spawn re-runs the
parent's main script in the child, which for the ``winsbot`` command means importing the whole
CLI before the first row is read, and fails outright under a script without a main guard.
"""

from __future__ import annotations

import contextlib
import json
import os
import pickle
import queue
import subprocess
import sys
import threading
from collections.abc import Iterator
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from bot.domain.batches import BATCH_SIZE, RecordBatch

from .closing import Closing
from .errors import ExportError
from .formats import ExportFormat
from .reader import open_export

# Below this size an import is over before a second interpreter has started.
BACKGROUND_FROM_BYTES = 8 * 1024 * 1024
# Batches received and waiting for the database: a few megabytes each.
_READ_AHEAD = 3
# The child's module, named rather than imported: ``python -m`` warns about running a module
# its package has already imported.
_CHILD = f"{__package__}.parse_child"


class ParserStoppedError(ExportError):
    """The parsing process failed part-way; what was stored until then stays stored."""


class BackgroundExport(Closing):
    """An export read by a child process: iterate ``batches()``; ``bytes_read`` for progress.

    The format is recognised here first, with the in-process reader, so a wrong file fails at
    once with the same message as ever, before any process is started.
    """

    def __init__(
        self,
        path: Path,
        fmt: str | None = None,
        account: str | None = None,
        platform: str | None = None,
        *,
        batch_size: int = BATCH_SIZE,
    ) -> None:
        with open_export(path, fmt=fmt, account=account, platform=platform) as probe:
            self.format: ExportFormat = probe.format
        self.path = path
        self.total_bytes = path.stat().st_size
        self.bytes_read = 0
        read_end, write_end = os.pipe()
        job = json.dumps(
            {
                "path": str(path),
                "format": self.format.name,
                "account": account,
                "platform": platform,
                "batch_size": batch_size,
                "fd": write_end,
            }
        )
        try:
            self._process = subprocess.Popen(
                [sys.executable, "-m", _CHILD, job],
                pass_fds=(write_end,),
                stdin=subprocess.DEVNULL,
                # Ctrl-C in a terminal reaches the whole process group; this process decides
                # when the child stops, so the child ignores it (see _run).
            )
        except BaseException:
            os.close(read_end)
            raise
        finally:
            os.close(write_end)  # the child holds the writing end; EOF here means it is gone
        self._receiver = Connection(read_end, writable=False)
        # A thread drains the pipe into a short queue, so the child can parse a few batches
        # ahead: with only the pipe between them, any batch the database takes longer over
        # stalls the parser, and any the parser takes longer over stalls the database.
        self._inbox: queue.Queue[bytes | None] = queue.Queue(maxsize=_READ_AHEAD)
        self._pump = threading.Thread(target=self._drain, name="winsbot-import-pipe", daemon=True)
        self._pump.start()

    @property
    def pid(self) -> int:
        return self._process.pid

    def batches(self) -> Iterator[RecordBatch]:
        """Packed batches in file order; raises ParserStoppedError if the child fails or dies.

        A file the child found unreadable part-way raises the ExportError an in-process read
        would have raised, with the same message.
        """
        while True:
            kind, bytes_read, payload = self._receive()
            self.bytes_read = bytes_read
            if kind == "batch":
                yield payload
            elif kind == "done":
                return
            elif kind == "invalid":
                raise ExportError(payload)
            else:
                raise ParserStoppedError(
                    f"reading {self.path.name} stopped: {payload}. The rows before it were "
                    "imported; run the same command again to import the rest (nothing is "
                    "imported twice)."
                )

    def _drain(self) -> None:
        try:
            while True:
                self._inbox.put(self._receiver.recv_bytes())
        except (EOFError, OSError):
            # The child closed its end: after its last word, or because it died (killed by
            # the OS, say), which is how a death without a message is noticed.
            self._inbox.put(None)

    def _receive(self) -> tuple[str, int, Any]:
        data = self._inbox.get()
        if data is None:
            return self._ended()
        message: tuple[str, int, Any] = pickle.loads(data)
        return message

    def _ended(self) -> tuple[str, int, Any]:
        try:
            code = self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            code = None
        return "error", self.bytes_read, f"the parser process ended (exit code {code})"

    def close(self) -> None:
        if self._process.poll() is None:
            self._process.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self._process.wait(timeout=10)
        # The child is gone, so its end of the pipe is closed and the pump reaches EOF once
        # the queue has room; emptying the queue makes that room.
        while self._pump.is_alive():
            with contextlib.suppress(queue.Empty):
                self._inbox.get(timeout=0.1)
        self._receiver.close()
