"""Changing a stored pilot and its own owners, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.domain.models import Campaign, CampaignMetric
from bot.store.campaigns import (
    CampaignExistsError,
    add_campaign,
    find_campaign,
    list_campaigns,
    update_campaign,
)
from bot.store.db import Database
from bot.store.owners import pilot_owner_ids, set_pilot_owners, stored_owners

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def pilot(name: str) -> Campaign:
    return Campaign(name=name, metric=CampaignMetric.CLICKS, target=1000, tag="#Recruiting",
                    starts_on=date(2026, 12, 1), ends_on=date(2026, 12, 14))  # fmt: skip


async def test_an_update_keeps_the_id_and_names_stay_unique(db: Database) -> None:
    async with db.engine.begin() as conn:
        first = await add_campaign(conn, pilot("Graduate hiring pilot"), now=NOW)
        second = await add_campaign(conn, pilot("Open house"), now=NOW)
        changed = pilot("Grad pilot").model_copy(update={"id": first, "target": 2500})
        assert await update_campaign(conn, changed)
        found = await find_campaign(conn, name="  grad   PILOT ")
        assert found is not None and (found.id, found.target, found.tag) == (
            first, 2500, "recruiting",
        )  # fmt: skip
        with pytest.raises(CampaignExistsError):
            await update_campaign(conn, pilot("Grad pilot").model_copy(update={"id": second}))
        assert await update_campaign(conn, changed)  # its own name again is no clash
        gone = pilot("Elsewhere").model_copy(update={"id": 999})
        assert not await update_campaign(conn, gone)
        assert sorted(c.name for c in await list_campaigns(conn)) == ["Grad pilot", "Open house"]


async def test_a_pilots_own_owners_are_replaced_by_the_form(db: Database) -> None:
    async with db.engine.begin() as conn:
        campaign_id = await add_campaign(conn, pilot("Graduate hiring pilot"), now=NOW)
        await set_pilot_owners(conn, campaign_id, ("U0DANA", "U0ELI"), created_by="U0A", now=NOW)
        await set_pilot_owners(conn, campaign_id, ("U0ELI", "U0SAM"), created_by="U0A", now=NOW)
        assert await pilot_owner_ids(conn, campaign_id) == ["U0ELI", "U0SAM"]
        stored = await stored_owners(conn)
        assert {(o.kind, o.target) for o in stored} == {("pilot", str(campaign_id))}
