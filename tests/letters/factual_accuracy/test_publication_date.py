"""The final letter's publication date, and publishing on it (publish_due)."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from audit.models import AuditEvent
from inspections.models import PublicationPause
from letters.models import Item, Letter
from letters.publication import schedule
from tests.factories import force_status

pytestmark = pytest.mark.django_db

D = datetime.date


def final(world, day, **fields):
    """The world's letter signed off (as its QA manager) for publication on `day`."""
    return force_status(
        world["letter"], "final", publication_date=day, signed_off_by=world["qa"], **fields
    )


def run(today):
    out, err = io.StringIO(), io.StringIO()
    call_command("publish_due", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


# The default and the earliest date.


def test_the_default_date_is_21_working_days_after_the_last_day_on_site(world, today):
    """Visit ended Thursday 28 November 2024: 21 working days skip Christmas Day and Boxing
    Day, giving Tuesday 31 December (not 27 December)."""
    today(D(2024, 12, 2))
    assert schedule.default_publication_date(world["letter"]) == D(2024, 12, 31)


def test_the_target_is_a_setting(world, today, settings):
    """PUBLICATION_TARGET_WORKING_DAYS sets the target."""
    settings.PUBLICATION_TARGET_WORKING_DAYS = 10
    today(D(2024, 12, 2))
    assert schedule.default_publication_date(world["letter"]) == D(2024, 12, 12)


def test_the_default_never_falls_before_the_next_working_day(world, today):
    """When the target has passed, the default is the next working day."""
    today(D(2025, 2, 7))  # a Friday, long after the target
    assert schedule.default_publication_date(world["letter"]) == D(2025, 2, 10)


def test_the_default_skips_a_pause(world, today):
    """The authority's pause does not count: the 21st working day is after New Year."""
    PublicationPause.objects.create(
        start_date=D(2024, 12, 23),
        end_date=D(2024, 12, 31),
        kind=PublicationPause.Kind.PRE_ELECTION,
        reason="By-election",
        authority=world["letter"].visit.authority,
    )
    today(D(2024, 12, 2))
    assert schedule.default_publication_date(world["letter"]) == D(2025, 1, 8)


# Publishing on the day.


def test_publish_due_publishes_only_final_letters_whose_day_has_come(world, today):
    """A final letter due today is published; the same letter due tomorrow is not."""
    letter = final(world, D(2025, 1, 6))
    today(D(2025, 1, 3))
    out, _ = run(today)
    assert Letter.objects.get(pk=letter.pk).status == Letter.Status.FINAL
    assert "No letters are due" in out
    today(D(2025, 1, 6))
    out, _ = run(today)
    assert Letter.objects.get(pk=letter.pk).status == Letter.Status.PUBLISHED
    assert out.startswith(f"Published: letter {letter.pk}")
    event = AuditEvent.objects.get(action="letter.publish")
    assert event.detail["scheduled"] is True and event.actor == world["qa"]


def test_publish_due_leaves_approved_letters_alone(world, today):
    """An approved letter (no factual-accuracy round) waits for a QA manager to publish it."""
    today(D(2025, 1, 6))
    run(today)
    assert Letter.objects.get(pk=world["letter"].pk).status == Letter.Status.APPROVED


def test_publish_due_is_idempotent(world, today):
    """A second run publishes nothing more."""
    letter = final(world, D(2025, 1, 6))
    today(D(2025, 1, 6))
    run(today)
    out, _ = run(today)
    assert "No letters are due" in out
    assert Letter.objects.get(pk=letter.pk).versions.count() == 1


def test_a_pause_declared_later_moves_the_date_and_says_so(
    world, today, django_capture_on_commit_callbacks
):
    """A pause over the date moves publication to the first working day after it, records
    the move and tells the authority and the team; nothing is published in the pause."""
    letter = final(world, D(2025, 1, 6))
    PublicationPause.objects.create(
        start_date=D(2025, 1, 6),
        end_date=D(2025, 1, 8),
        kind=PublicationPause.Kind.NATIONAL_MOURNING,
        reason="National mourning",
    )
    today(D(2025, 1, 6))
    with django_capture_on_commit_callbacks(execute=True):
        out, _ = run(today)
    letter = Letter.objects.get(pk=letter.pk)
    assert letter.status == Letter.Status.FINAL
    assert letter.publication_date == D(2025, 1, 9)
    assert "Moved:" in out and "2025-01-09" in out
    event = AuditEvent.objects.get(action="letter.publication_moved")
    assert event.detail["publication_date"] == ["2025-01-06", "2025-01-09"]
    told = [m for m in mail.outbox if m.subject.startswith("Publication date moved")]
    assert {address for m in told for address in m.to} >= {
        "la-a@fernshire.example",
        "lead@ofsted.example",
    }
    assert "Thursday 9 January 2025" in told[0].body
    today(D(2025, 1, 9))
    run(today)
    assert Letter.objects.get(pk=letter.pk).status == Letter.Status.PUBLISHED


def test_a_letter_that_cannot_be_published_fails_the_command_in_one_line(world, today):
    """A final letter changed since sign-off is not published: a non-zero exit says why."""
    letter = final(world, D(2025, 1, 6))
    Item.objects.filter(section__letter=letter).update(text="Changed after sign-off.")
    today(D(2025, 1, 6))
    with pytest.raises(CommandError, match="has changed since it was approved"):
        run(today)
    assert Letter.objects.get(pk=letter.pk).status == Letter.Status.FINAL
