"""The learnings form at a pilot's end: the story form's three questions and a next step.

An owner's answer is stored as a structured case study (so `winsbot cases` and digests show it
like any story) hung on the pilot's goal win when it reached its goal, else on the pilot
alone, and the next step (extend, scale, stop) beside it; the pilot's report then carries
both. The form sent again replaces that owner's answer.
"""

from __future__ import annotations

from bot.domain.context import ChatContext
from bot.domain.pilot_end import NEXT_STEPS
from bot.domain.stories import StoryParts
from bot.domain.views import NoticeView
from bot.ports import ChatDirectory
from bot.store.campaigns import find_campaign
from bot.store.case_studies import save_case_study
from bot.store.pilot_messages import goal_win_id, save_answer
from bot.usecases.case_studies import EMPTY_FORM, MAX_STORY_CHARS
from bot.usecases.results import WinsService

NO_STEP = "Choose a next step: extend, scale or stop."


class PilotLearnings:
    def __init__(self, service: WinsService, directory: ChatDirectory) -> None:
        self.service = service
        self.directory = directory

    async def pilot_name(self, campaign_id: int) -> str | None:
        async with self.service.db.engine.connect() as conn:
            found = await find_campaign(conn, campaign_id=campaign_id)
        return found.name if found else None

    async def add_learnings(
        self, context: ChatContext, campaign_id: int, parts: StoryParts, next_step: str | None
    ) -> NoticeView:
        """Store one owner's learnings and next step; the notice confirms it or says why not."""
        if parts.empty:
            return NoticeView(text=EMPTY_FORM, ok=False)
        if next_step not in NEXT_STEPS:
            return NoticeView(text=NO_STEP, ok=False)
        name = await self.directory.display_name(context)
        now = self.service.clock.now()
        async with self.service.db.engine.begin() as conn:
            pilot = await find_campaign(conn, campaign_id=campaign_id)
            if pilot is None:
                return NoticeView(text="That pilot is no longer there.", ok=False)
            case_id, _ = await save_case_study(
                conn,
                body=parts.body()[:MAX_STORY_CHARS],
                now=now,
                author=context.user_id,
                author_name=name,
                win_id=await goal_win_id(conn, campaign_id),
                source=context.chat.value,
                source_ref=(
                    f"{context.chat.value}:{context.workspace_id or '-'}:pilot:{campaign_id}:"
                    f"{context.user_id}"
                ),
                parts=parts,
            )
            await save_answer(
                conn,
                campaign_id=campaign_id,
                user_id=context.user_id,
                next_step=next_step,
                case_study_id=case_id,
                now=now,
            )
        return NoticeView(
            text=f"Saved your learnings and next step ({next_step}) for the pilot "
            f"“{pilot.name}”. Its report goes to leadership with them."
        )
