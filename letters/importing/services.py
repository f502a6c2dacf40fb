"""Saving imported letters: a parsed letter becomes a visit, its team, focus areas and
letter, in one transaction with one audit event; a published PDF is then published
through its own transition (letters.publication.services.letter_publish_imported).

`by` is the acting user, or None when an operator runs the import command.
"""

import hashlib
from pathlib import Path

from django.db import transaction

from audit.services import record
from inspections import people, themes
from inspections.authorities import match_authority
from inspections.models import (
    FocusArea,
    Inspector,
    Involvement,
    LocalAuthority,
    Office,
    TeamMember,
    Visit,
    VisitFocusArea,
)
from inspections.services import involvement_record
from letters.drafting.services import check_letter
from letters.importing.admission import admitted_pdf, check_size
from letters.importing.parse import (
    LetterImportError,
    parse_letter_pdf,
    parse_letter_text,
    read_bytes,
    read_text,
)
from letters.limits import LetterTooLong
from letters.models import Item, Letter, PublishedVersion, Section
from letters.publication import services as publication
from letters.rendering import wording


def import_letter_file(path, *, by=None):
    """Import one letter file, text or published PDF; returns (visit, warnings)."""
    path = Path(path)
    if path.is_file():
        check_size(path)
    data = read_bytes(path)
    if data.startswith(b"%PDF"):
        stored, removed = admitted_pdf(data, source=str(path))
        parsed = parse_letter_pdf(stored, source=str(path))
        if removed:
            parsed.warnings.append(f"removed from the stored PDF: {', '.join(removed)}")
        return (
            letter_import_published(parsed=parsed, pdf=stored, by=by, source=path.name),
            parsed.warnings,
        )
    parsed = parse_letter_text(read_text(path, data), source=str(path))
    return letter_import(parsed=parsed, by=by, source=Path(path).name), parsed.warnings


def letter_import_published(*, parsed, pdf, by=None, source=""):
    """Save a letter Ofsted published before the portal: published, with its own PDF.

    The version keeps the original bytes, not a re-render, dated the letter's date.
    Everything is written in one transaction; a stored file is removed if it fails.
    """
    refuse_duplicate(parsed, pdf, source=source)
    with transaction.atomic():
        visit = letter_import(parsed=parsed, by=by, source=source)
        publication.letter_publish_imported(letter=visit.letter, by=by, pdf=pdf, source=source)
    return visit


class AlreadyImported(LetterImportError):
    """The very same PDF (by its SHA-256) is stored already: a folder import skips it."""


def refuse_duplicate(parsed, pdf, *, source):
    """The same file, or a letter of the same authority and visit dates, is there already."""
    digest = hashlib.sha256(pdf).hexdigest()
    same_file = PublishedVersion.objects.filter(sha256=digest).select_related("letter").first()
    if same_file is not None:
        raise AlreadyImported(
            f"{source}: already imported, as the letter of visit {same_file.letter.visit_id}"
        )
    authority = find_authority(parsed)
    same_visit = Visit.objects.filter(
        authority=authority,
        start_date=parsed.start_date,
        end_date=parsed.end_date,
    ).first()
    if same_visit is not None:
        raise LetterImportError(
            f"{source}: {same_visit} has a letter already (visit {same_visit.pk})"
        )


@transaction.atomic
def letter_import(*, parsed, by=None, source=""):
    """Write a parsed letter as a draft visit and letter: one audit event."""
    authority = find_or_create_authority(parsed)
    visit = Visit.objects.create(
        authority=authority,
        kind=Visit.Kind.PILOT if parsed.pilot else Visit.Kind.FOCUSED,
        start_date=parsed.start_date,
        end_date=parsed.end_date,
        letter_date=parsed.letter_date,
        office=find_or_create_office(parsed.office) if parsed.office else None,
        qa_manager=find_or_create_inspector(parsed.qa_manager) if parsed.qa_manager else None,
        recipient_honorific=parsed.recipient.get("honorific", ""),
        recipient_name=parsed.recipient.get("name", ""),
        recipient_job_title="\n".join(parsed.recipient.get("job_title", [])),
        recipient_organisation=parsed.recipient.get("organisation", ""),
        recipient_address="\n".join(parsed.recipient.get("address", [])),
        recipient_postcode=parsed.recipient.get("postcode", ""),
        recipient_delivery_line=parsed.recipient.get("delivery_line", ""),
        salutation=parsed.salutation,
        cc_lines="\n".join(parsed.cc_lines),
        imported_from=source,
    )
    on_team = set()
    for member in parsed.team:
        inspector = find_or_create_inspector(member)
        if inspector is None or inspector.pk in on_team:
            continue  # a non-name, or one person under two spellings
        TeamMember.objects.create(
            visit=visit, inspector=inspector, role=member.role, position=len(on_team)
        )
        on_team.add(inspector.pk)
    add_focus_areas_and_themes(visit, parsed)
    on_date = parsed.letter_date or parsed.end_date or parsed.start_date
    letter = Letter.objects.create(
        visit=visit,
        title=parsed.title,
        introduction="\n\n".join(parsed.introduction),
        scope_lead_in="\n\n".join(parsed.scope_lead_in),
        list_focus_areas=bool(parsed.focus_areas),
        preamble="\n\n".join(parsed.preamble),
        closing="\n\n".join(parsed.closing),
        sign_off=parsed.sign_off,
        signatory_note=parsed.signatory_note,
        signatory_title=(
            ""
            if parsed.signatory_title in ("", wording.signatory_title(on_date))
            else parsed.signatory_title
        ),
    )
    add_sections(letter, parsed.sections)
    try:
        check_letter(letter)
    except LetterTooLong as refused:
        raise LetterImportError(f"{source}: {refused.messages[0]}") from None
    for member in visit.team.all():
        involvement_record(visit=visit, kind=Involvement.Kind.TEAM, inspector=member.inspector)
    involvement_record(visit=visit, kind=Involvement.Kind.WROTE, user=by)
    record("letter.import", by=by, target=letter, source=source, warnings=parsed.warnings)
    return visit


def add_sections(letter, parsed_sections):
    """The parsed sections and their items, in order, after the letter's (it has none)."""
    for position, parsed_section in enumerate(parsed_sections, start=1):
        section = Section.objects.create(
            letter=letter,
            position=position,
            kind=parsed_section.kind,
            heading=parsed_section.heading,
            heading_footnote=parsed_section.heading_footnote,
            lead_in="\n\n".join(parsed_section.lead_in),
            none_statement="\n\n".join(parsed_section.none_statement),
            page_break_before=parsed_section.page_break_before,
        )
        Item.objects.bulk_create(
            Item(
                section=section,
                position=item_position,
                style=item.style,
                text=item.text,
                cross_reference=item.cross_reference,
                footnote=item.footnote,
            )
            for item_position, item in enumerate(parsed_section.items, start=1)
        )


def find_authority(parsed):
    """The authority the title names, or else the recipient's organisation
    (inspections.authorities.match_authority: any written form, a trust's name)."""
    names = [parsed.authority_name, parsed.recipient.get("organisation", "")]
    return next((found for name in names if name and (found := match_authority(name))), None)


def find_or_create_authority(parsed):
    """The one record the letter's authority matches; a new one, with a warning, only
    when it matches none."""
    authority = find_authority(parsed)
    if authority:
        return authority
    recipient = parsed.recipient
    name = parsed.authority_name or recipient.get("organisation", "")
    if not name:
        raise LetterImportError("the letter names no local authority")
    parsed.warnings.append(f"{name!r} is not a known local authority: added as a new one")
    return LocalAuthority.objects.create(
        name=name,
        organisation=recipient.get("organisation", ""),
        director_honorific=recipient.get("honorific", ""),
        director_name=recipient.get("name", ""),
        director_job_title="\n".join(recipient.get("job_title", [])),
        address="\n".join(recipient.get("address", [])),
        postcode=recipient.get("postcode", ""),
    )


def find_or_create_office(parsed_office):
    first_line = parsed_office.address_lines[0] if parsed_office.address_lines else ""
    for office in Office.objects.all():
        if first_line and office.address_lines and office.address_lines[0] == first_line:
            return office
    name = first_line or "Imported letterhead"
    if Office.objects.filter(name=name).exists():
        name = f"{name} ({Office.objects.count() + 1})"
    return Office.objects.create(
        name=name,
        address="\n".join(parsed_office.address_lines),
        telephone=parsed_office.telephone,
        textphone=parsed_office.textphone,
        email=parsed_office.email or "enquiries@ofsted.gov.uk",
        web_address=parsed_office.web_address or "www.gov.uk/ofsted",
    )


def find_or_create_inspector(member):
    """The one record of the person, however the letter spells them
    (inspections.people); a new one if nobody matches; None for a phrase that names
    nobody ("Ofsted Inspector": the parser warns of those)."""
    if not people.is_person_name(member.name):
        return None
    name = people.clean_name(member.name)
    return people.match_inspector(name) or Inspector.objects.create(
        full_name=name, grade=member.grade
    )


def add_focus_areas_and_themes(visit, parsed):
    """The letter's focus-area list as it prints, and the themes it names
    (inspections.themes). A listed focus area that names a theme points at the standard
    theme and keeps its words; a theme named only in the scope sentence (or the
    pandemic preface) is on the visit but not in the printed list."""
    standard = {area.name: area for area in FocusArea.objects.filter(is_standard=True)}
    used, on_visit = set(), set()
    for position, text in enumerate(parsed.focus_areas):
        theme = next((t for t in themes.themes_in(text) if t in standard and t not in used), None)
        if theme is not None:
            used.add(theme)
            area, wording = standard[theme], text
        else:
            area, wording = find_or_create_focus_area(text), ""
            if area.pk in on_visit:  # the same words twice, or a theme's words
                area = new_focus_area(text)
        on_visit.add(area.pk)
        VisitFocusArea.objects.create(
            visit=visit, focus_area=area, position=position, wording=wording
        )
    named = themes.letter_themes(
        scope_lead_in=parsed.scope_lead_in,
        focus_areas=parsed.focus_areas,
        introduction=parsed.introduction,
    )
    for n, theme in enumerate(t for t in named if t in standard and t not in used):
        VisitFocusArea.objects.create(
            visit=visit,
            focus_area=standard[theme],
            position=len(parsed.focus_areas) + n,
            listed=False,
        )


def find_or_create_focus_area(text, *, offered=True):
    """The catalogue's focus area with these words, or a new one (offered: to new visits
    too; an inspector's text makes one for its own visit only)."""
    area = FocusArea.objects.filter(wording=text).first()
    if area:
        return area
    return new_focus_area(text, offered=offered)


def new_focus_area(text, *, offered=True):
    name = text if len(text) <= 80 else text[:77].rsplit(" ", 1)[0] + "..."
    if FocusArea.objects.filter(name=name).exists():
        name = f"{name[:180]} ({FocusArea.objects.count() + 1})"
    return FocusArea.objects.create(name=name, wording=text, is_active=offered)
