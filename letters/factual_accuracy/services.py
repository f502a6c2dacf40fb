"""The factual-accuracy round: the QA manager sends the approved letter to its local
authority, the authority's users comment and respond, the team answers each comment
(changing the letter where it accepts one), and the QA manager signs off the final letter
with its publication date.

Each move re-reads the letter under the visit's row lock, asks the transition whether `by`
may make it (letters.permissions), writes one audit event and tells the people concerned
once the change is committed, as letters.review.services does.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from inspections import calendar
from letters import clock, notifications, permissions
from letters.drafting.services import locked_letter
from letters.models import FactualAccuracyComment
from letters.publication import schedule
from letters.publication.services import check_approved_content
from letters.rendering.fingerprint import letter_fingerprint
from letters.review.services import comment_create, move, refuse


class CommentsNotAnswered(ValidationError):
    """Some of the authority's comments have no answer yet."""


def factual_accuracy_deadline(letter, *, sent_on):
    """The last day of the authority's window: FACTUAL_ACCURACY_WORKING_DAYS working days
    after the day the letter is sent (its pauses count)."""
    return calendar.add_working_days(
        sent_on, settings.FACTUAL_ACCURACY_WORKING_DAYS, authority=letter.visit.authority_id
    )


def round_comments(letter):
    """The comments of the letter's current round, oldest first."""
    return letter.factual_accuracy_comments.filter(round=letter.fa_round).select_related(
        "author", "answered_by"
    )


@transaction.atomic
def letter_send_for_factual_accuracy(*, letter, by):
    """Send the approved letter, as approved (its fingerprint), to its authority."""
    letter = locked_letter(letter.pk, by=by, check=None)
    if not permissions.can_send_for_factual_accuracy(by, letter):
        refuse("Only an independent QA manager sends an approved letter to its authority")
    check_approved_content(letter)
    sent_on = clock.today()
    deadline = factual_accuracy_deadline(letter, sent_on=sent_on)
    move(
        letter,
        by=by,
        action="letter.send_factual_accuracy",
        transition="send_for_factual_accuracy",
        arguments={"sent_at": timezone.now(), "deadline": deadline},
        round=letter.fa_round + 1,
        deadline=deadline,
        fingerprint=letter.approved_fingerprint,
    )
    notifications.factual_accuracy_sent(letter)
    return letter


@transaction.atomic
def factual_accuracy_comment_add(*, letter, by, text, item=None):
    """A comment of the authority's on the letter as a whole, or on one of its items."""
    letter = locked_letter(letter.pk, by=by, check=None)
    if not permissions.can_comment_on_factual_accuracy(by, letter):
        refuse("Only the letter's local authority comments, until it has responded")
    if item is not None and item.section.letter_id != letter.pk:
        raise ValidationError("Choose a paragraph of this letter")
    return comment_create(
        FactualAccuracyComment,
        "letter.factual_accuracy_comment",
        letter=letter,
        by=by,
        text=text,
        item=item,
        round=letter.fa_round,
    )


@transaction.atomic
def letter_respond_to_factual_accuracy(*, letter, by):
    """The authority submits its comments (or none); after the deadline, marked late."""
    letter = locked_letter(letter.pk, by=by, check=None)
    if not permissions.can_respond_to_factual_accuracy(by, letter):
        refuse("Only the letter's local authority responds, and only once")
    today = clock.today()
    move(
        letter,
        by=by,
        action="letter.factual_accuracy_respond",
        transition="respond_to_factual_accuracy",
        arguments={"by": by, "at": timezone.now(), "day": today},
        comments=round_comments(letter).count(),
        deadline=letter.fa_deadline,
        late=today > letter.fa_deadline,
    )
    notifications.factual_accuracy_responded(letter)
    return letter


@transaction.atomic
def factual_accuracy_answer(*, comment, by, answer, reason=""):
    """The team's answer to one comment: accepted (the letter is changed through the
    drafting pages) or not accepted, with the reason."""
    letter = locked_letter(comment.letter_id, by=by, check=None)
    if not permissions.can_answer_factual_accuracy(by, letter):
        refuse("Only the visit's team answers the authority's comments, once it has responded")
    comment = FactualAccuracyComment.objects.select_for_update().get(pk=comment.pk)
    if comment.round != letter.fa_round:
        raise ValidationError("This comment is from an earlier factual-accuracy check")
    if answer not in FactualAccuracyComment.Answer.values:
        raise ValidationError("Say whether the comment is accepted")
    reason = reason.strip()
    if answer == FactualAccuracyComment.Answer.NOT_ACCEPTED and not reason:
        raise ValidationError("Say why the comment is not accepted")
    before = [comment.answer, comment.reason]
    comment.answer, comment.reason = answer, reason
    comment.answered_by, comment.answered_at = by, timezone.now()
    comment.save()
    move(
        letter,
        by=by,
        action="letter.factual_accuracy_answer",
        transition="answer_factual_accuracy",
        comment=comment.pk,
        answer=[before[0], answer],
        reason=[before[1], reason],
    )
    if before[0] == "" and not round_comments(letter).filter(answer="").exists():
        notifications.factual_accuracy_answered(letter)
    return comment


@transaction.atomic
def letter_sign_off(*, letter, by, publication_date):
    """Sign off the final letter as it now stands, to be published on `publication_date`
    (a working day, not before the next: schedule.check_publication_date)."""
    letter = locked_letter(letter.pk, by=by, check=None)
    if not permissions.can_sign_off(by, letter):
        refuse("Nobody signs off a letter they helped write, nor one of a visit they were on")
    # Without a response (the window closed), the authority's unsent comments are not a
    # response: there is nothing to answer.
    responded = letter.status == letter.Status.FA_RESPONDED
    if responded and round_comments(letter).filter(answer="").exists():
        raise CommentsNotAnswered(
            "Every comment from the local authority needs an answer before you sign off"
        )
    schedule.check_publication_date(letter, publication_date)
    fingerprint = letter_fingerprint(letter)
    move(
        letter,
        by=by,
        action="letter.sign_off",
        transition="sign_off_final",
        arguments={
            "by": by,
            "at": timezone.now(),
            "fingerprint": fingerprint,
            "publication_date": publication_date,
        },
        publication_date=publication_date,
        fingerprint=fingerprint,
        without_response=not responded,
    )
    notifications.letter_signed_off(letter)
    return letter
