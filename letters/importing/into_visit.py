"""A whole letter's text, pasted or read from a Word document, as an existing visit's
letter: what it would place (the preview) and the save.

The text is parsed as the importer parses letter files (letters.importing.parse, in its
lenient mode: the visit already has the facts a letter's head gives). Saving replaces
the letter's sections and items and its opening and closing; sets the visit's focus
areas and adds the inspectors the text names to its team (nobody is removed: the lead
stays the lead); and takes the letter date, recipient, salutation, cc lines and QA
manager where the visit has none, and the visit's dates too when the user asks
(`take_visit_facts`). One transaction, one audit event ("letter.import_text").
"""

import hashlib
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone

from audit.services import record
from inspections.models import Inspector, Involvement, Office, TeamMember, Visit, VisitFocusArea
from inspections.services import StaleEdit, involvement_record, write_revision
from letters import limits
from letters.drafting.services import check_letter, locked_letter
from letters.importing import services as importing
from letters.models import Item, Letter, Section
from letters.rendering import wording

RECIPIENT_FIELDS = {
    "honorific": "recipient_honorific",
    "name": "recipient_name",
    "organisation": "recipient_organisation",
    "postcode": "recipient_postcode",
    "delivery_line": "recipient_delivery_line",
}
RECIPIENT_LINES = {"job_title": "recipient_job_title", "address": "recipient_address"}


@dataclass
class Placement:
    """Where the text's parts go in the visit and its letter, as the preview shows them."""

    sections: list = field(default_factory=list)  # (heading, kind label, items)
    focus_areas: list = field(default_factory=list)
    team: list = field(default_factory=list)  # (name, role label, already on the team)
    qa_manager: str = ""
    visit_dates: tuple = (None, None)
    letter_date: object = None
    facts_differ: bool = False  # the text's dates or recipient are not the visit's
    report: list = field(default_factory=list)  # what could not be placed, in words

    @property
    def items(self):
        return sum(count for _, _, count in self.sections)


def placement(visit, parsed, *, left_out=()):
    """What saving `parsed` into `visit` would do, and what it could not place."""
    names = {m.inspector.full_name.casefold() for m in visit.team.all()}
    report = [*left_out, *parsed.warnings]
    if (
        parsed.authority_name
        and parsed.authority_name.casefold() != visit.authority.name.casefold()
    ):
        report.append(f"the title names {parsed.authority_name}, not {visit.authority.name}")
    lead = next((m for m in visit.team.all() if m.role == TeamMember.Role.LEAD), None)
    signatory = next((m for m in parsed.team if m.role == TeamMember.Role.LEAD), None)
    if lead and signatory and signatory.name.casefold() != lead.inspector.full_name.casefold():
        report.append(
            f"it is signed by {signatory.name}, but the visit's lead inspector, "
            f"{lead.inspector.full_name}, signs the letter (hand the lead over on the team "
            "page if it should change)"
        )
    differ = bool(
        (parsed.start_date and parsed.start_date != visit.start_date)
        or (parsed.start_date and parsed.end_date != visit.end_date)
        or (parsed.letter_date and visit.letter_date and parsed.letter_date != visit.letter_date)
        or (
            parsed.recipient.get("name")
            and visit.recipient_name
            and parsed.recipient["name"] != visit.recipient_name
        )
        or (parsed.salutation and visit.salutation and parsed.salutation != visit.salutation)
    )
    return Placement(
        sections=[(s.heading, Section.Kind(s.kind).label, len(s.items)) for s in parsed.sections],
        focus_areas=list(parsed.focus_areas),
        team=[
            (
                m.name,
                TeamMember.Role(joining_role(m, has_lead=lead is not None)).label,
                m.name.casefold() in names,
            )
            for m in parsed.team
        ],
        qa_manager=parsed.qa_manager.name if parsed.qa_manager else "",
        visit_dates=(parsed.start_date, parsed.end_date),
        letter_date=parsed.letter_date,
        facts_differ=differ,
        report=report,
    )


def joining_role(member, *, has_lead):
    """The role a named inspector joins the team in: never a second lead."""
    if member.role == TeamMember.Role.LEAD and has_lead:
        return TeamMember.Role.INSPECTOR
    return member.role


def letter_state(letter):
    """A token of the letter as stored: its revision, its visit's, and each section's and
    item's. Any save to the letter, its sections, items, team or focus areas changes it,
    so a replacement based on an older state is refused (StaleEdit)."""
    revisions = Letter.objects.filter(pk=letter.pk).values_list("revision", "visit__revision")
    sections = Section.objects.filter(letter_id=letter.pk).order_by("pk")
    items = Item.objects.filter(section__letter_id=letter.pk).order_by("pk")
    state = (
        list(revisions),
        list(sections.values_list("pk", "revision", "position")),
        list(items.values_list("pk", "section_id", "revision", "position")),
    )
    return hashlib.sha256(repr(state).encode()).hexdigest()[:32]


def check_fits(parsed):
    """Refuse (ValidationError) a text whose parts pass the fields they would be saved in."""
    checks = [
        (Letter, "title", parsed.title, "The title"),
        (Letter, "sign_off", parsed.sign_off, "The sign-off"),
        (Letter, "signatory_note", parsed.signatory_note, "The note after the signatory"),
        (Letter, "signatory_title", parsed.signatory_title, "The signatory's title"),
        (Visit, "salutation", parsed.salutation, "The salutation"),
        (Visit, "cc_lines", "\n".join(parsed.cc_lines), "The cc lines"),
    ]
    checks += [
        (Letter, name, "\n\n".join(getattr(parsed, part)), label)
        for name, part, label in (
            ("introduction", "introduction", "The introduction"),
            ("scope_lead_in", "scope_lead_in", "The lead-in to the focus areas"),
            ("preamble", "preamble", "The paragraphs before the findings"),
            ("closing", "closing", "The closing paragraphs"),
        )
    ]
    for key, name in RECIPIENT_FIELDS.items():
        checks.append((Visit, name, parsed.recipient.get(key, ""), "The recipient's details"))
    for key, name in RECIPIENT_LINES.items():
        value = "\n".join(parsed.recipient.get(key, []))
        checks.append((Visit, name, value, "The recipient's address"))
    checks += [(VisitFocusArea, "wording", area, "A focus area") for area in parsed.focus_areas]
    people = [*parsed.team, *([parsed.qa_manager] if parsed.qa_manager else [])]
    checks += [(Inspector, "full_name", m.name, "An inspector's name") for m in people]
    for section in parsed.sections:
        heading = f"‘{section.heading[:60]}’"
        checks += [
            (Section, "heading", section.heading, f"The heading {heading}"),
            (Section, "lead_in", "\n\n".join(section.lead_in), f"The lead-in of {heading}"),
            (Section, "none_statement", "\n\n".join(section.none_statement), heading),
        ]
        for number, item in enumerate(section.items, start=1):
            what = f"Item {number} of {heading}"
            checks += [
                (Item, "text", item.text, what),
                (Item, "cross_reference", item.cross_reference, f"{what}'s cross-reference"),
            ]
    for model, name, value, label in checks:
        limit = model._meta.get_field(name).max_length
        if limit and len(value or "") > limit:
            raise ValidationError(
                f"{label} has {len(value):,} characters; it can have at most {limit:,}. "
                "Shorten it, or start a new paragraph"
            )
    if sum(len(section.items) for section in parsed.sections) > limits.ITEMS_PER_LETTER:
        raise limits.LetterTooLong(
            f"A letter can have at most {limits.ITEMS_PER_LETTER} items. Merge or remove some."
        )


@transaction.atomic
def letter_replace_from_import(
    *, letter, by, parsed, based_on, seen=None, take_visit_facts=False, source=""
):
    """Replace the letter with a parsed letter's text (see the module's docstring).

    based_on: the letter's revision the preview was made from; seen: its letter_state
    then. If either moved on, StaleEdit (nothing written). A letter past a limit
    (letters.limits) or a part too long for its field raises ValidationError, and
    nothing is written. Returns the Placement of what was saved.
    """
    check_fits(parsed)
    locked = locked_letter(letter.pk, by=by)
    if locked.revision != based_on or (seen is not None and letter_state(locked) != seen):
        raise StaleEdit(current=locked)
    visit = locked.visit
    placed = placement(visit, parsed)
    removed = {
        "sections": Section.objects.filter(letter=locked).count(),
        "items": Item.objects.filter(section__letter=locked).count(),
    }
    Section.objects.filter(letter=locked).delete()
    importing.add_sections(locked, parsed.sections)

    visit_changes = visit_values(visit, parsed, take=take_visit_facts)
    if "start_date" in visit_changes:
        last_day = visit_changes["end_date"] or visit_changes["start_date"]
    else:
        last_day = visit.last_day
    on_date = visit_changes.get("letter_date") or visit.letter_date or last_day
    changed = write_revision(
        locked, based_on=based_on, values=letter_values(locked, parsed, on_date=on_date)
    )
    if parsed.focus_areas:
        VisitFocusArea.objects.filter(visit=visit).delete()
        VisitFocusArea.objects.bulk_create(
            VisitFocusArea(
                visit=visit,
                focus_area=importing.find_or_create_focus_area(text, offered=False),
                position=n,
            )
            for n, text in enumerate(parsed.focus_areas)
        )
    joined = team_join(visit, parsed)
    Visit.objects.filter(pk=visit.pk).update(
        **visit_changes, revision=F("revision") + 1, updated_at=timezone.now()
    )
    check_letter(locked)

    for inspector in joined:
        involvement_record(visit=visit, kind=Involvement.Kind.TEAM, inspector=inspector)
    involvement_record(visit=visit, kind=Involvement.Kind.WROTE, user=by)
    record(
        "letter.import_text",
        by=by,
        target=locked,
        source=source,
        sections=[heading for heading, _, _ in placed.sections],
        items=placed.items,
        removed=removed,
        focus_areas=len(parsed.focus_areas),
        team_added=[inspector.full_name for inspector in joined],
        visit=sorted(visit_changes),
        changes=changed,
        not_placed=placed.report,
    )
    return placed


def letter_values(letter, parsed, *, on_date):
    """The letter's own fields from the text: its opening and closing always; its title,
    sign-off and signatory lines where the text gives them."""
    values = {
        "introduction": "\n\n".join(parsed.introduction),
        "scope_lead_in": "\n\n".join(parsed.scope_lead_in),
        # A lead-in without a list names the focus areas itself.
        "list_focus_areas": bool(parsed.focus_areas) or not parsed.scope_lead_in,
        "preamble": "\n\n".join(parsed.preamble),
        "closing": "\n\n".join(parsed.closing),
    }
    if parsed.title:
        values["title"] = parsed.title
    if parsed.sign_off:
        values["sign_off"] = parsed.sign_off
        values["signatory_note"] = parsed.signatory_note
    if parsed.signatory_title:
        standard = parsed.signatory_title == wording.signatory_title(on_date)
        values["signatory_title"] = "" if standard else parsed.signatory_title
    return values


def visit_values(visit, parsed, *, take):
    """The visit's facts the text gives: where the visit has none, or all when `take`."""
    values = {}
    if parsed.start_date and take:
        end = parsed.end_date if parsed.end_date and parsed.end_date > parsed.start_date else None
        values["start_date"], values["end_date"] = parsed.start_date, end
    if parsed.letter_date and (take or visit.letter_date is None):
        values["letter_date"] = parsed.letter_date
    recipient = parsed.recipient
    if recipient.get("name") and (take or not visit.recipient_name):
        values |= {name: recipient.get(key, "") for key, name in RECIPIENT_FIELDS.items()}
        values |= {name: "\n".join(recipient.get(key, [])) for key, name in RECIPIENT_LINES.items()}
    if parsed.salutation and (take or not visit.salutation):
        values["salutation"] = parsed.salutation
    if parsed.cc_lines and (take or not visit.cc_lines):
        values["cc_lines"] = "\n".join(parsed.cc_lines)
    qa_manager = parsed.qa_manager and importing.find_or_create_inspector(parsed.qa_manager)
    if qa_manager and (take or visit.qa_manager_id is None):
        values["qa_manager"] = qa_manager
    if parsed.office and visit.office_id is None:
        first_line = parsed.office.address_lines[:1]
        office = next(
            (o for o in Office.objects.all() if first_line and o.address_lines[:1] == first_line),
            None,
        )
        if office is not None:
            values["office"] = office
    return values


def team_join(visit, parsed):
    """Add the inspectors the text names who are not on the team; the inspectors added.

    Nobody leaves the team, and the lead stays the lead: the text's signatory joins as a
    team inspector (the team page hands the lead over)."""
    members = list(visit.team.select_related("inspector"))
    names = {m.inspector.full_name.casefold() for m in members}
    on_team = {m.inspector_id for m in members}
    has_lead = any(m.role == TeamMember.Role.LEAD for m in members)
    top = visit.team.aggregate(top=Max("position"))["top"]
    position = 0 if top is None else top + 1
    joined = []
    for member in parsed.team:
        if member.name.casefold() in names:
            continue
        inspector = importing.find_or_create_inspector(member)
        if inspector is None or inspector.pk in on_team:
            continue
        role = joining_role(member, has_lead=has_lead)
        TeamMember.objects.create(visit=visit, inspector=inspector, role=role, position=position)
        has_lead = has_lead or role == TeamMember.Role.LEAD
        names.add(member.name.casefold())
        on_team.add(inspector.pk)
        joined.append(inspector)
        position += 1
    return joined
