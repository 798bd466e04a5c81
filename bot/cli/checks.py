"""What `winsbot doctor` checks outside chat: database, public URL, sources, schedule, disk.

Each check answers the way a support engineer would: OK with what was found, or what is wrong
and what to do about it. Checks never change anything (no migration, no message posted) and
never raise: whatever goes wrong becomes a failed item, so one broken part does not hide the
report on the others. Chat checks (Slack, Teams) are in ``checks_chat``.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

import httpx

from bot.config import Settings

Status = Literal["ok", "warn", "fail", "skip"]
HTTP_TIMEOUT = 5.0  # seconds; a support engineer would not wait longer either
MIN_FREE_BYTES = 100 * 1024**2  # below this, charts and the SQLite file stop being written
LOW_FREE_BYTES = 1024**3


@dataclass(frozen=True)
class Check:
    """One line of the report: what was checked, how it went, and what was found or to do."""

    name: str
    status: Status
    detail: str


async def check_database(config: Settings) -> Check:
    """Reachable, and at the newest schema revision this winsbot knows (Alembic head)."""
    from alembic.script import ScriptDirectory

    from bot.store.db import Database, alembic_config

    name = "database"
    where = _database_label(config.database_url)
    missing = _missing_sqlite_file(config.database_url)
    if missing is not None:  # connecting would create an empty file: say so instead
        return Check(name, "fail", f"no file at {missing}: run `winsbot db upgrade` (or demo)")
    db = Database(config.database_url)
    try:
        current = await db.current_revision()
    except Exception as exc:  # any driver's connection error: report it, do not crash
        return Check(name, "fail", f"cannot reach it ({_first_line(exc)}): check DATABASE_URL")
    finally:
        await db.dispose()
    head = ScriptDirectory.from_config(alembic_config(config.database_url)).get_current_head()
    if current is None:
        return Check(name, "fail", f"{where} has no schema yet: run `winsbot db upgrade`")
    if current != head:
        return Check(
            name,
            "fail",
            f"{where} is at revision {current}, this winsbot's latest is {head}: "
            "run `winsbot db upgrade` (serve does it too)",
        )
    return Check(name, "ok", f"{where}, schema at the latest revision ({head})")


async def check_schedule(config: Settings, now: datetime | None = None) -> list[Check]:
    """The next digest of every subscription, and the broken ones with their reason."""
    from bot.domain.schedules import next_due
    from bot.store.db import Database
    from bot.store.subscriptions import list_subscriptions

    db = Database(config.database_url)
    try:
        async with db.engine.connect() as conn:
            found = await list_subscriptions(conn)
    except Exception as exc:
        return [Check("digests", "skip", f"cannot read subscriptions ({_first_line(exc)})")]
    finally:
        await db.dispose()
    if not found:
        return [
            Check(
                "digests",
                "warn",
                "no subscriptions yet: type `/wins subscribe leadership` in a channel",
            )
        ]
    moment = now or datetime.now(UTC)
    checks = []
    for sub in found:
        name = f"digest #{sub.id}"
        where = f"{sub.chat.value} {sub.channel_id}, {sub.audience.name}"
        if sub.broken_reason:
            checks.append(Check(name, "fail", f"{where}: broken ({sub.broken_reason})"))
        elif not sub.active:
            checks.append(Check(name, "skip", f"{where}: stopped"))
        else:
            due = next_due(sub.schedule, moment)
            when = f"{due:%a %-d %b %H:%M} {sub.schedule.timezone}"
            checks.append(Check(name, "ok", f"{where}: next {when}"))
    return checks


async def check_public_url(config: Settings, client: httpx.AsyncClient) -> list[Check]:
    """https (Slack and Teams need it) and reachable from here: GET /healthz answers 200."""
    url = (config.public_url or "").strip().rstrip("/")
    chat = config.slack_bot_token is not None or bool(config.microsoft_app_id)
    if not url:
        if not chat:
            return [Check("public URL", "skip", "not set (no chat platform configured)")]
        return [
            Check(
                "public URL",
                "warn",
                "WINSBOT_PUBLIC_URL is not set: the chat URLs cannot be checked; set the "
                "https address that reaches this server",
            )
        ]
    problem = config.public_url_problem
    checks = [Check("public URL", "fail", problem) if problem else Check("public URL", "ok", url)]
    health = f"{url}/healthz"
    try:
        response = await client.get(health, timeout=HTTP_TIMEOUT)
    except httpx.HTTPError as exc:
        checks.append(
            Check(
                "reachable",
                "fail",
                f"GET {health} failed from this host ({_first_line(exc)}): "
                "is `winsbot serve` running, and does the proxy or DNS lead to it?",
            )
        )
        return checks
    if response.status_code != 200:
        reason = _json_reason(response)
        checks.append(
            Check("reachable", "fail", f"GET {health} answered {response.status_code}{reason}")
        )
    else:
        checks.append(Check("reachable", "ok", f"GET {health} answered 200"))
    return checks


async def check_social_sources(config: Settings) -> list[Check]:
    """What `winsbot sources check` does: each platform's credentials, tried for real."""
    from bot.cli.sources import check_sources

    if not config.accounts:
        return [Check("sources", "skip", "no [[accounts]] in winsbot.toml (import files instead)")]
    try:
        results = await check_sources(config)
    except ValueError as exc:
        return [Check("sources", "fail", str(exc))]
    return [
        Check(f"source {label}", "ok" if ok else "fail", detail) for label, ok, detail in results
    ]


def check_disk(config: Settings) -> Check:
    """Room and permission to write charts (and the SQLite file) in the output folder."""
    folder = config.output_dir.resolve()
    existing = next((p for p in (folder, *folder.parents) if p.exists()), Path("/"))
    name = "disk"
    if not os.access(existing, os.W_OK):
        return Check(name, "fail", f"{existing} is not writable: charts cannot be saved there")
    free = shutil.disk_usage(existing).free
    size = f"{free / 1024**3:.1f} GB free in {existing}"
    if free < MIN_FREE_BYTES:
        return Check(name, "fail", f"only {size}: free some space or set WINSBOT_OUTPUT_DIR")
    if free < LOW_FREE_BYTES:
        return Check(name, "warn", f"{size}: charts and the database need room to grow")
    return Check(name, "ok", size)


def _json_reason(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return ""
    reason = body.get("reason") if isinstance(body, dict) else None
    return f" ({reason})" if reason else ""


def _database_label(url: str) -> str:
    """The database without its password: the file for SQLite, host and name otherwise."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return f"SQLite {parsed.database}"
    return f"PostgreSQL {parsed.host or 'localhost'}/{parsed.database or ''}"


def _missing_sqlite_file(url: str) -> Path | None:
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    path = Path(parsed.database)
    return None if path.exists() else path


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
