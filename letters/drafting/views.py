"""Pages for writing the letter: the editor, its forms, the preview, the draft PDF, checks."""

from functools import partial

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.csp import CSP
from django.utils.text import slugify
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_POST

from autosave.recovery import restore
from inspections.services import StaleEdit
from jobs import services as jobs
from jobs.models import Job
from letters import permissions
from letters.drafting import letter_shapes
from letters.drafting import services as drafting
from letters.drafting.checks import letter_problems
from letters.drafting.forms import (
    ClosingForm,
    ConfirmDeleteForm,
    ItemForm,
    NewItemForm,
    NewSectionForm,
    OpeningForm,
    SectionForm,
)
from letters.drafting.support import (
    edit_with_revision,
    keeps_typed_text,
    load_visit,
    preview_context,
    preview_response,
    wants_preview,
)
from letters.drafting.tasks import print_draft
from letters.rendering import wording
from letters.rendering.compose import compose_letter
from letters.rendering.fingerprint import letter_fingerprint
from letters.rendering.pdf import letter_html, letter_pdf
from letters.selectors import (
    open_comments_for_editor,
    sections_with_items,
    visit_for_editor,
)

# The sections whose items a template with framework_tags cross-references.
CROSS_REFERENCED = (letter_shapes.IMPROVEMENT, letter_shapes.PRIORITY)


def editor_url(visit, anchor=""):
    url = reverse("letters:letter-editor", args=[visit.pk])
    return f"{url}#{anchor}" if anchor else url


def letter_editor(request, pk):
    visit = visit_for_editor(user=request.user, pk=pk)
    letter = visit.letter
    by_item = {}
    for comment in open_comments_for_editor(letter=letter):
        by_item.setdefault(comment.item_id, []).append(comment)
    shape = letter_shapes.shape_of(letter)
    framework_tags = bool(shape and shape.framework_tags)
    # Every link on the page is under the letter's URL (letters/urls.py): reversed once.
    letter_url = editor_url(visit)
    sections = sections_with_items(letter=letter)
    on_items = []
    for section in sections:
        section.url = f"{letter_url}sections/{section.pk}/"
        # Items to cross-reference with the National Framework, as the template says.
        section.awaits_cross_references = framework_tags and section.kind in CROSS_REFERENCED
        for item in section.item_list:
            item.open_comments = by_item.pop(item.pk, [])
            on_items.extend(item.open_comments)
    letter_comments = [c for group in by_item.values() for c in group]
    return render(
        request,
        "letters/drafting/editor.html",
        {
            "visit": visit,
            "letter": letter,
            "letter_url": letter_url,
            "sections": sections,
            # Comments on the whole letter, and on items deleted since.
            "letter_comments": letter_comments,
            # Every open comment, in the order the page shows them: the list at the top.
            "open_comments": letter_comments + on_items,
            "can_edit": permissions.can_draft(request.user, letter),
            "can_resolve": permissions.can_resolve_comments(request.user, letter),
            "can_correct": permissions.can_start_correction(request.user, letter),
            # The template the letter started from; another only while it has no items.
            "shape": shape,
            "has_items": any(section.item_list for section in sections),
        },
    )


@keeps_typed_text
def letter_opening(request, pk):
    visit = load_visit(request, pk, edit=True)
    letter = visit.letter
    standard = compose_letter_standard(letter)
    if request.method == "GET" and request.GET.get("start") == "standard":
        # Offer the standard wording in the box, to edit rather than retype.
        letter.introduction = "\n\n".join(standard["introduction"])
        letter.scope_lead_in = standard["scope_lead_in"]
    return edit_with_revision(
        request,
        visit=visit,
        form_class=OpeningForm,
        instance=letter,
        template="letters/drafting/opening.html",
        context={"visit": visit, "standard": standard},
        success_url=editor_url(visit),
        saved="Opening saved",
        save=partial(drafting.letter_update, letter=letter),
    )


def compose_letter_standard(letter):
    """The standard introduction and lead-in for this letter, whatever it says now."""
    introduction, lead_in = letter.introduction, letter.scope_lead_in
    letter.introduction = letter.scope_lead_in = ""
    document = compose_letter(letter)
    letter.introduction, letter.scope_lead_in = introduction, lead_in
    shape = letter_shapes.shape_of(letter)
    return {
        "introduction": document.introduction,
        "scope_lead_in": shape.scope_lead_in if shape else wording.SCOPE_LEAD_IN,
    }


@keeps_typed_text
def letter_closing(request, pk):
    visit = load_visit(request, pk, edit=True)
    return edit_with_revision(
        request,
        visit=visit,
        form_class=ClosingForm,
        instance=visit.letter,
        template="letters/drafting/closing.html",
        context={
            "visit": visit,
            # The letter's template's wording, if it started from one.
            **closing_wording(visit.letter),
        },
        success_url=editor_url(visit),
        saved="Closing saved",
        save=partial(drafting.letter_update, letter=visit.letter),
    )


def closing_wording(letter):
    shape = letter_shapes.shape_of(letter)
    if shape is None:
        return {
            "closing_paragraph": wording.CLOSING_PARAGRAPH,
            "priority_action_paragraph": wording.PRIORITY_ACTION_PARAGRAPH,
        }
    return {
        "closing_paragraph": shape.closing,
        "priority_action_paragraph": shape.priority_closing,
    }


@keeps_typed_text
def section_add(request, pk):
    visit = load_visit(request, pk, edit=True)
    form = NewSectionForm(request.POST or None)
    restore(request, form)
    if wants_preview(request):
        form.instance.letter = visit.letter
        return preview_response(visit, form, pending=form.instance)
    if request.method == "POST" and form.is_valid():
        try:
            section = drafting.section_add(
                letter=visit.letter,
                by=request.user,
                **{f: form.cleaned_data[f] for f in form._meta.fields},
            )
        except ValidationError as refused:
            form.add_error(None, refused)
        else:
            messages.success(request, f"Section ‘{section.heading}’ added")
            return redirect(editor_url(visit, f"section-{section.pk}"))
    return render(
        request,
        "letters/drafting/section_form.html",
        {"visit": visit, "form": form, **preview_context(visit)},
    )


def find_section(visit, section_pk):
    """The section as the visit's letter holds it (the object the letter prints from)."""
    for section in visit.letter.sections.all():
        if section.pk == section_pk:
            return section
    return get_object_or_404(visit.letter.sections.none(), pk=section_pk)


@keeps_typed_text
def section_edit(request, pk, section_pk):
    visit = load_visit(request, pk, edit=True)
    section = find_section(visit, section_pk)
    return edit_with_revision(
        request,
        visit=visit,
        form_class=SectionForm,
        instance=section,
        template="letters/drafting/section_form.html",
        context={"visit": visit, "section": section},
        success_url=editor_url(visit, f"section-{section.pk}"),
        saved="Section saved",
        save=partial(drafting.section_update, section=section),
    )


@keeps_typed_text
def item_add(request, pk, section_pk):
    visit = load_visit(request, pk, edit=True)
    section = find_section(visit, section_pk)
    framework = letter_shapes.offers_framework_tags(visit.letter, section)
    form = NewItemForm(request.POST or None, framework=framework)
    restore(request, form)
    if wants_preview(request):
        form.instance.section = section
        return preview_response(visit, form, pending=form.instance)
    if request.method == "POST" and form.is_valid():
        try:
            item = drafting.item_add(
                section=section,
                by=request.user,
                **{f: form.cleaned_data[f] for f in form._meta.fields},
            )
        except ValidationError as refused:
            form.add_error(None, refused)
        else:
            messages.success(request, f"Item added to ‘{section.heading}’")
            return redirect(editor_url(visit, f"item-{item.pk}"))
    return render(
        request,
        "letters/drafting/item_form.html",
        {"visit": visit, "section": section, "form": form, **preview_context(visit)},
    )


def find_item(visit, item_pk):
    for section in visit.letter.sections.all():
        for item in section.items.all():
            if item.pk == item_pk:
                return section, item
    return get_object_or_404(visit.letter.sections.none(), pk=item_pk)


@keeps_typed_text
def item_edit(request, pk, item_pk):
    visit = load_visit(request, pk, edit=True)
    section, item = find_item(visit, item_pk)
    return edit_with_revision(
        request,
        visit=visit,
        form_class=partial(
            ItemForm, framework=letter_shapes.offers_framework_tags(visit.letter, section)
        ),
        instance=item,
        template="letters/drafting/item_form.html",
        context={
            "visit": visit,
            "section": section,
            "item": item,
            # The open comments on the item, shown above its fields (read only if shown).
            "comments": item.comments.filter(resolved_at__isnull=True).select_related(
                "author__inspector"
            ),
        },
        success_url=editor_url(visit, f"item-{item.pk}"),
        saved="Item saved",
        save=partial(drafting.item_update, item=item),
    )


def confirm_delete(request, visit, obj, *, delete, template, context, anchor):
    """Delete after confirmation, unless someone changed the object since it was shown."""
    form = ConfirmDeleteForm(request.POST or None, initial={"revision": obj.revision})
    if request.method == "POST" and form.is_valid():
        try:
            delete(by=request.user, based_on=form.cleaned_data["revision"])
        except StaleEdit:
            messages.error(
                request,
                "Someone else changed this since you opened it, so it was not deleted. "
                "Check it before you delete it.",
            )
            return redirect(editor_url(visit, anchor))
        messages.success(request, "Deleted")
        return redirect(editor_url(visit))
    return render(request, template, {**context, "visit": visit, "form": form})


def item_delete(request, pk, item_pk):
    visit = load_visit(request, pk, edit=True)
    section, item = find_item(visit, item_pk)
    return confirm_delete(
        request,
        visit,
        item,
        delete=partial(drafting.item_delete, item=item),
        template="letters/drafting/item_delete.html",
        context={"item": item, "section": section, "heading": "Delete the item"},
        anchor=f"item-{item.pk}",
    )


def section_delete(request, pk, section_pk):
    visit = load_visit(request, pk, edit=True)
    section = find_section(visit, section_pk)
    return confirm_delete(
        request,
        visit,
        section,
        delete=partial(drafting.section_delete, section=section),
        template="letters/drafting/section_delete.html",
        context={"section": section, "heading": "Delete the section"},
        anchor=f"section-{section.pk}",
    )


MOVES = {"up": -1, "down": 1}


@require_POST
def item_move(request, pk, item_pk):
    visit = load_visit(request, pk, edit=True)
    _, item = find_item(visit, item_pk)
    drafting.move(item, by=request.user, offset=MOVES.get(request.POST.get("direction"), 0))
    return redirect(editor_url(visit, f"item-{item.pk}"))


@require_POST
def section_move(request, pk, section_pk):
    visit = load_visit(request, pk, edit=True)
    section = find_section(visit, section_pk)
    drafting.move(section, by=request.user, offset=MOVES.get(request.POST.get("direction"), 0))
    return redirect(editor_url(visit, f"section-{section.pk}"))


@xframe_options_sameorigin
@csp_override({**settings.SECURE_CSP, "frame-ancestors": [CSP.SELF]})
def letter_preview(request, pk):
    """The letter as HTML, from the print template, shown beside the editor."""
    visit = load_visit(request, pk)
    response = HttpResponse(letter_html(visit.letter, for_print=False, draft=True))
    response["Cache-Control"] = "no-store"
    return response


def letter_draft_pdf(request, pk):
    """The draft as PDF: printed while the page waits, or, for a long letter, on the task
    worker (the page sends the user to the job's page, which links back here with
    ?job=, to the stored draft)."""
    visit = load_visit(request, pk)
    letter = visit.letter
    if "job" in request.GET:
        pdf = stored_draft(request, letter)
    elif drafting.letter_size(letter)["characters"] > settings.DRAFT_PDF_BACKGROUND_CHARACTERS:
        job = jobs.submit(
            print_draft,
            key=f"draft-pdf:{letter.pk}:{letter_fingerprint(letter)[:24]}:u{request.user.pk}",
            label=f"Printing the draft letter for the {visit}",
            by=request.user,
            args=(letter.pk,),
            back=reverse("letters:letter-editor", args=[visit.pk]),
        )
        return redirect("jobs:status", job.pk)
    else:
        pdf = letter_pdf(letter, draft=True)
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"draft-focused-visit-{slugify(visit.authority.name)}-{visit.start_date:%Y-%m-%d}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


def stored_draft(request, letter):
    """The draft the user's job printed for this letter, if it is still the newest."""
    job = Job.objects.filter(
        pk=request.GET["job"] if request.GET["job"].isdigit() else None,
        requested_by=request.user,
        key__startswith=f"draft-pdf:{letter.pk}:",
        state=Job.State.DONE,
    ).first()
    name = job.result.get("file") if job else None
    if not name or not default_storage.exists(name):
        raise Http404("That draft is no longer kept: print the draft again")
    with default_storage.open(name, "rb") as stored:
        return stored.read()


def letter_checks(request, pk):
    visit = load_visit(request, pk)
    return render(
        request,
        "letters/drafting/checks.html",
        {
            "visit": visit,
            "letter": visit.letter,
            "problems": letter_problems(visit.letter),
            "can_submit": permissions.can_submit(request.user, visit.letter),
        },
    )
