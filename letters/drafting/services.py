"""Drafting a letter: every change to a letter's words goes through these functions.

Each takes the acting user (`by`), runs in one transaction holding the visit's row lock
(inspections.services.lock_visit), checks again that `by` may change the letter now,
bumps the revision of what it changes (a change based on an older revision raises
StaleEdit, never written over someone else's work), notes `by` as involved in the letter
(the four-eyes rule) and writes one audit event with the values before and after.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, F, Max, Sum
from django.db.models.functions import Coalesce, Length

from audit.services import record
from inspections import services as visits
from inspections.models import Involvement
from inspections.services import StaleEdit, lock_visit, write_revision
from letters import limits, permissions
from letters.drafting import letter_shapes
from letters.models import Item, Letter, Section
from letters.rendering.compose import letter_queryset

__all__ = ["StaleEdit"]

# The sections of the letters Ofsted sends now (bench/pages.py builds letters of them).
NEW_LETTER_SECTIONS = [
    (section.kind, section.heading) for section in letter_shapes.CURRENT.sections
]


def locked_letter(letter_id, *, by, check=permissions.can_edit_letter):
    """The letter under its visit's row lock, with what the rules read; refused unless
    `check(by, letter)` holds (None: the caller checks, and says why)."""
    visit_id = Letter.objects.values_list("visit_id", flat=True).get(pk=letter_id)
    lock_visit(visit_id)
    letter = letter_queryset().select_for_update(of=("self",)).get(pk=letter_id)
    if check is not None and not check(by, letter):
        raise PermissionDenied("This letter cannot be changed now")
    return letter


def _involved(letter, by):
    visits.involvement_record(visit=letter.visit, kind=Involvement.Kind.WROTE, user=by)


@transaction.atomic
def visit_create(*, by, focus_areas=(), **facts):
    """A new visit led by `by`, with its letter started from the template of the visit's
    type and period (letters.drafting.letter_shapes)."""
    visit = visits.visit_create(by=by, focus_areas=focus_areas, **facts)
    shape = letter_shapes.shape_for_visit(visit)
    letter = Letter.objects.create(visit=visit, **shape.letter_values())
    _add_template_sections(letter, shape)
    return visit


def _add_template_sections(letter, shape, *, start=1):
    Section.objects.bulk_create(
        Section(
            letter=letter,
            position=n,
            kind=section.kind,
            heading=section.heading,
            lead_in=section.lead_in,
            none_statement=section.none_statement,
            heading_footnote=section.heading_footnote,
        )
        for n, section in enumerate(shape.sections, start=start)
    )


@transaction.atomic
def letter_create(*, visit, by, values, sections=True):
    """A letter for a visit that has none (entered in the Django admin): its words as
    given, the rest from the template of the visit's type and period, and the template's
    sections unless `sections` is False (the admin enters its own, inline)."""
    lock_visit(visit.pk)
    shape = letter_shapes.shape_for_visit(visit)
    letter = Letter.objects.create(visit=visit, **{**shape.letter_values(), **values})
    if sections:
        _add_template_sections(letter, shape)
    visits.involvement_record(visit=visit, kind=Involvement.Kind.WROTE, user=by)
    record("letter.create", by=by, target=letter, template=shape.key)
    return letter


class TemplateRefused(ValidationError):
    """The letter has items: it keeps its sections, whatever template they came from."""


@transaction.atomic
def letter_use_template(*, letter, by, based_on, template):
    """Start the letter again from another template (letter_shapes.SHAPES[template]): its
    sections, the lead-in to the focus areas, the paragraphs before the findings and the
    closing. Only while the letter has no items, so no finding is lost."""
    shape = letter_shapes.SHAPES.get(template)
    if shape is None:
        raise ValidationError("Choose one of the templates")
    locked = locked_letter(letter.pk, by=by)
    if Item.objects.filter(section__letter=locked).exists():
        raise TemplateRefused(
            "The letter already has items, so it keeps its sections. Change them in the letter."
        )
    before_sections = [s.heading for s in Section.objects.filter(letter=locked)]
    before_template = locked.template
    changed = write_revision(letter, based_on=based_on, values=shape.letter_values())
    Section.objects.filter(letter=locked).delete()
    _add_template_sections(locked, shape)
    check_letter(locked)
    _involved(locked, by)
    record(
        "letter.template",
        by=by,
        target=locked,
        template=[before_template, shape.key],
        sections=[before_sections, [s.heading for s in shape.sections]],
        changes=changed,
    )


@transaction.atomic
def letter_update(*, letter, by, based_on, values):
    """Change the letter's own words: its opening, closing, title, signature."""
    locked = locked_letter(letter.pk, by=by)
    changed = write_revision(letter, based_on=based_on, values=values)
    check_letter(locked)
    _involved(locked, by)
    record("letter.change", by=by, target=locked, changes=changed)


@transaction.atomic
def section_add(*, letter, by, kind, heading, position=None, **fields):
    locked = locked_letter(letter.pk, by=by)
    section = Section.objects.create(
        letter=locked,
        position=position or next_position(locked.sections.all()),
        kind=kind,
        heading=heading,
        **fields,
    )
    check_letter(locked)
    _involved(locked, by)
    record("section.add", by=by, target=locked, section=section.pk, heading=heading)
    return section


@transaction.atomic
def section_update(*, section, by, based_on, values):
    locked = locked_letter(section.letter_id, by=by)
    changed = write_revision(section, based_on=based_on, values=values)
    check_letter(locked)
    _involved(locked, by)
    record("section.change", by=by, target=locked, section=section.pk, changes=changed)


@transaction.atomic
def section_delete(*, section, by, based_on):
    locked = locked_letter(section.letter_id, by=by)
    current = Section.objects.filter(pk=section.pk, letter=locked).first()
    if current is None or current.revision != based_on:
        raise StaleEdit(current=current)
    current.delete()
    _involved(locked, by)
    record("section.delete", by=by, target=locked, section=section.pk, heading=current.heading)


@transaction.atomic
def section_paste(*, letter, by, items, section=None, based_on=None, heading=None, kind=None):
    """The items of pasted text (letters.drafting.paste), in order: into a new section
    (with `heading` and `kind`, at the end of the letter), or in place of every item of
    `section` (based on its revision, which moves on). One audit event."""
    if not items:
        raise ValidationError("Paste the text of at least one item.")
    styles = [Item.Style(item.style) for item in items]
    replacing = section is not None
    if not replacing and not (heading and kind):
        raise ValueError("A new section needs its heading and kind")
    locked = locked_letter(letter.pk, by=by)
    removed = 0
    if replacing:
        current = Section.objects.select_for_update().filter(pk=section.pk, letter=locked).first()
        if current is None or current.revision != based_on:
            raise StaleEdit(current=current)
        removed = Item.objects.filter(section=current).count()
        Item.objects.filter(section=current).delete()
        Section.objects.filter(pk=current.pk).update(revision=F("revision") + 1)
    else:
        current = Section.objects.create(
            letter=locked, position=next_position(locked.sections.all()), kind=kind, heading=heading
        )
    Item.objects.bulk_create(
        Item(section=current, position=n, text=item.text, style=style)
        for n, (item, style) in enumerate(zip(items, styles, strict=True), start=1)
    )
    check_letter(locked)
    if replacing:
        current.revision = section.revision = based_on + 1
    _involved(locked, by)
    record(
        "section.paste",
        by=by,
        target=locked,
        section=current.pk,
        heading=current.heading,
        items=len(items),
        replaced=replacing,
        removed=removed,
    )
    return current


@transaction.atomic
def item_add(*, section, by, text, style=Item.Style.BULLET, position=None, **fields):
    locked = locked_letter(section.letter_id, by=by)
    section = Section.objects.get(pk=section.pk, letter=locked)
    item = Item.objects.create(
        section=section,
        position=position or next_position(section.items.all()),
        text=text,
        style=style,
        **fields,
    )
    check_letter(locked)
    _involved(locked, by)
    record("item.add", by=by, target=locked, section=section.pk, item=item.pk, text=text)
    return item


@transaction.atomic
def item_update(*, item, by, based_on, values):
    locked = locked_letter(item.section.letter_id, by=by)
    changed = write_revision(item, based_on=based_on, values=values)
    check_letter(locked)
    _involved(locked, by)
    record("item.change", by=by, target=locked, item=item.pk, changes=changed)


@transaction.atomic
def item_delete(*, item, by, based_on):
    locked = locked_letter(item.section.letter_id, by=by)
    current = Item.objects.filter(pk=item.pk, section__letter=locked).first()
    if current is None or current.revision != based_on:
        raise StaleEdit(current=current)
    current.delete()
    _involved(locked, by)
    record("item.delete", by=by, target=locked, item=item.pk, text=current.text)


def _length(fields):
    """The characters of the given text fields, over the rows, as one expression."""
    total = None
    for name in fields:
        part = Coalesce(Sum(Length(name)), 0)
        total = part if total is None else total + part
    return total


def letter_size(letter):
    """The letter as stored now: {"items", "characters", "longest"} (the longest item)."""
    counted = Item.objects.filter(section__letter=letter).aggregate(
        items=Count("pk"),
        characters=_length(limits.ITEM_FIELDS),
        longest=Coalesce(Max(Length("text")), 0),
    )
    sections = Section.objects.filter(letter=letter).aggregate(n=_length(limits.SECTION_FIELDS))
    own = Letter.objects.filter(pk=letter.pk).aggregate(n=_length(limits.LETTER_FIELDS))
    counted["characters"] += sections["n"] + own["n"]
    return counted


def check_letter(letter):
    """Raise LetterTooLong if the letter, as stored now, passes a whole-letter limit."""
    counted = letter_size(letter)
    if counted["longest"] > limits.ITEM:
        raise limits.LetterTooLong(f"An item can have at most {limits.ITEM:,} characters.")
    if counted["items"] > limits.ITEMS_PER_LETTER:
        raise limits.LetterTooLong(
            f"A letter can have at most {limits.ITEMS_PER_LETTER} items. Merge or remove some."
        )
    if counted["characters"] > limits.LETTER_CHARACTERS:
        raise limits.LetterTooLong(
            f"A letter can have at most {limits.LETTER_CHARACTERS:,} characters in all. "
            "Shorten it before you add more."
        )


def next_position(queryset):
    return (queryset.aggregate(top=Max("position"))["top"] or 0) + 1


@transaction.atomic
def move(instance, *, by, offset):
    """Move an item within its section, or a section within its letter, by one place."""
    if offset not in (-1, 1):
        return False
    if isinstance(instance, Item):
        letter_id = Section.objects.values_list("letter_id", flat=True).get(pk=instance.section_id)
        locked = locked_letter(letter_id, by=by)
        siblings = Item.objects.filter(section_id=instance.section_id)
    else:
        locked = locked_letter(instance.letter_id, by=by)
        siblings = Section.objects.filter(letter_id=instance.letter_id)
    ordered = list(siblings.select_for_update().order_by("position"))
    index = next((n for n, s in enumerate(ordered) if s.pk == instance.pk), None)
    if index is None or not 0 <= index + offset < len(ordered):
        return False
    ordered[index], ordered[index + offset] = ordered[index + offset], ordered[index]
    renumber(type(instance), ordered)
    _involved(locked, by)
    name = instance._meta.model_name
    record(f"{name}.move", by=by, target=locked, **{name: instance.pk}, offset=offset)
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
