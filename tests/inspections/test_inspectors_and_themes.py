"""Inspectors as one record per person (matching spellings, merging two records) and
the ILACS themes recognised in a letter's words."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from audit.models import AuditEvent
from inspections import people, themes
from inspections.models import Inspector, Involvement, TeamMember, Visit
from inspections.services import inspector_merge
from letters.importing.parse import parse_team
from tests.factories import InspectorFactory, TeamMemberFactory, UserFactory, VisitFactory


@pytest.mark.parametrize(
    "written",
    [
        "Neil Penswick",
        "Neil Penswick HMI",
        "Neil Penswick, Her Majesty’s Inspector",
        "NEIL PENSWICK",
        "Neil J. Penswick",
        "Mr Neil Penswick",
    ],
)
def test_spellings_of_one_person_share_a_key(written):
    """Titles, case, honorifics and middle initials do not make another person."""
    assert people.name_key(written) == "neil penswick"


def test_apostrophes_do_not_make_another_person():
    """O'Neill, with a straight or a curly apostrophe, and ONeill are one name."""
    assert people.name_key("Kate O\u2019Neill") == people.name_key("Kate O'Neill")
    assert people.name_key("Kate ONeill") == people.name_key("Kate O'Neill")


@pytest.mark.parametrize("phrase", ["Ofsted Inspector", "HMI Schools", "Her Majesty's Inspector"])
def test_non_names_are_no_person(phrase):
    """A grade or a body is not an inspector's name."""
    assert not people.is_person_name(phrase)


def test_a_non_name_in_the_team_is_a_warning_not_an_inspector():
    """'The inspectors were Ofsted Inspector and HMI Schools' names nobody."""
    warnings = []
    team, _ = parse_team("The inspectors were Ofsted Inspector and HMI Schools.", warnings)
    assert team == []
    assert len(warnings) == 2


@pytest.mark.django_db
def test_match_inspector_finds_the_record_under_another_spelling():
    """'Neil J. Penswick HMI' is the existing Neil Penswick."""
    neil = InspectorFactory(full_name="Neil Penswick")
    assert people.match_inspector("Neil J. Penswick HMI") == neil


@pytest.fixture
def two_records():
    kept = InspectorFactory(full_name="Jan Edwards")
    other = InspectorFactory(full_name="Janet Edwards")
    visit = VisitFactory(qa_manager=other)
    TeamMemberFactory(visit=visit, inspector=other, role=TeamMember.Role.LEAD)
    Involvement.objects.create(visit=visit, kind=Involvement.Kind.TEAM, inspector=other)
    return kept, other, visit


@pytest.mark.django_db
def test_merging_moves_team_places_involvements_and_qa(two_records):
    """Everything the merged record had is the kept record's; the merged one is gone."""
    kept, other, visit = two_records
    inspector_merge(source=other, into=kept, by=None)
    assert not Inspector.objects.filter(pk=other.pk).exists()
    assert visit.team.get().inspector == kept
    assert visit.team.get().role == TeamMember.Role.LEAD
    assert Involvement.objects.get(visit=visit).inspector == kept
    assert Visit.objects.get(pk=visit.pk).qa_manager == kept
    event = AuditEvent.objects.get(action="inspector.merge")
    assert event.detail["merged"] == "Janet Edwards"


@pytest.mark.django_db
def test_merging_where_both_were_on_the_team_keeps_one_place_and_the_lead(two_records):
    """Both on one visit: one place is left, the lead's if either led."""
    kept, other, visit = two_records
    TeamMemberFactory(visit=visit, inspector=kept, role=TeamMember.Role.INSPECTOR)
    inspector_merge(source=other, into=kept, by=None)
    assert [(m.inspector, m.role) for m in visit.team.all()] == [(kept, TeamMember.Role.LEAD)]


@pytest.mark.django_db
def test_merging_an_inspector_into_itself_is_refused():
    """Nothing is deleted and nothing audited."""
    neil = InspectorFactory(full_name="Neil Penswick")
    with pytest.raises(ValidationError):
        inspector_merge(source=neil, into=neil, by=None)
    assert Inspector.objects.filter(pk=neil.pk).exists()
    assert not AuditEvent.objects.filter(action="inspector.merge").exists()


@pytest.mark.django_db
def test_the_admin_action_merges_two_selected_inspectors(client):
    """The older record is kept; the action goes through the audited service."""
    admin = UserFactory(username="admin", is_superuser=True, is_staff=True)
    client.force_login(admin)
    kept, other = InspectorFactory(full_name="Jan Edwards"), InspectorFactory(full_name="J Edwards")
    response = client.post(
        reverse("admin:inspections_inspector_changelist"),
        {"action": "merge_two", "_selected_action": [kept.pk, other.pk]},
    )
    assert response.status_code == 302
    assert list(Inspector.objects.all()) == [kept]
    assert AuditEvent.objects.get(action="inspector.merge").actor == admin


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "Inspectors looked at the local authority's arrangements for care leavers.",
            ["Care leavers"],
        ),
        (
            "Inspectors looked at the local authority’s arrangements for its care leavers, "
            "including the preparation of relevant children in care for adulthood.",
            ["Care leavers"],
        ),
        (
            "Inspectors looked at the arrangements for the front door, including child "
            "protection enquiries and child in need assessments.",
            ["Front door"],
        ),
        (
            "Inspectors looked at planning for permanence for children in care.",
            ["Permanence"],
        ),
        (
            "Inspectors looked at the response to children at risk of exploitation and "
            "children who go missing, and at services for disabled children.",
            ["Extra-familial risk", "Disabled children"],
        ),
        (
            "Inspectors looked at the local authority's arrangements during the COVID-19 pandemic.",
            ["Pandemic arrangements"],
        ),
        ("Inspectors looked at children on the edge of care.", []),
    ],
)
def test_themes_are_recognised_in_the_scope_sentence(sentence, expected):
    """The themes a scope sentence names, not the ones it only details."""
    assert themes.letter_themes(scope_lead_in=[sentence]) == expected


def test_the_pandemic_preface_names_the_pandemic_theme():
    """The Chief Inspector's preface about COVID-19 makes it a pandemic-era visit."""
    preface = (
        "Her Majesty’s Chief Inspector of Education, Children’s Services and Skills is "
        "leading Ofsted’s work into how England’s social care system has delivered "
        "child-centred practice during the COVID-19 (coronavirus) pandemic."
    )
    assert themes.letter_themes(introduction=[preface]) == ["Pandemic arrangements"]
