"""Saving a peer's standout post as an example, from chat (a button on `/wins peers`) or the CLI.

Both ways call the same rules: the post must be a peer's, the note is required and short. The
key is (post, person), so a retried Slack submission or a second save by the same person
updates the note; the digest's "What peers did well" shows the period's notes first.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.domain.context import ChatContext
from bot.domain.models import Win
from bot.domain.peer_examples import PeerExample, note_problem
from bot.domain.views import NoticeView
from bot.ports import ChatDirectory
from bot.store.peer_examples import (
    find_peer_post,
    list_peer_examples,
    peer_post_of_win,
    save_peer_example,
)
from bot.store.wins import WinFilter, list_wins
from bot.usecases.results import WinsService

NOT_A_PEER_WIN = "That is not a peer's post any more: `/wins peers` lists the current ones."
SAVED = "Saved as an example from {account}: the next digest shows your note."


class PeerExamples:
    """Save and list peer examples; ``on_change`` forgets cached chat answers after a write."""

    def __init__(
        self,
        service: WinsService,
        directory: ChatDirectory | None = None,
        *,
        on_change: Callable[[], None] = lambda: None,
    ) -> None:
        self.service = service
        self.directory = directory
        self.on_change = on_change

    async def peer_win(self, win_id: int) -> Win | None:
        """The peer win a "Save as example" button names, or None when it is gone or ours."""
        async with self.service.db.engine.connect() as conn:
            if await peer_post_of_win(conn, win_id) is None:
                return None
            found = await list_wins(conn, WinFilter(win_id=win_id, peers=True, limit=1))
        return found[0] if found else None

    async def save_from_chat(self, context: ChatContext, win_id: int, note: str) -> NoticeView:
        """Store the note on a peer win; a refusal comes back as a notice with ``ok=False``."""
        problem = note_problem(note)
        if problem is not None:
            return NoticeView(text=problem, ok=False)
        win = await self.peer_win(win_id)
        if win is None:
            return NoticeView(text=NOT_A_PEER_WIN, ok=False)
        # Asked outside the transaction: a users.info call must not hold a database writer.
        name = await self.directory.display_name(context) if self.directory else None
        async with self.service.db.engine.begin() as conn:
            post_id = await peer_post_of_win(conn, win_id)
            if post_id is None:
                return NoticeView(text=NOT_A_PEER_WIN, ok=False)
            await save_peer_example(
                conn,
                post_id=post_id,
                win_id=win_id,
                note=note.strip(),
                saved_by=context.user_id,
                saved_by_name=name,
                now=self.service.clock.now(),
            )
        self.on_change()
        return NoticeView(text=SAVED.format(account=win.account or "a peer"))

    async def save_from_cli(self, ref: str, note: str, saved_by: str = "cli") -> tuple[int, bool]:
        """Store the note on a peer post given by URL or external id; ValueError says why not."""
        problem = note_problem(note)
        if problem is not None:
            raise ValueError(problem)
        async with self.service.db.engine.begin() as conn:
            found = await find_peer_post(conn, ref)
            if found is None:
                raise ValueError(
                    f"No peer post has the URL or id {ref!r}: "
                    "`winsbot wins --peers --json` lists them."
                )
            post_id, win_id = found
            return await save_peer_example(
                conn,
                post_id=post_id,
                win_id=win_id,
                note=note.strip(),
                saved_by=saved_by,
                now=self.service.clock.now(),
            )

    async def examples(self, limit: int = 20) -> list[PeerExample]:
        async with self.service.db.engine.connect() as conn:
            return await list_peer_examples(conn, limit=limit)
