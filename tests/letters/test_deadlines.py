"""A letter's dates on real dates: targets after the last day on site counted in working
days (Christmas and New Year skipped, pauses honoured), the next deadline and its status."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from inspections import calendar
from inspections.calendar import WorkingDays
from inspections.models import PublicationPause, Visit
from letters import deadlines
from letters.deadlines import DUE_SOON, ON_TRACK, OVERDUE, Facts, letter_steps, next_step
from letters.models import Letter
from tests.factories import LocalAuthorityFactory

pytestmark = pytest.mark.django_db

D = datetime.date
S = Letter.Status
# Friday 13 December 2024: the last day on site before Christmas.
LAST_DAY = D(2024, 12, 13)


def facts(status=S.DRAFT, **fields):
    return Facts(
        status=status, last_day=LAST_DAY, authority=fields.pop("authority", None), **fields
    )


def steps_by_key(facts, today=None):
    return {step.key: step for step in letter_steps(facts, today=today or D(2024, 12, 16))}


def at(day):
    return datetime.datetime.combine(day, datetime.time(10), tzinfo=datetime.UTC)


def test_the_targets_skip_christmas_boxing_day_and_new_year():
    """10 working days after Friday 13 December 2024 is 31 December; QA 5 later is 8
    January 2025 (New Year's Day skipped); factual accuracy 15 January; publication (21
    after the last day on site) 16 January, sign-off the working day before."""
    steps = steps_by_key(facts())
    assert steps["on_site"].day == LAST_DAY
    assert steps["submission"].day == D(2024, 12, 31)
    assert steps["qa_decision"].day == D(2025, 1, 8)
    assert steps["fa_sent"].day == D(2025, 1, 8)
    assert steps["factual_accuracy"].day == D(2025, 1, 15)
    assert steps["sign_off"].day == D(2025, 1, 15)
    assert steps["publication"].day == D(2025, 1, 16)
    assert steps["publication"].label == "Publication target"


def test_a_national_pause_moves_the_targets():
    """A national pause over 2 and 3 January 2025 puts the QA decision on 10 January."""
    PublicationPause.objects.create(
        start_date=D(2025, 1, 2), end_date=D(2025, 1, 3), kind="other", reason="Test pause"
    )
    steps = steps_by_key(facts())
    assert steps["submission"].day == D(2024, 12, 31)
    assert steps["qa_decision"].day == D(2025, 1, 10)
    assert steps["publication"].day == D(2025, 1, 20)


def test_an_authoritys_pause_moves_only_its_own_letters_targets():
    """A pause in Fernshire moves Fernshire's targets and no other authority's."""
    fernshire, other = LocalAuthorityFactory(), LocalAuthorityFactory()
    PublicationPause.objects.create(
        start_date=D(2025, 1, 2), end_date=D(2025, 1, 3), authority=fernshire,
        kind="pre_election", reason="By-election",
    )  # fmt: skip
    assert steps_by_key(facts(authority=fernshire.pk))["qa_decision"].day == D(2025, 1, 10)
    assert steps_by_key(facts(authority=other.pk))["qa_decision"].day == D(2025, 1, 8)


def test_the_steps_taken_move_the_later_targets():
    """Submitted on 20 December: the QA decision is due 5 working days later (31 December);
    sent on 6 January: the authority's stored deadline stands, and the actual days show."""
    steps = steps_by_key(
        facts(
            S.FACTUAL_ACCURACY,
            submitted_at=at(D(2024, 12, 20)),
            fa_sent_at=at(D(2025, 1, 6)),
            fa_deadline=D(2025, 1, 13),
        ),
        today=D(2025, 1, 7),
    )
    assert steps["submission"].done and steps["submission"].done_on == D(2024, 12, 20)
    assert steps["qa_decision"].day == D(2024, 12, 31) and steps["qa_decision"].done
    assert steps["fa_sent"].done_on == D(2025, 1, 6)
    assert steps["factual_accuracy"].day == D(2025, 1, 13)
    assert not steps["factual_accuracy"].done


@pytest.mark.parametrize(
    "status,key,who",
    [
        (S.DRAFT, "submission", deadlines.TEAM),
        (S.RETURNED, "submission", deadlines.TEAM),
        (S.IN_REVIEW, "qa_decision", deadlines.QA_MANAGER),
        (S.APPROVED, "fa_sent", deadlines.QA_MANAGER),
        (S.FACTUAL_ACCURACY, "factual_accuracy", deadlines.AUTHORITY),
        (S.FA_RESPONDED, "sign_off", deadlines.QA_MANAGER),
        (S.FINAL, "publication", deadlines.QA_MANAGER),
    ],
)
def test_the_next_deadline_is_the_states_step_and_says_whose_it_is(status, key, who):
    """Each state's next deadline is the step it waits for, and names who takes it."""
    step = next_step(letter_steps(facts(status, fa_deadline=D(2025, 1, 15)), today=LAST_DAY))
    assert (step.key, step.who) == (key, who)


def test_a_published_letter_has_no_next_deadline():
    """Once published, nothing is due."""
    assert next_step(letter_steps(facts(S.PUBLISHED), today=LAST_DAY)) is None


def test_the_authority_sees_its_deadline_then_the_publication_date():
    """An authority's next date: its comments while it checks, then the publication date."""
    checking = facts(S.FACTUAL_ACCURACY, fa_deadline=D(2025, 1, 15))
    final = facts(S.FINAL, fa_deadline=D(2025, 1, 15), publication_date=D(2025, 1, 20))
    keys = deadlines.AUTHORITY_STEPS
    assert next_step(letter_steps(checking, today=LAST_DAY), keys=keys).key == "factual_accuracy"
    step = next_step(letter_steps(final, today=LAST_DAY), keys=keys)
    assert (step.key, step.label, step.day) == ("publication", "Publication", D(2025, 1, 20))


# The status boundaries: the submission is due on Tuesday 31 December 2024.
@pytest.mark.parametrize(
    "today,left,status,words",
    [
        (D(2024, 12, 24), 3, ON_TRACK, "3 working days left"),  # Christmas and Boxing Day
        (D(2024, 12, 27), 2, DUE_SOON, "2 working days left"),
        (D(2024, 12, 30), 1, DUE_SOON, "1 working day left"),
        (D(2024, 12, 31), 0, DUE_SOON, "Due today"),
        (D(2025, 1, 2), -1, OVERDUE, "1 working day late"),  # New Year's Day skipped
        (D(2025, 1, 6), -3, OVERDUE, "3 working days late"),
    ],
)
def test_status_boundaries(today, left, status, words):
    """Due soon from 2 working days left to the day itself; overdue the day after."""
    step = next_step(letter_steps(facts(), today=today))
    assert (step.left, step.status, step.left_words) == (left, status, words)


def test_overdue_on_a_weekend_after_a_friday_deadline_says_passed():
    """A deadline of Friday 3 January is overdue on Saturday 4 January, no working day late."""
    step = next_step(
        letter_steps(facts(S.FACTUAL_ACCURACY, fa_deadline=D(2025, 1, 3)), today=D(2025, 1, 4))
    )
    assert (step.status, step.left_words) == (OVERDUE, "Passed")


def test_tags_have_words_and_govuk_colours():
    """Overdue is red, due soon yellow, on track green, each with its words."""
    assert deadlines.TAGS == {
        OVERDUE: ("Overdue", "govuk-tag--red"),
        DUE_SOON: ("Due soon", "govuk-tag--yellow"),
        ON_TRACK: ("On track", "govuk-tag--green"),
    }


def test_the_due_soon_window_is_a_setting(settings):
    """DEADLINE_DUE_SOON_WORKING_DAYS = 0: due soon only on the day itself."""
    settings.DEADLINE_DUE_SOON_WORKING_DAYS = 0
    assert next_step(letter_steps(facts(), today=D(2024, 12, 30))).status == ON_TRACK
    assert next_step(letter_steps(facts(), today=D(2024, 12, 31))).status == DUE_SOON


def test_the_draft_target_is_a_setting(settings):
    """LETTER_DRAFT_WORKING_DAYS = 5: the submission is due Friday 20 December 2024."""
    settings.LETTER_DRAFT_WORKING_DAYS = 5
    assert steps_by_key(facts())["submission"].day == D(2024, 12, 20)


def test_the_bulk_calendar_agrees_with_the_functions():
    """WorkingDays answers as inspections.calendar's functions, pauses included."""
    fernshire = LocalAuthorityFactory()
    PublicationPause.objects.create(
        start_date=D(2022, 9, 12), end_date=D(2022, 9, 20), kind="national_mourning",
        reason="National mourning",
    )  # fmt: skip
    PublicationPause.objects.create(
        start_date=D(2022, 6, 6), end_date=D(2022, 6, 10), authority=fernshire,
        kind="pre_election", reason="By-election",
    )  # fmt: skip
    bulk = WorkingDays()
    start = D(2022, 5, 20)
    for authority in (None, fernshire.pk):
        for offset in range(0, 150, 7):
            day = start + datetime.timedelta(days=offset)
            assert bulk.between(start, day, authority=authority) == (
                calendar.working_days_between(start, day, authority=authority)
            )
            assert bulk.add(day, 6, authority=authority) == calendar.add_working_days(
                day, 6, authority=authority
            )
            assert bulk.next(day, authority=authority) == calendar.next_working_day(
                day, authority=authority
            )


def test_a_list_reads_the_pauses_once():
    """Twenty letters' next deadlines cost one query: the pauses."""
    rows = []
    for n in range(20):
        visit = Visit(start_date=LAST_DAY, authority_id=n)
        rows.append(Letter(status=S.DRAFT, visit=visit))
    with CaptureQueriesContext(connection) as queries:
        deadlines.with_next_deadlines(rows, today=LAST_DAY)
    assert len(queries) == 1
    assert all(letter.deadline.key == "submission" for letter in rows)


def test_sign_off_is_not_due_before_the_authoritys_deadline():
    """An authority's deadline after the publication target's eve: sign-off is due on it."""
    steps = steps_by_key(facts(S.FACTUAL_ACCURACY, fa_deadline=D(2025, 1, 20)))
    assert steps["publication"].day == D(2025, 1, 16)
    assert steps["sign_off"].day == D(2025, 1, 20)
