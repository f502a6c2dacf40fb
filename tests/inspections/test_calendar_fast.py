"""The working-day calendar's arithmetic against counting day by day.

The calendar counts spans by whole weeks, bank holidays by binary search and pauses by
their merged runs; these tests hold it to the plain definition, walked one day at a
time, on random dates, numbers and pauses, and on the edges where such arithmetic slips.
"""

import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inspections.calendar import (
    WorkingDays,
    add_working_days,
    is_bank_holiday,
    is_working_day,
    next_working_day,
    working_days_between,
)
from inspections.models import PublicationPause
from tests.factories import LocalAuthorityFactory

pytestmark = pytest.mark.django_db

D = datetime.date
ONE_DAY = datetime.timedelta(days=1)


# The reference: the definition, one day at a time.


def naive_is_working_day(day, pauses, authority):
    """Monday to Friday, not a bank holiday, in no pause of `authority` or national
    (`pauses` as (owner's name or None, first day, last day), `authority` a name)."""
    if day.weekday() >= 5 or is_bank_holiday(day):
        return False
    return not any(
        owner in (None, authority) and first <= day <= last for owner, first, last in pauses
    )


def naive_between(start, end, pauses, authority):
    low, high = sorted([start, end])
    count = 0
    day = low + ONE_DAY
    while day <= high:
        count += naive_is_working_day(day, pauses, authority)
        day += ONE_DAY
    return count if end >= start else -count


def naive_add(start, n, pauses, authority):
    day = start
    while n:
        day += ONE_DAY
        n -= naive_is_working_day(day, pauses, authority)
    return day


def naive_next(day, pauses, authority):
    while not naive_is_working_day(day, pauses, authority):
        day += ONE_DAY
    return day


def naive_previous(day, pauses, authority):
    day -= ONE_DAY
    while not naive_is_working_day(day, pauses, authority):
        day -= ONE_DAY
    return day


# Random pauses near the dates asked about, so that they meet: national or an
# authority's, overlapping or touching one another, over weekends and bank holidays, and
# some over Christmas.

OWNERS = st.sampled_from([None, "fernshire", "westmoor"])


@st.composite
def pause_near(draw, base):
    owner = draw(OWNERS)
    if draw(st.booleans()):
        first = base + datetime.timedelta(days=draw(st.integers(-60, 500)))
    else:
        # Christmas and New Year of a year near `base`.
        year = base.year + draw(st.integers(-1, 1))
        first = D(year, 12, draw(st.integers(18, 31)))
    return owner, first, first + datetime.timedelta(days=draw(st.integers(0, 70)))


@st.composite
def cases(draw):
    start = draw(st.dates(D(2015, 1, 1), D(2035, 12, 31)))
    pauses = draw(st.lists(pause_near(start), max_size=5))
    end = start + datetime.timedelta(days=draw(st.integers(-800, 800)))
    return start, end, draw(st.integers(0, 400)), pauses, draw(OWNERS)


PROPERTY = settings(
    max_examples=200,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
def authorities():
    return {
        "fernshire": LocalAuthorityFactory(name="Fernshire"),
        "westmoor": LocalAuthorityFactory(name="Westmoor"),
    }


def store(pauses, authorities):
    """Replace the pauses in the database with `pauses`: (owner name or None, first, last)."""
    PublicationPause.objects.all().delete()
    PublicationPause.objects.bulk_create(
        PublicationPause(
            start_date=first,
            end_date=last,
            authority=authorities.get(owner),
            kind=PublicationPause.Kind.OTHER,
            reason="Test pause",
        )
        for owner, first, last in pauses
    )


def test_working_days_agrees_with_counting_day_by_day(authorities):
    """WorkingDays.between, add, next, previous and is_working_day, with random pauses."""

    @PROPERTY
    @given(case=cases())
    def check(case):
        start, end, n, pauses, owner = case
        store(pauses, authorities)
        calendar = WorkingDays()
        authority = authorities[owner].pk if owner else None
        assert calendar.between(start, end, authority=authority) == (
            naive_between(start, end, pauses, owner)
        )
        assert calendar.add(start, n, authority=authority) == naive_add(start, n, pauses, owner)
        assert calendar.next(start, authority=authority) == naive_next(start, pauses, owner)
        assert calendar.previous(start, authority=authority) == (
            naive_previous(start, pauses, owner)
        )
        assert calendar.is_working_day(start, authority=authority) == (
            naive_is_working_day(start, pauses, owner)
        )

    check()


def test_the_functions_agree_with_counting_day_by_day(authorities):
    """working_days_between, add_working_days, next_working_day and is_working_day, with
    random pauses and the authority given as itself."""

    @PROPERTY
    @given(case=cases())
    def check(case):
        start, end, n, pauses, owner = case
        store(pauses, authorities)
        authority = authorities.get(owner)
        assert working_days_between(start, end, authority=authority) == (
            naive_between(start, end, pauses, owner)
        )
        assert add_working_days(start, n, authority=authority) == (
            naive_add(start, n, pauses, owner)
        )
        assert next_working_day(start, authority=authority) == (naive_next(start, pauses, owner))
        assert is_working_day(start, authority=authority) == (
            naive_is_working_day(start, pauses, owner)
        )

    check()


# The edges.


def national_pause(first, last):
    return PublicationPause.objects.create(
        start_date=first, end_date=last, kind=PublicationPause.Kind.OTHER, reason="Test pause"
    )


def test_counting_from_a_weekend_starts_on_monday():
    """From Saturday 2 March 2024: Monday 4 March is the first working day after it."""
    calendar = WorkingDays()
    assert calendar.between(D(2024, 3, 2), D(2024, 3, 4)) == 1
    assert calendar.between(D(2024, 3, 2), D(2024, 3, 3)) == 0
    assert calendar.add(D(2024, 3, 2), 1) == D(2024, 3, 4)
    assert calendar.add(D(2024, 3, 3), 5) == D(2024, 3, 8)


def test_a_bank_holiday_at_the_end_of_the_span_does_not_count():
    """Friday 20 December 2024 to Christmas Day: 23 and 24 December, Christmas Day not."""
    calendar = WorkingDays()
    assert calendar.between(D(2024, 12, 20), D(2024, 12, 25)) == 2
    assert calendar.between(D(2024, 12, 20), D(2024, 12, 26)) == 2
    assert calendar.between(D(2024, 12, 20), D(2024, 12, 27)) == 3


def test_adding_onto_a_bank_holiday_goes_past_it():
    """3 working days after Friday 20 December 2024 is Friday 27 December, not Christmas."""
    assert WorkingDays().add(D(2024, 12, 20), 3) == D(2024, 12, 27)


def test_a_pause_on_the_answer_day_moves_it_on():
    """1 after Monday 4 March 2024 is Tuesday 5; with Tuesday 5 paused, Wednesday 6."""
    assert WorkingDays().add(D(2024, 3, 4), 1) == D(2024, 3, 5)
    national_pause(D(2024, 3, 5), D(2024, 3, 5))
    calendar = WorkingDays()
    assert calendar.add(D(2024, 3, 4), 1) == D(2024, 3, 6)
    assert calendar.between(D(2024, 3, 4), D(2024, 3, 5)) == 0


def test_a_pause_ending_on_a_friday_moves_the_answer_to_monday():
    """A pause Wednesday 6 to Friday 8 March 2024: 1 after Tuesday 5 is Monday 11."""
    national_pause(D(2024, 3, 6), D(2024, 3, 8))
    assert WorkingDays().add(D(2024, 3, 5), 1) == D(2024, 3, 11)


def test_adding_from_inside_a_long_pause_starts_after_it():
    """From inside a pause 1 April to 30 June 2024, 2 working days on is Wednesday 2 July."""
    national_pause(D(2024, 4, 1), D(2024, 6, 30))
    calendar = WorkingDays()
    assert calendar.add(D(2024, 5, 15), 2) == D(2024, 7, 2)
    assert calendar.next(D(2024, 5, 15)) == D(2024, 7, 1)


def test_the_working_day_before_a_pause_is_before_it():
    """The last working day before Monday 8 July 2024, after a pause from Monday 27 May
    (a bank holiday) to Friday 5 July, is Friday 24 May."""
    national_pause(D(2024, 5, 27), D(2024, 7, 5))
    assert WorkingDays().previous(D(2024, 7, 8)) == D(2024, 5, 24)


def test_overlapping_pauses_close_each_day_once():
    """A national pause and an authority's over the same week take that week once."""
    fernshire = LocalAuthorityFactory(name="Fernshire")
    national_pause(D(2024, 4, 15), D(2024, 4, 17))
    PublicationPause.objects.create(
        start_date=D(2024, 4, 16), end_date=D(2024, 4, 19), authority=fernshire,
        kind=PublicationPause.Kind.PRE_ELECTION, reason="By-election",
    )  # fmt: skip
    calendar = WorkingDays()
    # Friday 12 to Monday 22 April, 6 working days: 3 left nationally, 1 for Fernshire.
    assert calendar.between(D(2024, 4, 12), D(2024, 4, 22)) == 3
    assert calendar.between(D(2024, 4, 12), D(2024, 4, 22), authority=fernshire.pk) == 1
    assert calendar.add(D(2024, 4, 12), 1, authority=fernshire.pk) == D(2024, 4, 22)


def test_an_end_before_the_start_gives_a_negative_count():
    """Monday 6 January 2025 back to Friday 20 December 2024: minus 8."""
    calendar = WorkingDays()
    assert calendar.between(D(2025, 1, 6), D(2024, 12, 20)) == -8
    assert calendar.between(D(2025, 1, 6), D(2025, 1, 3)) == -1


def test_counting_across_a_new_year_skips_new_years_day():
    """Thursday 31 December 2020 to Monday 4 January 2021: Friday 1 January was a bank
    holiday, so Monday is the one working day."""
    calendar = WorkingDays()
    assert calendar.between(D(2020, 12, 31), D(2021, 1, 4)) == 1
    assert calendar.add(D(2020, 12, 31), 1) == D(2021, 1, 4)
    assert calendar.previous(D(2021, 1, 4)) == D(2020, 12, 31)


def test_counting_over_years_takes_each_years_bank_holidays():
    """After 1 January 2019 up to 31 December 2025: 1,826 weekdays less 58 bank holidays."""
    assert WorkingDays().between(D(2019, 1, 1), D(2025, 12, 31)) == 1768


def test_adding_past_the_last_date_there_is_overflows():
    """The command reports an OverflowError as a date past the end of the calendar."""
    with pytest.raises(OverflowError):
        WorkingDays().add(D(9999, 12, 20), 30)
