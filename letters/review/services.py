"""Quality assurance: submit, return, approve, and comments.

Each move re-reads the letter under the visit's row lock, asks the transition whether
`by` may make it (letters.permissions), changes the state inside the transaction,
writes one audit event, and tells the people concerned once the change is committed.
These and letters.publication.services are the only callers of Letter's transitions.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from audit.services import record
from inspections import services as visits
from inspections.models import Involvement
from letters import notifications, permissions
from letters.drafting.checks import letter_problems
from letters.drafting.services import locked_letter
from letters.models import Comment, Submission
from letters.rendering.fingerprint import letter_fingerprint
from letters.review.diff import snapshot


class LetterNotReady(ValidationError):
    """The letter fails its pre-submission checks."""


def move(letter, *, by, action, transition, **detail):
    """Make the transition on the locked letter, save it and write its audit event."""
    before = letter.status
    getattr(letter, transition)(**detail.pop("arguments", {}))
    letter.save()
    record(action, by=by, target=letter, from_state=before, to_state=letter.status, **detail)
    return letter


def refuse(message):
    raise PermissionDenied(message)


@transaction.atomic
def letter_submit(*, letter, by):
    letter = locked_letter(letter.pk, by=by, check=None)
    if not permissions.can_submit(by, letter):
        refuse("Only the visit's team can submit its letter, while it is a draft")
    problems = letter_problems(letter)
    if problems:
        raise LetterNotReady([problem.message for problem in problems])
    number = (letter.submissions.aggregate(top=Max("number"))["top"] or 0) + 1
    Submission.objects.create(
        letter=letter, number=number, submitted_by=by, snapshot=snapshot(letter)
    )
    visits.involvement_record(visit=letter.visit, kind=Involvement.Kind.SUBMITTED, user=by)
    move(letter, by=by, action="letter.submit", transition="submit", submission=number)
    notifications.letter_submitted(letter)
    return letter


@transaction.atomic
def letter_return(*, letter, by, comment=""):
    letter = locked_letter(letter.pk, by=by, check=None)
    if not permissions.can_review(by, letter):
        refuse("Only an independent QA manager can return a letter in review")
    if comment.strip():
        comment_create(Comment, "comment.add", letter=letter, by=by, text=comment)
    move(letter, by=by, action="letter.return", transition="return_to_team")
    notifications.letter_returned(letter)
    return letter


@transaction.atomic
def letter_approve(*, letter, by):
    """Approve the letter as it stands, recording its fingerprint: publication prints
    that content or nothing."""
    letter = locked_letter(letter.pk, by=by, check=None)
    if not permissions.can_review(by, letter):
        refuse(
            "Nobody approves a letter they helped write, submitted, or whose visit "
            "team they have been on"
        )
    fingerprint = letter_fingerprint(letter)
    move(
        letter,
        by=by,
        action="letter.approve",
        transition="approve",
        arguments={"fingerprint": fingerprint},
        fingerprint=fingerprint,
    )
    notifications.letter_approved(letter)
    return letter


def comment_create(model, action, *, letter, by, text, item=None, **fields):
    """A comment (`model`: QA's Comment, or the authority's FactualAccuracyComment) on the
    letter or one of its items, keeping what the item said, and its audit event `action`.
    The caller has locked the letter and checked `by` may comment."""
    comment = model.objects.create(
        letter=letter,
        item=item,
        item_text=item.text if item else "",
        author=by,
        text=text,
        **fields,
    )
    record(
        action,
        by=by,
        target=letter,
        from_state=letter.status,
        to_state=letter.status,
        comment=comment.pk,
        item=item.pk if item else None,
        text=text,
    )
    return comment


@transaction.atomic
def comment_add(*, letter, by, text, item=None):
    letter = locked_letter(letter.pk, by=by, check=None)
    if not permissions.can_review(by, letter):
        refuse("Only an independent QA manager comments on a letter in review")
    return comment_create(Comment, "comment.add", letter=letter, by=by, text=text, item=item)


@transaction.atomic
def comment_resolve(*, comment, by):
    letter = locked_letter(comment.letter_id, by=by, check=None)
    if not permissions.can_resolve_comments(by, letter):
        refuse("Only the visit's team resolves comments on its letter")
    updated = Comment.objects.filter(pk=comment.pk, resolved_at__isnull=True).update(
        resolved_at=timezone.now(), resolved_by=by
    )
    if updated:
        record(
            "comment.resolve",
            by=by,
            target=letter,
            from_state=letter.status,
            to_state=letter.status,
            comment=comment.pk,
        )
