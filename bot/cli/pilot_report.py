"""A pilot report in the terminal and as JSON (`winsbot campaign report NAME [--json]`)."""

from __future__ import annotations

from rich.console import Console
from rich.text import Text

from bot.domain.pilot_report import PilotReport


def print_report(report: PilotReport, console: Console) -> None:
    """Goal, result and pace first: what a leader reads in thirty seconds; then the evidence."""
    console.print(Text(f"Pilot report: {report.name}", style="bold"))
    console.print(Text(f"Goal: {report.goal}"))
    console.print(Text(f"Result: {report.result}"))
    if report.pace:
        console.print(Text(report.pace))
    if report.best_posts:
        console.print(Text("\nBest posts", style="bold"))
        for n, post in enumerate(report.best_posts, start=1):
            text = f" “{_excerpt(post.text)}”" if post.text else ""
            where = f"{post.platform.label} · {post.account}"
            console.print(Text(f"{n}. {where}  {post.value:,} {report.unit}{text}"))
            if post.url:
                console.print(Text(f"   {post.url}"))
    console.print(Text("\nWhat we learned", style="bold"))
    if report.learnings:
        for learning in report.learnings:
            console.print(Text(f"• {learning}"))
    else:
        console.print(Text("No learnings written yet: ask the pilot's owner to add the story."))
    if report.stories:
        console.print(Text("\nThe stories behind it", style="bold"))
        for story in report.stories:
            who = story.author_name or story.author or "someone"
            parts = [
                f"{label}: {answer}"
                for label, answer in (
                    ("What we did", story.what_we_did),
                    ("The result", story.result),
                    ("What we learned", story.learned),
                )
                if answer
            ]
            console.print(Text(f"• {who}: " + (" · ".join(parts) if parts else story.body)))
    console.print(Text("\nNext step", style="bold"))
    console.print(Text(report.next_step or "No recommendation yet (extend, scale or stop)."))


def report_json(report: PilotReport) -> dict[str, object]:
    """Stable keys, for a spreadsheet or another tool."""
    return {
        "name": report.name,
        "goal": report.goal,
        "result": report.result,
        "status": report.status,
        "pace": report.pace,
        "unit": report.unit,
        "best_posts": [
            {
                "platform": p.platform.value,
                "account": p.account,
                "published_at": p.published_at.isoformat(),
                "value": p.value,
                "url": p.url,
                "text": p.text,
            }
            for p in report.best_posts
        ],
        "stories": [
            {
                "id": s.id,
                "author": s.author_name or s.author,
                "body": s.body,
                "what_we_did": s.what_we_did,
                "result": s.result,
                "learned": s.learned,
                "win_id": s.win_id,
            }
            for s in report.stories
        ],
        "learnings": list(report.learnings),
        "next_step": report.next_step,
    }


def _excerpt(text: str, limit: int = 80) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
