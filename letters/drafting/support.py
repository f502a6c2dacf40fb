"""What the drafting pages share: loading a visit for a user, saving with revisions, and
the live preview of a form's changes."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from inspections.services import StaleEdit
from letters import permissions
from letters.rendering.pdf import letter_html
from letters.selectors import visit_for_letter_pages

# static/portal/preview.js posts the form with this field as the user types, and
# applies an answer only if it carries this header.
PREVIEW_FIELD = "_preview"
PREVIEW_HEADER = "X-Letter-Preview"


def load_visit(request, pk, *, edit=False):
    """The visit if the user may read its draft (404 otherwise); with edit, may change it."""
    visit = visit_for_letter_pages(user=request.user, pk=pk)
    if edit and not permissions.can_draft(request.user, visit.letter):
        raise PermissionDenied("You cannot change this letter")
    return visit


def wants_preview(request):
    """A POST from the live preview: show the letter with the form's changes, save nothing."""
    return request.method == "POST" and request.POST.get(PREVIEW_FIELD) == "1"


def preview_response(visit, form, *, pending=None):
    """The draft letter as it would read with the form's valid values, none of them saved.

    Validating a ModelForm puts each valid value on its instance, which is the object the
    letter prints from (loaded with the visit); a value that is not valid keeps the saved
    one. pending: a new section or item, printed last (see compose_letter).
    """
    form.is_valid()
    response = HttpResponse(letter_html(visit.letter, for_print=False, draft=True, pending=pending))
    response["Cache-Control"] = "no-store"
    response[PREVIEW_HEADER] = "1"
    return response


def preview_context(visit):
    return {"preview_url": reverse("letters:letter-preview", args=[visit.pk])}


def field_values(form, instance):
    """(label, value) of each visible field of a form, as `instance` holds them."""
    rows = []
    for name, field in form.fields.items():
        if field.widget.is_hidden:
            continue
        display = getattr(instance, f"get_{name}_display", None)
        value = display() if display else getattr(instance, name, "")
        if isinstance(value, bool):
            value = "Yes" if value else "No"
        rows.append((field.label, value))
    return rows


def edit_with_revision(
    request,
    *,
    visit,
    form_class,
    instance,
    template,
    context,
    success_url,
    saved,
    save,
):
    """Show and save a ModelForm whose object uses optimistic locking.

    `save(by=, based_on=, values=)` is the service that writes it (its object bound,
    e.g. functools.partial(item_update, item=item)), and may return a note for the user.
    A save based on an old revision is refused: the page keeps what the user typed,
    says someone else saved in between, shows their version, and lets the user
    save theirs over it knowingly (the form then carries the new revision).
    `instance` must be the object the visit's letter prints from, for the live preview.
    """
    if wants_preview(request):
        return preview_response(visit, form_class(request.POST, instance=instance))
    conflict = None
    if request.method == "POST":
        form = form_class(request.POST, instance=instance)
        if form.is_valid():
            try:
                note = save(
                    by=request.user,
                    based_on=form.cleaned_data["revision"],
                    values={name: getattr(form.instance, name) for name in form._meta.fields},
                )
            except StaleEdit as stale:
                if stale.current is None:
                    messages.error(request, "Someone else deleted this while you were editing it")
                    return redirect(success_url)
                conflict = field_values(form, stale.current)
                data = request.POST.copy()
                data["revision"] = stale.current.revision
                form = form_class(data, instance=stale.current)
                form.is_valid()
            except ValidationError as refused:
                # A whole-letter limit (letters.limits): nothing was saved; the page
                # keeps what was typed and says why.
                form.add_error(None, refused)
            else:
                messages.success(request, saved)
                if note:
                    messages.info(request, note)
                return redirect(success_url)
    else:
        form = form_class(instance=instance)
    return render(
        request,
        template,
        {**context, **preview_context(visit), "visit": visit, "form": form, "conflict": conflict},
    )
