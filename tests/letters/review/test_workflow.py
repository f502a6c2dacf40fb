import hashlib

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.urls import reverse

from audit.models import AuditEvent, AuditEventImmutable
from inspections.models import AuthorityUser, Involvement, TeamMember, Visit
from letters import clock
from letters.models import Comment, Letter, PublishedVersion, PublishedVersionImmutable, Submission
from letters.publication import services as publication
from letters.review import services
from letters.review.services import LetterNotReady
from tests.factories import (
    LocalAuthorityFactory,
    UserFactory,
    force_status,
    inspector_user,
    letter_led_by,
    qa_manager_user,
)

pytestmark = pytest.mark.django_db

STATES = [status for status, _ in Letter.Status.choices]

# The declared flow: which transition may leave which state, and where it leads.
DECLARED = {
    "submit": ({"draft", "returned"}, "in_review"),
    "return": ({"in_review"}, "returned"),
    "approve": ({"in_review"}, "approved"),
    # A final letter on its publication date (set_state gives it today's); the
    # factual-accuracy moves: tests/letters/test_transition_matrix.py.
    "publish": ({"approved", "final"}, "published"),
    "correct": ({"published"}, "draft"),
}


@pytest.fixture
def people():
    inspector = inspector_user()
    qa = qa_manager_user()
    return inspector, qa


@pytest.fixture
def letter(people):
    inspector, qa = people
    letter = letter_led_by(inspector)
    Visit.objects.filter(pk=letter.visit_id).update(created_by=inspector)
    inspector.email = "lead@example.org"
    inspector.save()
    qa.email = "qa@example.org"
    qa.save()
    Visit.objects.filter(pk=letter.visit_id).update(qa_manager=qa.inspector)
    return Letter.objects.get(pk=letter.pk)


def set_state(letter, status):
    fields = {"publication_date": clock.today()} if status == Letter.Status.FINAL else {}
    force_status(letter, status, **fields)
    return Letter.objects.get(pk=letter.pk)


def run(name, letter, inspector, qa):
    if name == "submit":
        return services.letter_submit(letter=letter, by=inspector)
    if name == "return":
        return services.letter_return(letter=letter, by=qa, comment="Please say more.")
    if name == "approve":
        return services.letter_approve(letter=letter, by=qa)
    if name == "publish":
        return publication.letter_publish(letter=letter, by=qa)
    return publication.letter_start_correction(letter=letter, by=qa)


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("transition", list(DECLARED))
def test_every_transition_from_every_state(people, letter, state, transition):
    """Only declared transitions succeed, each writing exactly one transition event."""
    inspector, qa = people
    letter = set_state(letter, state)
    sources, target = DECLARED[transition]
    before = AuditEvent.objects.exclude(action__startswith="comment.").count()
    if state in sources:
        run(transition, letter, inspector, qa)
        assert Letter.objects.get(pk=letter.pk).status == target
        events = AuditEvent.objects.exclude(action__startswith="comment.")
        assert events.count() == before + 1
        event = events.last()
        assert (event.from_state, event.to_state) == (state, target)
    else:
        with pytest.raises((PermissionDenied, Exception)) as refused:
            run(transition, letter, inspector, qa)
        assert not isinstance(refused.value, AssertionError)
        assert Letter.objects.get(pk=letter.pk).status == state
        assert AuditEvent.objects.exclude(action__startswith="comment.").count() == before


def test_status_cannot_be_set_directly(letter):
    """The status field is protected: only transitions change it."""
    with pytest.raises(AttributeError):
        letter.status = Letter.Status.PUBLISHED


def test_submit_refuses_a_letter_that_fails_its_checks(people, letter):
    """A letter without a letter date cannot go to quality assurance."""
    inspector, _ = people
    Visit.objects.filter(pk=letter.visit_id).update(letter_date=None)
    with pytest.raises(LetterNotReady):
        services.letter_submit(letter=letter, by=inspector)
    assert Letter.objects.get(pk=letter.pk).status == Letter.Status.DRAFT
    assert not Submission.objects.exists()


def test_submit_keeps_a_snapshot_and_tells_the_qa_manager(
    people, letter, django_capture_on_commit_callbacks
):
    """Submitting stores what the letter said and e-mails the QA manager."""
    inspector, _ = people
    with django_capture_on_commit_callbacks(execute=True):
        services.letter_submit(letter=letter, by=inspector)
    submission = Submission.objects.get()
    assert submission.number == 1
    assert submission.snapshot["sections"][0]["items"][0]["text"].startswith("Leaders know")
    assert [m.to for m in mail.outbox] == [["qa@example.org"]]


def test_return_and_approve_tell_the_team(people, letter, django_capture_on_commit_callbacks):
    """The team hears when the letter is returned and when it is approved."""
    inspector, qa = people
    with django_capture_on_commit_callbacks(execute=True):
        services.letter_submit(letter=letter, by=inspector)
        services.letter_return(letter=letter, by=qa, comment="More detail.")
        services.letter_submit(letter=letter, by=inspector)
        services.letter_approve(letter=letter, by=qa)
    subjects = [m.subject.split(":")[0] for m in mail.outbox if m.to == ["lead@example.org"]]
    assert subjects == ["Letter returned", "Letter approved"]


def test_team_member_cannot_approve(people, letter):
    """A QA manager on the visit's team is refused approval, and nothing is written."""
    inspector, qa = people
    services.letter_submit(letter=letter, by=inspector)
    TeamMember.objects.create(visit=letter.visit, inspector=qa.inspector, role="inspector")
    events = AuditEvent.objects.count()
    with pytest.raises(PermissionDenied):
        services.letter_approve(letter=letter, by=qa)
    assert Letter.objects.get(pk=letter.pk).status == Letter.Status.IN_REVIEW
    assert AuditEvent.objects.count() == events


def test_author_cannot_approve_their_own_letter(people, letter):
    """Whoever created the visit cannot approve it, even as a QA manager."""
    inspector, qa = people
    services.letter_submit(letter=letter, by=inspector)
    Visit.objects.filter(pk=letter.visit_id).update(created_by=qa)
    with pytest.raises(PermissionDenied):
        services.letter_approve(letter=letter, by=qa)


def test_author_cannot_publish_their_own_letter(people, letter):
    """The four-eyes rule holds for publication too."""
    _inspector, qa = people
    letter = set_state(letter, Letter.Status.APPROVED)
    Involvement.objects.create(visit=letter.visit, kind=Involvement.Kind.SUBMITTED, user=qa)
    with pytest.raises(PermissionDenied):
        publication.letter_publish(letter=letter, by=qa)
    assert not PublishedVersion.objects.exists()


def test_approve_page_refuses_a_team_member(client, people, letter):
    """The page refuses approval by a team member as the service does."""
    inspector, qa = people
    services.letter_submit(letter=letter, by=inspector)
    TeamMember.objects.create(visit=letter.visit, inspector=qa.inspector, role="inspector")
    client.force_login(qa)
    response = client.post(reverse("letters:review-approve", args=[letter.visit_id]))
    assert response.status_code == 403
    assert Letter.objects.get(pk=letter.pk).status == Letter.Status.IN_REVIEW


def test_inspector_cannot_edit_a_letter_in_review(client, people, letter):
    """While the letter is with quality assurance the team cannot change it."""
    inspector, _ = people
    services.letter_submit(letter=letter, by=inspector)
    client.force_login(inspector)
    assert client.get(reverse("letters:letter-opening", args=[letter.visit_id])).status_code == 403


def publish(letter, people):
    inspector, qa = people
    services.letter_submit(letter=letter, by=inspector)
    services.letter_approve(letter=letter, by=qa)
    return publication.letter_publish(letter=letter, by=qa)


def test_publish_freezes_a_version(people, letter):
    """The version holds the PDF bytes, their SHA-256, the HTML, who and when."""
    _, qa = people
    version = publish(letter, people)
    with version.pdf.open("rb") as stored:
        pdf = stored.read()
    assert pdf.startswith(b"%PDF")
    assert hashlib.sha256(pdf).hexdigest() == version.sha256
    assert version.pdf_size == len(pdf)
    assert version.number == 1
    assert version.published_by == qa
    assert "Leaders know their services well." in version.html
    assert Letter.objects.get(pk=letter.pk).status == Letter.Status.PUBLISHED


def test_published_version_cannot_be_changed_or_deleted(people, letter):
    """A published version is never edited nor deleted."""
    version = publish(letter, people)
    version.title = "Changed"
    with pytest.raises(PublishedVersionImmutable):
        version.save()
    with pytest.raises(PublishedVersionImmutable):
        version.delete()


def test_audit_events_cannot_be_changed_or_deleted(people, letter):
    """The audit log is append-only."""
    inspector, _ = people
    services.letter_submit(letter=letter, by=inspector)
    event = AuditEvent.objects.get()
    event.action = "letter.nothing"
    with pytest.raises(AuditEventImmutable):
        event.save()
    with pytest.raises(AuditEventImmutable):
        event.delete()


def test_publish_tells_the_authoritys_users(people, letter, django_capture_on_commit_callbacks):
    """The authority's users are e-mailed when its letter is published."""
    la_user = UserFactory(username="la", email="la@example.org")
    AuthorityUser.objects.create(user=la_user, authority=letter.visit.authority)
    other = UserFactory(username="other-la", email="other@example.org")
    AuthorityUser.objects.create(user=other, authority=LocalAuthorityFactory())
    with django_capture_on_commit_callbacks(execute=True):
        publish(letter, people)
    recipients = [address for message in mail.outbox for address in message.to]
    assert "la@example.org" in recipients
    assert "other@example.org" not in recipients


@pytest.mark.parametrize("step", ["render", "store", "transition", "audit"])
def test_failed_publish_leaves_the_letter_as_it_was(people, letter, monkeypatch, step):
    """A failure at any step of publishing leaves the letter approved and stores nothing."""
    inspector, qa = people
    services.letter_submit(letter=letter, by=inspector)
    services.letter_approve(letter=letter, by=qa)
    targets = {
        "render": "letters.publication.services.letter_pdf",
        "store": "letters.models.PublishedVersion.save",
        "transition": "letters.models.Letter.save",
        "audit": "letters.review.services.record",
    }

    def fail(*args, **kwargs):
        raise RuntimeError(f"injected failure at {step}")

    monkeypatch.setattr(targets[step], fail)
    with pytest.raises(RuntimeError):
        publication.letter_publish(letter=letter, by=qa)
    assert Letter.objects.get(pk=letter.pk).status == Letter.Status.APPROVED
    assert not PublishedVersion.objects.exists()
    folder = f"published/{letter.visit.authority.name.lower().replace(' ', '-')}"
    assert not default_storage.exists(folder) or default_storage.listdir(folder)[1] == []


def test_correction_is_published_as_the_next_version(people, letter):
    """A correction becomes version 2; version 1 stays in the history."""
    inspector, _qa = people
    first = publish(letter, people)
    publication.letter_start_correction(letter=letter, by=inspector)
    second = publish(letter, people)
    assert (first.number, second.number) == (1, 2)
    assert PublishedVersion.objects.filter(letter=letter).count() == 2


def test_return_with_a_comment_records_it(people, letter):
    """Returning with a comment leaves the comment for the inspector."""
    inspector, qa = people
    services.letter_submit(letter=letter, by=inspector)
    services.letter_return(letter=letter, by=qa, comment="Explain the caseloads.")
    assert Comment.objects.get().text == "Explain the caseloads."


def test_comment_on_an_item_and_resolve_it(people, letter):
    """The QA manager comments on an item; the inspector marks it resolved."""
    inspector, qa = people
    services.letter_submit(letter=letter, by=inspector)
    item = letter.sections.first().items.first()
    comment = services.comment_add(letter=letter, by=qa, text="Which plans?", item=item)
    assert comment.item_text == item.text
    services.comment_resolve(comment=comment, by=inspector)
    comment.refresh_from_db()
    assert comment.resolved_by == inspector
    assert comment.resolved_at is not None


def test_qa_manager_cannot_resolve_comments(people, letter):
    """Resolving is the team's job."""
    inspector, qa = people
    services.letter_submit(letter=letter, by=inspector)
    comment = services.comment_add(letter=letter, by=qa, text="Which plans?")
    with pytest.raises(PermissionDenied):
        services.comment_resolve(comment=comment, by=qa)


def test_review_page_says_an_unchanged_resubmission_changed_nothing(client, people, letter):
    """A letter resubmitted as it was shows no diff, and says nothing changed."""
    inspector, qa = people
    services.letter_submit(letter=letter, by=inspector)
    services.letter_return(letter=letter, by=qa, comment="Check it again.")
    services.letter_submit(letter=letter, by=inspector)
    client.force_login(qa)
    response = client.get(reverse("letters:review-letter", args=[letter.visit_id]))
    assert response.context["changes"] is None
    assert "Nothing: the letter was resubmitted unchanged." in response.content.decode()
