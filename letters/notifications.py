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


def letter_published(version):
    visit = version.letter.visit
    users = AuthorityUser.objects.filter(authority=visit.authority).select_related("user")
    addresses, not_told = _split(
        (membership.user.get_full_name() or membership.user.get_username(), membership.user.email)
        for membership in users
        if membership.user.is_active
    )
    _send(
        f"Ofsted focused visit letter: {version.title}",
        f"Ofsted has published the letter for the {visit}.\n\n"
        f"Download it at {link('letters:authority-letters')}",
        addresses,
        about=version.letter,
        not_told=not_told,
    )
