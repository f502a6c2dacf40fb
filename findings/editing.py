"""Drafting a letter: every change an inspector makes goes through these functions.

Saves are optimistic: each carries the revision it was based on, and a save based on
an older revision is refused with StaleEdit, never written over someone else's work.
"""

from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone

from findings.models import Item, Letter, Section
from findings.permissions import inspector_of
from inspections.models import TeamMember, Visit, VisitFocusArea

# The sections a new letter starts with: the shape of the letters Ofsted sends now.
NEW_LETTER_SECTIONS = [
    (Section.Kind.OVERVIEW, "Headline findings"),
    (Section.Kind.PRIORITY_ACTIONS, "Areas for priority action"),
    (Section.Kind.IMPROVEMENT, "What needs to improve in this area of social work practice?"),
    (Section.Kind.FINDINGS, "Main findings"),
]


class StaleEdit(Exception):
    """Someone else saved the object since the editor loaded it."""

    def __init__(self, current):
        super().__init__("The object was changed by someone else")
        self.current = current  # the object as saved now; None if it was deleted


def save_revision(instance, *, based_on, fields):
    """Write `fields` of `instance` if its stored revision is still `based_on`."""
    model = type(instance)
    values = {name: getattr(instance, name) for name in fields}
    if any(field.name == "updated_at" for field in model._meta.fields):
        values["updated_at"] = timezone.now()
    updated = model.objects.filter(pk=instance.pk, revision=based_on).update(
        revision=F("revision") + 1, **values
    )
    if not updated:
        raise StaleEdit(current=model.objects.filter(pk=instance.pk).first())
    instance.revision = based_on + 1


@transaction.atomic
def visit_create(*, by, focus_areas=(), **facts):
    """A new visit led by `by`, with its recipient block from the authority and a letter."""
    visit = Visit(created_by=by, **facts)
    visit.fill_recipient_from_authority()
    visit.save()
    TeamMember.objects.create(
        visit=visit, inspector=inspector_of(by), role=TeamMember.Role.LEAD, position=0
    )
    VisitFocusArea.objects.bulk_create(
        VisitFocusArea(visit=visit, focus_area=area, position=n)
        for n, area in enumerate(focus_areas)
    )
    letter = Letter.objects.create(visit=visit)
    Section.objects.bulk_create(
        Section(letter=letter, position=n, kind=kind, heading=heading)
        for n, (kind, heading) in enumerate(NEW_LETTER_SECTIONS, start=1)
    )
    return visit


RECIPIENT_FIELDS = [
    "recipient_honorific",
    "recipient_name",
    "recipient_job_title",
    "recipient_organisation",
    "recipient_address",
    "recipient_postcode",
    "salutation",
]


@transaction.atomic
def visit_save_facts(visit, *, based_on, fields):
    """Save the visit's facts; a new authority brings its correspondence details."""
    stored_authority = Visit.objects.values_list("authority_id", flat=True).get(pk=visit.pk)
    fields = list(fields)
    note = None
    if visit.authority_id != stored_authority:
        visit.fill_recipient_from_authority()
        fields += RECIPIENT_FIELDS
        note = f"The recipient was filled in from {visit.authority}'s details. Check it."
    save_revision(visit, based_on=based_on, fields=fields)
    return note


@transaction.atomic
def visit_set_focus_areas(*, visit, focus_areas, based_on):
    save_revision(visit, based_on=based_on, fields=[])
    keep = {area.pk for area in focus_areas}
    visit.visit_focus_areas.exclude(focus_area__in=keep).delete()
    have = set(visit.visit_focus_areas.values_list("focus_area_id", flat=True))
    start = (visit.visit_focus_areas.aggregate(top=Max("position"))["top"] or 0) + 1
    VisitFocusArea.objects.bulk_create(
        VisitFocusArea(visit=visit, focus_area=area, position=start + n)
        for n, area in enumerate(a for a in focus_areas if a.pk not in have)
    )


def team_member_add(*, visit, inspector, role):
    top = visit.team.aggregate(top=Max("position"))["top"]
    return TeamMember.objects.create(
        visit=visit, inspector=inspector, role=role, position=0 if top is None else top + 1
    )


def team_member_remove(*, member):
    member.delete()


def next_position(queryset):
    return (queryset.aggregate(top=Max("position"))["top"] or 0) + 1


@transaction.atomic
def section_add(*, letter, kind, heading, **fields):
    Letter.objects.select_for_update().filter(pk=letter.pk).first()
    return Section.objects.create(
        letter=letter,
        position=next_position(letter.sections),
        kind=kind,
        heading=heading,
        **fields,
    )


@transaction.atomic
def item_add(*, section, text, style=Item.Style.BULLET, **fields):
    Section.objects.select_for_update().filter(pk=section.pk).first()
    return Item.objects.create(
        section=section, position=next_position(section.items), text=text, style=style, **fields
    )


@transaction.atomic
def delete_revision(instance, *, based_on):
    """Delete `instance` only if nobody has changed it since the reader saw it."""
    model = type(instance)
    current = model.objects.select_for_update().filter(pk=instance.pk).first()
    if current is None or current.revision != based_on:
        raise StaleEdit(current=current)
    current.delete()


@transaction.atomic
def move(instance, *, offset):
    """Move an item within its section, or a section within its letter, by one place."""
    if isinstance(instance, Item):
        siblings = Item.objects.filter(section_id=instance.section_id)
    else:
        siblings = Section.objects.filter(letter_id=instance.letter_id)
    ordered = list(siblings.select_for_update().order_by("position"))
    index = next((n for n, s in enumerate(ordered) if s.pk == instance.pk), None)
    if index is None or not 0 <= index + offset < len(ordered):
        return False
    ordered[index], ordered[index + offset] = ordered[index + offset], ordered[index]
    renumber(type(instance), ordered)
    return True


def renumber(model, ordered):
    """Positions 1..n in the given order, never breaking the unique position rule.

    The first pass moves every row above the current top, the second brings them down.
    """
    top = max(obj.position for obj in ordered)
    for n, obj in enumerate(ordered, start=1):
        obj.position = top + n
    model.objects.bulk_update(ordered, ["position"])
    for n, obj in enumerate(ordered, start=1):
        obj.position = n
    model.objects.bulk_update(ordered, ["position"])
