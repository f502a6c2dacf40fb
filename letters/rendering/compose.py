"""A letter resolved into what it prints: the standard wording filled in, blocks in order.

The print template (templates/letters/print/letter.html) reads only a LetterDocument, so the
HTML preview, the HTML version and the PDF print exactly the same words.
"""

from dataclasses import dataclass, field

from django.db.models import Prefetch

from inspections.models import TeamMember, lines
from letters.models import Item, Letter, Section
from letters.rendering import wording
from letters.rendering.layouts import layout_for


@dataclass
class Footnote:
    number: int
    text: str


@dataclass
class PrintedItem:
    style: str
    text: str
    cross_reference: str = ""
    footnote: Footnote | None = None
    number: int | None = None


@dataclass
class PrintedBlock:
    """Consecutive items of one style: a list of bullets, or a run of paragraphs."""

    style: str
    items: list[PrintedItem]


@dataclass
class PrintedSection:
    kind: str
    heading: str
    heading_footnote: Footnote | None
    lead_in: list[str]
    blocks: list[PrintedBlock]
    none_statement: list[str]
    page_break_before: bool = False


@dataclass
class LetterDocument:
    title: str
    office: object  # inspections.models.Office or None
    letter_date: object  # datetime.date or None
    recipient_lines: list[str]
    delivery_line: str
    salutation: str
    introduction: list[str]
    scope_lead_in: list[str]
    focus_areas: list[str]
    preamble: list[str]
    sections: list[PrintedSection]
    closing: list[str]
    sign_off: str
    signatory: str
    signatory_note: str
    signatory_title: str
    cc_lines: list[str] = field(default_factory=list)
    footnotes: list[Footnote] = field(default_factory=list)
    layout: str = ""  # letters.rendering.layouts: the page layout of the letter's period


def paragraphs(text):
    """Paragraphs separated by blank lines; line breaks inside a paragraph become spaces."""
    blocks = []
    for chunk in (text or "").replace("\r\n", "\n").split("\n\n"):
        joined = " ".join(line.strip() for line in chunk.splitlines() if line.strip())
        if joined:
            blocks.append(joined)
    return blocks


def visit_dates_phrase(start, end):
    """'on 1 August 2017', 'on 30 and 31 January 2018', 'from 8 to 10 March 2022',
    'from 30 October to 2 November 2020', 'from 29 December 2020 to 2 January 2021'."""
    if end is None or end == start:
        return f"on {start.day} {start:%B %Y}"
    if start.year != end.year:
        return f"from {start.day} {start:%B %Y} to {end.day} {end:%B %Y}"
    if start.month != end.month:
        return f"from {start.day} {start:%B} to {end.day} {end:%B %Y}"
    if (end - start).days == 1:
        return f"on {start.day} and {end.day} {end:%B %Y}"
    return f"from {start.day} to {end.day} {end:%B %Y}"


def letter_queryset():
    """Letters with everything compose_letter reads, in a fixed number of queries."""
    return Letter.objects.select_related(
        "visit__authority", "visit__office", "visit__qa_manager"
    ).prefetch_related(
        Prefetch("visit__team", queryset=TeamMember.objects.select_related("inspector")),
        "visit__involvements",
        "visit__visit_focus_areas__focus_area",
        Prefetch(
            "sections",
            queryset=Section.objects.order_by("position").prefetch_related(
                Prefetch("items", queryset=Item.objects.order_by("position"))
            ),
        ),
    )


def printed_name(member):
    if member.role == TeamMember.Role.HMI_DESIGNATE:
        return f"{member.inspector.full_name}, HMI designate"
    return member.inspector.full_name


def lead_inspector(visit):
    for member in visit.team.all():
        if member.role == TeamMember.Role.LEAD:
            return member.inspector
    return None


def compose_letter(letter, *, pending=None):
    """The letter as it prints.

    pending: an unsaved new Section, or Item of one of the letter's sections, printed
    last in the letter or in its section: the live preview of a part being added.
    """
    visit = letter.visit
    authority_name = visit.authority.name
    team = sorted(visit.team.all(), key=lambda m: (m.role != TeamMember.Role.LEAD, m.position))
    lead = lead_inspector(visit)
    on_date = visit.letter_date or visit.last_day

    introduction = paragraphs(letter.introduction) or [
        wording.introduction(
            authority_name=authority_name,
            visit_dates=visit_dates_phrase(visit.start_date, visit.end_date),
            inspectors=[printed_name(member) for member in team],
            qa_manager=(
                f"{visit.qa_manager.full_name}, {visit.qa_manager.grade}"
                if visit.qa_manager
                else None
            ),
            on_date=on_date,
            period=letter.template,
        )
    ]
    focus_areas = [
        vfa.printed_wording
        for vfa in sorted(visit.visit_focus_areas.all(), key=lambda v: (v.position, v.id))
        if vfa.listed
    ]
    footnotes = []
    sections = list(letter.sections.all())
    if isinstance(pending, Section) and pending.pk is None:
        sections.append(pending)
    sections = [compose_section(section, footnotes, pending) for section in sections]
    return LetterDocument(
        title=letter.title
        or wording.letter_title(
            authority_name=authority_name, pilot=visit.kind == visit.Kind.PILOT
        ),
        office=visit.office,
        letter_date=visit.letter_date,
        recipient_lines=visit.recipient_lines,
        delivery_line=visit.recipient_delivery_line,
        salutation=visit.salutation,
        introduction=introduction,
        scope_lead_in=paragraphs(letter.scope_lead_in)
        or ([wording.SCOPE_LEAD_IN] if focus_areas and letter.list_focus_areas else []),
        focus_areas=focus_areas if letter.list_focus_areas else [],
        preamble=paragraphs(letter.preamble),
        sections=sections,
        closing=paragraphs(letter.closing),
        sign_off=letter.sign_off,
        signatory=lead.full_name if lead else "",
        signatory_note=letter.signatory_note,
        signatory_title=letter.signatory_title or wording.signatory_title(on_date),
        cc_lines=lines(visit.cc_lines),
        footnotes=footnotes,
        layout=layout_for(on_date),
    )


def add_footnote(footnotes, text):
    """Number a footnote in reading order; None when there is none."""
    text = " ".join((text or "").split())
    if not text:
        return None
    footnotes.append(Footnote(number=len(footnotes) + 1, text=text))
    return footnotes[-1]


def compose_section(section, footnotes, pending=None):
    heading_footnote = add_footnote(footnotes, section.heading_footnote)
    items = list(section.items.all()) if section.pk is not None else []
    if isinstance(pending, Item) and pending.pk is None and pending.section_id == section.pk:
        items.append(pending)
    blocks = []
    number = 0
    for item in items:
        if item.style == Item.Style.NUMBERED:
            number += 1
        printed = PrintedItem(
            style=item.style,
            text=" ".join(item.text.split()),
            cross_reference=item.cross_reference,
            footnote=add_footnote(footnotes, item.footnote),
            number=number if item.style == Item.Style.NUMBERED else None,
        )
        if blocks and blocks[-1].style == item.style:
            blocks[-1].items.append(printed)
        else:
            blocks.append(PrintedBlock(style=item.style, items=[printed]))
    return PrintedSection(
        kind=section.kind,
        heading=section.heading,
        heading_footnote=heading_footnote,
        # A lead-in introduces the items: with none, the "none" statement stands alone.
        lead_in=paragraphs(section.lead_in) if blocks or not section.none_statement.strip() else [],
        blocks=blocks,
        none_statement=paragraphs(section.none_statement) if not blocks else [],
        page_break_before=section.page_break_before,
    )
