"""The deadline columns of lists count with the pauses as this process read them at most
LIST_CALENDAR_SECONDS ago (inspections.calendar.working_days_for_lists)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from inspections import calendar
from inspections.models import PublicationPause

pytestmark = pytest.mark.django_db

D = datetime.date


class Clock:
    def __init__(self):
        self.now = 1000.0

    def monotonic(self):
        return self.now


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(calendar, "time", clock)
    return clock


def pause():
    """A week's pause, 6 to 10 January 2025, saved as a service or the admin saves it."""
    return PublicationPause.objects.create(
        start_date=D(2025, 1, 6),
        end_date=D(2025, 1, 10),
        kind=PublicationPause.Kind.OTHER,
        reason="Test",
    )


def reads_of(action):
    with CaptureQueriesContext(connection) as queries:
        result = action()
    return result, len(queries.captured_queries)


def test_lists_within_the_time_read_the_pauses_once(clock):
    _, first = reads_of(calendar.working_days_for_lists)
    clock.now += 59
    _, second = reads_of(calendar.working_days_for_lists)
    assert (first, second) == (1, 0)


def test_after_the_time_the_pauses_are_read_again(clock, settings):
    settings.LIST_CALENDAR_SECONDS = 60
    calendar.working_days_for_lists()
    PublicationPause.objects.bulk_create(  # no signal: as another process would save it
        [PublicationPause(start_date=D(2025, 1, 6), end_date=D(2025, 1, 10), reason="Test")]
    )
    assert calendar.working_days_for_lists().is_working_day(D(2025, 1, 7))
    clock.now += 60
    assert not calendar.working_days_for_lists().is_working_day(D(2025, 1, 7))


def test_a_pause_saved_in_this_process_counts_at_once(clock):
    assert calendar.working_days_for_lists().is_working_day(D(2025, 1, 7))
    made = pause()
    assert not calendar.working_days_for_lists().is_working_day(D(2025, 1, 7))
    made.delete()
    assert calendar.working_days_for_lists().is_working_day(D(2025, 1, 7))


def test_with_no_time_every_list_reads_the_pauses(clock, settings):
    settings.LIST_CALENDAR_SECONDS = 0
    calendar.working_days_for_lists()
    _, reads = reads_of(calendar.working_days_for_lists)
    assert reads == 1
