"""Publication: freezing an approved letter as a version, corrections, imported letters,
and the record of every download.

Publication prints only the content quality assurance approved: the letter's
fingerprint must still be the one its approval recorded, or nothing is published.
"""

import datetime
import hashlib

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from audit.services import record
from jobs import services as jobs
from letters import notifications, permissions
from letters.drafting.services import locked_letter
from letters.follow_up.services import follow_up_open
from letters.models import Letter, PublishedVersion
from letters.register.entries import entry_add
from letters.rendering.compose import compose_letter, letter_queryset
from letters.rendering.fingerprint import letter_fingerprint
from letters.rendering.pdf import letter_html, letter_pdf
from letters.review.services import move, refuse


class LetterChangedSinceApproval(ValidationError):
    """The letter does not say what quality assurance approved."""


def check_approved_content(letter):
    if not letter.approved_fingerprint or letter_fingerprint(letter) != letter.approved_fingerprint:
        raise LetterChangedSinceApproval(
            "The letter has changed since it was approved, so it was not published. "
            "Return it to the team, then review and approve it again."
        )


def letter_publish_request(*, letter, by):
    """Ask the task worker to publish the approved letter (letter_publish, there); returns
    the job, whose page follows it. Refused here, at once, if the letter may not be
    published by this user or has changed since approval."""
    from letters.publication.tasks import publish_letter

    if not permissions.can_publish(by, letter):
        refuse("Nobody publishes a letter they helped write, nor one of a visit they were on")
    check_approved_content(letter_queryset().get(pk=letter.pk))
    return jobs.submit(
        publish_letter,
        key=f"publish:{letter.pk}:r{letter.revision}",
        label=f"Publishing the letter for the {letter.visit}",
        by=by,
        args=(letter.pk,),
        back=reverse("letters:review-letter", args=[letter.visit_id]),
    )


def version_published_for(job, letter):
    """The version a publication job made, if it made one (its worker may have died
    between publishing and recording that it had)."""
    if letter.status != Letter.Status.PUBLISHED or job.requested_by is None:
        return None
    return (
        letter.versions.filter(published_by=job.requested_by, published_at__gte=job.requested_at)
        .order_by("-number")
        .first()
    )


def letter_publish(*, letter, by, scheduled=False):
    """Freeze the approved letter as the next published version.

    The PDF is rendered before anything is written, from the content whose fingerprint
    approval recorded. The version, its file and the state change are then committed
    together, after the same checks under the lock; if any step fails the letter stays
    approved, and a file already stored is removed. scheduled: published on its
    publication date by letters.publication.schedule.publish_due (said in the audit event).
    """
    letter = letter_queryset().get(pk=letter.pk)
    if not permissions.can_publish(by, letter):
        refuse("Nobody publishes a letter they helped write, nor one of a visit they were on")
    check_approved_content(letter)
    html = letter_html(letter, for_print=False, standalone=True)
    pdf = letter_pdf(letter)
    stored = []
    try:
        with transaction.atomic():
            locked = locked_letter(letter.pk, by=by, check=None)
            if not permissions.can_publish(by, locked):
                refuse("The letter changed while it was being published")
            if locked.approved_fingerprint != letter.approved_fingerprint:
                refuse("The letter changed while it was being published")
            check_approved_content(locked)
            version = store_version(locked, by=by, html=html, pdf=pdf, stored=stored)
            move(
                locked,
                by=by,
                action="letter.publish",
                transition="publish",
                version=version.number,
                sha256=version.sha256,
                fingerprint=locked.approved_fingerprint,
                **({"scheduled": True} if scheduled else {}),
            )
            notifications.letter_published(version)
            # A letter with areas for priority action starts the authority's action plan.
            follow_up_open(letter=locked, by=by)
    except BaseException:
        for name in stored:
            default_storage.delete(name)
        raise
    return version


def letter_publish_imported(*, letter, by, pdf, source=""):
    """Publish a letter Ofsted published before the portal, with its original PDF, dated
    the letter's date. Its transition (publish_imported) starts from a fresh draft."""
    letter = letter_queryset().get(pk=letter.pk)
    html = letter_html(letter, for_print=False, standalone=True)
    visit = letter.visit
    on_date = visit.letter_date or visit.last_day
    published_at = timezone.make_aware(datetime.datetime.combine(on_date, datetime.time.min))
    stored = []
    try:
        with transaction.atomic():
            locked = locked_letter(letter.pk, by=by, check=None)
            version = store_version(
                locked,
                by=by,
                html=html,
                pdf=pdf,
                stored=stored,
                published_at=published_at,
                imported=True,
            )
            move(
                locked,
                by=by,
                action="letter.publish_imported",
                transition="publish_imported",
                version=version.number,
                sha256=version.sha256,
                source=source,
            )
    except BaseException:
        for name in stored:
            default_storage.delete(name)
        raise
    return version


def store_version(letter, *, by, html, pdf, stored, published_at=None, imported=False):
    visit = letter.visit
    number = (letter.versions.aggregate(top=Max("number"))["top"] or 0) + 1
    digest = hashlib.sha256(pdf).hexdigest()
    version = PublishedVersion(
        letter=letter,
        authority=visit.authority,
        number=number,
        title=compose_letter(letter).title,
        letter_date=visit.letter_date,
        html=html,
        pdf_size=len(pdf),
        sha256=digest,
        published_by=by if by is not None and by.is_authenticated else None,
        published_at=published_at or timezone.now(),
        imported=imported,
    )
    name = f"{slugify(visit.authority.name)}/{letter.pk}-v{number}-{digest[:12]}.pdf"
    version.pdf.save(name, ContentFile(pdf), save=False)
    stored.append(version.pdf.name)
    version.save()
    # The public register's entry, in the same transaction: published means public.
    entry_add(version=version)
    return version


@transaction.atomic
def letter_start_correction(*, letter, by):
    letter = locked_letter(letter.pk, by=by, check=None)
    if not permissions.can_start_correction(by, letter):
        refuse("Only the team or a QA manager can correct a published letter")
    return move(letter, by=by, action="letter.correct", transition="start_correction")


def version_downloaded(*, version, by, kind):
    """Record that someone read a published version ("download" or "read").

    The version comes from letters.selectors.published_versions, annotated with its
    letter's status, so the download reads no letter.
    """
    status = version.letter_status
    record(
        f"version.{kind}",
        by=by,
        target=(Letter, version.letter_id),
        from_state=status,
        to_state=status,
        version=version.number,
    )
