"""Admin saves of drafting objects go through the services: checked, versioned, audited."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from audit.models import AuditEvent
from inspections.models import Involvement
from letters.models import Item, Letter
from letters.review import services as review
from tests.factories import UserFactory, force_status, inspector_user, letter_led_by

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client):
    user = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


@pytest.fixture
def lead():
    return inspector_user()


@pytest.fixture
def item(lead):
    letter = letter_led_by(lead)
    return Item.objects.filter(section__letter=letter).first()


def item_form(item, **changes):
    data = {
        "section": item.section_id,
        "position": item.position,
        "style": item.style,
        "text": item.text,
        "cross_reference": item.cross_reference,
        "footnote": item.footnote,
        "revision_seen": item.revision,
    }
    return {**data, **changes}


def change_url(item):
    return reverse("admin:letters_item_change", args=[item.pk])


def test_admin_item_edit_bumps_the_revision(client, staff, item):
    """An admin save is versioned like an inspector's: the item's revision moves on."""
    response = client.post(change_url(item), item_form(item, text="Admin's words."))
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.text, item.revision) == ("Admin's words.", 2)


def test_an_inspectors_stale_form_cannot_save_over_an_admin_edit(client, staff, item, lead):
    """After an admin edit, a form opened before it is refused: no silent lost update."""
    client.post(change_url(item), item_form(item, text="Admin's words."))
    client.force_login(lead)
    url = reverse("letters:item-edit", args=[item.section.letter.visit_id, item.pk])
    data = {"text": "Inspector's words.", "style": "bullet", "revision": 1}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "changed" in response.content.decode()
    item.refresh_from_db()
    assert item.text == "Admin's words."


def test_admin_item_edit_is_audited_with_before_and_after(client, staff, item):
    """One audit event names the administrator and the text before and after."""
    before = item.text
    client.post(change_url(item), item_form(item, text="Admin's words."))
    event = AuditEvent.objects.get(action="item.change")
    assert event.actor == staff
    assert event.detail["changes"]["text"] == [before, "Admin's words."]


def test_admin_editor_becomes_involved_in_the_letter(client, staff, item):
    """An administrator who changes a letter is on its record (and so cannot approve it)."""
    client.post(change_url(item), item_form(item, text="Admin's words."))
    visit = item.section.letter.visit
    assert Involvement.objects.filter(visit=visit, user=staff).exists()


def test_admin_save_from_a_stale_page_is_refused(client, staff, item):
    """The admin's own page, opened before someone else's save, is refused with a message."""
    Item.objects.filter(pk=item.pk).update(text="Theirs.", revision=2)
    response = client.post(change_url(item), item_form(item, text="Mine.", revision_seen=1))
    assert response.status_code == 200
    assert "Someone else changed this" in response.content.decode()
    assert Item.objects.get(pk=item.pk).text == "Theirs."


@pytest.mark.parametrize(
    "status", [Letter.Status.IN_REVIEW, Letter.Status.APPROVED, Letter.Status.PUBLISHED]
)
def test_admin_cannot_change_an_item_once_the_letter_left_the_team(client, staff, item, status):
    """After submission, approval or publication the item is read-only in the admin."""
    force_status(item.section.letter, status)
    response = client.post(change_url(item), item_form(item, text="Changed after approval."))
    assert response.status_code == 403
    assert Item.objects.get(pk=item.pk).text != "Changed after approval."


def test_admin_shows_an_approved_letter_read_only(client, staff, item):
    """The letter's page still opens, for reading, with nothing to save."""
    letter = force_status(item.section.letter, Letter.Status.APPROVED)
    response = client.get(reverse("admin:letters_letter_change", args=[letter.pk]))
    assert response.status_code == 200
    assert 'name="_save"' not in response.content.decode()


def test_admin_edit_then_publish_prints_only_approved_words(client, staff, item, lead):
    """The reported attack: approve, edit in the admin, publish. The edit is refused, so
    what publishes is what was approved."""
    from letters.publication import services as publication
    from tests.factories import qa_manager_user

    letter = item.section.letter
    qa = qa_manager_user()
    review.letter_submit(letter=letter, by=lead)
    review.letter_approve(letter=letter, by=qa)
    client.post(change_url(item), item_form(item, text="Slipped in after approval."))
    version = publication.letter_publish(letter=letter, by=qa)
    assert "Slipped in after approval." not in version.html


def test_staff_without_model_permission_cannot_edit(client, item):
    """Staff with only the view permission see the item and cannot change it."""
    user = UserFactory(username="viewer", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_item"))
    client.force_login(user)
    response = client.post(change_url(item), item_form(item, text="Viewer's words."))
    assert response.status_code == 403
    assert Item.objects.get(pk=item.pk).text != "Viewer's words."


def visit_form(visit, **changes):
    """The visit's admin form as the page would post it, with its two inlines."""
    team = list(visit.team.order_by("position"))
    data = {
        "authority": visit.authority_id,
        "kind": visit.kind,
        "start_date": visit.start_date.isoformat(),
        "end_date": visit.end_date.isoformat() if visit.end_date else "",
        "letter_date": visit.letter_date.isoformat() if visit.letter_date else "",
        "office": visit.office_id or "",
        "qa_manager": visit.qa_manager_id or "",
        "revision_seen": visit.revision,
        "team-TOTAL_FORMS": len(team),
        "team-INITIAL_FORMS": len(team),
        "visit_focus_areas-TOTAL_FORMS": 0,
        "visit_focus_areas-INITIAL_FORMS": 0,
    }
    for field in [
        "recipient_honorific",
        "recipient_name",
        "recipient_job_title",
        "recipient_organisation",
        "recipient_address",
        "recipient_postcode",
        "recipient_delivery_line",
        "salutation",
        "cc_lines",
    ]:
        data[field] = getattr(visit, field)
    for n, member in enumerate(team):
        data |= {
            f"team-{n}-id": member.pk,
            f"team-{n}-visit": visit.pk,
            f"team-{n}-inspector": member.inspector_id,
            f"team-{n}-role": member.role,
            f"team-{n}-position": member.position,
        }
    return {**data, **changes}


def test_admin_team_member_added_inline_goes_through_the_service(client, staff, item):
    """A team member added on the visit's admin page is audited as a team change."""
    from tests.factories import InspectorFactory

    visit = item.section.letter.visit
    newcomer = InspectorFactory(full_name="Nia Newcomer")
    data = visit_form(visit)
    n = data["team-TOTAL_FORMS"]
    data |= {
        "team-TOTAL_FORMS": n + 1,
        f"team-{n}-visit": visit.pk,
        f"team-{n}-inspector": newcomer.pk,
        f"team-{n}-role": "inspector",
        f"team-{n}-position": 7,
    }
    response = client.post(reverse("admin:inspections_visit_change", args=[visit.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    event = AuditEvent.objects.get(action="team.add")
    assert (event.actor, event.detail["inspector"]) == (staff, str(newcomer))


def test_admin_cannot_change_the_team_of_a_letter_in_review(client, staff, item):
    """The visit is read-only in the admin while its letter is with quality assurance."""
    visit = item.section.letter.visit
    force_status(item.section.letter, Letter.Status.IN_REVIEW)
    response = client.post(
        reverse("admin:inspections_visit_change", args=[visit.pk]),
        visit_form(visit, salutation="Dear Someone"),
    )
    assert response.status_code == 403
    visit.refresh_from_db()
    assert visit.salutation != "Dear Someone"
