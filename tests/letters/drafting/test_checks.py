import datetime

import pytest
from django.urls import reverse
from django.utils.html import escape

from inspections.models import TeamMember, Visit, VisitFocusArea
from letters.drafting.checks import letter_problems
from letters.models import Item, Letter, Section, Submission
from letters.rendering.compose import letter_queryset
from letters.review import services
from letters.review.services import LetterNotReady
from tests.factories import (
    ItemFactory,
    SectionFactory,
    complete_letter,
    inspector_user,
    letter_led_by,
)

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


# The letterhead, empty sections, priority actions and stray bullets ----------------


def problems(letter):
    return letter_problems(letter_queryset().get(pk=letter.pk))


def only_problem(letter):
    (problem,) = problems(letter)
    return problem


def test_missing_letterhead_office_is_a_problem_linked_to_the_details_form():
    """A letter needs the office whose address heads it."""
    letter = complete_letter()
    Visit.objects.filter(pk=letter.visit_id).update(office=None)
    problem = only_problem(letter)
    assert problem.message == "Choose the letterhead office"
    assert problem.url == reverse("letters:visit-edit", args=[letter.visit_id]) + "#id_office"


def test_empty_ordinary_section_is_a_problem_linked_to_its_add_item_form():
    """A section with no items and no statement would print a heading over nothing."""
    letter = complete_letter()
    section = SectionFactory(
        letter=letter, position=3, kind=Section.Kind.FINDINGS, heading="Findings"
    )
    problem = only_problem(letter)
    assert problem.message == (
        "Add an item to ‘Findings’, or delete the section: its heading would print "
        "with nothing under it"
    )
    assert problem.url == (
        reverse("letters:item-add", args=[letter.visit_id, section.pk]) + "#id_text"
    )


def test_a_section_with_an_item_or_a_statement_is_not_empty():
    letter = complete_letter()
    with_item = SectionFactory(letter=letter, position=3, kind=Section.Kind.STRENGTHS)
    ItemFactory(section=with_item, position=1)
    SectionFactory(
        letter=letter, position=4, kind=Section.Kind.OTHER, none_statement="None were found."
    )
    assert messages(letter) == []


def test_an_empty_overview_is_reported_once():
    """The overview's own problem covers its emptiness: no second problem for it."""
    letter = complete_letter()
    overview = Section.objects.get(letter=letter, kind="overview")
    overview.items.all().delete()
    problem = only_problem(letter)
    assert problem.message == "Write the overview or headline findings"
    assert problem.url == (
        reverse("letters:item-add", args=[letter.visit_id, overview.pk]) + "#id_text"
    )


def test_a_second_empty_improvement_section_is_a_problem():
    """One improvement section with an item does not excuse another left empty."""
    letter = complete_letter()
    SectionFactory(letter=letter, position=3, kind=Section.Kind.IMPROVEMENT, heading="More")
    assert messages(letter) == [
        "Add an item to ‘More’, or delete the section: its heading would print with nothing "
        "under it"
    ]


def test_priority_actions_with_neither_actions_nor_statement_is_a_problem():
    """Areas for priority action list the actions or say that there are none."""
    letter = complete_letter()
    section = SectionFactory(
        letter=letter,
        position=3,
        kind=Section.Kind.PRIORITY_ACTIONS,
        heading="Areas for priority action",
    )
    problem = only_problem(letter)
    assert problem.message == (
        "Write the areas for priority action in ‘Areas for priority action’, "
        "or state that there are none"
    )
    assert problem.url == (
        reverse("letters:section-edit", args=[letter.visit_id, section.pk]) + "#id_none_statement"
    )


@pytest.mark.parametrize(
    "change",
    [
        {"none_statement": "There are no areas for priority action."},
        {"item": "Leaders must act at once to keep children safe."},
    ],
    ids=["statement", "action"],
)
def test_priority_actions_with_a_statement_or_an_action_pass(change):
    letter = complete_letter()
    section = SectionFactory(
        letter=letter,
        position=3,
        kind=Section.Kind.PRIORITY_ACTIONS,
        heading="Areas for priority action",
        none_statement=change.get("none_statement", ""),
    )
    if "item" in change:
        ItemFactory(section=section, position=1, text=change["item"])
    assert messages(letter) == []


STRAY = {
    "bullet": "• Leaders know their services well.",
    "hollow bullet": "◦ Leaders know their services well.",
    "small square": "▪ Leaders know their services well.",
    "black circle": "● Leaders know their services well.",
    "middle dot": "·Leaders know their services well.",
    "triangular bullet": "‣ Leaders know their services well.",
    "inside the text": "Leaders know their services well. • Managers check the work.",
    "Word's Symbol bullet": "\uf0b7\tLeaders know their services well.",
    "first private-use": "Leaders know \ue000 their services well.",
    "last private-use": "\uf8ffLeaders know their services well.",
    "letter o": "o Leaders know their services well.",
    "hyphen": "- Leaders know their services well.",
    "asterisk": "* Leaders know their services well.",
    "on a later line": "Leaders know their services:\n- well",
}
NOT_STRAY = {
    "o'clock": "Visits start at nine o'clock.",
    "a word starting with o": "Oversight is strong; o-level.",
    "hyphenated": "Well-led services - most of them - improve.",
    "emphasis": "*Most* children are seen.",
    "minus": "-5 degrees outside.",
    "en dash": "Leaders – and managers – know them.",
}


def overview_item(letter):
    return Section.objects.get(letter=letter, kind="overview").items.get()


@pytest.mark.parametrize("text", list(STRAY.values()), ids=list(STRAY))
def test_a_stray_bullet_in_an_item_is_a_problem_linked_to_the_item(text):
    letter = complete_letter()
    item = overview_item(letter)
    Item.objects.filter(pk=item.pk).update(text=text)
    problem = only_problem(letter)
    assert problem.message.startswith("Delete the bullet mark ")
    assert problem.message.endswith(" in item 1 of ‘Overview’: the letter prints its own bullets")
    assert problem.url == (
        reverse("letters:item-edit", args=[letter.visit_id, item.pk]) + "#id_text"
    )


@pytest.mark.parametrize("text", list(NOT_STRAY.values()), ids=list(NOT_STRAY))
def test_text_that_only_looks_like_a_bullet_passes(text):
    letter = complete_letter()
    Item.objects.filter(pk=overview_item(letter).pk).update(text=text)
    assert messages(letter) == []


def test_the_problem_names_the_mark():
    letter = complete_letter()
    item = overview_item(letter)
    Item.objects.filter(pk=item.pk).update(text="• Leaders know their services well.")
    assert only_problem(letter).message == (
        "Delete the bullet mark ‘•’ in item 1 of ‘Overview’: the letter prints its own bullets"
    )
    Item.objects.filter(pk=item.pk).update(text="Leaders know:\n- their services")
    assert only_problem(letter).message.startswith("Delete the bullet mark ‘-’ that starts a line")
    Item.objects.filter(pk=item.pk).update(text="\uf0b7 Leaders know their services well.")
    assert only_problem(letter).message.startswith(
        "Delete the bullet mark U+F0B7 (a symbol-font bullet) in item 1"
    )


def test_a_stray_bullet_in_an_items_footnote_links_to_the_footnote():
    letter = complete_letter()
    item = overview_item(letter)
    Item.objects.filter(pk=item.pk).update(footnote="• See the framework.")
    problem = only_problem(letter)
    assert "in the footnote of item 1 of ‘Overview’" in problem.message
    assert problem.url.endswith(f"/items/{item.pk}/#id_footnote")


@pytest.mark.parametrize("field", ["heading", "lead_in", "none_statement", "heading_footnote"])
def test_a_stray_bullet_in_a_section_links_to_the_section_form(field):
    letter = complete_letter()
    section = Section.objects.get(letter=letter, kind="improvement")
    Section.objects.filter(pk=section.pk).update(**{field: "• Areas for improvement"})
    problem = only_problem(letter)
    assert problem.message.startswith("Delete the bullet mark ‘•’ in the ")
    assert problem.url == (
        reverse("letters:section-edit", args=[letter.visit_id, section.pk]) + f"#id_{field}"
    )


@pytest.mark.parametrize(
    "field,url_name",
    [
        ("title", "letters:letter-opening"),
        ("introduction", "letters:letter-opening"),
        ("scope_lead_in", "letters:letter-opening"),
        ("preamble", "letters:letter-opening"),
        ("closing", "letters:letter-closing"),
    ],
)
def test_a_stray_bullet_in_a_letter_paragraph_links_to_its_form(field, url_name):
    letter = complete_letter()
    Letter.objects.filter(pk=letter.pk).update(**{field: "Dear all\n\n● We visited."})
    problem = only_problem(letter)
    assert problem.message.startswith("Delete the bullet mark ‘●’ in the ")
    assert problem.url == reverse(url_name, args=[letter.visit_id]) + f"#id_{field}"


def blocking_setups():
    def no_office(letter):
        Visit.objects.filter(pk=letter.visit_id).update(office=None)

    def empty_section(letter):
        SectionFactory(letter=letter, position=3, kind=Section.Kind.FINDINGS, heading="Findings")

    def empty_priority(letter):
        SectionFactory(letter=letter, position=3, kind=Section.Kind.PRIORITY_ACTIONS)

    def stray_bullet(letter):
        Item.objects.filter(pk=overview_item(letter).pk).update(text="• Leaders know.")

    return [no_office, empty_section, empty_priority, stray_bullet]


@pytest.mark.parametrize("setup", blocking_setups(), ids=lambda f: f.__name__)
def test_submission_is_refused_for_each_new_problem(setup):
    """Every problem blocks: the letter stays a draft and nothing is submitted."""
    lead = inspector_user()
    letter = letter_led_by(lead)
    setup(letter)
    with pytest.raises(LetterNotReady) as refused:
        services.letter_submit(letter=letter, by=lead)
    assert refused.value.messages == messages(letter)
    assert Letter.objects.get(pk=letter.pk).status == Letter.Status.DRAFT
    assert not Submission.objects.exists()


def test_checks_page_links_each_new_problem_to_its_form(client):
    """The check page lists the problems as links to the forms that fix them."""
    lead = inspector_user()
    letter = letter_led_by(lead)
    Visit.objects.filter(pk=letter.visit_id).update(office=None)
    priority = SectionFactory(letter=letter, position=3, kind=Section.Kind.PRIORITY_ACTIONS)
    item = overview_item(letter)
    Item.objects.filter(pk=item.pk).update(text="▪ Leaders know.")
    client.force_login(lead)
    response = client.get(reverse("letters:letter-checks", args=[letter.visit_id]))
    content = response.content.decode()
    assert "govuk-error-summary__list" in content
    for problem in response.context["problems"]:
        assert f'<a href="{problem.url}">{escape(problem.message)}</a>' in content
    # In the order the letter prints: the visit's facts, then section by section.
    urls = [problem.url for problem in response.context["problems"]]
    assert urls == [
        reverse("letters:visit-edit", args=[letter.visit_id]) + "#id_office",
        reverse("letters:item-edit", args=[letter.visit_id, item.pk]) + "#id_text",
        reverse("letters:section-edit", args=[letter.visit_id, priority.pk]) + "#id_none_statement",
    ]
    submitted = client.post(reverse("letters:letter-submit", args=[letter.visit_id]))
    assert submitted.url == reverse("letters:letter-checks", args=[letter.visit_id])
    assert Letter.objects.get(pk=letter.pk).status == Letter.Status.DRAFT
