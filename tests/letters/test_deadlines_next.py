"""A list's next deadlines, worked out without the whole timeline, are the timeline's."""

import datetime

import pytest

from inspections.calendar import WorkingDays
from inspections.models import PublicationPause
from letters import deadlines
from letters.deadlines import Facts, letter_steps, next_step
from letters.models import Letter
from letters.selectors import visits_of_inspector
from tests.factories import (
    LetterFactory,
    LocalAuthorityFactory,
    TeamMemberFactory,
    VisitFactory,
    inspector_user,
)

pytestmark = pytest.mark.django_db

D = datetime.date
S = Letter.Status
# Friday 13 December 2024: the last day on site before Christmas.
LAST_DAY = D(2024, 12, 13)
TODAY = D(2025, 1, 7)


def at(day):
    return datetime.datetime.combine(day, datetime.time(10), tzinfo=datetime.UTC)


# What a letter in each state has recorded of its journey.
TAKEN = {
    S.DRAFT: {},
    S.RETURNED: {},
    S.IN_REVIEW: {"submitted_at": at(D(2024, 12, 20))},
    S.APPROVED: {"submitted_at": at(D(2024, 12, 20))},
    S.FACTUAL_ACCURACY: {
        "submitted_at": at(D(2024, 12, 20)),
        "fa_sent_at": at(D(2025, 1, 6)),
        "fa_deadline": D(2025, 1, 13),
    },
    S.FA_RESPONDED: {
        "submitted_at": at(D(2024, 12, 20)),
        "fa_sent_at": at(D(2025, 1, 6)),
        "fa_deadline": D(2025, 1, 13),
        "fa_responded_at": at(D(2025, 1, 10)),
    },
    S.FINAL: {
        "submitted_at": at(D(2024, 12, 20)),
        "fa_sent_at": at(D(2025, 1, 6)),
        "fa_deadline": D(2025, 1, 13),
        "fa_responded_at": at(D(2025, 1, 10)),
        "signed_off_at": at(D(2025, 1, 14)),
        "publication_date": D(2025, 1, 20),
    },
    S.PUBLISHED: {"publication_date": D(2025, 1, 20)},
}


@pytest.fixture
def fernshire():
    """An authority with a pause of its own, and a national pause besides."""
    authority = LocalAuthorityFactory(name="Fernshire")
    PublicationPause.objects.create(
        start_date=D(2024, 12, 30), end_date=D(2025, 1, 3), authority=authority,
        kind=PublicationPause.Kind.PRE_ELECTION, reason="By-election",
    )  # fmt: skip
    PublicationPause.objects.create(
        start_date=D(2025, 1, 8), end_date=D(2025, 1, 9), kind=PublicationPause.Kind.OTHER,
        reason="Test pause",
    )  # fmt: skip
    return authority


def letter_in(status, authority):
    visit = VisitFactory(authority=authority, start_date=D(2024, 12, 11), end_date=LAST_DAY)
    letter = LetterFactory(visit=visit)
    Letter.objects.filter(pk=letter.pk).update(status=status, **TAKEN[status])
    return Letter.objects.select_related("visit").get(pk=letter.pk)


@pytest.mark.parametrize("status", list(TAKEN))
def test_the_visit_lists_next_deadline_is_the_timelines(status, fernshire):
    """The visit list's rows get, in every state, the timeline's first step not taken."""
    letter = letter_in(status, fernshire)
    user = inspector_user()
    TeamMemberFactory(visit=letter.visit, inspector=user.inspector)
    [row] = deadlines.with_next_deadlines_of_rows(visits_of_inspector(user=user)[0:20], today=TODAY)
    expected = next_step(letter_steps(Facts.of(letter), today=TODAY))
    assert row["deadline"] == expected


def test_a_visit_without_a_letter_has_no_next_deadline(fernshire):
    user = inspector_user()
    TeamMemberFactory(visit=VisitFactory(authority=fernshire), inspector=user.inspector)
    [row] = deadlines.with_next_deadlines_of_rows(visits_of_inspector(user=user)[0:20], today=TODAY)
    assert row["deadline"] is None


@pytest.mark.parametrize("status", list(TAKEN))
@pytest.mark.parametrize("keys", [None, deadlines.AUTHORITY_STEPS])
def test_a_letters_next_deadline_is_the_timelines(status, keys, fernshire):
    """next_deadline, with or without `keys`, is next_step of the whole timeline."""
    letter = letter_in(status, fernshire)
    expected = next_step(letter_steps(Facts.of(letter), today=TODAY), keys=keys)
    assert deadlines.next_deadline(letter, today=TODAY, keys=keys) == expected


class CountingCalendar(WorkingDays):
    """WorkingDays that counts the sums asked of it."""

    def __init__(self):
        super().__init__()
        self.asked = 0

    def add(self, *args, **kwargs):
        self.asked += 1
        return super().add(*args, **kwargs)

    def between(self, *args, **kwargs):
        self.asked += 1
        return super().between(*args, **kwargs)


def test_a_drafts_next_deadline_works_out_its_own_step_alone():
    """A draft's next deadline needs its submission day and the days left to it: two sums,
    not the eleven of its whole timeline."""
    letter = letter_in(S.DRAFT, LocalAuthorityFactory())
    calendar = CountingCalendar()
    step = deadlines.next_deadline(letter, calendar=calendar, today=LAST_DAY)
    assert step.key == "submission"
    assert calendar.asked == 2
