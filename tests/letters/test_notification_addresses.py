"""E-mails link to the portal by its full address (settings.PORTAL_URL), and a person
they are for who has no e-mail address is named on the letter's page (letters.notifications)."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from audit.models import AuditEvent
from inspections.models import AuthorityUser, Visit
from letters.models import Letter
from letters.notifications import people_not_told
from letters.publication import services as publication
from letters.review import services as review
from letters.review.history import history
from tests.factories import UserFactory, inspector_user, letter_led_by, qa_manager_user

pytestmark = pytest.mark.django_db

PORTAL = "https://letters.example.gov.uk"


@pytest.fixture(autouse=True)
def portal_address(settings):
    settings.PORTAL_URL = PORTAL


@pytest.fixture
def world():
    lead = inspector_user()
    lead.email = "lead@example.org"
    lead.save()
    qa = qa_manager_user()
    qa.email = "qa@example.org"
    qa.save()
    letter = letter_led_by(lead)
    Visit.objects.filter(pk=letter.visit_id).update(qa_manager=qa.inspector)
    return {"lead": lead, "qa": qa, "letter": Letter.objects.get(pk=letter.pk)}


def links_in(message):
    return re.findall(r"\S+://\S+|(?<!\S)/\S*", message.body)


def test_every_e_mail_links_to_the_portal_by_its_full_address(
    world, django_capture_on_commit_callbacks
):
    """Submitted, returned, approved, published: each body's link is absolute, on the
    portal's address, and leads to the page it names."""
    letter, lead, qa = world["letter"], world["lead"], world["qa"]
    reader = UserFactory(username="la", email="la@example.org")
    AuthorityUser.objects.create(user=reader, authority=letter.visit.authority)
    with django_capture_on_commit_callbacks(execute=True):
        review.letter_submit(letter=letter, by=lead)
        review.letter_return(letter=letter, by=qa, comment="More detail.")
        review.letter_submit(letter=letter, by=lead)
        review.letter_approve(letter=letter, by=qa)
        publication.letter_publish(letter=letter, by=qa)
    pk = letter.visit_id
    expected = {
        "Letter to review": reverse("letters:review-letter", args=[pk]),
        "Letter returned": reverse("letters:letter-editor", args=[pk]),
        "Letter approved": reverse("letters:visit-detail", args=[pk]),
        "Ofsted focused visit letter": reverse("letters:authority-letters"),
    }
    seen = set()
    for message in mail.outbox:
        kind = message.subject.split(":")[0]
        assert links_in(message) == [PORTAL + expected[kind]], message.body
        seen.add(kind)
    assert seen == set(expected)


def submitted(world, capture):
    with capture(execute=True):
        review.letter_submit(letter=world["letter"], by=world["lead"])


def visit_page(client, world):
    client.force_login(world["lead"])
    url = reverse("letters:visit-detail", args=[world["letter"].visit_id])
    return client.get(url).content.decode()


def test_a_qa_manager_without_an_e_mail_address_is_named_on_the_letters_page(
    client, world, django_capture_on_commit_callbacks
):
    """Nothing is sent to nobody: the letter's page says who was not told, and what."""
    world["qa"].email = ""
    world["qa"].save()
    submitted(world, django_capture_on_commit_callbacks)
    assert mail.outbox == []
    event = AuditEvent.objects.get(action="notification.no_address")
    assert event.detail["name"] == "Hazel Penrose"
    assert event.target_id == world["letter"].pk
    page = visit_page(client, world)
    assert "govuk-warning-text" in page
    assert "Hazel Penrose has no e-mail address, so they were not told" in page
    assert f"Letter to review: {world['letter'].visit}" in page
    events = AuditEvent.objects.filter(target_id=world["letter"].pk)
    assert any("did not tell Hazel Penrose" in row["sentence"] for row in history(events))


def test_a_person_with_an_address_is_not_flagged(client, world, django_capture_on_commit_callbacks):
    submitted(world, django_capture_on_commit_callbacks)
    assert [m.to for m in mail.outbox] == [["qa@example.org"]]
    assert not AuditEvent.objects.filter(action="notification.no_address").exists()
    page = visit_page(client, world)
    assert "has no e-mail address" not in page


def test_team_members_without_an_address_are_named_and_the_rest_are_told(
    client, world, django_capture_on_commit_callbacks
):
    """Returned: the lead is e-mailed; Sam Whitlow, on the team without an account, is
    named. Once the letter moves on, the old news is no longer shown."""
    letter = world["letter"]
    submitted(world, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        review.letter_return(letter=letter, by=world["qa"], comment="More detail.")
    returned = [m for m in mail.outbox if m.subject.startswith("Letter returned")]
    assert [m.to for m in returned] == [["lead@example.org"]]
    assert [e.detail["name"] for e in people_not_told(letter)] == ["Sam Whitlow"]
    assert "Sam Whitlow has no e-mail address, so they were not told" in visit_page(client, world)
    submitted(world, django_capture_on_commit_callbacks)
    assert people_not_told(letter) == []
    assert "has no e-mail address" not in visit_page(client, world)


def test_authority_users_without_an_address_are_named(world, django_capture_on_commit_callbacks):
    """Publication: an authority user with no address is named; an inactive one is not."""
    letter = world["letter"]
    authority = letter.visit.authority
    nameless = UserFactory(username="la-clerk", email="", first_name="Jo", last_name="Marsh")
    AuthorityUser.objects.create(user=nameless, authority=authority)
    gone = UserFactory(username="la-gone", email="", is_active=False)
    AuthorityUser.objects.create(user=gone, authority=authority)
    submitted(world, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        review.letter_approve(letter=letter, by=world["qa"])
    assert [e.detail["name"] for e in people_not_told(letter)] == ["Sam Whitlow"]
    with django_capture_on_commit_callbacks(execute=True):
        publication.letter_publish(letter=letter, by=world["qa"])
    assert [e.detail["name"] for e in people_not_told(letter)] == ["Jo Marsh"]
