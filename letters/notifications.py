"""E-mails about a letter's progress, sent once the change is committed.

Their links are absolute, from the portal's address (settings.PORTAL_URL). A person the
e-mail is for who has no e-mail address is recorded against the letter
("notification.no_address"), and the letter's page says who was not told.
"""

import logging
import uuid
from urllib.parse import urljoin

from django.apps import apps
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse

from audit.models import AuditEvent
from audit.services import events_about, record
from inspections.models import AuthorityUser
from jobs import services as jobs
from jobs.services import job_task

logger = logging.getLogger(__name__)


def link(name, *args):
    """An absolute link to one of the portal's pages, for an e-mail's body."""
    return urljoin(settings.PORTAL_URL, reverse(name, args=args))


def _send(subject, body, recipients, *, about, not_told=()):
    """Queue the e-mail to `recipients` (addresses) once the change is committed, and
    record against `about` each of `not_told`, the names of the people it was for who have
    no e-mail address."""
    # A header cannot hold a line break (Django refuses the whole message): one line.
    subject = " ".join(subject.split())
    recipients = sorted({address for address in recipients if address})
    not_told = sorted(set(not_told))
    if not_told:
        transaction.on_commit(lambda: _record_no_address(subject, not_told, about=about))
    if recipients:
        about_model = about._meta.label_lower if about is not None else ""
        about_pk = about.pk if about is not None else None
        transaction.on_commit(
            lambda: jobs.submit(
                send_email,
                key=f"mail:{uuid.uuid4().hex}",
                label=f"E-mail: {subject}",
                args=(subject, body, recipients, about_model, about_pk),
            )
        )


def _record_failure(job, error, subject, body, recipients, about_model, about_pk):
    # The change is committed by now: a mail server that fails must not undo it nor
    # fail the request. The failure is logged for the operators and recorded against the
    # letter, whose page shows it to the people concerned, who can pass the news on.
    logger.error("Could not send %r to %s: %s", subject, recipients, error)
    record(
        "notification.failed",
        target=(apps.get_model(about_model), about_pk) if about_model else None,
        subject=subject,
        body=body,
        recipients=recipients,
        error=f"{type(error).__name__}: {error}"[:300],
    )


def _record_no_address(subject, names, *, about):
    for name in names:
        record("notification.no_address", target=about, name=name, subject=subject)


@job_task(on_failure=_record_failure)
def send_email(job, subject, body, recipients, about_model, about_pk):
    """Sent by the task worker, tried again while the mail server is away
    (TASK_MAX_ATTEMPTS), then recorded as failed against the letter."""
    send_mail(subject, body, None, recipients)


def failed_notifications(letter):
    """The e-mails about this letter that could not be sent and are not sent since,
    newest first."""
    events = events_about(letter).filter(action__startswith="notification.")
    sent = {e.detail.get("failed_event") for e in events if e.action == "notification.sent"}
    return [
        e
        for e in events.order_by("-at", "-id")
        if e.action == "notification.failed" and e.pk not in sent
    ]


def people_not_told(letter):
    """The people the e-mails since the letter's latest move could not reach, having no
    e-mail address, newest first: one query."""
    events = (
        events_about(letter)
        .filter(Q(action="notification.no_address") | ~Q(to_state=""))
        .order_by("-id")
    )
    found = []
    for event in events:
        if event.action != "notification.no_address":
            break  # the letter moved on: what was not said before is past news
        found.append(event)
    return found


def retry_failed():
    """Send again each e-mail that failed and has not been sent since; returns
    (sent, still failing). Each success is recorded against the failure it ends."""
    settled = set(
        AuditEvent.objects.filter(action="notification.sent").values_list(
            "detail__failed_event", flat=True
        )
    )
    sent = failing = 0
    for failure in AuditEvent.objects.filter(action="notification.failed").order_by("pk"):
        if failure.pk in settled:
            continue
        detail = failure.detail
        try:
            send_mail(detail["subject"], detail["body"], None, detail["recipients"])
        except Exception as error:
            failing += 1
            logger.warning("Still cannot send %r: %s", detail["subject"], error)
            continue
        sent += 1
        settled.add(failure.pk)
        record(
            "notification.sent",
            target=(
                (failure.target_type.model_class(), failure.target_id)
                if failure.target_type_id
                else None
            ),
            failed_event=failure.pk,
            subject=detail["subject"],
            recipients=detail["recipients"],
        )
    return sent, failing


def _inspector(inspector):
    """(name, e-mail address or "") of an Inspector record: its user's address."""
    return inspector.full_name, inspector.user.email if inspector.user else ""


def _split(people):
    """(addresses, names of those without one) of (name, address) pairs."""
    addresses, not_told = [], []
    for name, address in people:
        if address:
            addresses.append(address)
        else:
            not_told.append(name)
    return addresses, not_told


def _team(visit, subject, body, letter):
    team = visit.team.select_related("inspector__user")
    addresses, not_told = _split(_inspector(member.inspector) for member in team)
    _send(subject, body, addresses, about=letter, not_told=not_told)


def letter_submitted(letter):
    visit = letter.visit
    manager = visit.qa_manager
    addresses, not_told = _split([_inspector(manager)] if manager else [])
    _send(
        f"Letter to review: {visit}",
        f"The letter for the {visit} has been submitted for quality assurance.\n\n"
        f"Review it at {link('letters:review-letter', visit.pk)}",
        addresses,
        about=letter,
        not_told=not_told,
    )


def letter_returned(letter):
    visit = letter.visit
    _team(
        visit,
        f"Letter returned: {visit}",
        f"The QA manager has returned the letter for the {visit} with comments.\n\n"
        f"See them at {link('letters:letter-editor', visit.pk)}",
        letter,
    )


def letter_approved(letter):
    visit = letter.visit
    _team(
        visit,
        f"Letter approved: {visit}",
        f"The QA manager has approved the letter for the {visit}.\n\n"
        f"See it at {link('letters:visit-detail', visit.pk)}",
        letter,
    )


def _authority_users(visit):
    """(name, address) of the active users of the visit's local authority."""
    users = AuthorityUser.objects.filter(authority=visit.authority).select_related("user")
    return [
        (membership.user.get_full_name() or membership.user.get_username(), membership.user.email)
        for membership in users
        if membership.user.is_active
    ]


def _team_people(visit):
    return [_inspector(member.inspector) for member in visit.team.select_related("inspector__user")]


def _qa_manager(visit):
    return [_inspector(visit.qa_manager)] if visit.qa_manager else []


def letter_published(version):
    visit = version.letter.visit
    addresses, not_told = _split(_authority_users(visit))
    _send(
        f"Ofsted focused visit letter: {version.title}",
        f"Ofsted has published the letter for the {visit}.\n\n"
        f"Download it at {link('letters:authority-letters')}",
        addresses,
        about=version.letter,
        not_told=not_told,
    )


# The factual-accuracy round and the final letter (letters.factual_accuracy.services,
# letters.publication.schedule).


def _day(day):
    return f"{day:%A} {day:%-d %B %Y}"


def factual_accuracy_sent(letter):
    visit = letter.visit
    addresses, not_told = _split(_authority_users(visit))
    _send(
        f"Ofsted focused visit letter for factual accuracy check: {visit}",
        f"Ofsted has sent the draft letter for the {visit} for your factual accuracy check.\n\n"
        f"Please send any comments by {_day(letter.fa_deadline)}. The draft is not for "
        f"publication.\n\nRead it and comment at {link('letters:authority-letter', visit.pk)}",
        addresses,
        about=letter,
        not_told=not_told,
    )
    _team(
        visit,
        f"Letter sent for factual accuracy check: {visit}",
        f"The QA manager has sent the letter for the {visit} to {visit.authority} for its "
        f"factual accuracy check. Its comments are due by {_day(letter.fa_deadline)}.",
        letter,
    )


def factual_accuracy_responded(letter):
    visit = letter.visit
    late = " The response came after the deadline." if letter.fa_response_late else ""
    addresses, not_told = _split(_team_people(visit) + _qa_manager(visit))
    _send(
        f"Factual accuracy response received: {visit}",
        f"{visit.authority} has responded to the factual accuracy check of the letter for the "
        f"{visit}.{late}\n\nAnswer its comments at "
        f"{link('letters:factual-accuracy-comments', visit.pk)}",
        addresses,
        about=letter,
        not_told=not_told,
    )


def factual_accuracy_answered(letter):
    visit = letter.visit
    addresses, not_told = _split(_qa_manager(visit))
    _send(
        f"Factual accuracy comments answered: {visit}",
        f"The team has answered every factual accuracy comment on the letter for the "
        f"{visit}.\n\nSign off the final letter at {link('letters:sign-off', visit.pk)}",
        addresses,
        about=letter,
        not_told=not_told,
    )


def letter_signed_off(letter):
    visit = letter.visit
    addresses, not_told = _split(_authority_users(visit))
    _send(
        f"Ofsted focused visit letter, final: {visit}",
        f"Ofsted has sent you the final letter for the {visit}. It is embargoed until it is "
        f"published on {_day(letter.publication_date)}.\n\n"
        f"Read it at {link('letters:authority-letter', visit.pk)}",
        addresses,
        about=letter,
        not_told=not_told,
    )
    _team(
        visit,
        f"Letter signed off: {visit}",
        f"The QA manager has signed off the letter for the {visit}. It will be published on "
        f"{_day(letter.publication_date)}.",
        letter,
    )


def publication_moved(letter, *, before, pauses):
    visit = letter.visit
    why = f" because of a publication pause ({'; '.join(pauses)})" if pauses else ""
    news = (
        f"The publication of the letter for the {visit} has moved from {_day(before)} to "
        f"{_day(letter.publication_date)}{why}."
    )
    for people, page in (
        (_authority_users(visit), "letters:authority-letter"),
        (_team_people(visit) + _qa_manager(visit), "letters:visit-detail"),
    ):
        addresses, not_told = _split(people)
        _send(
            f"Publication date moved: {visit}",
            f"{news}\n\nSee it at {link(page, visit.pk)}",
            addresses,
            about=letter,
            not_told=not_told,
        )


# The priority-action follow-up (letters.follow_up.services).


def _follow_up_news(follow_up, subject, news, *, authority=True, team=True):
    """Tell the authority's users (with a link to the follow-up) and the team and QA
    manager (with the same link: one page for all)."""
    visit = follow_up.letter.visit
    page = link("letters:follow-up", visit.pk)
    groups = []
    if authority:
        groups.append(_authority_users(visit))
    if team:
        groups.append(_team_people(visit) + _qa_manager(visit))
    for people in groups:
        addresses, not_told = _split(people)
        _send(
            f"{subject}: {visit}",
            f"{news}\n\nSee the follow-up at {page}",
            addresses,
            about=follow_up.letter,
            not_told=not_told,
        )


def _due(follow_up):
    return (
        f"The early draft of the action plan is due by {_day(follow_up.early_draft_due)}, "
        f"and the action plan by {_day(follow_up.action_plan_due)}."
    )


def follow_up_opened(follow_up):
    visit = follow_up.letter.visit
    _follow_up_news(
        follow_up,
        "Areas for priority action: action plan due",
        f"The letter for the {visit} has areas for priority action. The Department for "
        f"Education has been told. {_due(follow_up)} Upload them on the follow-up page.",
    )


def follow_up_dates_changed(follow_up):
    _follow_up_news(
        follow_up,
        "Action plan dates changed",
        f"The Department for Education was told on {_day(follow_up.dfe_told_on)}. "
        f"{_due(follow_up)}",
    )


def plan_uploaded(upload):
    follow_up = upload.follow_up
    late = " It arrived after its due date." if upload.late else ""
    _follow_up_news(
        follow_up,
        f"{upload.get_kind_display()} received",
        f"{follow_up.letter.visit.authority} has uploaded its "
        f"{upload.get_kind_display().lower()} for the {follow_up.letter.visit}.{late}",
        authority=False,
    )


def plan_decided(upload):
    follow_up = upload.follow_up
    kind = upload.get_kind_display()
    if upload.decision == upload.Decision.ACCEPTED:
        subject, news = f"{kind} accepted", f"Ofsted has accepted the {kind.lower()}."
    else:
        subject = f"{kind} returned"
        news = f"Ofsted has returned the {kind.lower()}. The reason:\n\n{upload.reason}"
        if upload.kind == upload.Kind.ACTION_PLAN:
            news += f"\n\nPlease upload another by {_day(follow_up.action_plan_due)}."
    _follow_up_news(follow_up, subject, news)


def follow_up_reminder(follow_up, *, due, on_the_day, day, today):
    """A reminder of the early draft or the action plan: before its date, or on it (or
    after it, where the reminders did not run on the day)."""
    what = "early draft of the action plan" if due == "early_draft" else "action plan"
    if not on_the_day:
        when = f"is due by {_day(day)}"
    elif day == today:
        when = "is due today"
    else:
        when = f"was due on {_day(day)}"
    _follow_up_news(
        follow_up,
        f"Reminder: the {what} {when}",
        f"Reminder: the {what} for the {follow_up.letter.visit} {when}, and has not been "
        "uploaded yet.",
    )
