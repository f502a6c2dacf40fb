"""The letter's life: each move checks who may make it, changes the state inside a
transaction, writes one audit event, and tells the people concerned.

These are the only callers of the transitions declared on Letter.
"""

import hashlib

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify

from findings import audit, notifications, permissions
from findings.checks import letter_problems
from findings.compose import compose_letter, letter_queryset
from findings.diff import snapshot
from findings.letters import letter_html, letter_pdf
from findings.models import Comment, PublishedVersion, Submission


class LetterNotReady(ValidationError):
    """The letter fails its pre-submission checks."""


def _locked(letter):
    """The letter re-read under a row lock, with what the checks and rules read."""
    return letter_queryset().select_for_update(of=("self",)).get(pk=letter.pk)


def _move(letter, *, by, action, transition, **detail):
    before = letter.status
    getattr(letter, transition)()
    letter.save()
    audit.record(
        action, actor=by, letter=letter, from_state=before, to_state=letter.status, **detail
    )
    return letter


def _refuse(message):
    raise PermissionDenied(message)


@transaction.atomic
def letter_submit(*, letter, by):
    letter = _locked(letter)
    if not permissions.can_submit(by, letter):
        _refuse("Only the visit's team can submit its letter, while it is a draft")
    problems = letter_problems(letter)
    if problems:
        raise LetterNotReady([problem.message for problem in problems])
    number = (letter.submissions.aggregate(top=Max("number"))["top"] or 0) + 1
    Submission.objects.create(
        letter=letter, number=number, submitted_by=by, snapshot=snapshot(letter)
    )
    _move(letter, by=by, action="letter.submit", transition="submit", submission=number)
    notifications.letter_submitted(letter)
    return letter


@transaction.atomic
def letter_return(*, letter, by, comment=""):
    letter = _locked(letter)
    if not permissions.can_review(by, letter):
        _refuse("Only an independent QA manager can return a letter in review")
    if comment.strip():
        comment_add(letter=letter, by=by, text=comment, _checked=True)
    _move(letter, by=by, action="letter.return", transition="return_to_team")
    notifications.letter_returned(letter)
    return letter


@transaction.atomic
def letter_approve(*, letter, by):
    letter = _locked(letter)
    if not permissions.can_review(by, letter):
        _refuse("Nobody approves their own letter, nor a letter of a visit they are on")
    _move(letter, by=by, action="letter.approve", transition="approve")
    notifications.letter_approved(letter)
    return letter


def letter_publish(*, letter, by):
    """Freeze the approved letter as the next published version.

    The PDF is rendered before anything is written. The version, its file and the
    state change are then committed together; if any step fails the letter stays
    approved, and a file already stored is removed.
    """
    letter = letter_queryset().get(pk=letter.pk)
    if not permissions.can_publish(by, letter):
        _refuse("Nobody publishes their own letter, nor a letter of a visit they are on")
    html = letter_html(letter, for_print=False, standalone=True)
    pdf = letter_pdf(letter)
    stored = []
    try:
        with transaction.atomic():
            letter = _locked(letter)
            if not permissions.can_publish(by, letter):
                _refuse("The letter changed while it was being published")
            version = _store_version(letter, by=by, html=html, pdf=pdf, stored=stored)
            _move(
                letter,
                by=by,
                action="letter.publish",
                transition="publish",
                version=version.number,
                sha256=version.sha256,
            )
            notifications.letter_published(version)
    except BaseException:
        for name in stored:
            version_storage_delete(name)
        raise
    return version


def _store_version(letter, *, by, html, pdf, stored, published_at=None, imported=False):
    visit = letter.visit
    number = (letter.versions.aggregate(top=Max("number"))["top"] or 0) + 1
    digest = hashlib.sha256(pdf).hexdigest()
    version = PublishedVersion(
        letter=letter,
        authority=visit.authority,
        number=number,
        title=letter_title(letter),
        letter_date=visit.letter_date,
        html=html,
        pdf_size=len(pdf),
        sha256=digest,
        published_by=by,
        published_at=published_at or timezone.now(),
        imported=imported,
    )
    name = f"{slugify(visit.authority.name)}/{letter.pk}-v{number}-{digest[:12]}.pdf"
    version.pdf.save(name, ContentFile(pdf), save=False)
    stored.append(version.pdf.name)
    version.save()
    return version


def version_storage_delete(name):
    default_storage.delete(name)


def letter_title(letter):
    return compose_letter(letter).title


@transaction.atomic
def letter_start_correction(*, letter, by):
    letter = _locked(letter)
    if not permissions.can_start_correction(by, letter):
        _refuse("Only the team or a QA manager can correct a published letter")
    return _move(letter, by=by, action="letter.correct", transition="start_correction")


@transaction.atomic
def comment_add(*, letter, by, text, item=None, _checked=False):
    if not _checked:
        letter = _locked(letter)
        if not permissions.can_review(by, letter):
            _refuse("Only an independent QA manager comments on a letter in review")
    comment = Comment.objects.create(
        letter=letter, item=item, item_text=item.text if item else "", author=by, text=text
    )
    audit.record(
        "comment.add",
        actor=by,
        letter=letter,
        from_state=letter.status,
        to_state=letter.status,
        comment=comment.pk,
        item=item.pk if item else None,
    )
    return comment


@transaction.atomic
def comment_resolve(*, comment, by):
    letter = comment.letter
    if not permissions.can_resolve_comments(by, letter):
        _refuse("Only the visit's team resolves comments on its letter")
    if comment.resolved_at is None:
        Comment.objects.filter(pk=comment.pk).update(resolved_at=timezone.now(), resolved_by=by)
        audit.record(
            "comment.resolve",
            actor=by,
            letter=letter,
            from_state=letter.status,
            to_state=letter.status,
            comment=comment.pk,
        )


def version_downloaded(*, version, by, kind):
    """Record that someone read a published version ("pdf" or "html").

    The version comes from findings.selectors.published_versions, annotated with its
    letter's status, so the download reads no letter.
    """
    status = version.letter_status
    audit.record(
        f"version.{kind}",
        actor=by,
        letter_id=version.letter_id,
        from_state=status,
        to_state=status,
        version=version.number,
    )
