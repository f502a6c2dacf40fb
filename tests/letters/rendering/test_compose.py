"""A letter composed into what it prints: standard wording, overrides, numbering."""

import datetime

import pytest

from inspections.models import Inspector, TeamMember
from letters.models import Item, Letter, Section
from letters.rendering.compose import compose_letter, letter_queryset, visit_dates_phrase
from tests.factories import (
    InspectorFactory,
    ItemFactory,
    SectionFactory,
    TeamMemberFactory,
    complete_letter,
)

D = datetime.date


def composed(letter):
    """The letter as printed, read back from the database as the renderer reads it."""
    return compose_letter(letter_queryset().get(pk=letter.pk))


@pytest.mark.parametrize(
    ("start", "end", "phrase"),
    [
        (D(2017, 8, 1), None, "on 1 August 2017"),
        (D(2017, 8, 1), D(2017, 8, 1), "on 1 August 2017"),
        (D(2018, 1, 30), D(2018, 1, 31), "on 30 and 31 January 2018"),
        (D(2022, 3, 8), D(2022, 3, 10), "from 8 to 10 March 2022"),
        (D(2020, 10, 30), D(2020, 11, 2), "from 30 October to 2 November 2020"),
        (D(2020, 12, 29), D(2021, 1, 2), "from 29 December 2020 to 2 January 2021"),
    ],
    ids=["one-day", "same-day-end", "two-days", "range-in-month", "across-months", "across-years"],
)
def test_visit_dates_phrase(start, end, phrase):
    """The visit's dates are written as Ofsted writes them."""
    assert visit_dates_phrase(start, end) == phrase


def test_two_consecutive_days_across_months_use_from_to():
    """Two consecutive days in different months name both months."""
    assert visit_dates_phrase(D(2019, 4, 30), D(2019, 5, 1)) == "from 30 April to 1 May 2019"


@pytest.mark.django_db
def test_standard_introduction_is_written_from_the_visit():
    """Dates, team lead first and the QA manager with grade make the introduction."""
    letter = complete_letter(
        start_date=D(2024, 3, 5),
        end_date=D(2024, 3, 7),
        letter_date=D(2024, 4, 2),
        qa_manager=InspectorFactory(full_name="Pat Quinlan", grade=Inspector.Grade.SENIOR_HMI),
    )
    visit = letter.visit
    # Listed before the lead by position: the lead must still come first.
    TeamMember.objects.filter(visit=visit, role=TeamMember.Role.LEAD).update(position=5)
    TeamMemberFactory(
        visit=visit,
        inspector=InspectorFactory(full_name="Kit Delaney"),
        role=TeamMember.Role.HMI_DESIGNATE,
        position=2,
    )
    document = composed(letter)
    assert document.introduction == [
        f"This letter summarises the findings of a focused visit to {visit.authority.name} "
        "children's services from 5 to 7 March 2024. His Majesty's Inspectors (HMI) "
        "Robin Ashdown, Sam Whitlow and Kit Delaney, HMI designate undertook the visit. "
        "The quality assurance manager was Pat Quinlan, Senior HMI."
    ]


@pytest.mark.django_db
def test_standard_introduction_names_a_single_inspector():
    """A team of one is 'Inspector', singular, and no QA manager sentence without one."""
    letter = complete_letter(qa_manager=None, start_date=D(2024, 3, 5), end_date=None)
    TeamMember.objects.filter(visit=letter.visit, role=TeamMember.Role.INSPECTOR).delete()
    (introduction,) = composed(letter).introduction
    assert "His Majesty's Inspector (HMI) Robin Ashdown undertook the visit." in introduction
    assert "on 5 March 2024." in introduction
    assert "quality assurance manager" not in introduction


@pytest.mark.django_db
def test_introduction_from_2018_names_the_inspectors_with_their_grade():
    """A 2018-21 letter: 'a focused visit', 'The inspectors were A HMI and B HMI', no QA."""
    letter = complete_letter(start_date=D(2019, 12, 4), end_date=None, letter_template="2018")
    (introduction,) = composed(letter).introduction
    assert introduction == (
        f"This letter summarises the findings of a focused visit to "
        f"{letter.visit.authority.name} children's services on 4 December 2019. "
        "The inspectors were Robin Ashdown HMI and Sam Whitlow HMI."
    )


@pytest.mark.django_db
@pytest.mark.parametrize("period", ["2021", "2025"])
def test_introduction_from_2021_names_his_majestys_inspectors_for_this_visit(period):
    """From mid-2021: 'the focused visit', 'His Majesty's Inspectors for this visit were'."""
    letter = complete_letter(
        start_date=D(2025, 11, 19), end_date=D(2025, 11, 20), letter_template=period
    )
    (introduction,) = composed(letter).introduction
    assert introduction == (
        f"This letter summarises the findings of the focused visit to "
        f"{letter.visit.authority.name} children's services on 19 and 20 November 2025. "
        "His Majesty's Inspectors for this visit were Robin Ashdown and Sam Whitlow."
    )


@pytest.mark.django_db
def test_introduction_from_2021_names_a_single_inspector():
    """A team of one: 'His Majesty's Inspector for this visit was A.'"""
    letter = complete_letter(start_date=D(2023, 5, 2), end_date=None, letter_template="2021")
    TeamMember.objects.filter(visit=letter.visit, role=TeamMember.Role.INSPECTOR).delete()
    (introduction,) = composed(letter).introduction
    assert introduction.endswith("His Majesty's Inspector for this visit was Robin Ashdown.")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("letter_date", "possessive"),
    [(D(2022, 9, 7), "Her"), (D(2022, 9, 8), "His")],
    ids=["before-accession", "accession-day"],
)
def test_monarch_follows_the_letter_date(letter_date, possessive):
    """Letters dated from 8 September 2022 say 'His Majesty's', earlier ones 'Her'."""
    letter = complete_letter(
        start_date=D(2022, 8, 30), end_date=D(2022, 8, 31), letter_date=letter_date
    )
    document = composed(letter)
    assert document.signatory_title == f"{possessive} Majesty's Inspector"
    assert f"{possessive} Majesty's Inspectors (HMI)" in document.introduction[0]


@pytest.mark.django_db
def test_standard_title_and_signatory_fill_blank_fields():
    """A letter with blank title and signatory title prints the standard wording."""
    letter = complete_letter(letter_date=D(2024, 4, 2))
    document = composed(letter)
    authority = letter.visit.authority.name
    assert document.title == f"Focused visit to {authority} children's services"
    assert document.signatory == "Robin Ashdown"
    assert document.signatory_title == "His Majesty's Inspector"


@pytest.mark.django_db
def test_letter_overrides_win_over_the_standard_wording():
    """The letter's own title, introduction and signatory title replace the standard ones."""
    letter = complete_letter()
    Letter.objects.filter(pk=letter.pk).update(
        title="Focused visit to Fernshire children's services (revised)",
        introduction="First paragraph\nwrapped.\n\nSecond paragraph.",
        signatory_title="Regional Director",
    )
    document = composed(letter)
    assert document.title == "Focused visit to Fernshire children's services (revised)"
    assert document.introduction == ["First paragraph wrapped.", "Second paragraph."]
    assert document.signatory_title == "Regional Director"


@pytest.mark.django_db
def test_new_letter_starts_with_standard_preamble_closing_and_sign_off():
    """A new letter's evidence paragraph, closing and sign-off are Ofsted's wording."""
    document = composed(complete_letter())
    assert document.preamble[0].startswith("A range of evidence")
    assert document.closing[0].startswith("Ofsted will take the findings")
    assert document.sign_off == "Yours sincerely"


@pytest.mark.django_db
def test_blank_preamble_closing_and_sign_off_print_nothing():
    """Cleared evidence paragraph, closing and sign-off are left out, not defaulted."""
    letter = complete_letter()
    Letter.objects.filter(pk=letter.pk).update(preamble="", closing="  \n\n ", sign_off="")
    document = composed(letter)
    assert document.preamble == []
    assert document.closing == []
    assert document.sign_off == ""


@pytest.mark.django_db
def test_numbered_items_are_numbered_from_one_in_each_section():
    """Numbered items count 1..n within their section, skipping other styles."""
    letter = complete_letter()
    first, second = letter.sections.order_by("position")
    for position, style in enumerate(["numbered", "numbered", "paragraph", "numbered"], start=2):
        ItemFactory(section=first, position=position, style=style)
    for position in (2, 3):
        ItemFactory(section=second, position=position, style=Item.Style.NUMBERED)
    document = composed(letter)
    numbers = [
        [item.number for block in section.blocks for item in block.items]
        for section in document.sections
    ]
    assert numbers == [[None, 1, 2, None, 3], [None, 1, 2]]


@pytest.mark.django_db
def test_consecutive_items_of_one_style_form_one_block():
    """Bullets next to each other print as one list; a paragraph starts a new block."""
    letter = complete_letter()
    overview = letter.sections.get(position=1)
    ItemFactory(section=overview, position=2, style=Item.Style.BULLET)
    ItemFactory(section=overview, position=3, style=Item.Style.PARAGRAPH)
    ItemFactory(section=overview, position=4, style=Item.Style.BULLET)
    section = composed(letter).sections[0]
    assert [(block.style, len(block.items)) for block in section.blocks] == [
        ("bullet", 2),
        ("paragraph", 1),
        ("bullet", 1),
    ]


@pytest.mark.django_db
def test_footnotes_are_numbered_in_reading_order():
    """Heading and item footnotes are numbered in the order the letter reads."""
    letter = complete_letter()
    overview, improvement = letter.sections.order_by("position")
    # Created out of reading order, so that numbering by creation would show.
    Item.objects.filter(section=improvement).update(footnote="Third note.")
    Section.objects.filter(pk=improvement.pk).update(heading_footnote="Second  note,\nwrapped.")
    ItemFactory(section=overview, position=3, footnote="First-b note.")
    ItemFactory(section=overview, position=2, footnote="First-a note.")
    document = composed(letter)
    assert [(note.number, note.text) for note in document.footnotes] == [
        (1, "First-a note."),
        (2, "First-b note."),
        (3, "Second note, wrapped."),
        (4, "Third note."),
    ]
    assert document.sections[1].heading_footnote.number == 3
    assert document.sections[1].blocks[0].items[0].footnote.number == 4


@pytest.mark.django_db
def test_items_print_in_position_order():
    """Items print by position, not by the order they were written."""
    letter = complete_letter()
    overview = letter.sections.get(position=1)
    ItemFactory(section=overview, position=3, text="Third.")
    ItemFactory(section=overview, position=2, text="Second.")
    texts = [item.text for block in composed(letter).sections[0].blocks for item in block.items]
    assert texts == ["Leaders know their services well.", "Second.", "Third."]


@pytest.mark.django_db
def test_none_statement_prints_when_the_section_has_no_items():
    """An empty section prints its none statement."""
    letter = complete_letter()
    SectionFactory(
        letter=letter,
        position=3,
        kind=Section.Kind.PRIORITY_ACTIONS,
        heading="Areas for priority action",
        none_statement="There are no areas for priority action arising from this visit.",
    )
    section = composed(letter).sections[2]
    assert section.blocks == []
    assert section.none_statement == [
        "There are no areas for priority action arising from this visit."
    ]


@pytest.mark.django_db
def test_none_statement_is_hidden_when_the_section_has_items():
    """A section with items does not print its none statement."""
    letter = complete_letter()
    letter.sections.filter(position=2).update(none_statement="There are no areas for improvement.")
    printed = composed(letter).sections[1]
    assert printed.none_statement == []
    assert printed.blocks[0].items[0].text == "The timeliness of assessments."
