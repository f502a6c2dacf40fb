import datetime

import pytest

from inspections.models import TeamMember, Visit, VisitFocusArea
from letters.drafting.checks import letter_problems
from letters.models import Letter, Section
from letters.rendering.compose import letter_queryset
from tests.factories import complete_letter

pytestmark = pytest.mark.django_db


def messages(letter):
    return [p.message for p in letter_problems(letter_queryset().get(pk=letter.pk))]


def test_complete_letter_has_no_problems():
    """The factory's complete letter passes every check."""
    assert messages(complete_letter()) == []


def test_missing_letter_date_is_a_problem():
    """A letter needs its date."""
    letter = complete_letter()
    Visit.objects.filter(pk=letter.visit_id).update(letter_date=None)
    assert messages(letter) == ["Enter the letter date"]


def test_missing_recipient_is_a_problem():
    """A letter needs a recipient's name and address."""
    letter = complete_letter()
    Visit.objects.filter(pk=letter.visit_id).update(
        recipient_name="", recipient_address="", recipient_postcode=""
    )
    assert messages(letter) == ["Enter the recipient's name", "Enter the recipient's address"]


def test_missing_lead_inspector_is_a_problem():
    """A letter needs a lead inspector to sign it."""
    letter = complete_letter()
    TeamMember.objects.filter(visit=letter.visit, role="lead").update(role="inspector")
    assert messages(letter) == ["Choose the lead inspector"]


def test_missing_qa_manager_is_a_problem():
    """A letter needs its quality assurance manager."""
    letter = complete_letter()
    Visit.objects.filter(pk=letter.visit_id).update(qa_manager=None)
    assert messages(letter) == ["Choose the quality assurance manager"]


def test_missing_focus_area_is_a_problem():
    """A letter needs at least one focus area."""
    letter = complete_letter()
    VisitFocusArea.objects.filter(visit=letter.visit).delete()
    assert messages(letter) == ["Choose at least one focus area"]


def test_empty_overview_is_a_problem():
    """An overview or headline findings section must have something in it."""
    letter = complete_letter()
    Section.objects.get(letter=letter, kind="overview").items.all().delete()
    assert messages(letter) == ["Write the overview or headline findings"]


def test_no_areas_for_improvement_is_a_problem():
    """Areas for improvement need an item or a statement that there are none."""
    letter = complete_letter()
    Section.objects.get(letter=letter, kind="improvement").items.all().delete()
    assert messages(letter) == [
        "Write at least one area for improvement, or state that there are none"
    ]


def test_statement_of_no_areas_for_improvement_passes():
    """An explicit 'none' statement satisfies the areas for improvement check."""
    letter = complete_letter()
    section = Section.objects.get(letter=letter, kind="improvement")
    section.items.all().delete()
    Section.objects.filter(pk=section.pk).update(none_statement="There are none.")
    assert messages(letter) == []


def test_her_majesty_in_a_letter_after_the_accession_is_a_problem():
    """An introduction saying Her Majesty's in a letter dated after 8 September 2022."""
    letter = complete_letter(letter_date=datetime.date(2023, 1, 10))
    Letter.objects.filter(pk=letter.pk).update(
        introduction="Her Majesty's Inspectors (HMI) A and B undertook the visit."
    )
    assert messages(letter) == [
        "The introduction says Her Majesty's; a letter dated 10 January 2023 says His Majesty's"
    ]


def test_his_majesty_in_a_letter_before_the_accession_is_a_problem():
    """A signatory title saying His Majesty's on a 2021 letter."""
    letter = complete_letter(letter_date=datetime.date(2021, 5, 4))
    Letter.objects.filter(pk=letter.pk).update(signatory_title="His Majesty's Inspector")
    assert messages(letter) == [
        "The signatory's title says His Majesty's; a letter dated 4 May 2021 says Her Majesty's"
    ]


def test_problem_links_point_at_the_field():
    """Each problem links to the page and field where it is fixed."""
    letter = complete_letter()
    Visit.objects.filter(pk=letter.visit_id).update(qa_manager=None)
    (problem,) = letter_problems(letter_queryset().get(pk=letter.pk))
    assert problem.url == f"/visits/{letter.visit_id}/details/#id_qa_manager"
