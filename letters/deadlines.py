"""A letter's dates: the targets and deadlines of its journey, which one comes next and whose
it is, the working days left, and whether it is on track, due soon or overdue.

Every date counts working days (inspections.calendar: weekdays, not England's bank
holidays, not a publication pause that applies to the letter's authority) from the last
day on site, the steps the letter has taken moving the later ones along:

- submitted for quality assurance (the team): LETTER_DRAFT_WORKING_DAYS after the last
  day on site;
- the QA decision (the QA manager): QA_DECISION_WORKING_DAYS after the submission (its
  target until it is made);
- sent for factual accuracy check (the QA manager): the day of the QA decision;
- the authority's comments: FACTUAL_ACCURACY_WORKING_DAYS after sending (fa_deadline once
  sent);
- signed off as final (the QA manager): the working day before publication, and not
  before the authority's deadline;
- published: PUBLICATION_TARGET_WORKING_DAYS after the last day on site (publication_date
  once signed off).

The next deadline is the first step not yet taken. Its status: overdue once its day has
passed; due soon with DEADLINE_DUE_SOON_WORKING_DAYS working days or fewer left (the day
itself included); on track otherwise. A list computes its letters' dates from one read of
the pauses (inspections.calendar.WorkingDays) and the letters' own fields: no query a row.
"""

import dataclasses
import datetime
import functools

from django.conf import settings
from django.utils import timezone

from inspections.calendar import WorkingDays, working_days_for_lists
from letters import clock
from letters.models import Letter

S = Letter.Status

ON_TRACK, DUE_SOON, OVERDUE = "on_track", "due_soon", "overdue"
# Each status's words and GOV.UK tag colour: the words are always shown, never the colour alone.
TAGS = {
    OVERDUE: ("Overdue", "govuk-tag--red"),
    DUE_SOON: ("Due soon", "govuk-tag--yellow"),
    ON_TRACK: ("On track", "govuk-tag--green"),
}

TEAM, QA_MANAGER, AUTHORITY = "The visit's team", "The QA manager", "The local authority"

# The states from which each step has been taken.
_SUBMITTED = {S.IN_REVIEW, S.APPROVED, S.FACTUAL_ACCURACY, S.FA_RESPONDED, S.FINAL, S.PUBLISHED}
_DECIDED = {S.APPROVED, S.FACTUAL_ACCURACY, S.FA_RESPONDED, S.FINAL, S.PUBLISHED}
_SENT = {S.FACTUAL_ACCURACY, S.FA_RESPONDED, S.FINAL, S.PUBLISHED}
_RESPONDED = {S.FA_RESPONDED, S.FINAL, S.PUBLISHED}
_SIGNED_OFF = {S.FINAL, S.PUBLISHED}

# The steps an authority's users see: theirs, and the day their letter is published.
AUTHORITY_STEPS = ("factual_accuracy", "publication")

# The fields a list reads to work out a letter's dates (with its visit's dates and authority).
LETTER_FIELDS = (
    "status",
    "submitted_at",
    "fa_sent_at",
    "fa_deadline",
    "fa_responded_at",
    "signed_off_at",
    "publication_date",
)


@dataclasses.dataclass(frozen=True)
class Facts:
    """What a letter's dates are worked out from."""

    status: str
    last_day: datetime.date
    authority: int | None
    submitted_at: datetime.datetime | None = None
    fa_sent_at: datetime.datetime | None = None
    fa_deadline: datetime.date | None = None
    fa_responded_at: datetime.datetime | None = None
    signed_off_at: datetime.datetime | None = None
    publication_date: datetime.date | None = None
    published_on: datetime.date | None = None

    @classmethod
    def of(cls, letter, *, published_on=None):
        """From a Letter with its visit loaded."""
        visit = letter.visit
        return cls(
            last_day=visit.end_date or visit.start_date,
            authority=visit.authority_id,
            published_on=published_on,
            **{name: getattr(letter, name) for name in LETTER_FIELDS},
        )

    @classmethod
    def of_row(cls, row, *, start_date, end_date, authority):
        """From a dict of LETTER_FIELDS and the visit's dates and authority's id."""
        return cls(
            last_day=end_date or start_date,
            authority=authority,
            **{name: row[name] for name in LETTER_FIELDS},
        )


@dataclasses.dataclass(frozen=True)
class Step:
    """One date on the letter's timeline: a step's target (or set) day, whose it is, and
    whether it has been taken."""

    key: str
    label: str
    day: datetime.date
    who: str
    done: bool
    # The day the step was taken, where the letter records it.
    done_on: datetime.date | None
    # Working days from today to `day`: negative once it has passed.
    left: int
    # None once done; otherwise ON_TRACK, DUE_SOON or OVERDUE.
    status: str | None
    # A deadline, or a fact (the last day on site).
    is_deadline: bool = True

    @property
    def tag(self):
        """(words, GOV.UK tag class) of the status, or None."""
        return TAGS.get(self.status)

    @property
    def left_words(self):
        """The working days left, in words."""
        if self.status == OVERDUE:
            late = -self.left
            if late <= 0:
                return "Passed"
            return f"{late} working day{'s' if late != 1 else ''} late"
        if self.left == 0:
            return "Due today"
        return f"{self.left} working day{'s' if self.left != 1 else ''} left"


def _local(moment):
    return timezone.localdate(moment) if moment else None


def status_of(day, left, *, today):
    if day < today:
        return OVERDUE
    if left <= settings.DEADLINE_DUE_SOON_WORKING_DAYS:
        return DUE_SOON
    return ON_TRACK


def _plan(facts, calendar):
    """The timeline's steps before counting, in order: (key, label, day, whose, done, done
    on). A generator, so that each day is worked out only when its step is reached: a
    list that wants the first step not taken stops there (for a draft, at the first)."""
    authority = facts.authority

    def add(day, n):
        return calendar.add(day, n, authority=authority)

    status = facts.status
    submitted_on = _local(facts.submitted_at)
    yield ("on_site", "Last day on site", facts.last_day, "", True, None)
    submission = add(facts.last_day, settings.LETTER_DRAFT_WORKING_DAYS)
    yield (
        "submission",
        "Letter submitted for quality assurance",
        submission,
        TEAM,
        status in _SUBMITTED,
        submitted_on if status in _SUBMITTED else None,
    )
    decision = add(submitted_on or submission, settings.QA_DECISION_WORKING_DAYS)
    yield (
        "qa_decision",
        "Quality assurance decision",
        decision,
        QA_MANAGER,
        status in _DECIDED,
        None,
    )
    send = decision
    sent_on = _local(facts.fa_sent_at)
    yield (
        "fa_sent",
        "Sent to the local authority for factual accuracy check",
        send,
        QA_MANAGER,
        status in _SENT,
        sent_on,
    )
    factual_accuracy = facts.fa_deadline or add(
        sent_on or send, settings.FACTUAL_ACCURACY_WORKING_DAYS
    )
    yield (
        "factual_accuracy",
        "Factual accuracy deadline",
        factual_accuracy,
        AUTHORITY,
        status in _RESPONDED,
        _local(facts.fa_responded_at),
    )
    publication = facts.publication_date or add(
        facts.last_day, settings.PUBLICATION_TARGET_WORKING_DAYS
    )
    # In time to publish on the day, and not before the authority's window closes (a
    # sign-off on a late letter's own target would be a day that cannot be met).
    sign_off = max(calendar.previous(publication, authority=authority), factual_accuracy)
    yield (
        "sign_off",
        "Final letter signed off",
        sign_off,
        QA_MANAGER,
        status in _SIGNED_OFF,
        _local(facts.signed_off_at),
    )
    yield (
        "publication",
        "Publication" if facts.publication_date else "Publication target",
        publication,
        QA_MANAGER,
        status == S.PUBLISHED,
        facts.published_on,
    )


def _step(planned, *, authority, calendar, today):
    """A planned step with the working days left to its day and its status."""
    key, label, day, who, done, done_on = planned
    left = calendar.between(today, day, authority=authority)
    is_deadline = key != "on_site"
    return Step(
        key=key,
        label=label,
        day=day,
        who=who,
        done=done,
        done_on=done_on,
        left=left,
        status=None if done or not is_deadline else status_of(day, left, today=today),
        is_deadline=is_deadline,
    )


def letter_steps(facts, *, calendar=None, today=None):
    """The letter's timeline: every step with its day, past and future, in order."""
    calendar = calendar or WorkingDays()
    today = today or clock.today()
    return [
        _step(planned, authority=facts.authority, calendar=calendar, today=today)
        for planned in _plan(facts, calendar)
    ]


def next_step(steps, *, keys=None):
    """The first step not yet taken (of `keys`, if given), or None: all done."""
    for step in steps:
        if step.is_deadline and not step.done and (keys is None or step.key in keys):
            return step
    return None


def _next_step_of(facts, *, calendar, today, keys=None):
    """As next_step(letter_steps(facts)), counting the days left of that step alone and
    working out no day after it."""
    for planned in _plan(facts, calendar):
        key, done = planned[0], planned[4]
        if key != "on_site" and not done and (keys is None or key in keys):
            return _step(planned, authority=facts.authority, calendar=calendar, today=today)
    return None


def next_deadline(letter, *, calendar=None, today=None, keys=None):
    """The letter's next deadline (a Step), or None once published."""
    return _next_step_of(
        Facts.of(letter),
        calendar=calendar or WorkingDays(),
        today=today or clock.today(),
        keys=keys,
    )


def with_next_deadlines(letters, *, keys=None, today=None):
    """The letters (with their visits loaded), each given `.deadline`: its next Step or
    None; for a list, with the lists' calendar (working_days_for_lists)."""
    letters = list(letters)
    if not letters:
        return letters
    calendar = working_days_for_lists()
    today = today or clock.today()
    for letter in letters:
        letter.deadline = next_deadline(letter, calendar=calendar, today=today, keys=keys)
    return letters


def by_deadline(letters, *, latest_first=False):
    """The letters in order of their next deadline (those with none last)."""
    far = datetime.date.max

    def key(letter):
        step = letter.deadline
        return (step is None, step.day if step else far, letter.pk)

    ordered = sorted(letters, key=key)
    if latest_first:
        with_deadline = [letter for letter in ordered if letter.deadline is not None]
        ordered = with_deadline[::-1] + [letter for letter in ordered if letter.deadline is None]
    return ordered


def with_next_deadlines_of_rows(rows, *, today=None):
    """The visit list's rows (letters.selectors.visits_of_inspector), each given
    `deadline`: its letter's next Step, or None (no letter, or published). The rows hold
    the visit's dates and authority and the letter's dates (LETTER_FIELDS, as
    letter_<name>), so this reads at most the pauses (working_days_for_lists)."""
    if not rows:
        return rows
    calendar = working_days_for_lists()
    today = today or clock.today()
    for row in rows:
        if row["letter_status"] is None:
            row["deadline"] = None
            continue
        facts = Facts(
            last_day=row["end_date"] or row["start_date"],
            authority=row["authority_id"],
            **{name: row[f"letter_{name}"] for name in LETTER_FIELDS},
        )
        row["deadline"] = _remembered_next_step(facts, calendar=calendar, today=today)
    return rows


def _remembered_next_step(facts, *, calendar, today):
    """_next_step_of(facts), remembered: it follows from these and the settings alone. A
    list seen again with the same calendar on the same day counts nothing again; a new
    calendar (working_days_for_lists: each minute, or a pause saved) or a new day makes
    new keys."""
    return _next_step_remembered(facts, calendar, today, _targets())


@functools.lru_cache(maxsize=4096)
def _next_step_remembered(facts, calendar, today, targets):
    return _next_step_of(facts, calendar=calendar, today=today)


def _targets():
    """The settings a step's day and status follow from."""
    return (
        settings.LETTER_DRAFT_WORKING_DAYS,
        settings.QA_DECISION_WORKING_DAYS,
        settings.FACTUAL_ACCURACY_WORKING_DAYS,
        settings.PUBLICATION_TARGET_WORKING_DAYS,
        settings.DEADLINE_DUE_SOON_WORKING_DAYS,
    )


def timeline(letter, *, published_on=None, today=None):
    """The letter's page's dates: every step, past and future, with its status."""
    return letter_steps(Facts.of(letter, published_on=published_on), today=today)
