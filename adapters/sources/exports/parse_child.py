"""The parsing process of a background import: ``python -m adapters.sources.exports.parse_child``.

It reads the export with the same reader as an in-process import and sends what it reads to
``BackgroundExport`` (``background.py``) over the pipe whose end it was given.
"""

from __future__ import annotations

import json
import logging
import pickle
import signal
import sys
from multiprocessing.connection import Connection
from pathlib import Path

from .errors import ExportError
from .reader import open_export

log = logging.getLogger("winsbot.import")


def parse(
    path: str,
    fmt: str,
    account: str | None,
    platform: str | None,
    batch_size: int,
    sender: Connection,
) -> None:
    """The child's work: send ("batch", bytes read, RecordBatch)..., then ("done", ...).

    A file found unreadable part-way (a damaged workbook sheet) ends with ("invalid", bytes
    read, its message), which the parent reports as it reports the same file read in-process;
    anything else that stops the child is a bug, logged with its traceback and sent as "error".
    """
    bytes_read = 0
    try:
        with open_export(path, fmt=fmt, account=account, platform=platform) as reader:
            for batch in reader.batches(batch_size):
                bytes_read = reader.bytes_read
                sender.send_bytes(pickle.dumps(("batch", bytes_read, batch), protocol=5))
            bytes_read = reader.bytes_read
        sender.send_bytes(pickle.dumps(("done", bytes_read, None), protocol=5))
    except (BrokenPipeError, ConnectionResetError):
        pass  # the parent stopped reading (Ctrl-C or its own error): nothing left to tell
    except ExportError as problem:  # the file's fault: the parent says so, once
        sender.send_bytes(pickle.dumps(("invalid", bytes_read, str(problem)), protocol=5))
    except Exception as problem:
        log.exception("parsing %s failed", Path(path).name)
        sender.send_bytes(pickle.dumps(("error", bytes_read, str(problem)), protocol=5))
    finally:
        sender.close()


def run(job: str) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    spec = json.loads(job)
    sender = Connection(spec["fd"], readable=False)
    parse(
        spec["path"],
        spec["format"],
        spec["account"],
        spec["platform"],
        spec["batch_size"],
        sender,
    )


if __name__ == "__main__":
    run(sys.argv[1])
