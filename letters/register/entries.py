"""The register's entries: one for each published version, made from what it printed.

An entry is part of publishing the version (letters.publication.services.store_version
makes it in the same transaction, and the publication's audit event covers both), so it
takes no acting user of its own. register_rebuild makes the entries of letters published
before the register existed.
"""

from django.contrib.postgres.search import SearchVector
from django.db import connection, transaction

from inspections.models import TeamMember
from letters.models import Letter, PublishedVersion, Section
from letters.register.models import RegisterEntry
from letters.rendering.compose import compose_letter, letter_queryset

# Title and authority weigh more than the letter's body (SearchRank's weights A and B).
SEARCH_CONFIG = "english"
SEARCH_VECTOR = SearchVector("title", "authority_name", weight="A", config=SEARCH_CONFIG) + (
    SearchVector("text", weight="B", config=SEARCH_CONFIG)
)


def content_of(letter):
    """The letter's structured content, as published: the visit, the team and their roles,
    the focus areas as printed, the sections and their items, and the priority actions."""
    visit = letter.visit
    document = compose_letter(letter)
    team = sorted(visit.team.all(), key=lambda m: (m.role != TeamMember.Role.LEAD, m.position))
    sections = []
    for section in document.sections:
        items = [
            {
                "style": item.style,
                "text": item.text,
                "number": item.number,
                "cross_reference": item.cross_reference,
                "footnote": item.footnote.text if item.footnote else "",
            }
            for block in section.blocks
            for item in block.items
        ]
        sections.append(
            {
                "kind": section.kind,
                "heading": section.heading,
                "lead_in": section.lead_in,
                "items": items,
                "none_statement": section.none_statement,
            }
        )
    return {
        "visit_kind": visit.kind,
        "team": [
            {
                "name": member.inspector.full_name,
                "role": member.role,
                "role_name": member.get_role_display(),
                "grade": member.inspector.grade,
            }
            for member in team
        ],
        "qa_manager": (
            {"name": visit.qa_manager.full_name, "grade": visit.qa_manager.grade}
            if visit.qa_manager
            else None
        ),
        "focus_areas": [
            {"name": area.focus_area.name, "wording": area.printed_wording}
            for area in sorted(visit.visit_focus_areas.all(), key=lambda v: (v.position, v.id))
        ],
        "sections": sections,
        "priority_actions": [
            item["text"]
            for section in sections
            if section["kind"] == Section.Kind.PRIORITY_ACTIONS
            for item in section["items"]
        ],
    }


def text_of(content):
    """The printed words the register searches: focus areas, sections and items."""
    parts = [area["wording"] for area in content["focus_areas"]]
    for section in content["sections"]:
        parts.append(section["heading"])
        parts += section["lead_in"]
        parts += [item["text"] for item in section["items"]]
        parts += section["none_statement"]
    return "\n".join(part for part in parts if part)


def entry_add(*, version):
    """The register's entry for a version just published: now its letter's current one."""
    letter = letter_queryset().get(pk=version.letter_id)
    visit = letter.visit
    content = content_of(letter)
    with transaction.atomic():
        RegisterEntry.objects.filter(letter=letter, current=True).update(current=False)
        entry = RegisterEntry.objects.create(
            version=version,
            letter=letter,
            number=version.number,
            authority_id=version.authority_id,
            title=version.title,
            authority_name=visit.authority.name,
            visit_start=visit.start_date,
            visit_end=visit.end_date,
            letter_date=version.letter_date,
            published_at=version.published_at,
            year=visit.start_date.year,
            has_priority_actions=bool(content["priority_actions"]),
            content=content,
            text=text_of(content),
        )
        entry.themes.set([area.focus_area_id for area in visit.visit_focus_areas.all()])
        index_for_search(RegisterEntry.objects.filter(pk=entry.pk))
    return entry


def index_for_search(entries):
    """Fill the entries' search vectors (PostgreSQL's full-text search; nothing on SQLite)."""
    if connection.vendor == "postgresql":
        entries.update(search=SEARCH_VECTOR)


def register_rebuild():
    """Entries for the latest versions of published letters that have none (letters
    published before the register); returns how many were made. A letter being corrected
    is left as it is: its draft is not what its version printed."""
    missing = PublishedVersion.objects.filter(
        letter__status=Letter.Status.PUBLISHED, register_entry__isnull=True
    ).order_by("letter_id", "-number")
    made = 0
    seen = set()
    for version in missing:
        if version.letter_id in seen:
            continue
        seen.add(version.letter_id)
        if version.letter.versions.filter(number__gt=version.number).exists():
            continue
        entry_add(version=version)
        made += 1
    return made
