"""E-mails about a letter's progress, sent once the change is committed."""

import logging

from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse

from inspections.models import AuthorityUser

logger = logging.getLogger(__name__)


def _send(subject, body, recipients):
    recipients = sorted({address for address in recipients if address})
    if recipients:
        transaction.on_commit(lambda: _deliver(subject, body, recipients))


def _deliver(subject, body, recipients):
    # The change is committed by now: a mail server that fails must not undo it
    # nor fail the request, so the failure is logged for the operators.
    try:
        send_mail(subject, body, None, recipients)
    except Exception:
        logger.exception("Could not send %r to %s", subject, recipients)


def team_addresses(visit):
    return [m.inspector.user.email for m in visit.team.all() if m.inspector.user]


def letter_submitted(letter):
    visit = letter.visit
    manager = visit.qa_manager
    _send(
        f"Letter to review: {visit}",
        f"The letter for the {visit} has been submitted for quality assurance.\n\n"
        f"Review it at {reverse('letters:review-letter', args=[visit.pk])}",
        [manager.user.email] if manager and manager.user else [],
    )


def letter_returned(letter):
    visit = letter.visit
    _send(
        f"Letter returned: {visit}",
        f"The QA manager has returned the letter for the {visit} with comments.\n\n"
        f"See them at {reverse('letters:letter-editor', args=[visit.pk])}",
        team_addresses(visit),
    )


def letter_approved(letter):
    visit = letter.visit
    _send(
        f"Letter approved: {visit}",
        f"The QA manager has approved the letter for the {visit}.",
        team_addresses(visit),
    )


def letter_published(version):
    visit = version.letter.visit
    users = AuthorityUser.objects.filter(authority=visit.authority).select_related("user")
    _send(
        f"Ofsted focused visit letter: {version.title}",
        f"Ofsted has published the letter for the {visit}.\n\n"
        f"Download it at {reverse('letters:authority-letters')}",
        [membership.user.email for membership in users if membership.user.is_active],
    )
