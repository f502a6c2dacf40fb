"""The factual-accuracy round's services: send, comment, respond, answer, sign off."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from audit.models import AuditEvent
from inspections.models import PublicationPause
from letters.drafting import services as drafting
from letters.factual_accuracy import services
from letters.models import FactualAccuracyComment, Item, Letter
from letters.publication.services import LetterChangedSinceApproval
from letters.rendering.compose import letter_queryset
from letters.rendering.fingerprint import letter_fingerprint
from tests.factories import complete_letter

pytestmark = pytest.mark.django_db

D = datetime.date
ACCEPTED = FactualAccuracyComment.Answer.ACCEPTED
NOT_ACCEPTED = FactualAccuracyComment.Answer.NOT_ACCEPTED


def actions(letter):
    return list(
        AuditEvent.objects.filter(target_id=letter.pk, action__startswith="letter.")
        .order_by("id")
        .values_list("action", flat=True)
    )


MONDAY = D(2024, 12, 2)


def sent(world, today, day=MONDAY):
    today(day)
    return services.letter_send_for_factual_accuracy(letter=world["letter"], by=world["qa"])


def responded(world, today, comments=("The visit ended on 28 November.",), day=None):
    letter = sent(world, today)
    item = Item.objects.filter(section__letter=letter).first()
    made = [
        services.factual_accuracy_comment_add(letter=letter, by=world["la"], text=text, item=item)
        for text in comments
    ]
    if day:
        today(day)
    services.letter_respond_to_factual_accuracy(letter=letter, by=world["la"])
    return Letter.objects.get(pk=letter.pk), made


# Sending.


def test_sending_moves_the_approved_letter_and_records_the_deadline(world, today):
    """Sent on Monday 2 December 2024, five working days give Monday 9 December."""
    letter = sent(world, today)
    letter = Letter.objects.get(pk=letter.pk)
    assert letter.status == Letter.Status.FACTUAL_ACCURACY
    assert letter.fa_deadline == D(2024, 12, 9)
    assert letter.fa_round == 1
    assert actions(letter) == ["letter.send_factual_accuracy"]


@pytest.mark.parametrize(
    "sent_on,deadline",
    [
        # Christmas Day and Boxing Day are skipped.
        (D(2024, 12, 20), D(2024, 12, 31)),
        # ... and New Year's Day.
        (D(2024, 12, 23), D(2025, 1, 2)),
        # Good Friday and Easter Monday 2025.
        (D(2025, 4, 16), D(2025, 4, 25)),
    ],
)
def test_the_deadline_counts_working_days_on_real_dates(world, today, sent_on, deadline):
    """The window skips weekends and England's bank holidays."""
    letter = sent(world, today, day=sent_on)
    assert Letter.objects.get(pk=letter.pk).fa_deadline == deadline


def test_the_window_is_a_setting_and_skips_the_authoritys_pauses(world, today, settings):
    """FACTUAL_ACCURACY_WORKING_DAYS sets the window; the authority's pause stretches it."""
    settings.FACTUAL_ACCURACY_WORKING_DAYS = 2
    PublicationPause.objects.create(
        start_date=D(2024, 12, 3),
        end_date=D(2024, 12, 3),
        authority=world["letter"].visit.authority,
        kind=PublicationPause.Kind.PRE_ELECTION,
        reason="By-election",
    )
    letter = sent(world, today)
    assert Letter.objects.get(pk=letter.pk).fa_deadline == D(2024, 12, 5)


def test_sending_tells_the_authoritys_users_and_not_another_authority(
    world, today, django_capture_on_commit_callbacks
):
    """The authority's users are e-mailed with the deadline; the other authority is not."""
    with django_capture_on_commit_callbacks(execute=True):
        sent(world, today)
    to_authority = [m for m in mail.outbox if "la-a@fernshire.example" in m.to]
    assert len(to_authority) == 1
    assert "Monday 9 December 2024" in to_authority[0].body
    assert not any("la-b@fernshire.example" in m.to for m in mail.outbox)


def test_a_letter_changed_since_approval_is_not_sent(world, today):
    """The authority reads only what was approved: a changed letter stays approved."""
    Item.objects.filter(section__letter=world["letter"]).update(text="Changed behind QA's back.")
    today(D(2024, 12, 2))
    with pytest.raises(LetterChangedSinceApproval):
        services.letter_send_for_factual_accuracy(letter=world["letter"], by=world["qa"])
    assert Letter.objects.get(pk=world["letter"].pk).status == Letter.Status.APPROVED
    assert actions(world["letter"]) == []


def test_the_team_cannot_send_its_own_letter(world, today):
    """Four eyes: the lead inspector may not send the letter to the authority."""
    today(D(2024, 12, 2))
    with pytest.raises(PermissionDenied):
        services.letter_send_for_factual_accuracy(letter=world["letter"], by=world["lead"])
    assert actions(world["letter"]) == []


# The authority's comments and response.


def test_an_authority_user_comments_on_an_item(world, today):
    """The comment keeps what the item said, and is audited."""
    letter = sent(world, today)
    item = Item.objects.filter(section__letter=letter).first()
    comment = services.factual_accuracy_comment_add(
        letter=letter, by=world["la"], text="Not 12 but 14.", item=item
    )
    assert comment.item_text == item.text and comment.round == 1
    assert actions(letter)[-1] == "letter.factual_accuracy_comment"


def test_another_authoritys_user_cannot_comment(world, today):
    """A user of another authority is refused, and nothing is written."""
    letter = sent(world, today)
    with pytest.raises(PermissionDenied):
        services.factual_accuracy_comment_add(letter=letter, by=world["other_la"], text="Hm")
    assert not FactualAccuracyComment.objects.exists()
    assert actions(letter) == ["letter.send_factual_accuracy"]


def test_a_comment_on_another_letters_item_is_refused(world, today):
    """An item must belong to the letter commented on."""
    letter = sent(world, today)
    stranger = Item.objects.filter(section__letter=complete_letter()).first()
    with pytest.raises(ValidationError):
        services.factual_accuracy_comment_add(
            letter=letter, by=world["la"], text="Hm", item=stranger
        )
    assert not FactualAccuracyComment.objects.exists()


def test_a_response_on_the_deadline_is_on_time(world, today):
    """Responding on the last day of the window is not late."""
    letter, _ = responded(world, today, day=D(2024, 12, 9))
    assert letter.status == Letter.Status.FA_RESPONDED
    assert not letter.fa_response_late
    assert letter.fa_responded_by == world["la"]


def test_a_late_response_is_accepted_and_marked_late(world, today):
    """The day after the deadline the response is still taken, marked late."""
    letter, _ = responded(world, today, day=D(2024, 12, 10))
    assert letter.status == Letter.Status.FA_RESPONDED
    assert letter.fa_response_late
    event = AuditEvent.objects.get(action="letter.factual_accuracy_respond")
    assert event.detail["late"] is True


def test_no_comment_after_the_response(world, today):
    """Once the authority has responded, its users cannot add comments."""
    letter, _ = responded(world, today)
    with pytest.raises(PermissionDenied):
        services.factual_accuracy_comment_add(letter=letter, by=world["la"], text="One more")
    assert FactualAccuracyComment.objects.count() == 1


def test_the_authority_responds_once(world, today):
    """A second response is refused."""
    letter, _ = responded(world, today)
    with pytest.raises(PermissionDenied):
        services.letter_respond_to_factual_accuracy(letter=letter, by=world["la"])
    assert actions(letter).count("letter.factual_accuracy_respond") == 1


# The team's answers.


def test_the_team_accepts_a_comment_and_changes_the_letter(world, today):
    """An accepted comment: the team edits the item through the drafting service."""
    letter, (comment,) = responded(world, today)
    services.factual_accuracy_answer(comment=comment, by=world["lead"], answer=ACCEPTED)
    item = Item.objects.get(pk=comment.item_id)
    drafting.item_update(
        item=item,
        by=world["lead"],
        based_on=item.revision,
        values={"text": "The visit ended on 28 November."},
    )
    comment.refresh_from_db()
    assert comment.answer == ACCEPTED and comment.answered_by == world["lead"]
    assert Item.objects.get(pk=item.pk).text == "The visit ended on 28 November."
    assert "letter.factual_accuracy_answer" in actions(letter)


def test_not_accepting_needs_a_reason(world, today):
    """Not accepted without a reason is refused, and nothing is written."""
    letter, (comment,) = responded(world, today)
    with pytest.raises(ValidationError):
        services.factual_accuracy_answer(comment=comment, by=world["lead"], answer=NOT_ACCEPTED)
    comment.refresh_from_db()
    assert comment.answer == ""
    assert "letter.factual_accuracy_answer" not in actions(letter)


def test_the_qa_manager_cannot_answer(world, today):
    """Only the team answers the authority's comments."""
    _, (comment,) = responded(world, today)
    with pytest.raises(PermissionDenied):
        services.factual_accuracy_answer(
            comment=comment, by=world["qa"], answer=NOT_ACCEPTED, reason="No."
        )
    comment.refresh_from_db()
    assert comment.answer == ""


def test_the_qa_manager_is_told_when_every_comment_is_answered(
    world, today, django_capture_on_commit_callbacks
):
    """The last answer e-mails the QA manager that the letter is ready to sign off."""
    _, (first, second) = responded(world, today, comments=("One", "Two"))
    with django_capture_on_commit_callbacks(execute=True):
        services.factual_accuracy_answer(comment=first, by=world["lead"], answer=ACCEPTED)
    assert not [m for m in mail.outbox if m.subject.startswith("Factual accuracy comments")]
    with django_capture_on_commit_callbacks(execute=True):
        services.factual_accuracy_answer(
            comment=second, by=world["lead"], answer=NOT_ACCEPTED, reason="It was 12."
        )
    told = [m for m in mail.outbox if m.subject.startswith("Factual accuracy comments")]
    assert [m.to for m in told] == [["qa@ofsted.example"]]


# Sign-off.


def test_sign_off_waits_for_every_answer(world, today):
    """With a comment unanswered the letter is not signed off, and nothing is written."""
    letter, _ = responded(world, today)
    with pytest.raises(services.CommentsNotAnswered):
        services.letter_sign_off(letter=letter, by=world["qa"], publication_date=D(2025, 1, 6))
    assert Letter.objects.get(pk=letter.pk).status == Letter.Status.FA_RESPONDED
    assert "letter.sign_off" not in actions(letter)


def test_sign_off_records_the_date_and_the_final_content(world, today):
    """Signing off fingerprints the letter as changed in the round, and sets its date."""
    letter, (comment,) = responded(world, today)
    services.factual_accuracy_answer(comment=comment, by=world["lead"], answer=ACCEPTED)
    item = Item.objects.get(pk=comment.item_id)
    drafting.item_update(
        item=item, by=world["lead"], based_on=item.revision, values={"text": "Corrected."}
    )
    approved = Letter.objects.get(pk=letter.pk).approved_fingerprint
    services.letter_sign_off(letter=letter, by=world["qa"], publication_date=D(2024, 12, 20))
    letter = letter_queryset().get(pk=letter.pk)
    assert letter.status == Letter.Status.FINAL
    assert letter.publication_date == D(2024, 12, 20)
    assert letter.signed_off_by == world["qa"]
    assert letter.approved_fingerprint == letter_fingerprint(letter) != approved


def test_a_letter_without_a_response_is_not_signed_off_within_the_window(world, today):
    """On the deadline day the authority may still respond: no sign-off yet."""
    letter = sent(world, today)
    today(letter.fa_deadline)
    with pytest.raises(PermissionDenied):
        services.letter_sign_off(letter=letter, by=world["qa"], publication_date=D(2025, 1, 6))
    assert Letter.objects.get(pk=letter.pk).status == Letter.Status.FACTUAL_ACCURACY
    assert "letter.sign_off" not in actions(letter)


def test_a_letter_without_a_response_is_signed_off_once_the_window_closes(world, today):
    """The day after the deadline, with no response, the QA manager signs the letter off as
    sent; comments the authority began but never sent do not hold it up."""
    letter = sent(world, today)
    services.factual_accuracy_comment_add(letter=letter, by=world["la"], text="Not sent.")
    today(letter.fa_deadline + datetime.timedelta(days=1))
    services.letter_sign_off(letter=letter, by=world["qa"], publication_date=D(2025, 1, 6))
    assert Letter.objects.get(pk=letter.pk).status == Letter.Status.FINAL
    event = AuditEvent.objects.filter(target_id=letter.pk, action="letter.sign_off").get()
    assert event.detail["without_response"] is True


@pytest.mark.parametrize(
    "day,says",
    [
        (D(2024, 12, 21), "Saturday"),
        (D(2024, 12, 25), "bank holiday"),
        (D(2024, 12, 12), "publication pause"),
        (D(2024, 12, 2), "or later"),
    ],
)
def test_sign_off_refuses_a_day_that_is_not_a_working_day(world, today, day, says):
    """A weekend, a bank holiday, a pause or a day before the next working day is refused."""
    letter, _ = responded(world, today, comments=())
    PublicationPause.objects.create(
        start_date=D(2024, 12, 11),
        end_date=D(2024, 12, 13),
        kind=PublicationPause.Kind.NATIONAL_MOURNING,
        reason="National mourning",
    )
    today(D(2024, 12, 4))
    with pytest.raises(ValidationError, match=says):
        services.letter_sign_off(letter=letter, by=world["qa"], publication_date=day)
    assert Letter.objects.get(pk=letter.pk).status == Letter.Status.FA_RESPONDED


def test_sign_off_tells_the_authority_of_the_embargo(
    world, today, django_capture_on_commit_callbacks
):
    """The authority's users learn the final letter's publication date."""
    letter, _ = responded(world, today, comments=())
    with django_capture_on_commit_callbacks(execute=True):
        services.letter_sign_off(letter=letter, by=world["qa"], publication_date=D(2024, 12, 20))
    final = [m for m in mail.outbox if m.to == ["la-a@fernshire.example"] and "final" in m.subject]
    assert len(final) == 1
    assert "embargoed" in final[0].body and "Friday 20 December 2024" in final[0].body


def test_each_step_writes_one_audit_event(world, today):
    """Send, comment, respond, answer and sign off: one event each, dotted, in order."""
    letter, (comment,) = responded(world, today)
    services.factual_accuracy_answer(comment=comment, by=world["lead"], answer=ACCEPTED)
    services.letter_sign_off(letter=letter, by=world["qa"], publication_date=D(2024, 12, 20))
    assert actions(letter) == [
        "letter.send_factual_accuracy",
        "letter.factual_accuracy_comment",
        "letter.factual_accuracy_respond",
        "letter.factual_accuracy_answer",
        "letter.sign_off",
    ]
