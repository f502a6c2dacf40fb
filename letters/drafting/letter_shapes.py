"""The templates a new letter starts from: one per type and period of Ofsted's letters.

A template is data: the sections a new letter gets (kind, heading, and the lead-in and
"none" statement where the period has them), the lead-in to the focus areas, the
paragraphs before the findings and the closing. A visit's letter starts from the
template of its type and period (`shape_for_visit`: a pilot visit, or the visit's first
day); the inspector can change every word afterwards, and while the letter has no items,
start again from another template (letters.drafting.services.letter_use_template).

The periods, from the letters Ofsted published (docs: letter-anatomy.md):

- the 2017 pilot: Overview, Areas of strength, Areas for improvement; no closing;
- 2018 to mid-2021: Overview, What needs to improve in this area of social work
  practice, Findings; "your next inspection or visit";
- from mid-2021: Headline findings, What needs to improve in this area of social work
  practice?, Main findings; the ILACS paragraph; "the next inspection or visit";
- from 2025: as mid-2021, and each improvement point cross-referenced with the
  Children's Social Care: National Framework ("(enabler 2, national framework)"), with
  the footnote that says so on the heading.

Every period also starts with an "Areas for priority action" section that says there
are none, until the inspector adds them (its lead-in prints only above items).
"""

import datetime
from dataclasses import dataclass

from letters.rendering import wording

# Section kinds, as letters.models.Section.Kind stores them (this module is read by the
# models' neighbours, so it names them by value).
OVERVIEW, STRENGTHS, FINDINGS = "overview", "strengths", "findings"
IMPROVEMENT, PRIORITY = "improvement", "priority"

PILOT, FROM_2018, FROM_2021, FROM_2025 = "pilot-2017", "2018", "2021", "2025"

# The first days of the periods (a visit's first day on or after it takes its template).
ILACS_FOCUSED_VISITS_BEGIN = datetime.date(2018, 1, 1)
HEADLINE_FINDINGS_BEGIN = datetime.date(2021, 7, 1)  # "mid-2021"
NATIONAL_FRAMEWORK_BEGINS = datetime.date(2025, 1, 1)

NATIONAL_FRAMEWORK_URL = (
    "https://www.gov.uk/government/publications/childrens-social-care-national-framework"
)
# As the 2026 letters print it, at the foot of the page, on the improvement heading.
NATIONAL_FRAMEWORK_FOOTNOTE = (
    "The areas for improvement have been cross-referenced with the outcomes, enablers or "
    f"principles in the [Children's Social Care: National Framework]({NATIONAL_FRAMEWORK_URL}). "
    "This statutory guidance sets out the purpose, principles for practice and expected "
    "outcomes of children's social care."
)

# The National Framework's outcomes, enablers and principles, as an item's cross-reference
# names them: (tag, what it is about). An item prints "(enabler 2, national framework)".
FRAMEWORK_TAGS = [
    ("outcome 1", "children, young people and families stay together and get the help they need"),
    ("outcome 2", "children and young people are supported by their family network"),
    ("outcome 3", "children and young people are safe in and outside of their homes"),
    ("outcome 4", "children in care and care leavers have stable, loving homes"),
    ("enabler 1", "multi-agency working is prioritised and effective"),
    ("enabler 2", "leaders drive conditions for effective practice"),
    ("enabler 3", "the workforce is equipped and effective"),
    *((f"principle {n}", "") for n in range(1, 7)),
]


def framework_cross_reference(tag):
    """'enabler 2' -> '(enabler 2, national framework)'."""
    return f"({tag}, national framework)"


def framework_tag_of(cross_reference):
    """The tag an item's cross-reference names, or '' if it names none of them."""
    for tag, _ in FRAMEWORK_TAGS:
        if cross_reference.strip() == framework_cross_reference(tag):
            return tag
    return ""


@dataclass(frozen=True)
class SectionShape:
    kind: str
    heading: str
    lead_in: str = ""
    none_statement: str = ""
    heading_footnote: str = ""


@dataclass(frozen=True)
class LetterShape:
    key: str
    name: str
    description: str
    sections: tuple[SectionShape, ...]
    scope_lead_in: str
    preamble: str
    closing: str
    # Offered on the closing page, for a letter with areas for priority action.
    priority_closing: str = ""
    # Whether its improvement points carry National Framework cross-references.
    framework_tags: bool = False

    def letter_values(self):
        """The letter's own words as the template starts them."""
        return {
            "template": self.key,
            "scope_lead_in": self.scope_lead_in,
            "list_focus_areas": True,
            "preamble": self.preamble,
            "closing": self.closing,
        }


PRIORITY_LEAD_IN = (
    "The local authority needs to take swift and decisive action to address the following "
    "areas of weakness:"
)
IMPROVE_2018 = "What needs to improve in this area of social work practice"
DFE_ACTION_PLAN = (
    "We have notified the Department for Education of the areas for priority action. You "
    "should submit an action plan that responds to these areas within 70 working days of "
    "receiving this letter. It would be very helpful if you can share an early draft of the "
    "action plan with us within 20 working days of receiving this letter."
)
ILACS_PARAGRAPH = (
    "This visit was carried out in line with the inspection of local authority children's "
    "services (ILACS) framework."
)
CLOSING_FROM_2021 = (
    "Ofsted will take the findings from this focused visit into account when planning the "
    "next inspection or visit."
)


def _from_2021(*, footnote=""):
    return (
        SectionShape(OVERVIEW, "Headline findings"),
        SectionShape(
            PRIORITY,
            "Areas for priority action",
            lead_in=PRIORITY_LEAD_IN,
            none_statement=wording.NO_PRIORITY_ACTIONS,
        ),
        SectionShape(IMPROVEMENT, IMPROVE_2018 + "?", heading_footnote=footnote),
        SectionShape(FINDINGS, "Main findings"),
    )


SHAPES = {
    shape.key: shape
    for shape in (
        LetterShape(
            key=PILOT,
            name="2017 pilot",
            description="Overview, Areas of strength, Areas for improvement. No closing paragraph.",
            sections=(
                SectionShape(OVERVIEW, "Overview"),
                SectionShape(STRENGTHS, "Areas of strength"),
                SectionShape(IMPROVEMENT, "Areas for improvement"),
            ),
            scope_lead_in=wording.SCOPE_LEAD_IN,
            preamble=wording.EVIDENCE_PARAGRAPH,
            closing="",
        ),
        LetterShape(
            key=FROM_2018,
            name="2018 to mid-2021",
            description=(
                "Overview, Areas for priority action, What needs to improve in this area of "
                "social work practice, Findings. Closes: “… planning your next inspection or "
                "visit.”"
            ),
            sections=(
                SectionShape(OVERVIEW, "Overview"),
                SectionShape(
                    PRIORITY,
                    "Areas for priority action",
                    lead_in=PRIORITY_LEAD_IN,
                    none_statement="There are no priority actions following this focused visit.",
                ),
                SectionShape(IMPROVEMENT, IMPROVE_2018),
                SectionShape(FINDINGS, "Findings"),
            ),
            scope_lead_in=(
                "Inspectors looked at the local authority's arrangements for children's "
                "services, specifically:"
            ),
            preamble=(
                "Inspectors looked at a range of evidence, including case discussions with "
                "social workers and managers. They also looked at local authority performance "
                "management and quality assurance information, and children's case records."
            ),
            closing=wording.CLOSING_PARAGRAPH,
            priority_closing=wording.PRIORITY_ACTION_PARAGRAPH,
        ),
        LetterShape(
            key=FROM_2021,
            name="Mid-2021 to 2024",
            description=(
                "Headline findings, Areas for priority action, What needs to improve in this "
                "area of social work practice?, Main findings. The ILACS paragraph. Closes: "
                "“… planning the next inspection or visit.”"
            ),
            sections=_from_2021(),
            scope_lead_in=(
                "Inspectors looked at the local authority's arrangements for children's "
                "services, in particular:"
            ),
            preamble=ILACS_PARAGRAPH,
            closing=CLOSING_FROM_2021,
            priority_closing=DFE_ACTION_PLAN,
        ),
        LetterShape(
            key=FROM_2025,
            name="From 2025, with the National Framework",
            description=(
                "As from mid-2021, and each improvement point cross-referenced with the "
                "Children's Social Care: National Framework, for example “(enabler 2, national "
                "framework)”, with the footnote that says so."
            ),
            sections=_from_2021(footnote=NATIONAL_FRAMEWORK_FOOTNOTE),
            scope_lead_in=(
                "Inspectors looked at the local authority's arrangements for children's "
                "services, in particular:"
            ),
            preamble=ILACS_PARAGRAPH,
            closing=CLOSING_FROM_2021,
            priority_closing=DFE_ACTION_PLAN,
            framework_tags=True,
        ),
    )
}

# The shape of the letters Ofsted sends now.
CURRENT = SHAPES[FROM_2025]


def shape_for(*, start_date, pilot=False):
    """The template of a visit of that type that began on `start_date`."""
    if pilot or start_date < ILACS_FOCUSED_VISITS_BEGIN:
        return SHAPES[PILOT]
    if start_date < HEADLINE_FINDINGS_BEGIN:
        return SHAPES[FROM_2018]
    if start_date < NATIONAL_FRAMEWORK_BEGINS:
        return SHAPES[FROM_2021]
    return SHAPES[FROM_2025]


def shape_for_visit(visit):
    return shape_for(start_date=visit.start_date, pilot=visit.kind == visit.Kind.PILOT)


def shape_of(letter):
    """The template the letter started from, or None (letters made before templates)."""
    return SHAPES.get(letter.template)


def offers_framework_tags(letter, section):
    """Whether the items of `section` are cross-referenced with the National Framework: the
    improvement points and priority actions of a letter whose template says so, or of a
    section whose heading's footnote names the framework."""
    if section.kind not in (IMPROVEMENT, PRIORITY):
        return False
    shape = shape_of(letter)
    return bool(shape and shape.framework_tags) or "National Framework" in section.heading_footnote
