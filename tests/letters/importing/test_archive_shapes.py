"""Letters in the shapes the published archive has, each written here in that shape:
each imports, with the facts found and a warning naming anything missing."""

import datetime

import pytest

from inspections.models import TeamMember
from inspections.services import authorities_load
from letters.importing.parse import parse_letter_pdf, parse_letter_text
from letters.importing.services import letter_import
from letters.rendering.pdf import html_to_pdf

LETTERHEAD = (
    "Piccadilly Gate Store Street Manchester M1 2WD T 0300 123 1231 "
    "enquiries@ofsted.gov.uk www.gov.uk/ofsted"
)
HEAD = (
    LETTERHEAD
    + """

{date}

Ms Priya Lanyon
Director of Children's Services
Middlesbrough Council
Town Hall
Middlesbrough
TS1 9FT

Dear Ms Lanyon
"""
)
INTRO = (
    "This letter summarises the findings of a focused visit to Middlesbrough children's "
    "services on 15 and 16 May 2018. The inspectors were Jane Holt, HMI, and Sam Reid, HMI."
)
SCOPE = "Inspectors looked at the local authority's arrangements for care leavers."
BODY = """
## Overview

- Care leavers are well supported by personal advisers who know them well.

## What needs to improve

- The quality of pathway plans.

Yours sincerely

{signatory}

Her Majesty's Inspector
"""


def letter_text(
    *,
    title="Focused visit to Middlesbrough children's services",
    date="14 June 2018",
    intro=INTRO,
    scope=SCOPE,
    head=None,
    signatory="Jane Holt",
    body=BODY,
):
    head = HEAD.format(date=date) if head is None else head
    return f"{head}\n## {title}\n\n{intro}\n\n{scope}\n{body.format(signatory=signatory)}"


def parse(text):
    return parse_letter_text(text, source="shape.md")


def test_the_plain_shape_imports_without_a_warning():
    """The letter the other shapes vary: every fact found, nothing to warn of."""
    letter = parse(letter_text())
    assert letter.warnings == []
    assert (letter.start_date, letter.end_date) == (
        datetime.date(2018, 5, 15),
        datetime.date(2018, 5, 16),
    )


def test_pandemic_preface_first_with_the_dates_in_the_second_paragraph():
    """The Chief Inspector's preface opens the letter; dates and team come after it."""
    preface = (
        "Her Majesty's Chief Inspector of Education, Children's Services and Skills is "
        "leading Ofsted's work into how England's social care system has delivered "
        "child-centred practice during the COVID-19 (coronavirus) pandemic."
    )
    intro = INTRO.replace("15 and 16 May 2018", "13 October 2020")
    letter = parse(letter_text(intro=f"{preface}\n\n{intro}", scope="", date="3 November 2020"))
    assert letter.start_date == datetime.date(2020, 10, 13)
    assert [m.name for m in letter.team] == ["Jane Holt", "Sam Reid"]
    assert letter.introduction[0] == preface


@pytest.mark.parametrize(
    "written",
    ["on the 15 and 16 of May 2018", "on the 15th and 16th of May 2018", "on 15 to 16 May 2018"],
)
def test_dates_written_with_the_and_of(written):
    """Dates written 'on the 15 and 16 of May 2018' are 15 to 16 May 2018."""
    letter = parse(letter_text(intro=INTRO.replace("on 15 and 16 May 2018", written)))
    assert (letter.start_date, letter.end_date) == (
        datetime.date(2018, 5, 15),
        datetime.date(2018, 5, 16),
    )


def test_a_title_ending_in_a_full_stop():
    """The full stop does not stop the title being read, nor join the authority's name."""
    letter = parse(letter_text(title="Focused visit to Middlesbrough children's services."))
    assert letter.authority_name == "Middlesbrough"
    assert letter.title.endswith(".")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("title", "code"),
    [
        ("Focused visit to Birmingham Children's Trust", "E08000025"),
        ("Focused visit to Slough Children First", "E06000039"),
        ("Focused visit to Doncaster Children's Services Trust", "E08000017"),
    ],
)
def test_a_title_naming_a_childrens_trust(title, code):
    """The trust's title is kept as printed; the visit is the authority's it acts for."""
    authorities_load(by=None)
    parsed = parse(letter_text(title=title))
    visit = letter_import(parsed=parsed, source="shape.md")
    assert visit.authority.ons_code == code
    assert visit.letter.title == title
    assert parsed.warnings == []


@pytest.mark.django_db
def test_a_title_with_no_authority_takes_it_from_the_letter_with_a_warning():
    """A title 'Focused visit' alone: the introduction's authority, with a warning."""
    authorities_load(by=None)
    parsed = parse(letter_text(title="Focused visit"))
    visit = letter_import(parsed=parsed, source="shape.md")
    assert visit.authority.ons_code == "E06000002"
    assert any("names no local authority" in w for w in parsed.warnings)


@pytest.mark.django_db
def test_a_title_with_no_authority_anywhere_but_the_recipient():
    """No authority in the title nor the introduction: the recipient's organisation."""
    authorities_load(by=None)
    intro = "This letter summarises the findings of a focused visit on 15 and 16 May 2018. "
    parsed = parse(letter_text(title="Focused visit.", intro=intro + INTRO.split(". ", 1)[1]))
    visit = letter_import(parsed=parsed, source="shape.md")
    assert visit.authority.ons_code == "E06000002"
    assert any("taken from the recipient" in w for w in parsed.warnings)


@pytest.mark.parametrize(
    ("sentence", "names"),
    [
        (
            "The visit was carried out by Jane Holt and Sam Reid, Her Majesty's Inspectors.",
            ["Jane Holt", "Sam Reid"],
        ),
        (
            "The visit was conducted by Jane Holt and Sam Reid, two of Her Majesty's Inspectors.",
            ["Jane Holt", "Sam Reid"],
        ),
        (
            "Inspectors for the visit were Jane Holt, HMI and Sam Reid, HMI.",
            ["Jane Holt", "Sam Reid"],
        ),
        (
            "The inspectors were Jane Holt, Her Majesty's Inspector, and Sam Reid, "
            "Her Majesty's Inspector.",
            ["Jane Holt", "Sam Reid"],
        ),
    ],
)
def test_the_team_and_signatory_in_other_introductions(sentence, names):
    """However the introduction names the team, it is found, and the signatory leads."""
    intro = (
        "This letter summarises the findings of a focused visit to Middlesbrough children's "
        f"services on 15 and 16 May 2018. {sentence}"
    )
    letter = parse(letter_text(intro=intro))
    assert [m.name for m in letter.team] == names
    assert letter.team[0].role == TeamMember.Role.LEAD
    assert letter.signatory == "Jane Holt"
    assert letter.warnings == []


def test_a_non_name_in_the_team_is_a_warning():
    """A team member written "HMI Schools" is nobody: warned of, not stored."""
    letter = parse(letter_text(intro=INTRO.replace("Sam Reid, HMI", "HMI Schools")))
    assert [m.name for m in letter.team] == ["Jane Holt"]
    assert any("'HMI Schools'" in w for w in letter.warnings)


def test_headings_that_are_not_marked_still_make_sections():
    """'Overview' and 'What needs to improve' written as plain lines are headings."""
    body = BODY.replace("## Overview", "Overview").replace("## What needs", "What needs")
    letter = parse(letter_text(body=body))
    assert [s.heading for s in letter.sections] == ["Overview", "What needs to improve"]


def test_a_signature_printed_twice_is_read_once():
    """The name under the signature, printed again, is not a closing paragraph."""
    letter = parse(letter_text(signatory="Jane Holt\n\nJane Holt"))
    assert letter.signatory == "Jane Holt"
    assert letter.closing == []


def test_a_letterhead_on_several_lines_is_kept():
    """The letterhead's address and contact lines, one a line, are the office's."""
    head = HEAD.replace(
        "Piccadilly Gate Store Street Manchester M1 2WD T 0300 123 1231 "
        "enquiries@ofsted.gov.uk www.gov.uk/ofsted",
        "Ofsted\nPiccadilly Gate\nStore Street\nManchester\nM1 2WD\nT 0300 123 1231\n"
        "enquiries@ofsted.gov.uk\nwww.gov.uk/ofsted",
    ).format(date="14 June 2018")
    letter = parse(letter_text(head=head))
    assert letter.office.address_lines[0] == "Piccadilly Gate"
    assert letter.office.telephone == "0300 123 1231"
    assert letter.recipient["name"] == "Priya Lanyon"


def test_a_recipient_block_above_the_date():
    """The recipient written before the date is still the recipient."""
    head = (
        "Piccadilly Gate Store Street Manchester M1 2WD T 0300 123 1231 "
        "enquiries@ofsted.gov.uk www.gov.uk/ofsted\n\nMs Priya Lanyon\n"
        "Director of Children's Services\nMiddlesbrough Council\nTown Hall\nMiddlesbrough\n"
        "TS1 9FT\n\n14 June 2018\n\nDear Ms Lanyon\n"
    )
    letter = parse(letter_text(head=head))
    assert letter.recipient["name"] == "Priya Lanyon"
    assert letter.recipient["postcode"] == "TS1 9FT"
    assert letter.letter_date == datetime.date(2018, 6, 14)


def test_a_mistyped_year_is_no_name_and_is_read_near_the_visit():
    """'14 June 20185' is the letter date, 14 June 2018, with a warning; not a name."""
    letter = parse(letter_text(date="14 June 20185"))
    assert letter.recipient["name"] == "Priya Lanyon"
    assert letter.letter_date == datetime.date(2018, 6, 14)
    assert any("'14 June 20185'" in w for w in letter.warnings)


def test_a_letter_without_visit_dates_is_imported_with_a_warning():
    """No dates in the introduction: the letter's date stands in, and a warning says so."""
    letter = parse(letter_text(intro=INTRO.replace(" on 15 and 16 May 2018", "")))
    assert letter.start_date == datetime.date(2018, 6, 14)
    assert any("no visit dates" in w for w in letter.warnings)


@pytest.mark.django_db
def test_a_pdf_with_a_plain_title_and_plain_headings():
    """A PDF whose title and headings are not bold still has its title and sections."""
    html = f"""<html><body style="font: 12pt sans-serif">
    <p style="font-size: 9pt">Piccadilly Gate Store Street Manchester M1 2WD
    T 0300 123 1231 enquiries@ofsted.gov.uk www.gov.uk/ofsted</p>
    <p>14 June 2018</p><p>Ms Priya Lanyon<br>Middlesbrough Council<br>TS1 9FT</p>
    <p>Dear Ms Lanyon</p>
    <p>Focused visit to Middlesbrough children's services</p>
    <p>{INTRO}</p><p>{SCOPE}</p>
    <p>Overview</p><p>{" ".join(["Care leavers are well supported by their advisers."] * 12)}</p>
    <p>What needs to improve</p><p>The quality of pathway plans needs to improve.</p>
    <p>Yours sincerely</p><p>Jane Holt</p><p>Her Majesty's Inspector</p>
    </body></html>"""
    letter = parse_letter_pdf(html_to_pdf(html), source="plain.pdf")
    assert letter.authority_name == "Middlesbrough"
    assert [s.heading for s in letter.sections] == ["Overview", "What needs to improve"]
    assert letter.signatory == "Jane Holt"


@pytest.mark.django_db
def test_a_footnote_a_little_smaller_than_the_body_is_a_footnote():
    """An 11pt footnote under a 12pt body is its item's footnote, not a paragraph."""
    html = f"""<html><body style="font: 12pt sans-serif">
    <p style="font-size: 9pt">{LETTERHEAD}</p>
    <p>14 June 2018</p><p>Ms Priya Lanyon<br>Middlesbrough Council<br>TS1 9FT</p>
    <p>Dear Ms Lanyon</p>
    <p><b>Focused visit to Middlesbrough children's services</b></p>
    <p>{INTRO}</p><p>{SCOPE}</p>
    <p><b>Overview</b></p>
    <p>{" ".join(["Care leavers are well supported by their advisers."] * 12)}
    Plans follow the framework.<sup style="font-size: 7pt">1</sup></p>
    <p>Yours sincerely</p><p>Jane Holt</p><p>Her Majesty's Inspector</p>
    <p style="font-size: 11pt; margin-top: 40pt">1 See the national framework.</p>
    </body></html>"""
    letter = parse_letter_pdf(html_to_pdf(html), source="footnote.pdf")
    assert letter.sections[0].items[0].footnote == "See the national framework."
    assert not any("national framework" in text for text in letter.closing)
    assert letter.warnings == []
