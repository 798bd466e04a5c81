"""`winsbot wins` and `winsbot cases`: the same answers /wins gives in chat, for the terminal."""

from __future__ import annotations

import json
from datetime import timedelta

import typer

from bot.cli.context import console, fail, open_service, run, settings
from bot.cli.render import render_case_studies, render_why, render_wins_table
from bot.domain.models import CaseStudy, Platform, Win, normalise_tag, parse_platform
from bot.domain.periods import parse_span
from bot.domain.views import ErrorView, WhyView


def wins(
    what: list[str] = typer.Argument(
        None, help="why N: the numbers behind win #N (the id in the list).", show_default=False
    ),
    since: str = typer.Option("7d", "--since", help="How far back: 24h, 7d, 30d, 2w."),
    platform: list[str] = typer.Option([], "--platform", "-p", help="Only this platform."),
    tag: list[str] = typer.Option([], "--tag", "-t", help="Only accounts with this tag."),
    account: list[str] = typer.Option([], "--account", "-a", help="Only this account handle."),
    campaign: str | None = typer.Option(None, "--campaign", help="Only this campaign's goal."),
    peers: bool = typer.Option(False, "--peers", help="Peers' standout posts instead of ours."),
    limit: int = typer.Option(10, "--limit", "-n", min=1, max=500),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output with stable keys."),
) -> None:
    """Top wins, best first; `winsbot wins why 7` shows the numbers behind win #7."""
    from bot.store.wins import WinFilter

    config = settings()
    if what:
        why(what, as_json=as_json)
        return
    try:
        span = parse_span(since)
        platforms = tuple(parse_platform(p) for p in platform)
    except ValueError as exc:
        raise fail(str(exc)) from None

    async def go() -> list[Win]:
        async with open_service(config) as service:
            query = WinFilter(
                since=service.clock.now() - span,
                platforms=platforms,
                tags=tuple(normalise_tag(t) for t in tag),
                accounts=tuple(account),
                campaign=campaign,
                peers=peers,
                limit=limit,
            )
            return await service.wins(query)

    found = run(go())
    if as_json:
        typer.echo(json.dumps([win_json(w) for w in found], indent=2))
        return
    render_wins_table(found, console, timezone=config.timezone)


def why(words: list[str], *, as_json: bool = False) -> None:
    """`winsbot wins why 7`: read as the chat grammar reads `why 7`, answered as chat is."""
    from bot.domain.commands import CommandError, ExplainWin
    from bot.domain.grammar import parse_command

    usage = "type `winsbot wins why N`, where N is a win's number from `winsbot wins`"
    parsed = parse_command(" ".join(words))
    if isinstance(parsed, CommandError) and words[0].lower() == "why":
        raise fail(f"{parsed.message} ({usage})")
    if not isinstance(parsed, ExplainWin):
        raise fail(usage)
    config = settings()

    async def go() -> WhyView | ErrorView:
        async with open_service(config) as service:
            return await service.why(parsed.win_id)

    found = run(go())
    if isinstance(found, ErrorView):
        raise fail(f"{found.message} `winsbot wins --since 30d` lists wins with their numbers.", 1)
    if as_json:
        typer.echo(found.model_dump_json(indent=2))
        return
    render_why(found, console)


def cases(
    words: list[str] = typer.Argument(None, help="Only stories mentioning these words."),
    since: str | None = typer.Option(None, "--since", help="Only stories from the last 7d, 30d…"),
    limit: int = typer.Option(20, "--limit", "-n", min=1, max=500),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output with stable keys."),
    peers: bool = typer.Option(False, "--peers", help="Saved peer examples instead of stories."),
    peer: str | None = typer.Option(
        None, "--peer", help="With `add`: the peer post's URL or id.", show_default=False
    ),
    note: str | None = typer.Option(
        None, "--note", help="With `add`: what to learn from it.", show_default=False
    ),
) -> None:
    """Case studies: the stories behind wins (public ones; private-channel stories stay there).

    `winsbot cases add --peer URL_OR_ID --note "..."` saves a peer's post as an example to
    learn from; `winsbot cases --peers` lists the saved ones.
    """
    from bot.cli import peer_cases
    from bot.store.case_studies import CaseStudyFilter

    if words and words[0].lower() == "add" and (peer is not None or note is not None):
        peer_cases.add_peer_example(peer, note)
        return
    if peer is not None or note is not None:
        raise fail(peer_cases.ADD_USAGE)
    if peers:
        peer_cases.list_peer_examples(limit, as_json=as_json)
        return
    config = settings()
    try:
        span: timedelta | None = parse_span(since) if since else None
    except ValueError as exc:
        raise fail(str(exc)) from None

    async def go() -> list[CaseStudy]:
        async with open_service(config) as service:
            start = service.clock.now() - span if span else None
            query = CaseStudyFilter(since=start, words=tuple(words or ()), limit=limit)
            return await service.case_studies(query)

    found = run(go())
    if as_json:
        typer.echo(json.dumps([case_json(c) for c in found], indent=2))
        return
    render_case_studies(found, console)


def win_json(win: Win) -> dict[str, object]:
    """A stable, documented shape: scripts depend on these keys."""
    return {
        "id": win.id,
        "kind": win.kind.value,
        "score": win.score,
        "reason": win.reason,
        "occurred_at": win.occurred_at.isoformat(),
        "detected_at": win.detected_at.isoformat(),
        "platform": win.platform.value if isinstance(win.platform, Platform) else None,
        "account": win.account,
        "tags": list(win.account_tags),
        "post_id": win.post_external_id,
        "url": win.post_url,
        "text": win.post_text,
        "engagement": win.engagement,
        "impressions": win.impressions,
        "campaign": win.campaign,
    }


def case_json(case: CaseStudy) -> dict[str, object]:
    return {
        "id": case.id,
        "body": case.body,
        "author": case.author,
        "author_name": case.author_name,
        "win_id": case.win_id,
        "win_reason": case.win_reason,
        "created_at": case.created_at.isoformat(),
        "source": case.source,
        "what_we_did": case.what_we_did,
        "result": case.result,
        "learned": case.learned,
    }
