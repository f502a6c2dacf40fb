"""The follow-up's pages: the follow-up itself (its dates, where the plan is, the files),
the authority's upload, the date the Department for Education was told and the decision
on a plan (the team's or a QA manager's), and each file's download.

Every page answers 404 to whoever may not read the follow-up, as for a letter without
one (letters.selectors.follow_up_for); one the user may read and not act on, 403.
"""

import io

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify

from inspections import calendar
from inspections.services import StaleEdit
from letters import clock, permissions, selectors
from letters.follow_up import services
from letters.follow_up.forms import DecisionForm, DfeDateForm, PlanUploadForm
from letters.models import FollowUp, PlanUpload
from letters.publication.views import changed_file_response, stored_unchanged

# The GOV.UK tag colour of each state of a follow-up.
STATE_COLOURS = {
    FollowUp.State.OPEN: "blue",
    FollowUp.State.PLAN_RECEIVED: "yellow",
    FollowUp.State.ACCEPTED: "green",
}


def _due_status(day, *, done, today, authority):
    """(words, colour) of a due date: done, overdue, due soon (within the reminder window)
    or on track."""
    if done:
        return "Received", "green"
    if today > day:
        return "Overdue", "red"
    if calendar.working_days_between(today, day, authority=authority) <= (
        settings.REMINDER_WORKING_DAYS_BEFORE
    ):
        return "Due soon", "orange"
    return "On track", "blue"


def follow_up(request, pk):
    follow_up = selectors.follow_up_for(user=request.user, pk=pk)
    letter = follow_up.letter
    uploads = list(follow_up.uploads.select_related("uploaded_by", "decided_by"))
    kinds = {upload.kind for upload in uploads}
    today = clock.today()
    authority = letter.visit.authority_id
    return render(
        request,
        "letters/follow_up/follow_up.html",
        {
            "visit": letter.visit,
            "letter": letter,
            "follow_up": follow_up,
            "state_colour": STATE_COLOURS[follow_up.state],
            "uploads": uploads,
            "early_draft_status": _due_status(
                follow_up.early_draft_due, done=bool(kinds), today=today, authority=authority
            ),
            "action_plan_status": _due_status(
                follow_up.action_plan_due,
                done=follow_up.state != FollowUp.State.OPEN,
                today=today,
                authority=authority,
            ),
            "can_upload": permissions.can_upload_action_plan(request.user, follow_up),
            "can_manage": permissions.can_manage_follow_up(request.user, letter),
            "is_authority": permissions.is_of_letters_authority(letter, request.user),
        },
    )


def follow_up_upload(request, pk):
    follow_up = selectors.follow_up_for(user=request.user, pk=pk)
    if not permissions.can_upload_action_plan(request.user, follow_up):
        raise PermissionDenied("Only the local authority uploads its plans, until one is accepted")
    if request.method == "POST":
        form = PlanUploadForm(request.POST, request.FILES)
        if form.is_valid():
            document = form.cleaned_data["document"]
            try:
                upload = services.plan_upload(
                    follow_up=follow_up,
                    by=request.user,
                    kind=form.cleaned_data["kind"],
                    name=document.name,
                    data=form.content,
                )
            except ValidationError as refused:
                form.add_error("document", refused.messages[0])
            else:
                messages.success(
                    request,
                    f"{upload.get_kind_display()} uploaded. Ofsted has been told and will "
                    "record whether it is accepted.",
                )
                return redirect("letters:follow-up", pk)
    else:
        form = PlanUploadForm()
    return render(
        request,
        "letters/follow_up/upload.html",
        {"visit": follow_up.letter.visit, "follow_up": follow_up, "form": form},
    )


def follow_up_dfe(request, pk):
    """The day the Department for Education was told (the due dates follow it)."""
    follow_up = selectors.follow_up_for(user=request.user, pk=pk)
    if not permissions.can_manage_follow_up(request.user, follow_up.letter):
        raise PermissionDenied("Only the visit's team or a QA manager records this date")
    conflict = None
    if request.method == "POST":
        form = DfeDateForm(request.POST)
        if form.is_valid():
            try:
                services.follow_up_record_dfe_date(
                    follow_up=follow_up,
                    by=request.user,
                    dfe_told_on=form.cleaned_data["dfe_told_on"],
                    based_on=form.cleaned_data["revision"],
                )
            except StaleEdit as stale:
                # Someone else recorded a date meanwhile: say which, keep this one typed.
                conflict = stale.current
                data = request.POST.copy()
                data["revision"] = conflict.revision
                form = DfeDateForm(data)
                form.is_valid()
            except ValidationError as refused:
                form.add_error(None, refused.messages[0])
            else:
                messages.success(request, "Date saved. The due dates count from it.")
                return redirect("letters:follow-up", pk)
    else:
        form = DfeDateForm(
            initial={"dfe_told_on": follow_up.dfe_told_on, "revision": follow_up.revision}
        )
    return render(
        request,
        "letters/follow_up/dfe.html",
        {
            "visit": follow_up.letter.visit,
            "follow_up": follow_up,
            "form": form,
            "dfe_conflict": conflict,
            "early_days": settings.ACTION_PLAN_EARLY_DRAFT_WORKING_DAYS,
            "plan_days": settings.ACTION_PLAN_WORKING_DAYS,
        },
    )


def follow_up_decide(request, pk, upload_pk):
    """Accept a plan, or return it with the reason."""
    follow_up = selectors.follow_up_for(user=request.user, pk=pk)
    if not permissions.can_manage_follow_up(request.user, follow_up.letter):
        raise PermissionDenied("Only the visit's team or a QA manager accepts or returns a plan")
    upload = get_object_or_404(follow_up.uploads.select_related("uploaded_by"), pk=upload_pk)
    if request.method == "POST":
        form = DecisionForm(request.POST)
        if form.is_valid():
            accept = form.cleaned_data["decision"] == DecisionForm.ACCEPT
            try:
                services.plan_decide(
                    upload=upload,
                    by=request.user,
                    accept=accept,
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as refused:
                # Decided by someone else meanwhile: the page says so, the reason stays.
                form.add_error(None, refused.messages[0])
            else:
                done = "accepted" if accept else "returned to the local authority"
                messages.success(request, f"{upload.get_kind_display()} {done}.")
                return redirect("letters:follow-up", pk)
    else:
        form = DecisionForm()
    return render(
        request,
        "letters/follow_up/decide.html",
        {"visit": follow_up.letter.visit, "follow_up": follow_up, "upload": upload, "form": form},
    )


def download_name(upload):
    """A name of the portal's making: the authority's own may say anything."""
    visit = upload.follow_up.letter.visit
    extension = "pdf" if upload.content_type == "application/pdf" else "docx"
    kind = upload.kind.replace("_", "-")
    day = f"{upload.uploaded_at:%Y-%m-%d}"
    return f"{kind}-{slugify(visit.authority.name)}-{day}.{extension}"


def follow_up_download(request, pk, upload_pk):
    """The stored bytes, read through the storage and sent only if they still have the
    SHA-256 recorded on upload; each download is audited."""
    follow_up = selectors.follow_up_for(user=request.user, pk=pk)
    upload = get_object_or_404(PlanUpload.objects.filter(follow_up=follow_up), pk=upload_pk)
    upload.follow_up = follow_up
    data = stored_unchanged(upload.file, upload.sha256, what=f"Plan upload {upload.pk}")
    if data is None:
        return changed_file_response(request)
    services.plan_downloaded(upload=upload, by=request.user)
    response = FileResponse(
        io.BytesIO(data),
        as_attachment=True,
        filename=download_name(upload),
        content_type=upload.content_type,
    )
    response["Cache-Control"] = "no-store"
    return response
