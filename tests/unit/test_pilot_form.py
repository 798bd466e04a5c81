"""The pilot form model (pure): strings from either chat in, a Campaign or field problems out;
`pilot new` / `pilot edit NAME` in the grammar; a pilot's own owners first."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.commands import CommandError, OpenPilotForm, ShowWins
from bot.domain.grammar import parse_command
from bot.domain.models import Campaign, CampaignMetric, Platform
from bot.domain.owners import Ownership
from bot.domain.pilot_end import pilot_owners
from bot.domain.pilot_form import (
    PilotForm,
    ValidPilot,
    form_of,
    pilot_summary,
    split_owners,
    validate_form,
)

AAD = "6F1C2B7E-0D3A-4C55-9A1E-2B8F3C4D5E6F"
GOOD = PilotForm(
    name="  Graduate   hiring pilot ", metric="clicks", target="1,000", start="2026-12-01",
    end="2026-12-14", tag="#Recruiting", owners=("U0DANA", "<@U0ELI|eli>", AAD, "U0DANA"),
)  # fmt: skip


def test_a_good_form_is_a_campaign_with_its_owners() -> None:
    checked = validate_form(GOOD, known_tags=["recruiting", "hr"])
    assert isinstance(checked, ValidPilot)
    c = checked.campaign
    assert (c.name, c.metric, c.target) == ("Graduate hiring pilot", CampaignMetric.CLICKS, 1000)
    assert (c.starts_on, c.ends_on, c.tag) == (date(2026, 12, 1), date(2026, 12, 14), "recruiting")
    assert checked.owners == ("U0DANA", "U0ELI", AAD.lower())  # once each, one spelling


def test_each_problem_is_keyed_by_its_field() -> None:
    bad = PilotForm(name=" ", metric="likes please", target="0", start="2026-12-10",
                    end="2026-12-01", tag="hiring", owners=("dana",))  # fmt: skip
    problems = validate_form(bad, known_tags=["recruiting"])
    assert isinstance(problems, dict)
    assert set(problems) == {"name", "metric", "target", "end", "tag", "owners"}
    assert "before the start" in problems["end"]
    assert "at least 1" in problems["target"]
    assert "#hiring" in problems["tag"]


def test_which_posts_count_must_be_said() -> None:
    problems = validate_form(replace(GOOD, tag=""))
    assert isinstance(problems, dict) and "Say which posts count" in problems["tag"]
    by_platform = validate_form(replace(GOOD, tag="", platform="LinkedIn"))
    assert isinstance(by_platform, ValidPilot)
    assert by_platform.campaign.platform is Platform.LINKEDIN


def test_any_tag_is_taken_when_no_account_has_one_yet() -> None:
    assert isinstance(validate_form(GOOD, known_tags=[]), ValidPilot)


def test_a_stored_pilot_round_trips_through_the_form() -> None:
    pilot = Campaign(id=4, name="Open house", metric=CampaignMetric.VIDEO_VIEWS, target=5000,
                     starts_on=date(2026, 3, 1), ends_on=date(2026, 3, 31), hashtag="OpenHouse",
                     account="acme", platform=Platform.INSTAGRAM)  # fmt: skip
    checked = validate_form(form_of(pilot, ["U0DANA"]))
    assert isinstance(checked, ValidPilot)
    assert checked.campaign == pilot.model_copy(update={"id": None})
    assert checked.owners == ("U0DANA",)


def test_the_summary_reads_as_one_sentence() -> None:
    checked = validate_form(GOOD)
    assert isinstance(checked, ValidPilot)
    assert pilot_summary(checked.campaign, ["U0DANA"]) == (
        "Graduate hiring pilot: 1,000 clicks from 1 Dec to 14 Dec, counting posts of accounts "
        "tagged recruiting, owner U0DANA"
    )


def test_owner_ids_typed_in_one_box_are_split() -> None:
    assert split_owners(f" {AAD}, U0DANA;U0ELI \n") == (AAD, "U0DANA", "U0ELI")
    assert split_owners("  ") == ()


@settings(max_examples=300, deadline=None)
@given(
    st.builds(
        PilotForm,
        name=st.text(max_size=300),
        metric=st.text(max_size=30),
        target=st.text(max_size=30),
        start=st.text(max_size=20),
        end=st.text(max_size=20),
        tag=st.text(max_size=50),
        hashtag=st.text(max_size=50),
        account=st.text(max_size=50),
        platform=st.text(max_size=20),
        owners=st.lists(st.text(max_size=60), max_size=5).map(tuple),
    ),
)
def test_any_strings_give_a_campaign_or_problems_and_never_raise(form: PilotForm) -> None:
    checked = validate_form(form, known_tags=["recruiting"])
    if isinstance(checked, ValidPilot):
        c = checked.campaign
        assert c.ends_on >= c.starts_on and c.target >= 1 and c.name.strip()
        assert c.tag or c.hashtag or c.account or c.platform
    else:
        assert checked and all(isinstance(reason, str) and reason for reason in checked.values())


@settings(deadline=None)
@given(
    target=st.integers(min_value=1, max_value=10**12),
    start=st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)),
    days=st.integers(min_value=0, max_value=400),
)
def test_numbers_and_dates_as_widgets_send_them_are_taken(
    target: int, start: date, days: int
) -> None:
    end = date.fromordinal(min(start.toordinal() + days, date(2100, 12, 31).toordinal()))
    form = replace(GOOD, target=str(target), start=start.isoformat(), end=end.isoformat())
    checked = validate_form(form)
    assert isinstance(checked, ValidPilot)
    assert (checked.campaign.target, checked.campaign.starts_on) == (target, start)


# --- the grammar's `pilot new` / `pilot edit NAME` -------------------------------------------


def test_pilot_new_and_edit_open_the_form() -> None:
    assert parse_command("pilot new") == OpenPilotForm()
    assert parse_command("wins campaign NEW") == OpenPilotForm()
    assert parse_command("pilot edit  Graduate  hiring pilot") == OpenPilotForm(
        name="Graduate hiring pilot"
    )
    assert isinstance(parse_command("pilot edit"), CommandError)
    assert isinstance(parse_command("pilot new Spring"), CommandError)


def test_a_pilot_literally_called_new_is_still_shown() -> None:
    assert parse_command("pilot new", known_campaigns=["New"]) == ShowWins(campaign="New")
    shown = parse_command("pilot edit posts", known_campaigns=["Edit posts"])
    assert shown == ShowWins(campaign="Edit posts")
    assert parse_command("pilot new", known_campaigns=["Spring"]) == OpenPilotForm()


def test_showing_a_pilot_is_unchanged() -> None:
    assert parse_command("pilot Spring", known_campaigns=["Spring"]) == ShowWins(campaign="Spring")


# --- a pilot's own owners come first ---------------------------------------------------------


def test_a_pilots_own_owners_come_first_then_its_tags_once_each() -> None:
    ownership = Ownership(
        configured_accounts={}, configured_tags={"recruiting": ("U0TAG", "U0BOTH")},
        named={("pilot", "7"): ("U0OWN", "U0BOTH"), ("pilot", "8"): ("U0OTHER",)},
    )  # fmt: skip
    pilot = Campaign(id=7, name="P", metric=CampaignMetric.POSTS, target=1, tag="recruiting",
                     starts_on=date(2026, 1, 1), ends_on=date(2026, 1, 2))  # fmt: skip
    assert pilot_owners(ownership, pilot) == ["U0OWN", "U0BOTH", "U0TAG"]
