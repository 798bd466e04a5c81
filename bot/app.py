"""Server start-up: the composition root that wires the core to Slack on one aiohttp port.

`winsbot serve` runs this. Slack arrives over HTTP at POST /slack/events, or over Socket Mode
when SLACK_APP_TOKEN is set (no public URL needed behind a firewall). GET /healthz answers
for load balancers and the Docker health check (bot/health.py says what it checks); `winsbot
worker --port` answers it too, and nothing else.
"""

from __future__ import annotations

import gc
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from aiohttp import web
from slack_bolt.async_app import AsyncApp

from adapters.chat.slack.app import SlackConfig, build_slack_app
from adapters.chat.slack.direct import SlackDirectMessages
from adapters.chat.slack.pilot_direct import SlackPilotMessages
from adapters.chat.slack.sender import SlackChatSender
from bot.charts.files import ChartStore
from bot.config import Settings
from bot.domain.models import Chat, Platform
from bot.domain.views import NoticeView
from bot.health import Health
from bot.lifecycle import finish_running_jobs, quiet_stopped_jobs, stop_on_signals
from bot.ports import ChatSender, Clock, DirectMessages, PilotMessages, SystemClock
from bot.store.conversations import StoredConversations
from bot.store.db import Database
from bot.store.owners import StoredPersonalChats
from bot.usecases.chat import build_chat
from bot.usecases.delivery import DigestRunner
from bot.usecases.pilot_end import PilotRunner
from bot.usecases.polling import Poller
from bot.usecases.prompts import PromptRunner
from bot.usecases.results import WinsService

if TYPE_CHECKING:
    from jobs.digests import DigestScheduler

log = logging.getLogger("winsbot.server")

SLACK_PATH = "/slack/events"
TEAMS_PATH = "/api/messages"
JOB_GRACE_SECONDS = 3.0  # at shutdown, running jobs get this long to finish before cancellation


@dataclass
class Server:
    """Everything `serve` started, so tests and shutdown can reach and stop it."""

    web: web.Application
    service: WinsService
    charts: ChartStore
    slack: AsyncApp | None = None
    # How the core posts on its own (digests): one ChatSender per configured chat platform.
    senders: dict[Chat, ChatSender] = field(default_factory=dict)
    # How the core asks one person (story prompts to owners): per configured chat platform.
    direct: dict[Chat, DirectMessages] = field(default_factory=dict)
    # How a pilot's end asks its owners and posts its report: per configured chat platform.
    pilots: dict[Chat, PilotMessages] = field(default_factory=dict)
    scheduler: DigestScheduler | None = None
    on_stop: list[Callable[[], Awaitable[None]]] = field(default_factory=list)
    health: Health = field(default_factory=Health)


def slack_config(settings: Settings) -> SlackConfig | None:
    token, secret = settings.slack_bot_token, settings.slack_signing_secret
    if token is None or (secret is None and settings.slack_app_token is None):
        return None
    return SlackConfig(
        bot_token=token.get_secret_value(),
        signing_secret=secret.get_secret_value() if secret else "",
        api_url=settings.slack_api_url,
    )


async def build_server(
    settings: Settings, *, clock: Clock | None = None, ack_budget: float | None = None
) -> Server:
    """Open and migrate the database, and build the web application with the chat adapters."""
    db = Database(settings.database_url)
    await db.upgrade()
    service = WinsService(db, settings, clock)
    app = web.Application(client_max_size=1024**2)
    charts = ChartStore(settings.output_dir / "charts", settings.public_url)
    server = Server(web=app, service=service, charts=charts, on_stop=[db.dispose])
    app.router.add_get("/healthz", _healthz(server.health))
    app.router.add_get("/charts/{token}.png", _chart_endpoint(charts))
    _mount_teams(settings, server, app, reply_budget=ack_budget)
    config = slack_config(settings)
    if config is None:
        log.warning(
            "Slack is not configured: set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET "
            "(or SLACK_APP_TOKEN for Socket Mode) to answer /wins"
        )
        return server
    extra = {} if ack_budget is None else {"ack_budget": ack_budget}
    server.slack = build_slack_app(
        lambda directory: build_chat(service, directory), config, **extra
    )
    slack_sender = SlackChatSender(
        server.slack.client,
        per_channel_interval=settings.slack_post_interval,
        workspace_rate=settings.slack_workspace_rate,
    )
    server.senders[Chat.SLACK] = slack_sender
    server.direct[Chat.SLACK] = SlackDirectMessages(slack_sender)
    server.pilots[Chat.SLACK] = SlackPilotMessages(slack_sender, SlackDirectMessages(slack_sender))
    if settings.slack_app_token is None:
        from adapters.chat.slack.transport import http_handler

        app.router.add_post(SLACK_PATH, http_handler(server.slack, config.signing_secret))
    return server


def _mount_teams(
    settings: Settings, server: Server, app: web.Application, *, reply_budget: float | None
) -> None:
    from adapters.chat.teams.app import TeamsConfig, build_teams_handler, refusing_handler
    from adapters.chat.teams.direct import TeamsDirectMessages
    from adapters.chat.teams.pilot_cards import TeamsPilotMessages
    from adapters.chat.teams.sender import TeamsChatSender

    service = server.service
    app_id = settings.microsoft_app_id or ""
    if not app_id and not settings.teams_dev:
        reason = (
            "Teams is not configured: set MICROSOFT_APP_ID and MICROSOFT_APP_PASSWORD "
            "(or WINSBOT_TEAMS_DEV=1 for the local Bot Framework Emulator only)"
        )
        log.info("%s", reason)
        app.router.add_post(TEAMS_PATH, refusing_handler(reason))
        return
    if settings.public_url_problem:
        log.warning("%s", settings.public_url_problem)
    if not app_id:
        log.warning(
            "WINSBOT_TEAMS_DEV=1: Teams requests are NOT authenticated. "
            "Use this only with the local emulator, never on a reachable server."
        )
    password = settings.microsoft_app_password
    # When a reference was last seen is wall-clock bookkeeping, whatever clock the service runs.
    conversations = StoredConversations(service.db, SystemClock())
    handler, _, adapter = build_teams_handler(
        lambda directory: build_chat(service, directory),
        conversations,
        TeamsConfig(
            APP_ID=app_id,
            APP_PASSWORD=password.get_secret_value() if password else "",
            APP_TYPE=settings.microsoft_app_type,
            APP_TENANTID=settings.microsoft_app_tenant_id or "",
        ),
        reply_budget=reply_budget,
    )
    app.router.add_post(TEAMS_PATH, handler)
    teams_sender = TeamsChatSender(
        adapter, conversations, app_id=app_id or None, chart_url=server.charts.save
    )
    server.senders[Chat.TEAMS] = teams_sender
    server.direct[Chat.TEAMS] = TeamsDirectMessages(teams_sender, StoredPersonalChats(service.db))
    server.pilots[Chat.TEAMS] = TeamsPilotMessages(teams_sender, StoredPersonalChats(service.db))


def _chart_endpoint(charts: ChartStore) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
    async def handle(request: web.Request) -> web.StreamResponse:
        path = charts.path(request.match_info["token"])
        if path is None:
            raise web.HTTPNotFound()
        return web.FileResponse(path, headers={"Cache-Control": "private, max-age=604800"})

    return handle


def _healthz(health: Health) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
    async def handle(_: web.Request) -> web.StreamResponse:
        status, report = await health.report()
        return web.json_response(report, status=status)

    return handle


async def start_socket_mode(server: Server, app_token: str) -> None:
    """Reach Slack over a WebSocket instead of HTTP; /healthz answers 503 while it is down.

    The connection is made (and remade after a drop) in the background: start-up does not wait
    for Slack, nor does SIGTERM.
    """
    from adapters.chat.slack.transport import SocketModeConnection

    assert server.slack is not None
    connection = SocketModeConnection(server.slack, app_token)
    connection.start()
    server.health.add("slack_socket_mode", connection.problem)
    server.on_stop.insert(0, connection.close)


async def start_scheduler(server: Server) -> None:
    """Digests on their schedules and sources on their intervals (APScheduler)."""
    from jobs.digests import DigestScheduler
    from jobs.polling import schedule_polling

    scheduler = DigestScheduler(DigestRunner(server.service, server.senders))
    await scheduler.start()
    server.scheduler = scheduler
    quiet_stopped_jobs()

    async def stop_scheduler() -> None:
        scheduler.scheduler.pause()  # nothing new starts while running jobs finish
        await finish_running_jobs(JOB_GRACE_SECONDS)
        await scheduler.shutdown()

    server.on_stop.insert(0, stop_scheduler)
    log.info("digest scheduler started")

    async def scheduler_state() -> str | None:
        return None if scheduler.scheduler.running else "the digest scheduler is not running"

    server.health.add("scheduler", scheduler_state)
    start_prompts(server, scheduler)
    start_pilots(server, scheduler)
    settings = server.service.settings
    if settings.buy_in_channel:
        from bot.usecases.buy_in import BuyInSignals
        from jobs.buy_in import schedule_buy_in_note

        schedule_buy_in_note(
            scheduler.scheduler, BuyInSignals(server.service), server.senders,
            timezone=settings.timezone,
        )  # fmt: skip
    if settings.accounts:
        try:
            poller = build_poller(server)
        except ValueError as exc:  # e.g. an account on a platform with no API source
            log.error("polling is off: %s", exc)
            return
        await poller.register_accounts()
        schedule_polling(
            scheduler.scheduler, poller, minutes=settings.poll_minutes,
            by_source=settings.poll_minutes_by_source,
        )  # fmt: skip
        log.info(
            "polling %d accounts every %g minutes", len(settings.accounts), settings.poll_minutes
        )


def start_prompts(server: Server, scheduler: DigestScheduler) -> None:
    """Story prompts to owners, every WINSBOT_PROMPT_SECONDS, on the digest scheduler."""
    from jobs.prompts import schedule_prompts

    if not server.direct:
        return
    runner = PromptRunner(server.service, server.direct)
    schedule_prompts(scheduler.scheduler, runner, seconds=server.service.settings.prompt_seconds)
    server.on_stop.insert(1, runner.close)  # after the scheduler has stopped its jobs


def start_pilots(server: Server, scheduler: DigestScheduler) -> None:
    """Pilot ends (learnings asks, reports), every WINSBOT_PILOT_SECONDS, on the scheduler."""
    from jobs.pilots import schedule_pilots

    if not server.pilots:
        return
    runner = PilotRunner(server.service, server.pilots)
    schedule_pilots(scheduler.scheduler, runner, seconds=server.service.settings.pilot_seconds)
    server.on_stop.insert(1, runner.close)


def build_poller(server: Server) -> Poller:
    """The configured accounts with their sources; admins hear once about a failing source."""
    from adapters.sources.registry import build_sources

    settings = server.service.settings
    sources = build_sources(settings, now=server.service.clock.now)
    for source in sources.values():
        close = getattr(source, "close", None)
        if close is not None:
            server.on_stop.append(close)

    async def notify(platform: Platform, message: str) -> None:
        sender = server.senders.get(Chat.SLACK)
        if sender is None:
            return
        for admin in sorted(settings.admin_ids):
            if admin[:1] in ("U", "W"):  # Slack user ids; Teams admins see the log
                await sender.post(
                    admin,
                    NoticeView(
                        text=f"winsbot stopped reading {platform.label}: {message}", ok=False
                    ),
                )

    return Poller(
        server.service, sources, list(settings.accounts), notify=notify,
        concurrency=settings.poll_concurrency,
    )  # fmt: skip


async def serve(settings: Settings, host: str, port: int, *, scheduler: bool = True) -> None:
    """Run until SIGINT/SIGTERM; closes connections and the database on the way out."""
    stop = stop_on_signals()
    server = await build_server(settings)
    try:
        await _listen(server, server.web, host, port)
        if server.slack is not None and settings.slack_app_token is not None:
            await start_socket_mode(server, settings.slack_app_token.get_secret_value())
        if scheduler:
            await start_scheduler(server)
        log.info("winsbot listening on http://%s:%d", host, port)
        freeze_startup_objects()
        await stop.wait()
    finally:
        for close in server.on_stop:
            await close()


async def work(settings: Settings, *, host: str = "127.0.0.1", port: int | None = None) -> None:
    """`winsbot worker`: only the scheduler, for when the web side is scaled out.

    With a port it answers GET /healthz there (and nothing else), for the orchestrator.
    """
    stop = stop_on_signals()
    server = await build_server(settings)
    try:
        await start_scheduler(server)
        if port is not None:
            health = web.Application()
            health.router.add_get("/healthz", _healthz(server.health))
            await _listen(server, health, host, port)
            log.info("worker health at http://%s:%d/healthz", host, port)
        freeze_startup_objects()
        await stop.wait()
    finally:
        for close in server.on_stop:
            await close()


async def _listen(server: Server, app: web.Application, host: str, port: int) -> None:
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    server.on_stop.insert(0, runner.cleanup)
    await web.TCPSite(runner, host, port).start()


def freeze_startup_objects() -> None:
    """Keep what start-up loaded out of every later garbage collection.

    Imports and start-up (slack_bolt, botbuilder, SQLAlchemy, the pydantic models) leave about
    140,000 objects that live as long as the process, and every full collection scanned them
    all: about 75 ms on a 2-core VM, landing on whichever requests were being answered. That
    was most of bench_slack's p99 at 50 clients (110 ms; 26 to 38 ms frozen). Frozen objects
    sit in a generation the collector never visits; everything made later is collected as
    before.
    """
    gc.collect()  # garbage from start-up is freed, not frozen
    gc.freeze()
