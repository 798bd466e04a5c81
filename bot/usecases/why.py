"""`wins why 7`: fetch one win's evidence and let the domain say it, for chat and the CLI alike."""

from __future__ import annotations

from bot.domain.views import ErrorView, WhyView
from bot.domain.why import NOT_FOUND, NOT_FOUND_HINT, compared_pairs, explain_win
from bot.domain.wins import DetectionRules
from bot.store.db import Database
from bot.store.why import stored_posts, win_evidence


async def why(db: Database, rules: DetectionRules, win_id: int) -> WhyView | ErrorView:
    """The numbers behind win ``win_id``, or an ErrorView saying there is no such win.

    ``rules`` words the age a post was compared at ("in the first 3 days") as detection did.
    """
    async with db.engine.connect() as conn:
        evidence = await win_evidence(conn, win_id)
        if evidence is None:
            return ErrorView(message=NOT_FOUND.format(id=win_id), suggestion=NOT_FOUND_HINT)
        pairs = compared_pairs(evidence.details) or []
        posts = await stored_posts(conn, [post_id for post_id, _ in pairs])
    return explain_win(
        evidence.win,
        evidence.details,
        peer=evidence.peer,
        posts=posts,
        rules=rules,
        metric=evidence.metric,
    )
