"""Database constraints of visits, teams, sections and items; the recipient block."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from inspections.models import TeamMember, Visit
from tests.factories import (
    InspectorFactory,
    ItemFactory,
    LetterFactory,
    LocalAuthorityFactory,
    SectionFactory,
    TeamMemberFactory,
    VisitFactory,
)

pytestmark = pytest.mark.django_db

START = datetime.date(2024, 3, 5)


def test_visit_ending_before_it_starts_is_refused():
    """The database refuses a visit whose last day is before its first."""
    with pytest.raises(IntegrityError), transaction.atomic():
        VisitFactory(start_date=START, end_date=START - datetime.timedelta(days=1))
    assert not Visit.objects.exists()


def test_one_day_visit_may_end_on_its_first_day_or_leave_the_end_blank():
    """A visit ending on its first day, or with no last day, is accepted."""
    VisitFactory(start_date=START, end_date=START)
    VisitFactory(start_date=START, end_date=None)
    assert Visit.objects.count() == 2


def test_visit_has_one_lead_inspector():
    """A second lead inspector on the same visit is refused."""
    visit = VisitFactory()
    TeamMemberFactory(visit=visit, role=TeamMember.Role.LEAD)
    with pytest.raises(IntegrityError), transaction.atomic():
        TeamMemberFactory(visit=visit, role=TeamMember.Role.LEAD)
    assert visit.team.filter(role=TeamMember.Role.LEAD).count() == 1


def test_two_visits_each_have_their_own_lead_inspector():
    """The one-lead rule is per visit: two visits may each have a lead."""
    TeamMemberFactory(role=TeamMember.Role.LEAD)
    TeamMemberFactory(role=TeamMember.Role.LEAD)
    assert TeamMember.objects.filter(role=TeamMember.Role.LEAD).count() == 2


def test_inspector_cannot_be_on_a_team_twice():
    """The same inspector twice on one visit's team is refused."""
    visit = VisitFactory()
    inspector = InspectorFactory()
    TeamMemberFactory(visit=visit, inspector=inspector, role=TeamMember.Role.LEAD)
    with pytest.raises(IntegrityError), transaction.atomic():
        TeamMemberFactory(visit=visit, inspector=inspector, role=TeamMember.Role.INSPECTOR)
    assert visit.team.count() == 1


def test_item_position_is_unique_within_its_section():
    """Two items of one section cannot share a position."""
    section = SectionFactory()
    ItemFactory(section=section, position=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        ItemFactory(section=section, position=1)
    assert section.items.count() == 1


def test_same_item_position_in_two_sections_is_allowed():
    """Items of different sections may share a position."""
    letter = LetterFactory()
    first = ItemFactory(section=SectionFactory(letter=letter, position=1), position=1)
    second = ItemFactory(section=SectionFactory(letter=letter, position=2), position=1)
    assert first.position == second.position == 1
    assert first.section_id != second.section_id


def test_section_position_is_unique_within_its_letter():
    """Two sections of one letter cannot share a position."""
    letter = LetterFactory()
    SectionFactory(letter=letter, position=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        SectionFactory(letter=letter, position=1, heading="Areas of strength")
    assert letter.sections.count() == 1


def test_recipient_lines_print_the_block_in_order():
    """Name with honorific, job title lines, organisation, address lines and postcode."""
    visit = VisitFactory.build(
        recipient_honorific="Ms",
        recipient_name="Alex Morgan",
        recipient_job_title="Corporate Director\n  Children's Services  \n",
        recipient_organisation="Fernshire Council",
        recipient_address="Civic Centre\n\nHigh Street\nFernford",
        recipient_postcode="FN1 1AA",
    )
    assert visit.recipient_lines == [
        "Ms Alex Morgan",
        "Corporate Director",
        "Children's Services",
        "Fernshire Council",
        "Civic Centre",
        "High Street",
        "Fernford",
        "FN1 1AA",
    ]


def test_recipient_lines_leave_out_blank_parts():
    """Blank honorific, organisation and postcode print no line of their own."""
    visit = VisitFactory.build(
        recipient_honorific="",
        recipient_name="Steve Crocker",
        recipient_job_title="Director of Children's Services",
        recipient_organisation="",
        recipient_address="County Hall\nNewport",
        recipient_postcode="",
    )
    assert visit.recipient_lines == [
        "Steve Crocker",
        "Director of Children's Services",
        "County Hall",
        "Newport",
    ]


def test_recipient_lines_are_empty_for_an_empty_block():
    """A visit with no recipient details prints no recipient lines."""
    visit = Visit(start_date=START)
    assert visit.recipient_lines == []


def test_fill_recipient_from_authority_copies_the_correspondence_details():
    """The authority's director and address become the recipient block and salutation."""
    authority = LocalAuthorityFactory(
        organisation="Fernshire County Council",
        director_honorific="Dr",
        director_name="Jo Anne Baxter",
        director_job_title="Corporate Director\nChildren's Services",
        address="County Hall\nFernford",
        postcode="FN2 2BB",
    )
    visit = Visit(authority=authority, start_date=START)
    visit.fill_recipient_from_authority()
    assert visit.recipient_lines == [
        "Dr Jo Anne Baxter",
        "Corporate Director",
        "Children's Services",
        "Fernshire County Council",
        "County Hall",
        "Fernford",
        "FN2 2BB",
    ]
    assert visit.salutation == "Dear Dr Baxter"


def test_fill_recipient_from_authority_keeps_salutation_without_honorific():
    """Without the director's honorific the salutation is left as it was."""
    authority = LocalAuthorityFactory(director_honorific="", director_name="Jo Baxter")
    visit = Visit(authority=authority, start_date=START, salutation="Dear Director")
    visit.fill_recipient_from_authority()
    assert visit.recipient_name == "Jo Baxter"
    assert visit.salutation == "Dear Director"
