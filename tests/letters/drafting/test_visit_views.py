import datetime

import pytest
from django.urls import reverse

from inspections.models import TeamMember, Visit
from letters.models import Letter, Section
from tests.factories import (
    FocusAreaFactory,
    InspectorFactory,
    LocalAuthorityFactory,
    OfficeFactory,
    UserFactory,
    inspector_user,
    letter_led_by,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def inspector(client):
    user = inspector_user()
    client.force_login(user)
    return user


def new_visit_data(**overrides):
    authority = LocalAuthorityFactory(name="Fernshire", director_name="Priya Lanyon")
    data = {
        "authority": authority.pk,
        "kind": "focused",
        "start_date_0": "13",
        "start_date_1": "2",
        "start_date_2": "2024",
        "end_date_0": "14",
        "end_date_1": "2",
        "end_date_2": "2024",
        "letter_date_0": "",
        "letter_date_1": "",
        "letter_date_2": "",
        "office": OfficeFactory().pk,
        "qa_manager": InspectorFactory(grade="Senior HMI").pk,
        "focus_areas": [FocusAreaFactory().pk],
    }
    data.update(overrides)
    return data


def test_anonymous_user_is_sent_to_sign_in(client):
    """Every page but sign-in asks an anonymous visitor to sign in."""
    response = client.get(reverse("letters:visit-list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_sign_in_with_a_wrong_password_shows_one_message(client):
    """A wrong password and an unknown user get the same GOV.UK error."""
    inspector_user()
    wrong = client.post(reverse("accounts:login"), {"username": "inspector", "password": "nope"})
    unknown = client.post(reverse("accounts:login"), {"username": "nobody", "password": "nope"})
    assert "Enter a correct username and password" in wrong.content.decode()
    assert "Enter a correct username and password" in unknown.content.decode()
    assert "govuk-error-summary" in wrong.content.decode()


def test_home_sends_an_inspector_to_their_visits(client, inspector):
    """An inspector's starting page is their list of visits."""
    assert client.get(reverse("letters:home"))["Location"] == reverse("letters:visit-list")


def test_visit_list_shows_only_the_inspectors_visits(client, inspector):
    """Your visits lists visits the inspector is on, not other people's."""
    mine = letter_led_by(inspector, authority=LocalAuthorityFactory(name="Mineshire"))
    LetterOfSomeoneElse = letter_led_by(
        inspector_user("other", "Other Person"), authority=LocalAuthorityFactory(name="Othershire")
    )
    content = client.get(reverse("letters:visit-list")).content.decode()
    assert "Mineshire" in content
    assert "Othershire" not in content
    assert mine.visit.pk != LetterOfSomeoneElse.visit.pk


def test_visit_list_is_newest_first(client, inspector):
    """The newest visit comes first."""
    letter_led_by(
        inspector,
        authority=LocalAuthorityFactory(name="Oldshire"),
        start_date=datetime.date(2020, 1, 1),
        end_date=None,
    )
    letter_led_by(
        inspector,
        authority=LocalAuthorityFactory(name="Newshire"),
        start_date=datetime.date(2025, 1, 1),
        end_date=None,
    )
    content = client.get(reverse("letters:visit-list")).content.decode()
    assert content.index("Newshire") < content.index("Oldshire")


def test_visit_list_is_paginated(client, inspector):
    """Twenty visits a page, with a link to the next page."""
    for n in range(21):
        letter_led_by(inspector, authority=LocalAuthorityFactory(name=f"Shire {n:02d}"))
    response = client.get(reverse("letters:visit-list"))
    assert len(response.context["page"].object_list) == 20
    assert "?page=2" in response.content.decode()


def test_visit_list_escapes_what_it_shows(client, inspector):
    """An authority's or inspector's name is text, never markup, in the list's rows."""
    letter_led_by(inspector, authority=LocalAuthorityFactory(name="Fern & <b>Hill</b>"))
    content = client.get(reverse("letters:visit-list")).content.decode()
    assert "Fern &amp; &lt;b&gt;Hill&lt;/b&gt;" in content
    assert "<b>Hill</b>" not in content


def test_visit_list_row_links_to_the_visit_with_its_dates(client, inspector):
    """Each row: the authority linked to the visit's page, its dates and the lead."""
    letter = letter_led_by(
        inspector,
        authority=LocalAuthorityFactory(name="Dateshire"),
        start_date=datetime.date(2025, 3, 4),
        end_date=datetime.date(2025, 3, 6),
    )
    content = client.get(reverse("letters:visit-list")).content.decode()
    url = reverse("letters:visit-detail", args=[letter.visit.pk])
    assert f'<a class="govuk-link" href="{url}">Dateshire' in content
    assert "4 Mar 2025 to 6 Mar 2025" in content
    assert ", visit of 4 March 2025" in content
    assert "Robin Ashdown" in content


def test_visit_list_refuses_a_user_who_is_not_an_inspector(client):
    """A user without the inspector role gets 403 on the list."""
    client.force_login(UserFactory(username="someone"))
    assert client.get(reverse("letters:visit-list")).status_code == 403


def test_create_visit_makes_the_inspector_lead_and_starts_the_letter(client, inspector):
    """A new visit is led by its creator, has a letter with sections, and a recipient."""
    response = client.post(reverse("letters:visit-create"), new_visit_data())
    visit = Visit.objects.get()
    assert response["Location"] == reverse("letters:visit-detail", args=[visit.pk])
    assert visit.team.get().inspector == inspector.inspector
    assert visit.team.get().role == TeamMember.Role.LEAD
    assert visit.letter.sections.count() == 4
    assert visit.recipient_name == "Priya Lanyon"
    assert visit.visit_focus_areas.count() == 1


def test_create_visit_without_a_date_shows_the_govuk_error(client, inspector):
    """A missing first day is named in the error summary and nothing is created."""
    data = new_visit_data(start_date_0="", start_date_1="", start_date_2="")
    response = client.post(reverse("letters:visit-create"), data)
    content = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in content
    assert "Enter the first day of the visit" in content
    assert Visit.objects.count() == 0


def test_create_visit_keeps_what_was_typed_after_an_error(client, inspector):
    """A failed save shows the values the inspector entered."""
    data = new_visit_data(authority="")
    response = client.post(reverse("letters:visit-create"), data)
    assert 'value="13"' in response.content.decode()


def test_create_visit_refuses_an_impossible_date(client, inspector):
    """31 February is not a date."""
    data = new_visit_data(start_date_0="31", end_date_0="", end_date_1="", end_date_2="")
    response = client.post(reverse("letters:visit-create"), data)
    assert "The first day of the visit must be a real date" in response.content.decode()


def test_create_visit_refuses_an_end_before_the_start(client, inspector):
    """The last day cannot come before the first."""
    data = new_visit_data(end_date_0="12")
    response = client.post(reverse("letters:visit-create"), data)
    assert "must be the same as or after the first day" in response.content.decode()
    assert Visit.objects.count() == 0


def test_create_visit_refuses_a_two_digit_year(client, inspector):
    """Years have four numbers."""
    data = new_visit_data(start_date_2="24", end_date_0="", end_date_1="", end_date_2="")
    response = client.post(reverse("letters:visit-create"), data)
    assert "must have 4 numbers" in response.content.decode()


def test_changing_the_authority_refills_the_recipient(client, inspector):
    """A visit moved to another authority takes that authority's correspondence details."""
    letter = letter_led_by(inspector)
    visit = letter.visit
    other = LocalAuthorityFactory(name="Newshire", director_name="Sam Other", postcode="NS1 1AA")
    data = new_visit_data(authority=other.pk, revision=visit.revision)
    client.post(reverse("letters:visit-edit", args=[visit.pk]), data)
    visit.refresh_from_db()
    assert visit.authority == other
    assert visit.recipient_name == "Sam Other"
    assert visit.recipient_postcode == "NS1 1AA"


def test_recipient_form_requires_a_name(client, inspector):
    """The recipient's name is required, with a GOV.UK message."""
    visit = letter_led_by(inspector).visit
    response = client.post(
        reverse("letters:visit-recipient", args=[visit.pk]),
        {"recipient_name": "", "salutation": "Dear X", "revision": visit.revision},
    )
    assert "Enter the recipient&#x27;s full name" in response.content.decode()


def test_team_page_adds_an_inspector(client, inspector):
    """An inspector added on the team page joins the visit in the chosen role."""
    visit = letter_led_by(inspector).visit
    newcomer = InspectorFactory(full_name="Jo Newcomer")
    client.post(
        reverse("letters:visit-team", args=[visit.pk]),
        {"inspector": newcomer.pk, "role": "designate"},
    )
    assert visit.team.get(inspector=newcomer).role == TeamMember.Role.HMI_DESIGNATE


def test_team_page_refuses_a_second_lead(client, inspector):
    """A visit has one lead inspector; the form says so."""
    visit = letter_led_by(inspector).visit
    response = client.post(
        reverse("letters:visit-team", args=[visit.pk]),
        {"inspector": InspectorFactory().pk, "role": "lead"},
    )
    assert "The visit already has a lead inspector" in response.content.decode()
    assert visit.team.filter(role="lead").count() == 1


def test_team_page_refuses_the_same_inspector_twice(client, inspector):
    """An inspector already on the team cannot be added again."""
    visit = letter_led_by(inspector).visit
    member = visit.team.exclude(role="lead").first()
    response = client.post(
        reverse("letters:visit-team", args=[visit.pk]),
        {"inspector": member.inspector.pk, "role": "inspector"},
    )
    assert "is already on the team" in response.content.decode()


def test_team_member_is_removed(client, inspector):
    """Remove takes an inspector off the team."""
    visit = letter_led_by(inspector).visit
    member = visit.team.exclude(role="lead").first()
    client.post(reverse("letters:visit-team-remove", args=[visit.pk, member.pk]))
    assert not visit.team.filter(pk=member.pk).exists()


def test_focus_areas_are_replaced(client, inspector):
    """The focus areas page sets exactly the ticked areas."""
    visit = letter_led_by(inspector).visit
    new_area = FocusAreaFactory(name="Young carers")
    client.post(
        reverse("letters:visit-focus-areas", args=[visit.pk]),
        {"focus_areas": [new_area.pk], "revision": visit.revision},
    )
    assert [v.focus_area for v in visit.visit_focus_areas.all()] == [new_area]


def test_another_inspectors_visit_answers_not_found(client, inspector):
    """A visit the inspector is not on answers 404, as if it did not exist."""
    other = letter_led_by(inspector_user("other", "Other Person"))
    for name in (
        "letters:visit-detail",
        "letters:visit-edit",
        "letters:letter-editor",
        "letters:letter-preview",
    ):
        assert client.get(reverse(name, args=[other.visit.pk])).status_code == 404


def test_letter_in_review_cannot_be_edited(client, inspector):
    """While the letter is with quality assurance, its pages refuse changes: the form is
    refused (403), and a posted change is not saved (409, the typed text shown)."""
    letter = letter_led_by(inspector)
    Letter.objects.filter(pk=letter.pk).update(status=Letter.Status.IN_REVIEW)
    assert client.get(reverse("letters:visit-edit", args=[letter.visit.pk])).status_code == 403
    section = letter.sections.first()
    url = reverse("letters:section-edit", args=[letter.visit.pk, section.pk])
    assert client.post(url, {"kind": "overview", "heading": "X", "revision": 1}).status_code == 409
    assert Section.objects.get(pk=section.pk).heading == "Overview"
