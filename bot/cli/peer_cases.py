"""`winsbot cases add --peer URL_OR_ID --note "..."` and `winsbot cases --peers`.

Peer examples are case studies from our own industry: a peer's post and what to learn from it.
They share `winsbot cases` with our own stories (``query.cases`` hands over to these), so
`winsbot cases [WORDS]` keeps meaning "search our stories" for any words but a leading `add`.
"""

from __future__ import annotations

import json

import typer
from rich.console import Console
from rich.markup import escape
from rich.panel import Panel

from bot.cli.context import console, fail, open_service, run, settings
from bot.domain.peer_examples import PeerExample
from bot.usecases.peer_examples import PeerExamples

ADD_USAGE = 'type `winsbot cases add --peer URL_OR_ID --note "what to learn from it"`'


def add_peer_example(peer: str | None, note: str | None) -> None:
    """Save a peer's post (by URL or external id) as an example with its note."""
    if not peer or note is None:
        raise fail(ADD_USAGE)
    config = settings()

    async def go() -> tuple[int, bool]:
        async with open_service(config) as service:
            return await PeerExamples(service).save_from_cli(peer, note)

    try:
        example_id, created = run(go())
    except ValueError as exc:
        raise fail(str(exc)) from None
    verb = "Saved" if created else "Updated"
    console.print(f"{verb} peer example #{example_id}: the next digest shows its note.")


def list_peer_examples(limit: int, *, as_json: bool) -> None:
    """Saved peer examples, newest first; ``--json`` with stable keys."""
    config = settings()

    async def go() -> list[PeerExample]:
        async with open_service(config) as service:
            return await PeerExamples(service).examples(limit)

    found = run(go())
    if as_json:
        typer.echo(json.dumps([peer_example_json(e) for e in found], indent=2))
        return
    render_peer_examples(found, console)


def peer_example_json(example: PeerExample) -> dict[str, object]:
    """A stable, documented shape: scripts depend on these keys."""
    return {
        "id": example.id,
        "note": example.note,
        "saved_by": example.saved_by,
        "saved_by_name": example.saved_by_name,
        "saved_at": example.saved_at.isoformat(),
        "win_id": example.win_id,
        "platform": example.platform.value if example.platform else None,
        "account": example.account,
        "post_id": example.post_external_id,
        "url": example.post_url,
        "text": example.post_text,
    }


def render_peer_examples(examples: list[PeerExample], out: Console) -> None:
    if not examples:
        out.print(
            'No peer examples yet. Save one with `winsbot cases add --peer URL --note "..."`, '
            "or the Save as example button on a `/wins peers` answer in chat."
        )
        return
    for example in examples:
        who = escape(example.saved_by_name or example.saved_by)
        parts = [
            f"[dim]{who} · {example.saved_at:%-d %b %Y}[/dim]",
            f"[bold]{escape(example.note)}[/bold]",
            escape(example.post_line),
        ]
        if example.post_url:
            parts.append(escape(example.post_url))
        out.print(Panel("\n".join(parts), border_style="magenta"))
