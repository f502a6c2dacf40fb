"""The team's pages: removing a member asks first, the lead is handed over on a page that
asks who (never removed), and starting a correction asks first."""

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from inspections.models import TeamMember
from letters.models import Letter
from tests.factories import (
    TeamMemberFactory,
    force_status,
    inspector_user,
    letter_led_by,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(client):
    lead = inspector_user(username="lead", full_name="Robin Ashdown")
    letter = letter_led_by(lead)
    colleague = inspector_user(username="colleague", full_name="Sam Whitlow")
    member = TeamMemberFactory(
        visit=letter.visit,
        inspector=colleague.inspector,
        role=TeamMember.Role.INSPECTOR,
        position=5,
    )
    client.force_login(lead)
    return letter.visit, member


def role_of(member):
    return TeamMember.objects.get(pk=member.pk).role


def test_the_lead_is_handed_over_not_removed(client, team):
    visit, _member = team
    page = client.get(reverse("letters:visit-team", args=[visit.pk])).content.decode()
    lead_row = page.split("Robin Ashdown", 1)[1].split("</div>", 1)[0]
    assert "Hand over the lead" in lead_row
    assert "Remove" not in lead_row


def test_removing_a_member_asks_first(client, team):
    visit, member = team
    url = reverse("letters:visit-team-remove", args=[visit.pk, member.pk])
    page = client.get(url).content.decode()
    assert "Remove Sam Whitlow from the team?" in page
    assert TeamMember.objects.filter(pk=member.pk).exists()


def test_confirming_removes_the_member(client, team):
    visit, member = team
    client.post(reverse("letters:visit-team-remove", args=[visit.pk, member.pk]))
    assert not TeamMember.objects.filter(pk=member.pk).exists()


def test_asking_to_remove_the_lead_leads_to_the_handover(client, team):
    visit, _member = team
    lead = visit.team.get(role=TeamMember.Role.LEAD)
    response = client.post(reverse("letters:visit-team-remove", args=[visit.pk, lead.pk]))
    assert response["Location"] == reverse("letters:visit-team-lead", args=[visit.pk])
    assert role_of(lead) == TeamMember.Role.LEAD


def test_the_handover_page_asks_who_from_the_rest_of_the_team(client, team):
    visit, _member = team
    page = client.get(reverse("letters:visit-team-lead", args=[visit.pk])).content.decode()
    assert "Who will lead the visit?" in page
    assert "Sam Whitlow" in page
    assert 'value="' + str(visit.team.get(role="lead").pk) + '"' not in page


def test_handing_over_makes_the_new_lead_and_keeps_the_old_on_the_team(client, team):
    visit, member = team
    former = visit.team.get(role=TeamMember.Role.LEAD)
    client.post(reverse("letters:visit-team-lead", args=[visit.pk]), {"member": member.pk})
    assert role_of(member) == TeamMember.Role.LEAD
    assert role_of(former) == TeamMember.Role.INSPECTOR
    event = AuditEvent.objects.get(action="team.lead")
    assert event.detail["former"].startswith("Robin Ashdown")
    assert event.detail["lead"].startswith("Sam Whitlow")


def test_handing_over_without_a_choice_says_so(client, team):
    visit, _member = team
    page = client.post(reverse("letters:visit-team-lead", args=[visit.pk]), {}).content.decode()
    assert "Choose who will lead the visit" in page
    assert not AuditEvent.objects.filter(action="team.lead").exists()


def test_handing_over_to_someone_off_the_team_is_refused(client, team):
    visit, _member = team
    stranger = TeamMemberFactory(position=1)  # on another visit's team
    page = client.post(
        reverse("letters:visit-team-lead", args=[visit.pk]), {"member": stranger.pk}
    ).content.decode()
    assert "Choose someone on the team" in page
    assert role_of(stranger) != TeamMember.Role.LEAD or stranger.visit_id != visit.pk
    assert not AuditEvent.objects.filter(action="team.lead").exists()


def test_a_lone_lead_is_told_to_add_someone_first(client):
    lead = inspector_user()
    letter = letter_led_by(lead)
    letter.visit.team.exclude(role=TeamMember.Role.LEAD).delete()
    client.force_login(lead)
    page = client.get(reverse("letters:visit-team-lead", args=[letter.visit_id])).content.decode()
    assert "Nobody else is on the team yet" in page


def test_starting_a_correction_asks_first(client, team):
    visit, _member = team
    force_status(visit.letter, Letter.Status.PUBLISHED)
    page = client.get(reverse("letters:letter-correct", args=[visit.pk])).content.decode()
    assert "Start a correction?" in page
    assert Letter.objects.get(visit=visit).status == Letter.Status.PUBLISHED


def test_confirming_starts_the_correction(client, team):
    visit, _member = team
    force_status(visit.letter, Letter.Status.PUBLISHED)
    client.post(reverse("letters:letter-correct", args=[visit.pk]))
    assert Letter.objects.get(visit=visit).status == Letter.Status.DRAFT
