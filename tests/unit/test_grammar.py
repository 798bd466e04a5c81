"""The /wins grammar: every form, every error with its suggestion, and that it never raises."""

from __future__ import annotations

import random
import re
from datetime import timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.commands import (
    EXAMPLES,
    USAGE,
    Command,
    CommandError,
    ExplainWin,
    ListSubscriptions,
    ShowCases,
    ShowHelp,
    ShowWins,
    Subscribe,
    Unsubscribe,
)
from bot.domain.grammar import parse_command
from bot.domain.models import PLATFORM_ALIASES, Audience, Cadence, Platform, parse_platform

TAGS = ("recruiting", "hr", "alumni")
CAMPAIGNS = ("Spring Open House", "Giving Tuesday")


def wins(text: str) -> ShowWins:
    result = parse_command(text, known_tags=TAGS, known_campaigns=CAMPAIGNS)
    assert isinstance(result, ShowWins), result
    return result


def error(text: str, **known: tuple[str, ...]) -> CommandError:
    result = parse_command(text, **known)
    assert isinstance(result, CommandError), result
    return result


# --- /wins filters -----------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "   ", "\n\t", "wins", "/wins"])
def test_empty_text_shows_this_weeks_top_wins(text: str) -> None:
    assert parse_command(text) == ShowWins(span=timedelta(days=7))


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("24h", timedelta(hours=24)),
        ("7d", timedelta(days=7)),
        ("30d", timedelta(days=30)),
        ("2w", timedelta(weeks=2)),
        ("3m", timedelta(days=90)),
        ("366d", timedelta(days=366)),
        ("30D", timedelta(days=30)),
    ],
)
def test_a_span_sets_how_far_back_to_look(text: str, span: timedelta) -> None:
    assert wins(text).span == span


@pytest.mark.parametrize(
    ("text", "platform"),
    [
        ("linkedin", Platform.LINKEDIN),
        ("LinkedIn", Platform.LINKEDIN),
        ("x", Platform.X),
        ("twitter", Platform.X),
        ("instagram", Platform.INSTAGRAM),
        ("ig", Platform.INSTAGRAM),
        ("mastodon", Platform.MASTODON),
        ("bluesky", Platform.BLUESKY),
        ("bsky", Platform.BLUESKY),
        ("facebook", Platform.FACEBOOK),
        ("youtube", Platform.YOUTUBE),
        ("YT", Platform.YOUTUBE),
    ],
)
def test_platform_names_and_aliases_filter_by_platform(text: str, platform: Platform) -> None:
    assert wins(text).platforms == (platform,)


def test_several_platforms_keep_their_order_and_drop_repeats() -> None:
    assert wins("linkedin, x twitter ig").platforms == (
        Platform.LINKEDIN,
        Platform.X,
        Platform.INSTAGRAM,
    )


@pytest.mark.parametrize(
    "text", ["#recruiting", "#Recruiting", "tag:recruiting", "TAG:#RECRUITING"]
)
def test_tags_are_written_with_hash_or_tag_prefix_and_lower_cased(text: str) -> None:
    assert wins(text).tags == ("recruiting",)


def test_a_slack_channel_link_counts_as_the_tag_of_the_same_name() -> None:
    assert wins("<#C0123ABC|recruiting> <#C999|HR>").tags == ("recruiting", "hr")


@pytest.mark.parametrize("text", ["<#C0123ABC>", "<#C0123ABC|>"])
def test_a_slack_channel_link_without_a_name_asks_for_tag_prefix(text: str) -> None:
    problem = error(text)
    assert "channel" in problem.message
    assert problem.suggestion == "type `tag:NAME` instead"


def test_unknown_tag_is_refused_with_the_closest_known_tag() -> None:
    problem = error("#recruting", known_tags=TAGS)
    assert problem == CommandError(
        "No account is tagged #recruting.", "did you mean `#recruiting`?"
    )


def test_unknown_tag_with_nothing_close_lists_known_tags() -> None:
    problem = error("#zzz", known_tags=TAGS)
    assert problem.suggestion == "try `#alumni`, `#hr`, `#recruiting`"


def test_any_tag_is_accepted_when_no_tags_are_known() -> None:
    assert parse_command("#brand-new") == ShowWins(tags=("brand-new",))


@pytest.mark.parametrize(
    ("text", "account"),
    [
        ("@OurCompany", "OurCompany"),
        ("account:OurCompany", "OurCompany"),
        ("account:@OurCompany", "OurCompany"),
        ("@news@mastodon.social", "news@mastodon.social"),
        ("@ours.bsky.social", "ours.bsky.social"),
    ],
)
def test_accounts_keep_their_case_without_the_leading_at(text: str, account: str) -> None:
    assert wins(text).accounts == (account,)


@pytest.mark.parametrize("text", ["<@U0123ABC>", "<@U0123ABC|maria>"])
def test_slack_user_mentions_are_refused_as_accounts(text: str) -> None:
    problem = error(text)
    assert "not Slack users" in problem.message
    assert problem.suggestion is not None and "account:" in problem.suggestion


@pytest.mark.parametrize("text", ["@", "account:", "#", "tag:"])
def test_a_prefix_without_a_name_says_what_is_missing(text: str) -> None:
    assert "needs a" in error(text).message


def test_peers_asks_for_peer_wins() -> None:
    assert wins("peers").peers is True
    assert wins("PEERS instagram").peers is True
    assert wins("instagram").peers is False


def test_filters_combine_in_any_order() -> None:
    expected = ShowWins(
        span=timedelta(days=30), platforms=(Platform.LINKEDIN,), tags=("recruiting",)
    )
    assert wins("linkedin #recruiting 30d") == expected
    assert wins("30d #Recruiting LinkedIn") == expected


def test_everything_at_once() -> None:
    assert wins("peers 2w x @Rival tag:hr campaign Giving Tuesday") == ShowWins(
        span=timedelta(weeks=2),
        platforms=(Platform.X,),
        tags=("hr",),
        accounts=("Rival",),
        campaign="Giving Tuesday",
        peers=True,
    )


# --- campaigns ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "campaign Spring Open House",
        "campaign spring open house",
        'campaign "Spring Open House"',
        "campaign “spring   open house” ",
        "CAMPAIGN Spring Open House",
        "pilot spring open house",  # what people call a campaign
        "Pilot Spring Open House",
    ],
)
def test_campaign_takes_the_rest_of_the_text_in_its_canonical_spelling(text: str) -> None:
    assert wins(text).campaign == "Spring Open House"


def test_campaign_name_is_kept_as_typed_when_no_campaigns_are_known() -> None:
    assert parse_command("campaign  Fall &amp; Winter ") == ShowWins(campaign="Fall & Winter")


def test_campaign_swallows_words_that_would_otherwise_be_filters() -> None:
    result = parse_command("linkedin campaign X marks the spot 30d")
    assert result == ShowWins(platforms=(Platform.LINKEDIN,), campaign="X marks the spot 30d")


@pytest.mark.parametrize("text", ["campaign", "campaign   ", 'campaign ""'])
def test_campaign_without_a_name_asks_for_one(text: str) -> None:
    problem = error(text)
    assert problem.message == "Which campaign? Put its name after `campaign`."


def test_unknown_campaign_suggests_the_closest_one() -> None:
    problem = error("campaign Sprng Open Hose", known_campaigns=CAMPAIGNS)
    assert problem.suggestion == "did you mean `campaign Spring Open House`?"
    assert "Sprng Open Hose" in problem.message


def test_unknown_campaign_with_nothing_close_lists_campaigns() -> None:
    problem = error("campaign Zebra", known_campaigns=CAMPAIGNS)
    assert problem.suggestion == "try `Giving Tuesday`, `Spring Open House`"


# --- other commands ----------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["help", "HELP", "?", "help subscribe", "linkedin help", "30d ?"])
def test_help_shows_usage(text: str) -> None:
    assert parse_command(text) == ShowHelp()


def test_cases_lists_case_studies_matching_lower_cased_words() -> None:
    assert parse_command("cases") == ShowCases()
    assert parse_command("Cases Video LAUNCH video") == ShowCases(("video", "launch"))


def test_cases_accepts_ten_words_and_refuses_eleven() -> None:
    assert isinstance(parse_command("cases " + " ".join(f"w{i}" for i in range(10))), ShowCases)
    problem = error("cases " + " ".join(f"w{i}" for i in range(11)))
    assert "at most 10 words" in problem.message


def test_subscriptions_lists_this_channels_digests() -> None:
    assert parse_command("Subscriptions") == ListSubscriptions()
    assert error("subscriptions now").suggestion == "type just `subscriptions`"


@pytest.mark.parametrize("verb", ["cases", "subscribe", "unsubscribe", "subscriptions"])
def test_a_command_word_after_filters_says_it_goes_first(verb: str) -> None:
    assert error(f"linkedin {verb}").message == f"`{verb}` goes first."


# --- subscribe / unsubscribe -------------------------------------------------------------------


def test_subscribe_leadership_uses_default_schedule() -> None:
    assert parse_command("subscribe leadership") == Subscribe(Audience())


def test_subscribe_department_names_the_audience_after_its_sorted_tags() -> None:
    result = parse_command("subscribe #recruiting #HR", known_tags=TAGS)
    assert result == Subscribe(Audience(name="hr+recruiting", tags=("hr", "recruiting")))
    assert parse_command("subscribe #hr #recruiting") == result


def test_subscribe_with_tags_and_platforms_is_named_after_the_tags() -> None:
    result = parse_command("subscribe #recruiting linkedin ig")
    assert result == Subscribe(
        Audience(
            name="recruiting",
            tags=("recruiting",),
            platforms=(Platform.INSTAGRAM, Platform.LINKEDIN),
        )
    )


def test_subscribe_to_platforms_only_is_named_after_the_platforms() -> None:
    result = parse_command("subscribe twitter linkedin")
    assert isinstance(result, Subscribe)
    assert result.audience.name == "linkedin+x"


def test_subscribe_to_an_account_is_named_after_the_handle() -> None:
    result = parse_command("subscribe @CEO")
    assert isinstance(result, Subscribe)
    assert result.audience == Audience(name="CEO", accounts=("CEO",))


@pytest.mark.parametrize(
    ("text", "weekday", "time", "zone"),
    [
        ("subscribe leadership monday", 0, None, None),
        ("subscribe leadership Fri", 4, None, None),
        ("subscribe leadership sundays", 6, None, None),
        ("subscribe leadership 09:00", None, "09:00", None),
        ("subscribe leadership 9:00", None, "09:00", None),
        ("subscribe leadership 9am", None, "09:00", None),
        ("subscribe leadership 12am", None, "00:00", None),
        ("subscribe leadership 12pm", None, "12:00", None),
        ("subscribe leadership 4:30PM", None, "16:30", None),
        ("subscribe leadership 17:30", None, "17:30", None),
        ("subscribe leadership UTC", None, None, "UTC"),
        ("subscribe leadership america/toronto", None, None, "America/Toronto"),
        ("subscribe leadership tue 8am Europe/London", 1, "08:00", "Europe/London"),
        ("subscribe Europe/London 8am tue leadership", 1, "08:00", "Europe/London"),
    ],
)
def test_subscribe_schedule_words_in_any_order(
    text: str, weekday: int | None, time: str | None, zone: str | None
) -> None:
    assert parse_command(text) == Subscribe(Audience(), weekday, time, zone)


def test_subscribe_department_with_schedule() -> None:
    result = parse_command("subscribe #hr friday 16:00 America/Toronto", known_tags=TAGS)
    assert result == Subscribe(Audience(name="hr", tags=("hr",)), 4, "16:00", "America/Toronto")


@pytest.mark.parametrize("text", ["subscribe", "subscribe monday 9am", "Subscribe UTC"])
def test_subscribe_without_an_audience_says_what_to_type(text: str) -> None:
    problem = error(text)
    assert problem.suggestion == "type `subscribe leadership` or `subscribe #department`"


def test_subscribe_leadership_refuses_filters() -> None:
    assert "Leadership gets everything" in error("subscribe leadership #hr").message


def test_subscribe_checks_tags_against_known_tags() -> None:
    assert error("subscribe #recrutting", known_tags=TAGS).suggestion == (
        "did you mean `#recruiting`?"
    )


def test_unknown_time_zone_suggests_close_iana_names() -> None:
    problem = error("subscribe leadership Amrica/Toronto")
    assert problem.message == "I don't know the time zone `Amrica/Toronto`."
    assert problem.suggestion is not None
    assert problem.suggestion.startswith("did you mean `America/Toronto`")


def test_a_city_name_suggests_its_time_zone() -> None:
    problem = error("subscribe leadership london")
    assert problem.suggestion == "did you mean `Europe/London`?"


@pytest.mark.parametrize("text", ["25:00", "9:75", "13pm", "0am"])
def test_impossible_times_are_refused(text: str) -> None:
    assert error(f"subscribe leadership {text}").message == f"`{text}` isn't a time."


@pytest.mark.parametrize(
    ("text", "what"),
    [("mon tue", "weekday"), ("9am 10am", "time"), ("UTC Europe/Paris", "time zone")],
)
def test_a_schedule_part_given_twice_is_refused(text: str, what: str) -> None:
    assert error(f"subscribe leadership {text}").message == f"Give one {what}, not two."


def test_a_misspelt_weekday_is_suggested() -> None:
    assert error("subscribe leadership wensday").suggestion == "did you mean `wednesday`?"


# --- cadence: weekly or monthly -----------------------------------------------------------------

RECRUITING = Audience(name="recruiting", tags=("recruiting",))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("subscribe leadership monthly", Subscribe(Audience(), cadence=Cadence.MONTHLY)),
        ("subscribe leadership WEEKLY", Subscribe(Audience(), cadence=Cadence.WEEKLY)),
        ("subscribe monthly leadership", Subscribe(Audience(), cadence=Cadence.MONTHLY)),
        (
            "subscribe recruiting monthly on tuesday 9am",
            Subscribe(RECRUITING, 1, "09:00", cadence=Cadence.MONTHLY),
        ),
        (
            "subscribe #recruiting monthly on the first friday at 4pm Europe/London",
            Subscribe(RECRUITING, 4, "16:00", "Europe/London", Cadence.MONTHLY),
        ),
        # "the first tuesday" only exists monthly, so it says monthly on its own.
        (
            "subscribe leadership on the 1st tuesday",
            Subscribe(Audience(), 1, cadence=Cadence.MONTHLY),
        ),
        (
            "subscribe #hr every friday at 16:00",
            Subscribe(Audience(name="hr", tags=("hr",)), 4, "16:00"),
        ),
    ],
)
def test_subscribe_with_a_cadence(text: str, expected: Subscribe) -> None:
    assert parse_command(text, known_tags=TAGS) == expected


def test_no_cadence_word_means_the_default_weekly_digest() -> None:
    result = parse_command("subscribe leadership friday 08:30")
    assert isinstance(result, Subscribe) and result.cadence is None


def test_a_bare_department_name_must_be_a_known_tag() -> None:
    # Without the list of tags a bare word is not guessed into a department.
    assert error("subscribe recruiting monthly").suggestion == "did you mean `#recruiting`?"
    assert error("subscribe recruting monthly", known_tags=TAGS).suggestion == (
        "did you mean `#recruiting`?"
    )


def test_cadence_mistakes_say_what_to_type() -> None:
    assert error("subscribe leadership monthly weekly").message == "Give one cadence, not two."
    assert error("subscribe leadership montly").suggestion == "did you mean `monthly`?"
    problem = error("subscribe leadership weekly on the first monday")
    assert problem.message == "A weekly digest goes out every week, not on the first."
    assert problem.suggestion == "type `monthly` for the first Monday of each month"
    assert "Who is the digest for?" in error("subscribe monthly").message


def test_the_help_mentions_monthly_digests() -> None:
    assert any("monthly" in usage for usage, _ in USAGE)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("unsubscribe", None),
        ("unsubscribe leadership", "leadership"),
        ("UNSUBSCRIBE #Recruiting", "recruiting"),
        ("unsubscribe tag:recruiting #hr", "hr+recruiting"),
        ("unsubscribe linkedin", "linkedin"),
    ],
)
def test_unsubscribe_names_the_audience_like_subscribe_does(text: str, name: str | None) -> None:
    assert parse_command(text) == Unsubscribe(name)


def test_unsubscribe_works_for_tags_no_longer_known() -> None:
    assert parse_command("unsubscribe #retired", known_tags=TAGS) == Unsubscribe("retired")


def test_unsubscribe_a_bare_word_suggests_the_tag() -> None:
    assert error("unsubscribe recruiting").suggestion == "did you mean `#recruiting`?"


# --- mistakes ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "suggestion"),
    [
        ("linkdin", "did you mean `linkedin`?"),
        ("instagarm", "did you mean `instagram`?"),
        ("peer", "did you mean `peers`?"),
        ("subscirbe", "did you mean `subscribe`?"),
        ("recruiting", "did you mean `#recruiting`?"),
    ],
)
def test_unknown_words_are_named_with_the_closest_thing_that_works(
    text: str, suggestion: str
) -> None:
    problem = error(text, known_tags=TAGS)
    assert problem == CommandError(f"I don't know `{text}`.", suggestion)


@pytest.mark.parametrize("text", ["subscribe leadership peers", "unsubscribe campaign"])
def test_a_real_word_in_the_wrong_command_says_it_does_not_fit(text: str) -> None:
    word = text.split()[-1]
    assert error(text) == CommandError(
        f"`{word}` doesn't fit here.", "type `help` to see what works"
    )


def test_leadership_in_a_wins_query_changes_nothing() -> None:
    assert wins("leadership 30d") == ShowWins(span=timedelta(days=30))


def test_an_unknown_word_with_nothing_close_points_to_help() -> None:
    assert error("!!!", known_tags=TAGS).suggestion == "type `help` to see what works"


def test_with_no_known_tags_a_plain_word_is_guessed_to_be_a_tag() -> None:
    assert error("marketing").suggestion == "did you mean `#marketing`?"


@pytest.mark.parametrize("text", ["7days", "0d", "99999d", "2y"])
def test_spans_that_do_not_parse_say_what_works(text: str) -> None:
    assert error(text).suggestion == "try `7d`, `30d`, `2w` or `24h`"


def test_spans_longer_than_a_year_are_refused() -> None:
    assert error("367d").message == "`367d` is longer than a year."
    assert error("53w").message == "`53w` is longer than a year."


@pytest.mark.parametrize("text", ["7d 30d", "7d 7d", "1w 7d"])
def test_two_spans_are_refused(text: str) -> None:
    assert error(text) == CommandError("Give one span, not two.", "e.g. `30d`")


def test_long_text_is_refused() -> None:
    assert isinstance(parse_command("campaign " + "a" * 491), ShowWins)
    assert "a command fits in 500" in error("campaign " + "a" * 492).message


@pytest.mark.parametrize("text", ["linkedin\x00", "\x1b[31m", "30d\x7f"])
def test_control_characters_are_refused(text: str) -> None:
    assert "control characters" in error(text).message


def test_long_words_are_shortened_in_messages() -> None:
    problem = error("q" * 200)
    assert len(problem.message) < 60


def test_invisible_characters_pasted_from_rich_text_are_ignored() -> None:
    assert wins("\u200blinkedin\ufeff") == ShowWins(platforms=(Platform.LINKEDIN,))


# --- help text ---------------------------------------------------------------------------------


def test_usage_lines_are_written_without_the_command_prefix() -> None:
    assert all(not usage.startswith(("/wins", "wins ")) for usage, _ in USAGE)
    assert all(description for _, description in USAGE)


@pytest.mark.parametrize("example", EXAMPLES)
def test_every_example_parses(example: str) -> None:
    result = parse_command(example)
    assert not isinstance(result, CommandError), result


@pytest.mark.parametrize("usage", [u for u, _ in USAGE])
def test_every_usage_line_parses_once_placeholders_are_filled(usage: str) -> None:
    filled = re.sub(r"\s*\|\s*\S+", "", usage)  # the first of "a | b" alternatives
    filled = filled.replace("NAME", "Spring").replace("@handle", "@ours").replace("words", "video")
    filled = filled.replace("[", "").replace("]", "")
    assert not isinstance(parse_command(filled), CommandError), filled


# --- properties --------------------------------------------------------------------------------


@settings(max_examples=500)
@given(st.text(max_size=600))
def test_any_text_parses_to_a_command_or_an_error_and_never_raises(text: str) -> None:
    result = parse_command(text, known_tags=TAGS, known_campaigns=CAMPAIGNS)
    assert isinstance(result, Command | CommandError)


words = st.sampled_from(
    ["#", "@", "<#", "<@", "campaign", "subscribe", "tag:", "account:", "9:", "pm", "/", "30d"]
)


@settings(max_examples=300)
@given(st.lists(st.one_of(words, st.text(max_size=12)), max_size=12))
def test_near_miss_token_soup_never_raises(parts: list[str]) -> None:
    result = parse_command(" ".join(parts), known_tags=TAGS, known_campaigns=CAMPAIGNS)
    assert isinstance(result, Command | CommandError)


platform_words = st.sampled_from(
    [*(p.value for p in Platform), *(a for a in PLATFORM_ALIASES if " " not in a)]
)
tag_words = st.builds(
    lambda tag, prefix, upper: prefix + (tag.upper() if upper else tag),
    st.sampled_from(TAGS),
    st.sampled_from(["#", "tag:", "TAG:#"]),
    st.booleans(),
)
account_words = st.builds(
    lambda handle, prefix: prefix + handle,
    st.from_regex(r"[A-Za-z0-9_.]{1,15}", fullmatch=True),
    st.sampled_from(["@", "account:"]),
)
span_words = st.builds(
    lambda n, unit: f"{n}{unit}",
    st.integers(1, 52),
    st.sampled_from(["h", "d", "w", "H", "D"]),
)


@settings(max_examples=300)
@given(
    filters=st.lists(st.one_of(platform_words, tag_words, account_words), max_size=8),
    span=st.none() | span_words,
    peers=st.booleans(),
    campaign=st.none() | st.sampled_from(CAMPAIGNS),
    order=st.randoms(use_true_random=False),
)
def test_grammar_combinations_parse_to_the_filters_they_name(
    filters: list[str], span: str | None, peers: bool, campaign: str | None, order: random.Random
) -> None:
    words = [*filters, *([span] if span else []), *(["peers"] if peers else [])]
    order.shuffle(words)
    text = " ".join(words) + (f" campaign {campaign.lower()}" if campaign else "")
    result = parse_command(text, known_tags=TAGS, known_campaigns=CAMPAIGNS)
    assert isinstance(result, ShowWins), (text, result)
    assert result.peers is peers
    assert result.campaign == campaign
    is_tag = [w for w in filters if w.lower().startswith(("#", "tag:"))]
    is_account = [w for w in filters if w.startswith(("@", "account:"))]
    assert set(result.tags) == {w.lower().removeprefix("tag:").lstrip("#") for w in is_tag}
    assert set(result.accounts) == {w.split(":")[-1].lstrip("@") for w in is_account}
    others = set(filters) - set(is_tag) - set(is_account)
    assert set(result.platforms) == {parse_platform(w) for w in others}
    assert len(result.platforms) == len(set(result.platforms))


schedule_words = st.sampled_from(
    ["monday", "Tue", "fridays", "9am", "17:30", "8:05pm", "UTC", "europe/london", "Asia/Tokyo"]
)


@settings(max_examples=200)
@given(
    audience=st.lists(st.one_of(tag_words, platform_words), min_size=1, max_size=4),
    schedule=st.lists(schedule_words, max_size=1) | st.just([]),
    order=st.randoms(use_true_random=False),
)
def test_subscribe_combinations_parse_and_unsubscribe_finds_them_by_the_same_words(
    audience: list[str], schedule: list[str], order: random.Random
) -> None:
    words = [*audience, *schedule]
    order.shuffle(words)
    result = parse_command("subscribe " + " ".join(words), known_tags=TAGS)
    assert isinstance(result, Subscribe), (words, result)
    assert not result.audience.is_leadership
    reverse = list(reversed(audience))
    assert parse_command("unsubscribe " + " ".join(reverse)) == Unsubscribe(result.audience.name)


# --- why N --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["why 7", "why #7", "WHY 7", "wins why 7", "/wins why #7", "why 007"]
)
def test_why_takes_a_wins_number_with_or_without_a_hash(text: str) -> None:
    assert parse_command(text) == ExplainWin(7)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("why", "Which win? Put its number after `why`."),
        ("why seven", "`why` takes a win's number, not `seven`."),
        ("why #recruiting", "`why` takes a win's number, not `#recruiting`."),
        ("why 7 8", "Ask about one win at a time."),
        ("why -7", "`why` takes a win's number, not `-7`."),
        ("why 1234567890123456789", "`why` takes a win's number, not `1234567890123456789`."),
    ],
)
def test_why_without_a_number_says_what_to_type(text: str, message: str) -> None:
    found = error(text)
    assert found.message == message
    assert found.suggestion is not None and "`wins why 7`" in found.suggestion


def test_why_after_filters_is_told_to_go_first() -> None:
    assert error("30d why 7").message == "`why` goes first."
