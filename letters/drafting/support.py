"""What the drafting pages share: loading a visit for a user, saving with revisions, and
the live preview of a form's changes."""

import functools

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from audit.services import record_refusal
from autosave.recovery import OWNER_FIELD, restore
from inspections.services import StaleEdit
from letters import permissions
from letters.rendering.pdf import letter_html
from letters.selectors import visit_for_letter_pages, visits_with_visible_drafts

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


# Fields of a posted form that are not what the user typed (save, upload and previewed:
# the paste and import pages' buttons, and the fingerprint of what they showed;
# take_visit_facts: the import page's checkbox).
NOT_TYPED = {
    "csrfmiddlewaretoken",
    "revision",
    PREVIEW_FIELD,
    "next",
    "save",
    "upload",
    "previewed",
    "take_visit_facts",
    OWNER_FIELD,
}


def why_not_saved(user, letter):
    """Why a user who may read the letter cannot change it now, in plain words."""
    status = letter.status
    if status == letter.Status.IN_REVIEW:
        return "The letter was submitted for quality assurance while you were writing."
    if status == letter.Status.APPROVED:
        return "The letter was approved while you were writing."
    if status == letter.Status.PUBLISHED:
        return "The letter was published while you were writing."
    if status == letter.Status.FACTUAL_ACCURACY:
        return "The letter was sent to the local authority for factual accuracy check."
    if status == letter.Status.FINAL:
        return "The letter was signed off as final while you were writing."
    return "You are no longer on the visit's team, so you cannot change its letter."


def keeps_typed_text(view):
    """On a form the user posted, a refusal never throws their text away.

    If the letter moved on (submitted, approved, published), the user left the team, or
    what they were changing was deleted meanwhile, the answer is a page that says so in
    plain words and shows what they typed, to copy (409), not a bare 403 or 404. The
    refusal is audited like any other.
    """

    @functools.wraps(view)
    def wrapped(request, pk, *args, **kwargs):
        try:
            return view(request, pk, *args, **kwargs)
        except (PermissionDenied, Http404) as refused:
            if request.method != "POST" or wants_preview(request):
                raise
            if not visits_with_visible_drafts(user=request.user).filter(pk=pk).exists():
                raise  # a visit the user cannot read: the 404 anyone gets (audited once)
            visit = load_visit(request, pk)
            if isinstance(refused, Http404):
                reason = "Someone else deleted what you were changing while you were writing."
            else:
                reason = why_not_saved(request.user, visit.letter)
            return not_saved_page(request, visit, reason)

    return wrapped


def not_saved_page(request, visit, reason):
    record_refusal(
        by=request.user,
        key=f"{request.method} {request.path}",
        method=request.method,
        path=request.path,
        not_saved=True,
    )
    typed = [
        (name.replace("_", " ").capitalize(), value)
        for name, value in request.POST.items()
        if name not in NOT_TYPED and value.strip()
    ]
    context = {"visit": visit, "reason": reason, "typed": typed}
    return render(request, "letters/drafting/not_saved.html", context, status=409)


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
                    return not_saved_page(
                        request,
                        visit,
                        "Someone else deleted what you were changing while you were writing.",
                    )
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
        restore(request, form)  # the text the user kept and asked back (the autosave app)
    return render(
        request,
        template,
        {**context, **preview_context(visit), "visit": visit, "form": form, "conflict": conflict},
    )
