"""Every variant of letter-anatomy.md, entered as data, prints right (PDF text layer)."""

import datetime
import io

import pytest
from pypdf import PdfReader

from inspections.models import TeamMember
from letters.importing.pdf_text import pdf_lines, reading_words
from letters.models import Item, Letter, Section
from letters.rendering import wording
from letters.rendering.compose import letter_queryset
from letters.rendering.pdf import letter_pdf
from tests.factories import (
    InspectorFactory,
    ItemFactory,
    OfficeFactory,
    SectionFactory,
    TeamMemberFactory,
    complete_letter,
)

URL = "https://www.gov.uk/government/publications/childrens-social-care-national-framework"


def printed(letter):
    pdf = letter_pdf(letter_queryset().get(pk=letter.pk))
    return pdf, " ".join(reading_words(pdf))


def in_order(text, *parts):
    at = 0
    for part in parts:
        found = text.find(part, at)
        assert found >= 0, f"{part!r} missing or out of order after {text[at : at + 80]!r}"
        at = found + len(part)


@pytest.fixture
def letter(db):
    return complete_letter()


def add_section(letter, kind, heading, **fields):
    position = letter.sections.count() + 1
    return SectionFactory(letter=letter, position=position, kind=kind, heading=heading, **fields)


def test_sections_print_their_own_headings_in_their_order(letter):
    """Per-letter headings in any order, a lead-in, and a 'none' statement."""
    Section.objects.filter(letter=letter).delete()
    priority = add_section(
        letter,
        Section.Kind.PRIORITY_ACTIONS,
        "Areas for priority action",
        lead_in="The local authority needs to take swift and decisive action on:",
    )
    ItemFactory(section=priority, text="The quality of assessments.")
    add_section(letter, Section.Kind.OVERVIEW, "Headline findings")
    add_section(
        letter,
        Section.Kind.PRIORITY_ACTIONS,
        "Priority actions again?",
        none_statement=wording.NO_PRIORITY_ACTIONS,
    )
    Letter.objects.filter(pk=letter.pk).update(
        closing=f"{wording.CLOSING_PARAGRAPH}\n\n{wording.PRIORITY_ACTION_PARAGRAPH}"
    )
    _, text = printed(letter)
    in_order(
        text,
        "Areas for priority action",
        "swift and decisive action on:",
        "The quality of assessments.",
        "Headline findings",
        "Priority actions again?",
        "There are no areas for priority action arising from this visit.",
        "Ofsted will take the findings",
        "We have notified the Department for Education",
        "within 70 working days",
        "Yours sincerely",
    )


def test_numbered_paragraphs_print_their_number_before_their_text(letter):
    """Numbers run 1, 2, 3 across a section and sit before the paragraph in reading order."""
    section = add_section(letter, Section.Kind.FINDINGS, "Findings")
    for n in range(1, 4):
        ItemFactory(section=section, style=Item.Style.NUMBERED, text=f"Numbered finding {n}.")
    _, text = printed(letter)
    in_order(text, "1. Numbered finding 1.", "2. Numbered finding 2.", "3. Numbered finding 3.")


def test_cross_reference_follows_its_item(letter):
    section = add_section(letter, Section.Kind.IMPROVEMENT, "What needs to improve?")
    reference = "(enabler 2, national framework)"
    ItemFactory(section=section, text="Management oversight.", cross_reference=reference)
    _, text = printed(letter)
    in_order(text, "What needs to improve?", f"Management oversight. {reference}")


FILLER = "Leaders know their services well. "


def footnote_near_the_foot(filler_lines, *, on_heading, on_item):
    """A letter whose last section, with its notes, is pushed down by filler_lines lines.

    Over a range of filler the section moves across the foot of page 1, where the call
    fits on the page and its note may not.
    """
    letter = complete_letter()
    overview = letter.sections.get(kind=Section.Kind.OVERVIEW)
    letter.sections.exclude(pk=overview.pk).delete()
    # Each group of twelve words is one more line of text.
    overview.items.update(text=FILLER + "More words here. " * 4 * filler_lines)
    section = add_section(
        letter,
        Section.Kind.IMPROVEMENT,
        "What needs to improve?",
        heading_footnote=f"Heading note: {URL}" if on_heading else "",
    )
    ItemFactory(
        section=section,
        text="The consistency of planning for care leavers.",
        footnote=f"Item note: {URL}" if on_item else "",
    )
    return pdf_lines(letter_pdf(letter_queryset().get(pk=letter.pk)))


def line_with(lines, words):
    return next(line for line in lines if words in line.text)


def body_lines(lines, page):
    """The page's body text: not its notes (10 pt), nor its page number, which is set in
    the body's size (12 pt, as in the letters from 2021) below the notes."""
    return [
        line for line in lines if line.page == page and line.size >= 11 and not line.text.isdigit()
    ]


SWEEP = range(0, 10)
HEADING = "What needs to improve?"
ITEM = "The consistency of planning"


@pytest.mark.parametrize(
    ("on_heading", "on_item", "calls"),
    [
        (True, False, {HEADING: "Heading note:"}),
        (False, True, {ITEM: "Item note:"}),
        (True, True, {HEADING: "Heading note:", ITEM: "Item note:"}),
    ],
    ids=["heading", "item", "heading-and-item"],
)
def test_footnote_prints_at_the_foot_of_its_page(db, on_heading, on_item, calls):
    """Wherever the call falls near the page foot, its note is on the call's page.

    A note that does not fit below its call takes the call's line to the next page
    (footnote-policy: line). The sweep moves the calls from page 1 to page 2.
    """
    call_pages = set()
    for filler in SWEEP:
        lines = footnote_near_the_foot(filler, on_heading=on_heading, on_item=on_item)
        for call_words, note_words in calls.items():
            call = line_with(lines, call_words)
            note = line_with(lines, note_words)
            call_pages.add(call.page)
            assert note.page == call.page, f"{filler} lines of filler: {call_words!r}"
            body = body_lines(lines, note.page)
            assert all(line.y > note.y for line in body), f"{filler} lines of filler"
    assert call_pages == {1, 2}, "the sweep should take the calls across the foot of page 1"


def test_footnote_prints_below_the_body_text_small_with_a_link(letter):
    """The footnote is small, below every body line of its page, and its address links."""
    section = add_section(
        letter,
        Section.Kind.IMPROVEMENT,
        "What needs to improve in this area of social work practice?",
        heading_footnote=f"Cross-referenced with the national framework: {URL}",
    )
    ItemFactory(section=section, text="The consistency of planning for care leavers.")
    pdf, _ = printed(letter)
    lines = pdf_lines(pdf)
    heading = next(line for line in lines if line.text.startswith("What needs to improve"))
    note = next(line for line in lines if "Cross-referenced with the national" in line.text)
    body = body_lines(lines, note.page)
    assert all(line.y > note.y for line in body)
    assert note.size < heading.size
    uris = [
        str(a.get_object()["/A"]["/URI"])
        for page in PdfReader(io.BytesIO(pdf)).pages
        for a in page.get("/Annots", [])
        if "/URI" in a.get_object().get("/A", {})
    ]
    assert URL in uris


def test_signature_lead_inspector_note_and_cc_lines(letter):
    lead = letter.visit.team.get(role=TeamMember.Role.LEAD).inspector
    lead.full_name = "Lorna Schlechte"
    lead.save()
    Letter.objects.filter(pk=letter.pk).update(signatory_note="(Lead Inspector)")
    letter.visit.cc_lines = "cc Paul Moffat, Chief Executive\nDepartment for Education"
    letter.visit.save()
    _, text = printed(letter)
    in_order(
        text,
        "Yours sincerely",
        "Lorna Schlechte (Lead Inspector)",
        "His Majesty's Inspector",  # the factory's letter is dated 2024
        "cc Paul Moffat, Chief Executive",
        "Department for Education",
    )


def test_hmi_designate_and_dates_across_months(db):
    letter = complete_letter(
        start_date=datetime.date(2020, 10, 30),
        end_date=datetime.date(2020, 11, 2),
        letter_date=datetime.date(2022, 11, 20),
    )
    Letter.objects.filter(pk=letter.pk).update(introduction="")
    TeamMemberFactory(
        visit=letter.visit,
        inspector=InspectorFactory(full_name="Jan Edwards"),
        role=TeamMember.Role.HMI_DESIGNATE,
    )
    _, text = printed(letter)
    assert "from 30 October to 2 November 2020" in text
    assert "Jan Edwards, HMI designate" in text
    assert "His Majesty's Inspector" in text  # dated after 8 September 2022


def test_letter_without_a_date_prints_none(db):
    letter = complete_letter(letter_date=None)
    pdf, text = printed(letter)
    first = [line.text for line in pdf_lines(pdf) if line.page == 1][:12]
    assert not any(line.endswith(" 2024") and line[0].isdigit() for line in first)
    assert "Dear Ms Morgan" in text


@pytest.mark.parametrize(
    "address",
    [
        "Aviation House\n125 Kingsway\nLondon WC2B 6SE",
        "Piccadilly Gate\nStore Street\nManchester M1 2WD",
        "Clive House\n70 Petty France\nLondon SW1H 9EX",
        "2 Rivergate\nTemple Quay\nBristol BS1 6EH",
    ],
    ids=["aviation-house", "manchester", "clive-house", "bristol"],
)
def test_letterhead_of_each_office(db, address):
    letter = complete_letter(office=OfficeFactory(address=address, web_address="www.ofsted.gov.uk"))
    pdf, _ = printed(letter)
    page_one = [line.text for line in pdf_lines(pdf) if line.page == 1]
    for part in [*address.splitlines(), "0300 123 1231", "www.ofsted.gov.uk"]:
        assert any(part in line for line in page_one), part
