"""The priority-action follow-up: opening it when a letter with areas for priority action
is published, the day the Department for Education was told, the authority's uploads, the
decision on each, downloads, and the reminders before each due date.

Each write takes `by`, runs in one transaction holding the visit's row lock
(letters.drafting.services.locked_letter), checks again that `by` may make it
(letters.permissions), writes one audit event about the letter, and tells the people
concerned once it is committed (letters.notifications).
"""

import dataclasses
import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from audit.services import changes, record
from inspections import calendar
from inspections.services import StaleEdit
from letters import clock, notifications, permissions
from letters.drafting.services import locked_letter
from letters.follow_up.files import admitted_plan
from letters.models import FollowUp, Item, Letter, PlanUpload, Reminder, Section
from letters.review.services import refuse

State = FollowUp.State
Kind = PlanUpload.Kind


def has_priority_actions(letter):
    """Whether the letter has an "Areas for priority action" section with items."""
    return Item.objects.filter(
        section__letter=letter, section__kind=Section.Kind.PRIORITY_ACTIONS
    ).exists()


def due_dates(letter, dfe_told_on):
    """(early draft due, action plan due): ACTION_PLAN_EARLY_DRAFT_WORKING_DAYS and
    ACTION_PLAN_WORKING_DAYS working days after the Department for Education was told
    (inspections.calendar: England's bank holidays and the authority's pauses skipped)."""
    authority = letter.visit.authority_id
    return (
        calendar.add_working_days(
            dfe_told_on, settings.ACTION_PLAN_EARLY_DRAFT_WORKING_DAYS, authority=authority
        ),
        calendar.add_working_days(
            dfe_told_on, settings.ACTION_PLAN_WORKING_DAYS, authority=authority
        ),
    )


def _event(action, follow_up, *, by, **detail):
    letter = follow_up.letter
    record(
        action,
        by=by,
        target=(Letter, letter.pk),
        from_state=letter.status,
        to_state=letter.status,
        follow_up=follow_up.pk,
        **detail,
    )


def follow_up_open(*, letter, by):
    """Open the follow-up of a letter being published, if it has priority actions and has
    none yet (a correction keeps the first). Called by letter_publish inside its
    transaction, under its lock and checks; the Department for Education is taken to be
    told on the publication day until someone records the day."""
    if FollowUp.objects.filter(letter=letter).exists():
        return None
    if not has_priority_actions(letter):
        return None
    told = clock.today()
    early, plan = due_dates(letter, told)
    follow_up = FollowUp.objects.create(
        letter=letter, dfe_told_on=told, early_draft_due=early, action_plan_due=plan
    )
    _event(
        "letter.follow_up_open",
        follow_up,
        by=by,
        dfe_told_on=told,
        early_draft_due=early,
        action_plan_due=plan,
    )
    notifications.follow_up_opened(follow_up)
    return follow_up


def _locked_follow_up(follow_up, *, by):
    """The letter under its visit's lock, then its follow-up, read again."""
    letter = locked_letter(follow_up.letter_id, by=by, check=None)
    follow_up = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
    follow_up.letter = letter
    return follow_up


@transaction.atomic
def follow_up_record_dfe_date(*, follow_up, by, dfe_told_on, based_on):
    """Record the day the Department for Education was told; both due dates follow it.
    Refused for a day still to come, and once the plan is accepted; a record based on an
    older revision raises StaleEdit (someone else recorded a day meanwhile)."""
    follow_up = _locked_follow_up(follow_up, by=by)
    if not permissions.can_manage_follow_up(by, follow_up.letter):
        refuse("Only the visit's team or a QA manager records when the DfE was told")
    if follow_up.revision != based_on:
        raise StaleEdit(current=follow_up)
    if follow_up.state == State.ACCEPTED:
        raise ValidationError("The action plan is accepted: the dates no longer change")
    if dfe_told_on > clock.today():
        raise ValidationError(
            "The date the Department for Education was told must be today or in the past"
        )
    early, plan = due_dates(follow_up.letter, dfe_told_on)
    before = {
        "dfe_told_on": follow_up.dfe_told_on,
        "early_draft_due": follow_up.early_draft_due,
        "action_plan_due": follow_up.action_plan_due,
    }
    after = {"dfe_told_on": dfe_told_on, "early_draft_due": early, "action_plan_due": plan}
    for name, value in after.items():
        setattr(follow_up, name, value)
    follow_up.dfe_recorded_by = by
    follow_up.revision += 1
    follow_up.save()
    _event("letter.follow_up_dfe_told", follow_up, by=by, changes=changes(before, after))
    if before != after:
        notifications.follow_up_dates_changed(follow_up)
    return follow_up


def plan_upload(*, follow_up, by, kind, name, data):
    """Store a plan the authority uploads (an early draft or the action plan), through
    Django's storage with its SHA-256; an action plan awaits the team's decision. The file
    is checked again here (letters.follow_up.files): a refused one changes nothing, and a
    file stored by a write that then fails is removed."""
    stored = []
    try:
        with transaction.atomic():
            return _plan_store(
                follow_up=follow_up, by=by, kind=kind, name=name, data=data, stored=stored
            )
    except BaseException:
        for stored_name in stored:
            default_storage.delete(stored_name)
        raise


def _plan_store(*, follow_up, by, kind, name, data, stored):
    follow_up = _locked_follow_up(follow_up, by=by)
    if not permissions.can_upload_action_plan(by, follow_up):
        refuse("Only the letter's local authority uploads its plans, until one is accepted")
    if kind not in Kind.values:
        raise ValidationError("Say whether the file is the early draft or the action plan")
    data, content_type, extension = admitted_plan(name, data)
    digest = hashlib.sha256(data).hexdigest()
    due = follow_up.early_draft_due if kind == Kind.EARLY_DRAFT else follow_up.action_plan_due
    upload = PlanUpload(
        follow_up=follow_up,
        kind=kind,
        original_name=name[-255:],
        size=len(data),
        sha256=digest,
        content_type=content_type,
        uploaded_by=by,
        late=clock.today() > due,
    )
    authority = slugify(follow_up.letter.visit.authority.name)
    stored_name = f"{authority}/{follow_up.letter_id}-{kind}-{digest[:12]}.{extension}"
    upload.file.save(stored_name, ContentFile(data), save=False)
    stored.append(upload.file.name)
    upload.save()
    before = follow_up.state
    if kind == Kind.ACTION_PLAN:
        follow_up.state = State.PLAN_RECEIVED
        follow_up.save(update_fields=["state"])
    _event(
        "letter.action_plan_upload",
        follow_up,
        by=by,
        upload=upload.pk,
        kind=kind,
        name=upload.original_name,
        size=upload.size,
        sha256=digest,
        late=upload.late,
        state=[before, follow_up.state],
    )
    notifications.plan_uploaded(upload)
    return upload


@transaction.atomic
def plan_decide(*, upload, by, accept, reason=""):
    """Accept a plan, or return it with the reason. Accepting the action plan closes the
    follow-up; returning it opens it again for another. A plan is decided once."""
    follow_up = _locked_follow_up(upload.follow_up, by=by)
    if not permissions.can_manage_follow_up(by, follow_up.letter):
        refuse("Only the visit's team or a QA manager accepts or returns a plan")
    upload = PlanUpload.objects.select_for_update().get(pk=upload.pk, follow_up=follow_up)
    if upload.decision:
        raise ValidationError(f"This plan was {upload.get_decision_display().lower()} already")
    reason = reason.strip()
    if not accept and not reason:
        raise ValidationError("Enter the reason the plan is returned")
    upload.decision = PlanUpload.Decision.ACCEPTED if accept else PlanUpload.Decision.RETURNED
    upload.reason = "" if accept else reason
    upload.decided_by, upload.decided_at = by, timezone.now()
    upload.save()
    before = follow_up.state
    if upload.kind == Kind.ACTION_PLAN:
        follow_up.state = State.ACCEPTED if accept else State.OPEN
        follow_up.save(update_fields=["state"])
    _event(
        "letter.action_plan_accept" if accept else "letter.action_plan_return",
        follow_up,
        by=by,
        upload=upload.pk,
        kind=upload.kind,
        reason=upload.reason,
        state=[before, follow_up.state],
    )
    upload.follow_up = follow_up
    notifications.plan_decided(upload)
    return upload


def plan_downloaded(*, upload, by):
    """Record that someone downloaded a plan (its bytes matched their SHA-256)."""
    _event("letter.action_plan_download", upload.follow_up, by=by, upload=upload.pk)


# Reminders.


@dataclasses.dataclass
class Sent:
    follow_up: FollowUp
    line: str


def reminders_due(follow_up, today):
    """The reminders the follow-up needs today: (due, moment, due date) for each date
    nothing has come for yet, REMINDER_WORKING_DAYS_BEFORE working days or fewer before it
    ("before"), or on or after it ("due"). An early draft is not needed once the action
    plan has come; nothing is, once the plan is accepted."""
    if follow_up.state == State.ACCEPTED:
        return []
    kinds = set(follow_up.uploads.values_list("kind", flat=True))
    needed = []
    if not kinds:
        needed.append((Reminder.Due.EARLY_DRAFT, follow_up.early_draft_due))
    if follow_up.state == State.OPEN:  # no action plan awaiting a decision
        needed.append((Reminder.Due.ACTION_PLAN, follow_up.action_plan_due))
    authority = follow_up.letter.visit.authority_id
    found = []
    for due, day in needed:
        if today >= day:
            found.append((due, Reminder.Moment.DUE, day))
        elif calendar.working_days_between(today, day, authority=authority) <= (
            settings.REMINDER_WORKING_DAYS_BEFORE
        ):
            found.append((due, Reminder.Moment.BEFORE, day))
    return found


def send_reminders(*, today=None):
    """Send each reminder due today that was not sent before (a Reminder row each, so a
    second run sends nothing new); returns a Sent a reminder. By the portal (by=None)."""
    today = today or clock.today()
    sent = []
    open_follow_ups = FollowUp.objects.exclude(state=State.ACCEPTED).select_related(
        "letter__visit__authority"
    )
    for follow_up in open_follow_ups.order_by("pk"):
        for due, moment, day in reminders_due(follow_up, today):
            if Reminder.objects.filter(
                follow_up=follow_up, due=due, moment=moment, due_on=day
            ).exists():
                continue
            if _remind(follow_up, due=due, moment=moment, day=day, today=today):
                label = Reminder.Due(due).label.lower()
                when = "due" if moment == Reminder.Moment.DUE else "coming"
                sent.append(
                    Sent(
                        follow_up,
                        f"Reminded: letter {follow_up.letter_id} ({follow_up.letter.visit}): "
                        f"{label} {when}, {day:%Y-%m-%d}",
                    )
                )
    return sent


def _remind(follow_up, *, due, moment, day, today):
    """One reminder, recorded, audited and e-mailed together; False if another run sent
    it first (the unique constraint)."""
    try:
        with transaction.atomic():
            Reminder.objects.create(follow_up=follow_up, due=due, moment=moment, due_on=day)
            _event(
                "letter.follow_up_reminder",
                follow_up,
                by=None,
                due=due,
                moment=moment,
                due_on=day,
            )
            notifications.follow_up_reminder(
                follow_up, due=due, on_the_day=moment == Reminder.Moment.DUE, day=day, today=today
            )
    except IntegrityError:
        return False
    return True
