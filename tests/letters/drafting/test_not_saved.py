"""A save the portal refuses never throws away what the user typed."""

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from inspections.models import TeamMember
from letters.models import Item, Letter
from letters.review import services as review
from tests.factories import inspector_user, letter_led_by

pytestmark = pytest.mark.django_db

TYPED = "A finding I spent twenty minutes writing."


@pytest.fixture
def lead(client):
    user = inspector_user()
    client.force_login(user)
    return user


@pytest.fixture
def letter(lead):
    return letter_led_by(lead)


def first_item(letter):
    return Item.objects.filter(section__letter=letter).order_by("pk").first()


def save_item(client, letter, item):
    url = reverse("letters:item-edit", args=[letter.visit_id, item.pk])
    return client.post(url, {"text": TYPED, "style": "bullet", "revision": item.revision})


def test_a_letter_submitted_meanwhile_shows_the_text_to_copy(client, lead, letter):
    """Submitted from another tab: the page says so and shows the typed text; nothing saved."""
    item = first_item(letter)
    review.letter_submit(letter=letter, by=lead)
    response = save_item(client, letter, item)
    content = response.content.decode()
    assert response.status_code == 409
    assert "Your change was not saved" in content
    assert "submitted for quality assurance while you were writing" in content
    assert TYPED in content
    assert Item.objects.get(pk=item.pk).text != TYPED


def test_an_item_deleted_meanwhile_shows_the_text_to_copy(client, letter):
    """Deleted by someone else: the page says so, with the text, not a bare 404."""
    item = first_item(letter)
    Item.objects.filter(pk=item.pk).delete()
    response = save_item(client, letter, item)
    content = response.content.decode()
    assert response.status_code == 409
    assert "Someone else deleted what you were changing" in content
    assert TYPED in content


def test_someone_taken_off_the_team_meanwhile_gets_the_strangers_404(client, lead, letter):
    """Off the team, the draft is no longer theirs to read: the answer is the 404 anyone
    gets for a visit they cannot see, so that no one learns which visits exist."""
    other = inspector_user(username="other", full_name="Nia Other")
    TeamMember.objects.filter(visit=letter.visit, inspector=lead.inspector).update(
        inspector=other.inspector
    )
    TeamMember.objects.create(visit=letter.visit, inspector=lead.inspector, position=9)
    TeamMember.objects.filter(visit=letter.visit, inspector=lead.inspector).delete()
    client.force_login(type(lead).objects.get(pk=lead.pk))
    section = letter.sections.first()
    url = reverse("letters:item-add", args=[letter.visit_id, section.pk])
    response = client.post(url, {"text": TYPED, "style": "bullet"})
    assert response.status_code == 404


def test_a_qa_manager_posting_to_a_draft_gets_the_text_back(client, letter):
    """Someone who may read the draft but not change it gets the page, audited."""
    from tests.factories import qa_manager_user

    client.force_login(qa_manager_user())
    response = save_item(client, letter, first_item(letter))
    assert response.status_code == 409
    assert TYPED in response.content.decode()
    assert AuditEvent.objects.filter(action="access.refused").count() == 1


def test_the_form_page_itself_is_still_refused_to_someone_off_the_team(client, letter):
    """Opening the form (GET) is refused as before: only a posted text is kept."""
    from tests.factories import qa_manager_user

    client.force_login(qa_manager_user())
    item = first_item(letter)
    url = reverse("letters:item-edit", args=[letter.visit_id, item.pk])
    assert client.get(url).status_code == 403


def test_a_published_letter_says_so(client, lead, letter, settings):
    """The reason names what happened to the letter."""
    from tests.factories import force_status

    force_status(letter, Letter.Status.PUBLISHED)
    response = save_item(client, letter, first_item(letter))
    assert "published while you were writing" in response.content.decode()
