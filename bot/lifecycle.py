"""Stopping a winsbot process cleanly: signals from the start, and the jobs running at the end.

SIGTERM must stop `winsbot serve` and `winsbot worker` with exit code 0 and no traceback,
whatever they are doing: running migrations, reconnecting to Slack, or half-way through a
scheduled job. Plain asyncio and logging, so the core can hold it.
"""

from __future__ import annotations

import asyncio
import logging
import signal

log = logging.getLogger("winsbot.server")

# APScheduler 3 runs each coroutine job in a task running this coroutine, and logs from this
# logger a job that ends in an exception, cancellation included, with its traceback.
JOB_COROUTINE = "run_coroutine_job"
JOB_LOGGER = "apscheduler.executors.default"


def stop_on_signals() -> asyncio.Event:
    """Set on SIGINT/SIGTERM, from the very start: a signal during start-up (migrations, Slack
    not reachable yet) then stops the process cleanly instead of killing it mid-way."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    return stop


async def finish_running_jobs(grace: float) -> None:
    """Give the scheduled jobs already running up to ``grace`` seconds to end on their own.

    A digest pass that finishes records what it posted; one cancelled leaves its claims for the
    next start to take over. Whatever still runs afterwards is cancelled by the scheduler.
    """
    current = asyncio.current_task()
    running = {
        task
        for task in asyncio.all_tasks()
        if task is not current and getattr(task.get_coro(), "__name__", "") == JOB_COROUTINE
    }
    if running:
        log.info("waiting up to %g s for %d running job(s) to finish", grace, len(running))
        await asyncio.wait(running, timeout=grace)


class _StoppedJob(logging.Filter):
    """A job cancelled at shutdown is the shutdown, not a bug: one WARNING line, no traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and isinstance(record.exc_info[1], asyncio.CancelledError):
            message = record.getMessage().replace("raised an exception", "was stopped at shutdown")
            record.msg, record.args = message, None
            record.exc_info, record.exc_text = None, None
            record.levelno, record.levelname = logging.WARNING, "WARNING"
        return True


def quiet_stopped_jobs() -> None:
    """Log jobs cancelled at shutdown as one line (idempotent)."""
    logger = logging.getLogger(JOB_LOGGER)
    if not any(isinstance(f, _StoppedJob) for f in logger.filters):
        logger.addFilter(_StoppedJob())
