"""The working-day calendar on real dates: England's bank holidays, weekends, pauses."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audit.models import AuditEvent
from inspections.calendar import (
    add_working_days,
    bank_holidays,
    is_working_day,
    next_working_day,
    pauses_covering,
    working_days_between,
)
from inspections.models import PublicationPause
from tests.factories import LocalAuthorityFactory, UserFactory

pytestmark = pytest.mark.django_db

D = datetime.date
PRE_ELECTION = PublicationPause.Kind.PRE_ELECTION


@pytest.fixture
def general_election():
    """The 2024 general election's pre-election period, declared nationally."""
    return PublicationPause.objects.create(
        start_date=D(2024, 5, 27), end_date=D(2024, 7, 5), kind=PRE_ELECTION,
        reason="General election",
    )  # fmt: skip


@pytest.fixture
def fernshire():
    return LocalAuthorityFactory(name="Fernshire")


@pytest.fixture
def fernshire_by_election(fernshire):
    """A pause in Fernshire alone: Monday 15 to Friday 19 April 2024."""
    return PublicationPause.objects.create(
        start_date=D(2024, 4, 15), end_date=D(2024, 4, 19), authority=fernshire,
        kind=PRE_ELECTION, reason="Mayoral by-election",
    )  # fmt: skip


def run(*args):
    out = io.StringIO()
    call_command("working_days", *args, stdout=out)
    return out.getvalue().strip()


# England's bank holidays, from the holidays library.


def test_christmas_boxing_day_and_new_years_day_are_skipped():
    """From Friday 20 December 2024 to Monday 6 January 2025: 8 working days."""
    # 23 Dec, 24, (25 Christmas, 26 Boxing Day), 27, 30, 31, (1 Jan), 2, 3, 6 -> 8.
    assert working_days_between(D(2024, 12, 20), D(2025, 1, 6)) == 8


def test_easter_2025_skips_good_friday_and_easter_monday():
    """Thursday 17 April 2025 to Tuesday 22 April: Good Friday 18 and Easter Monday 21 out."""
    assert not is_working_day(D(2025, 4, 18))
    assert not is_working_day(D(2025, 4, 21))
    assert working_days_between(D(2025, 4, 17), D(2025, 4, 22)) == 1


def test_the_2022_spring_bank_holiday_and_platinum_jubilee_are_skipped():
    """Thursday 2 and Friday 3 June 2022 were both bank holidays."""
    assert working_days_between(D(2022, 6, 1), D(2022, 6, 6)) == 1


def test_the_queens_state_funeral_is_not_a_working_day():
    """Monday 19 September 2022, the State Funeral of Queen Elizabeth II."""
    assert not is_working_day(D(2022, 9, 19))
    assert working_days_between(D(2022, 9, 16), D(2022, 9, 20)) == 1


def test_the_2023_coronation_is_not_a_working_day():
    """Monday 8 May 2023, the Coronation of King Charles III."""
    assert not is_working_day(D(2023, 5, 8))
    assert D(2023, 5, 8) in bank_holidays(2023)


def test_bank_holidays_are_englands():
    """England's, not Scotland's: 2 January and St Andrew's Day are working days."""
    assert is_working_day(D(2024, 1, 2))
    assert is_working_day(D(2023, 11, 30))


def test_weekends_are_not_working_days():
    """Saturday and Sunday are skipped: Friday 1 to Monday 4 March 2024 is one day."""
    assert not is_working_day(D(2024, 3, 2))
    assert not is_working_day(D(2024, 3, 3))
    assert is_working_day(D(2024, 3, 4))
    assert working_days_between(D(2024, 3, 1), D(2024, 3, 4)) == 1


# Counting.


def test_the_start_does_not_count_and_the_end_does():
    """Monday to Tuesday is one working day; a day to itself is none."""
    assert working_days_between(D(2024, 3, 4), D(2024, 3, 5)) == 1
    assert working_days_between(D(2024, 3, 4), D(2024, 3, 4)) == 0


def test_counting_backwards_is_negative():
    """An end before the start gives minus the count the other way (a deadline overdue)."""
    assert working_days_between(D(2025, 1, 6), D(2024, 12, 20)) == -8


def test_adding_working_days_skips_christmas():
    """8 working days after Friday 20 December 2024 is Monday 6 January 2025."""
    assert add_working_days(D(2024, 12, 20), 8) == D(2025, 1, 6)


def test_adding_no_working_days_gives_the_start_itself():
    """n = 0 is the start, even on a Saturday."""
    assert add_working_days(D(2024, 3, 2), 0) == D(2024, 3, 2)


def test_adding_a_negative_number_is_refused():
    with pytest.raises(ValueError):
        add_working_days(D(2024, 3, 4), -1)


# Pauses.


def test_a_national_pause_stops_the_count(general_election):
    """Friday 24 May to Monday 8 July 2024, with the election pause: only 8 July counts."""
    assert working_days_between(D(2024, 5, 24), D(2024, 7, 8)) == 1


def test_a_national_pause_applies_to_every_authority(general_election, fernshire):
    assert not is_working_day(D(2024, 6, 12))
    assert not is_working_day(D(2024, 6, 12), authority=fernshire)


def test_a_pause_includes_its_first_and_last_days(general_election):
    """Tuesday 28 May and Friday 5 July are in; Monday 8 July is out."""
    assert not is_working_day(D(2024, 5, 28))
    assert not is_working_day(D(2024, 7, 5))
    assert is_working_day(D(2024, 7, 8))


def test_an_authoritys_pause_applies_to_it_alone(fernshire_by_election, fernshire):
    """Wednesday 17 April 2024 is paused for Fernshire, not nationally nor elsewhere."""
    elsewhere = LocalAuthorityFactory(name="Westmoor")
    assert not is_working_day(D(2024, 4, 17), authority=fernshire)
    assert not is_working_day(D(2024, 4, 17), authority=fernshire.pk)
    assert is_working_day(D(2024, 4, 17))
    assert is_working_day(D(2024, 4, 17), authority=elsewhere)


def test_an_authoritys_pause_stops_its_count_alone(fernshire_by_election, fernshire):
    """Friday 12 to Monday 22 April 2024: 6 working days, or 1 for Fernshire."""
    assert working_days_between(D(2024, 4, 12), D(2024, 4, 22)) == 6
    assert working_days_between(D(2024, 4, 12), D(2024, 4, 22), authority=fernshire) == 1


def test_adding_working_days_across_a_pause(general_election):
    """3 working days after Friday 24 May 2024 is Wednesday 10 July: the pause is skipped."""
    assert add_working_days(D(2024, 5, 24), 3) == D(2024, 7, 10)


def test_a_long_pause_past_the_first_guess_is_still_skipped():
    """A pause longer than the window first read: the window grows, the answer is right."""
    PublicationPause.objects.create(
        start_date=D(2020, 3, 23), end_date=D(2020, 6, 30),
        kind=PublicationPause.Kind.OTHER, reason="Pandemic",
    )  # fmt: skip
    # Friday 20 March 2020 + 5: Wednesday 1 July to Tuesday 7 July.
    assert add_working_days(D(2020, 3, 20), 5) == D(2020, 7, 7)
    assert next_working_day(D(2020, 3, 23)) == D(2020, 7, 1)


def test_pauses_covering_names_the_pauses_that_apply(general_election, fernshire_by_election):
    assert list(pauses_covering(D(2024, 6, 12))) == [general_election]
    assert list(pauses_covering(D(2024, 4, 17))) == []
    fernshire = fernshire_by_election.authority
    assert list(pauses_covering(D(2024, 4, 17), fernshire)) == [fernshire_by_election]


# The next working day.


def test_the_next_working_day_of_a_working_day_is_itself():
    assert next_working_day(D(2024, 3, 4)) == D(2024, 3, 4)


def test_the_next_working_day_after_a_saturday_is_monday():
    assert next_working_day(D(2024, 3, 2)) == D(2024, 3, 4)


def test_the_next_working_day_after_a_bank_holiday():
    """Christmas Day 2025 is a Thursday, Boxing Day a Friday: Monday 29 December."""
    assert next_working_day(D(2025, 12, 25)) == D(2025, 12, 29)


def test_the_next_working_day_in_a_pause_is_after_it(general_election):
    assert next_working_day(D(2024, 6, 12)) == D(2024, 7, 8)


# One query, however long the span.


def test_a_count_reads_the_pauses_once(general_election, django_assert_num_queries):
    with django_assert_num_queries(1):
        working_days_between(D(2024, 1, 1), D(2025, 12, 31))


# Properties, on random dates (the count comes from the Hypothesis profile).

PROPERTY = settings(
    deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
dates = st.dates(D(2018, 1, 1), D(2030, 12, 31))


@pytest.fixture
def pauses(general_election, fernshire_by_election):
    """A national pause and an authority's, so the properties cross both."""
    return fernshire_by_election.authority


def test_counting_undoes_adding(pauses):
    """working_days_between(start, add_working_days(start, n)) == n, for n in 0..400."""

    @PROPERTY
    @given(start=dates, n=st.integers(0, 400), local=st.booleans())
    def check(start, n, local):
        authority = pauses if local else None
        end = add_working_days(start, n, authority=authority)
        assert working_days_between(start, end, authority=authority) == n

    check()


def test_adding_lands_on_a_working_day(pauses):
    """For n > 0, add_working_days gives a working day."""

    @PROPERTY
    @given(start=dates, n=st.integers(1, 400), local=st.booleans())
    def check(start, n, local):
        authority = pauses if local else None
        assert is_working_day(add_working_days(start, n, authority=authority), authority=authority)

    check()


def test_counting_agrees_with_is_working_day(pauses):
    """The count over a span is the number of days in it that is_working_day accepts."""

    @PROPERTY
    @given(start=dates, days=st.integers(-20, 40), local=st.booleans())
    def check(start, days, local):
        authority = pauses if local else None
        end = start + datetime.timedelta(days=days)
        low, high = sorted([start, end])
        span = [low + datetime.timedelta(days=i + 1) for i in range((high - low).days)]
        count = sum(is_working_day(day, authority=authority) for day in span)
        assert working_days_between(start, end, authority=authority) == (
            count if end >= start else -count
        )

    check()


# The command.


def test_command_counts_working_days():
    assert run("2024-12-20", "2025-01-06") == "8"


def test_command_adds_working_days():
    assert run("2024-12-20", "+8") == "2025-01-06"


def test_command_counts_an_authoritys_pauses_by_name_or_id(fernshire_by_election, fernshire):
    assert run("2024-04-12", "2024-04-22") == "6"
    assert run("2024-04-12", "2024-04-22", "--authority", "fernshire") == "1"
    assert run("2024-04-12", "+1", "--authority", str(fernshire.pk)) == "2024-04-22"


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["20/12/2024", "2025-01-06"], "FROM must be a date"),
        (["2024-02-30", "2025-01-06"], "FROM must be a date"),
        (["2024-12-20", "soon"], "TO must be a date"),
        (["2024-12-20", "+x"], "+N must be + and a whole number"),
        (["2024-12-20", "+-3"], "+N must be + and a whole number"),
        (["2024-12-20", "+99999999999999999999"], "+N must be at most"),
        (["2024-12-20", "+8", "--authority", "Nowhere"], "No local authority"),
        (["2024-12-20", "+8", "--authority", "99999"], "No local authority"),
    ],
)
def test_command_refuses_bad_input_in_one_line(args, words):
    with pytest.raises(CommandError) as refused:
        run(*args)
    message = str(refused.value)
    assert words in message
    assert "\n" not in message


def test_command_answers_any_input_or_refuses_it_in_one_line(fernshire):
    """Fuzz: whatever the arguments, a number, a date, or a one-line CommandError."""
    any_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=25)
    dates_or_text = st.one_of(dates.map(str), any_text)
    to = st.one_of(dates_or_text, st.integers(-5, 10**25).map(lambda n: f"+{n}"))
    authority = st.one_of(
        st.none(), any_text, st.just("Fernshire"), st.integers(-1, 2**70).map(str)
    )

    @PROPERTY
    @given(start=dates_or_text, to=to, authority=authority)
    def check(start, to, authority):
        args = [start, to] + ([] if authority is None else ["--authority", authority])
        try:
            answer = run(*args)
        except CommandError as refused:
            assert "\n" not in str(refused)
        else:
            assert answer.lstrip("-").isdigit() or datetime.date.fromisoformat(answer)

    check()


# The model and its admin.


def test_a_pause_ending_before_it_starts_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        PublicationPause.objects.create(
            start_date=D(2024, 5, 2), end_date=D(2024, 5, 1), kind=PRE_ELECTION, reason="x"
        )


def test_a_pause_ending_before_it_starts_is_refused_on_its_last_day():
    pause = PublicationPause(
        start_date=D(2024, 5, 2), end_date=D(2024, 5, 1), kind=PRE_ELECTION, reason="x"
    )
    with pytest.raises(ValidationError) as refused:
        pause.full_clean()
    assert refused.value.message_dict == {
        "end_date": ["The last day of the pause cannot be before the first."]
    }


def test_a_pause_reason_is_one_line():
    pause = PublicationPause(
        start_date=D(2024, 5, 2), end_date=D(2024, 5, 2), kind=PRE_ELECTION, reason="a\nb"
    )
    with pytest.raises(ValidationError) as refused:
        pause.full_clean()
    assert list(refused.value.message_dict) == ["reason"]


@pytest.fixture
def administrator(client):
    user = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


def test_the_pause_admin_saves_through_the_service(client, administrator, fernshire):
    """Adding a pause in the admin writes the audit event publicationpause.create."""
    response = client.post(
        reverse("admin:inspections_publicationpause_add"),
        {
            "start_date": "2024-04-15",
            "end_date": "2024-04-19",
            "authority": fernshire.pk,
            "kind": "pre_election",
            "reason": "Mayoral by-election",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    pause = PublicationPause.objects.get()
    event = AuditEvent.objects.get(action="publicationpause.create")
    assert (event.actor, event.target_id) == (administrator, pause.pk)
    assert not is_working_day(D(2024, 4, 17), authority=fernshire)


def test_the_pause_admin_lists_national_pauses(client, administrator, general_election):
    response = client.get(
        reverse("admin:inspections_publicationpause_changelist"), {"scope": "national"}
    )
    assert response.status_code == 200
    assert "General election" in response.content.decode()


def test_the_pause_admin_refuses_an_end_before_the_start_once(client, administrator):
    """The admin says so beside the last day, once, and saves nothing."""
    response = client.post(
        reverse("admin:inspections_publicationpause_add"),
        {"start_date": "2024-05-02", "end_date": "2024-05-01", "kind": "other", "reason": "x"},
    )
    assert response.status_code == 200
    assert response.content.decode().count("cannot be before the first") == 1
    assert not PublicationPause.objects.exists()
    assert not AuditEvent.objects.filter(action="publicationpause.create").exists()
