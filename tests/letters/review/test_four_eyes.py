"""Four eyes on the record, and approved means frozen (the one-road issue's findings)."""

import pytest
from django.core.exceptions import PermissionDenied

from audit.models import AuditEvent
from inspections import services as visits
from inspections.models import Involvement, TeamMember
from letters.drafting import services as drafting
from letters.models import Item, Letter, PublishedVersion
from letters.publication import services as publication
from letters.publication.services import LetterChangedSinceApproval
from letters.review import services as review
from tests.factories import inspector_user, letter_led_by, qa_manager_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead():
    return inspector_user()


@pytest.fixture
def qa():
    return qa_manager_user()


@pytest.fixture
def letter(lead, qa):
    letter = letter_led_by(lead)
    letter.visit.qa_manager = qa.inspector
    letter.visit.save()
    return Letter.objects.get(pk=letter.pk)


def first_item(letter):
    return Item.objects.filter(section__letter=letter).order_by("section__position", "position")[0]


def join_write_and_leave(letter, lead, qa):
    """The QA manager is put on the team, changes an item, and takes themselves off."""
    member = visits.team_member_add(
        visit=letter.visit, by=lead, inspector=qa.inspector, role=TeamMember.Role.INSPECTOR
    )
    item = first_item(letter)
    drafting.item_update(item=item, by=qa, based_on=item.revision, values={"text": "Mine."})
    visits.team_member_remove(member=member, by=qa)


def test_a_former_team_member_who_wrote_cannot_approve(letter, lead, qa):
    """A QA manager who was on the team and wrote an item cannot approve, though they left."""
    join_write_and_leave(letter, lead, qa)
    review.letter_submit(letter=letter, by=lead)
    with pytest.raises(PermissionDenied):
        review.letter_approve(letter=letter, by=qa)
    assert Letter.objects.get(pk=letter.pk).status == Letter.Status.IN_REVIEW


def test_a_former_team_member_who_never_wrote_cannot_approve(letter, lead, qa):
    """Having been on the team is enough: nobody approves a visit they were part of."""
    member = visits.team_member_add(
        visit=letter.visit, by=lead, inspector=qa.inspector, role=TeamMember.Role.INSPECTOR
    )
    visits.team_member_remove(member=member, by=lead)
    review.letter_submit(letter=letter, by=lead)
    with pytest.raises(PermissionDenied):
        review.letter_approve(letter=letter, by=qa)


def test_a_former_team_member_cannot_publish(letter, lead, qa):
    """Publication reads the same record: an involved QA manager cannot publish either."""
    review.letter_submit(letter=letter, by=lead)
    independent = qa_manager_user(username="qa2", full_name="Morgan Vale")
    review.letter_approve(letter=letter, by=independent)
    Involvement.objects.create(visit=letter.visit, kind=Involvement.Kind.WROTE, user=qa)
    with pytest.raises(PermissionDenied):
        publication.letter_publish(letter=letter, by=qa)
    assert not PublishedVersion.objects.exists()


def test_the_audit_log_shows_team_changes_and_edits(letter, lead, qa):
    """Joining, writing and leaving are each in the audit log, with who did it."""
    join_write_and_leave(letter, lead, qa)
    actions = list(AuditEvent.objects.order_by("pk").values_list("action", "actor__username"))
    assert actions == [
        ("team.add", lead.username),
        ("item.change", qa.username),
        ("team.remove", qa.username),
    ]


def test_an_edit_is_audited_with_its_text_before_and_after(letter, lead):
    """An item's change is recorded with the words before and after."""
    item = first_item(letter)
    before = item.text
    drafting.item_update(item=item, by=lead, based_on=item.revision, values={"text": "After."})
    event = AuditEvent.objects.get(action="item.change")
    assert event.detail["changes"]["text"] == [before, "After."]


@pytest.mark.parametrize("status", [Letter.Status.IN_REVIEW, Letter.Status.APPROVED])
def test_the_team_cannot_change_while_the_letter_is_with_quality_assurance(letter, lead, status):
    """Adding someone to the team is refused once the letter is submitted or approved."""
    other = inspector_user(username="other", full_name="Sam Other")
    Letter.objects.filter(pk=letter.pk).update(status=status)
    with pytest.raises(PermissionDenied):
        visits.team_member_add(
            visit=letter.visit, by=lead, inspector=other.inspector, role=TeamMember.Role.INSPECTOR
        )
    assert not TeamMember.objects.filter(inspector=other.inspector).exists()


def test_approval_records_the_fingerprint_of_the_content(letter, lead, qa):
    """Approval writes the letter's fingerprint, in the letter and in its audit event."""
    review.letter_submit(letter=letter, by=lead)
    review.letter_approve(letter=letter, by=qa)
    approved = Letter.objects.get(pk=letter.pk)
    event = AuditEvent.objects.get(action="letter.approve")
    assert len(approved.approved_fingerprint) == 64
    assert event.detail["fingerprint"] == approved.approved_fingerprint


def test_publication_refuses_content_changed_after_approval(letter, lead, qa):
    """Words changed after approval, by whatever road, are not published: the letter
    stays approved and nothing is stored."""
    review.letter_submit(letter=letter, by=lead)
    review.letter_approve(letter=letter, by=qa)
    Item.objects.filter(pk=first_item(letter).pk).update(text="Changed after approval.")
    with pytest.raises(LetterChangedSinceApproval):
        publication.letter_publish(letter=letter, by=qa)
    assert Letter.objects.get(pk=letter.pk).status == Letter.Status.APPROVED
    assert not PublishedVersion.objects.exists()


def test_publication_refuses_a_visit_fact_changed_after_approval(letter, lead, qa):
    """The fingerprint covers what prints from the visit too, such as the recipient."""
    review.letter_submit(letter=letter, by=lead)
    review.letter_approve(letter=letter, by=qa)
    type(letter.visit).objects.filter(pk=letter.visit_id).update(recipient_name="Someone Else")
    with pytest.raises(LetterChangedSinceApproval):
        publication.letter_publish(letter=letter, by=qa)


def test_publication_of_unchanged_content_prints_the_approved_letter(letter, lead, qa):
    """The approved content publishes, with the fingerprint in the publication's event."""
    review.letter_submit(letter=letter, by=lead)
    review.letter_approve(letter=letter, by=qa)
    version = publication.letter_publish(letter=letter, by=qa)
    assert version.number == 1
    event = AuditEvent.objects.get(action="letter.publish")
    assert event.detail["fingerprint"] == Letter.objects.get(pk=letter.pk).approved_fingerprint


def test_a_correction_clears_the_approval(letter, lead, qa):
    """A correction is a new draft: the old approval no longer stands for it."""
    review.letter_submit(letter=letter, by=lead)
    review.letter_approve(letter=letter, by=qa)
    publication.letter_publish(letter=letter, by=qa)
    publication.letter_start_correction(letter=letter, by=lead)
    assert Letter.objects.get(pk=letter.pk).approved_fingerprint == ""


def test_the_lead_inspector_cannot_be_removed(letter, lead):
    """The lead signs the letter: removing them is refused, and they stay on the team."""
    member = letter.visit.team.get(role=TeamMember.Role.LEAD)
    with pytest.raises(PermissionDenied):
        visits.team_member_remove(member=member, by=lead)
    assert TeamMember.objects.filter(pk=member.pk).exists()
