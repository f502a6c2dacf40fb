"""Pasting a whole section: the text, a preview of the items it makes, then the save.

The pages are plain forms and keep nothing between requests: the preview carries the
text in its form, and saving posts it again, to be split again (letters.drafting.paste)
and saved (services.section_paste). The preview also carries a fingerprint of the items
it showed; a save whose items are not those (the text was changed after the preview)
shows the new preview instead of saving what the user has not seen.
"""

import hashlib

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from autosave.recovery import restore
from inspections.services import StaleEdit
from letters.drafting import services as drafting
from letters.drafting.forms import NewSectionPasteForm, PasteForm
from letters.drafting.support import keeps_typed_text, load_visit, not_saved_page
from letters.drafting.views import editor_url, find_section
from letters.models import Item

# The preview's Save button, and the field that carries what the preview showed
# (letters.drafting.support.NOT_TYPED leaves both off the page of a refused save).
SAVE = "save"
PREVIEWED = "previewed"

DELETED = "Someone else deleted the section while you were writing."


def fingerprint(form):
    """What a valid form would save: the new section's kind and heading, and the items."""
    data = form.cleaned_data
    parts = [data.get("kind", ""), data.get("heading", "")]
    parts += [f"{item.style}:{item.text}" for item in form.items]
    return hashlib.sha256("\x00".join(parts).encode()).hexdigest()[:32]


def shown(items):
    """The items as the preview lists them: (how each is printed, its text)."""
    return [(Item.Style(item.style).label, item.text) for item in items]


def plural(count, word="item"):
    return f"{count} {word}{'' if count == 1 else 's'}"


@keeps_typed_text
def section_paste_new(request, pk):
    """Paste the text of a new section, at the end of the letter."""
    visit = load_visit(request, pk, edit=True)
    form = NewSectionPasteForm(request.POST or None)
    restore(request, form)
    return paste_page(request, visit, form, section=None)


@keeps_typed_text
def section_paste(request, pk, section_pk):
    """Paste text to replace every item of a section."""
    visit = load_visit(request, pk, edit=True)
    section = find_section(visit, section_pk)
    form = PasteForm(request.POST or None, revision=section.revision)
    restore(request, form)
    return paste_page(request, visit, form, section=section)


def paste_page(request, visit, form, *, section):
    context = {
        "visit": visit,
        "section": section,
        "current_items": len(section.items.all()) if section else 0,
        "split": None,
        "conflict": None,
    }
    if request.method == "POST" and form.is_valid():
        seen = fingerprint(form)
        asked = bool(request.POST.get(SAVE))
        if asked and request.POST.get(PREVIEWED) == seen:
            try:
                saved = save(request, visit, form, section)
            except StaleEdit as stale:
                if stale.current is None:
                    return not_saved_page(request, visit, DELETED)
                # Someone changed the section meanwhile: show its items now, and let the
                # user replace them knowingly (the form carries the new revision).
                context["conflict"] = shown(stale.current.items.all())
                data = request.POST.copy()
                data["revision"] = stale.current.revision
                form = PasteForm(data, revision=stale.current.revision)
                form.is_valid()
            except ValidationError as refused:
                # A whole-letter limit (letters.limits): nothing was saved.
                form.add_error("text", refused)
            else:
                return redirect(editor_url(visit, f"section-{saved.pk}"))
        if not form.errors:
            context.update(
                split=shown(form.items),
                fingerprint=fingerprint(form),
                changed=asked and not context["conflict"],
            )
    context["form"] = form
    return render(request, "letters/drafting/section_paste.html", context)


def save(request, visit, form, section):
    items = form.items
    if section is None:
        saved = drafting.section_paste(
            letter=visit.letter,
            by=request.user,
            items=items,
            kind=form.cleaned_data["kind"],
            heading=form.cleaned_data["heading"],
        )
        note = f"Section ‘{saved.heading}’ added with {plural(len(items))}"
    else:
        saved = drafting.section_paste(
            letter=visit.letter,
            by=request.user,
            items=items,
            section=section,
            based_on=form.cleaned_data["revision"],
        )
        note = f"The items of ‘{saved.heading}’ replaced with {plural(len(items))}"
    messages.success(request, note)
    return saved
