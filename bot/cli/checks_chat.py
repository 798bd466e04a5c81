"""What `winsbot doctor` checks for chat: the Slack app and the Teams bot, as each platform sees it.

Slack: the token works (``auth.test``), its scopes (the ``x-oauth-scopes`` header Slack puts on
every Web API answer) cover the manifest's bot scopes, the signing secret is set, and the
manifest sends events and interactivity to WINSBOT_PUBLIC_URL. Teams: app id and password set,
a Bot Framework token can be obtained with them, and the app package carries the same app id.
"""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import httpx

from bot.cli.checks import HTTP_TIMEOUT, Check
from bot.config import Settings

SLACK_PATH = "/slack/events"
PLACEHOLDER_HOST = "YOUR-HOST"
BOT_FRAMEWORK_SCOPE = "https://api.botframework.com/.default"


async def check_slack(config: Settings, client: httpx.AsyncClient, manifest: Path) -> list[Check]:
    token = config.slack_bot_token
    if token is None:
        if config.slack_signing_secret or config.slack_app_token:
            return [Check("slack token", "fail", "SLACK_BOT_TOKEN is not set: " + _TOKEN_HELP)]
        return [Check("slack", "skip", "not configured (SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET)")]
    checks = []
    url = config.slack_api_url.rstrip("/") + "/auth.test"
    try:
        bearer = {"Authorization": f"Bearer {token.get_secret_value()}"}
        response = await client.post(url, headers=bearer, timeout=HTTP_TIMEOUT)
        body = response.json()
    except (httpx.HTTPError, ValueError) as exc:
        return [Check("slack token", "fail", f"cannot ask Slack at {url} ({exc})")]
    if not body.get("ok"):
        error = body.get("error", f"HTTP {response.status_code}")
        return [Check("slack token", "fail", f"Slack refused it ({error}): {_TOKEN_HELP}")]
    checks.append(
        Check("slack token", "ok", f"{body.get('user', 'bot')} in {body.get('team', 'workspace')}")
    )
    checks.append(_scopes(response.headers.get("x-oauth-scopes"), manifest))
    socket_mode = config.slack_app_token is not None
    if socket_mode:
        checks.append(Check("slack secret", "ok", "Socket Mode (SLACK_APP_TOKEN): none needed"))
    elif config.slack_signing_secret is None:
        checks.append(
            Check(
                "slack secret",
                "fail",
                "SLACK_SIGNING_SECRET is not set: copy Basic Information → Signing Secret",
            )
        )
    else:
        checks.append(Check("slack secret", "ok", "SLACK_SIGNING_SECRET is set"))
    if not socket_mode:
        checks.append(_manifest_urls(config, manifest))
    return checks


_TOKEN_HELP = "copy OAuth & Permissions → Bot User OAuth Token (xoxb-…) into SLACK_BOT_TOKEN"


def _scopes(header: str | None, manifest: Path) -> Check:
    if header is None:
        return Check("slack scopes", "warn", "Slack did not say which scopes the token has")
    granted = {scope.strip() for scope in header.split(",") if scope.strip()}
    try:
        wanted, _ = read_slack_manifest(manifest)
    except OSError as exc:
        return Check("slack scopes", "warn", f"cannot read {manifest} ({exc.strerror or exc})")
    missing = [scope for scope in wanted if scope not in granted]
    if missing:
        return Check(
            "slack scopes",
            "fail",
            f"the token lacks {', '.join(missing)}: add them under OAuth & Permissions "
            "(or paste manifest/slack.yml again), then reinstall the app to the workspace",
        )
    return Check("slack scopes", "ok", f"all {len(wanted)} of the manifest's bot scopes granted")


def _manifest_urls(config: Settings, manifest: Path) -> Check:
    name = "slack URLs"
    try:
        _, urls = read_slack_manifest(manifest)
    except OSError as exc:
        return Check(name, "warn", f"cannot read {manifest} ({exc.strerror or exc})")
    public = (config.public_url or "").strip().rstrip("/")
    if not public:
        return Check(name, "warn", "set WINSBOT_PUBLIC_URL to compare the manifest's URLs")
    expected = public + SLACK_PATH
    if any(PLACEHOLDER_HOST in url for url in urls):
        return Check(
            name,
            "warn",
            f"{manifest} still says {PLACEHOLDER_HOST}: if the app's manifest in Slack has it "
            f"replaced, pass that copy with --slack-manifest; it should say {expected}",
        )
    wrong = sorted({url for url in urls if url != expected})
    if wrong:
        return Check(
            name,
            "fail",
            f"the manifest sends to {', '.join(wrong)}, not {expected}: fix the request URLs "
            "(Event Subscriptions, Interactivity, /wins) in the Slack app settings",
        )
    return Check(name, "ok", f"events, interactivity and /wins go to {expected}")


def read_slack_manifest(path: Path) -> tuple[list[str], list[str]]:
    """The bot scopes and the request URLs of a Slack app manifest (YAML as in manifest/, or JSON).

    Reads only the few keys doctor compares, line by line, so no YAML parser is needed for a
    file whose layout we ship.
    """
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".json":
        data = json.loads(text)
        settings = data.get("settings", {})
        found = [
            settings.get("event_subscriptions", {}).get("request_url"),
            settings.get("interactivity", {}).get("request_url"),
            *(c.get("url") for c in data.get("features", {}).get("slash_commands", [])),
        ]
        bot_scopes = data.get("oauth_config", {}).get("scopes", {}).get("bot", [])
        return [str(s) for s in bot_scopes], [str(u) for u in found if u]
    scopes: list[str] = []
    urls: list[str] = []
    in_bot, bot_indent = False, 0
    for line in text.splitlines():
        content = line.strip()
        if not content or content.startswith("#"):
            continue
        indent = len(line) - len(line.lstrip())
        if in_bot and content.startswith("- ") and indent >= bot_indent:
            scopes.append(content[2:].strip().strip("\"'"))
            continue
        in_bot = False
        if content == "bot:":
            in_bot, bot_indent = True, indent
        match = re.match(r"(?:- )?(?:request_)?url:\s*(\S+)", content)
        if match:
            urls.append(match.group(1).strip("\"'"))
    return scopes, urls


async def check_teams(config: Settings, client: httpx.AsyncClient, package: Path) -> list[Check]:
    app_id = config.microsoft_app_id
    if not app_id:
        if config.teams_dev:
            return [Check("teams", "warn", "WINSBOT_TEAMS_DEV=1: requests are NOT authenticated")]
        return [Check("teams", "skip", "not configured (MICROSOFT_APP_ID, MICROSOFT_APP_PASSWORD)")]
    password = config.microsoft_app_password
    if password is None:
        return [
            Check(
                "teams app",
                "fail",
                "MICROSOFT_APP_PASSWORD is not set: create a client secret for the app id "
                "(Azure Bot → Configuration → Manage password)",
            )
        ]
    checks = [await _bot_token(config, client, app_id, password.get_secret_value())]
    checks.append(_package(package, app_id))
    return checks


async def _bot_token(
    config: Settings, client: httpx.AsyncClient, app_id: str, password: str
) -> Check:
    url = config.bot_token_url
    form = {
        "grant_type": "client_credentials",
        "client_id": app_id,
        "client_secret": password,
        "scope": BOT_FRAMEWORK_SCOPE,
    }
    try:
        response = await client.post(url, data=form, timeout=HTTP_TIMEOUT)
        body = response.json()
    except (httpx.HTTPError, ValueError) as exc:
        return Check("teams token", "fail", f"cannot reach {url} ({exc})")
    if response.status_code == 200 and body.get("access_token"):
        return Check("teams token", "ok", f"Bot Framework token obtained for {app_id}")
    error = str(body.get("error_description") or body.get("error") or response.status_code)
    return Check(
        "teams token",
        "fail",
        f"no token for MICROSOFT_APP_ID with MICROSOFT_APP_PASSWORD ({error.splitlines()[0]}): "
        "check both, and MICROSOFT_APP_TYPE / MICROSOFT_APP_TENANT_ID for a single-tenant bot",
    )


def _package(package: Path, app_id: str) -> Check:
    name = "teams package"
    if not package.is_file():
        return Check(
            name, "warn", f"no package at {package}: build it with `winsbot teams-package`"
        )
    try:
        with zipfile.ZipFile(package) as archive:
            manifest = json.loads(archive.read("manifest.json"))
    except (OSError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        return Check(name, "fail", f"{package} is not a Teams app package ({exc})")
    ids = {manifest.get("id"), *(bot.get("botId") for bot in manifest.get("bots", []))}
    if ids != {app_id}:
        others = ", ".join(sorted(str(i) for i in ids - {app_id}))
        return Check(
            name,
            "fail",
            f"{package} is for app {others}, not {app_id}: rebuild it with "
            "`winsbot teams-package` and upload it again",
        )
    return Check(name, "ok", f"{package} carries app id {app_id}")
