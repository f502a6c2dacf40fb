"""Pages for a visit's facts: the inspector's list, creating a visit, its team and scope."""

from functools import partial

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from inspections import services as visits
from inspections.forms import (
    FocusAreasForm,
    LeadHandoverForm,
    NewVisitForm,
    RecipientForm,
    TeamMemberForm,
    VisitForm,
)
from inspections.models import TeamMember, VisitFocusArea
from inspections.services import StaleEdit
from letters import deadlines, notifications, permissions
from letters.drafting import services as drafting
from letters.drafting.support import edit_with_revision, keeps_typed_text, load_visit
from letters.rendering.compose import compose_letter
from letters.selectors import visits_of_inspector

VISITS_PER_PAGE = 20


def visit_list(request):
    if not permissions.is_inspector(request.user):
        raise PermissionDenied("Only inspectors have visits")
    rows = visits_of_inspector(user=request.user)
    number = request.GET.get("page")
    rows.read_page(number, VISITS_PER_PAGE)  # the page and the count, in one query
    page = Paginator(rows, VISITS_PER_PAGE).get_page(number)
    # Each visit's row gets its letter's next deadline, from the dates the row holds.
    page.object_list = deadlines.with_next_deadlines_of_rows(list(page.object_list))
    numbers = page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
    return render(
        request, "letters/visits/visit_list.html", {"page": page, "page_numbers": list(numbers)}
    )


def visit_create(request):
    if not permissions.can_create_visit(request.user):
        raise PermissionDenied("Only inspectors can create visits")
    form = NewVisitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        facts = {name: form.cleaned_data[name] for name in VisitForm.Meta.fields}
        visit = drafting.visit_create(
            by=request.user, focus_areas=form.cleaned_data["focus_areas"], **facts
        )
        messages.success(request, "Visit created. Check the recipient, then write the letter.")
        return redirect("letters:visit-detail", visit.pk)
    return render(request, "letters/visits/visit_create.html", {"form": form})


def visit_detail(request, pk):
    visit = load_visit(request, pk)
    versions = list(visit.letter.versions.order_by("-number"))
    published_on = timezone.localdate(versions[0].published_at) if versions else None
    return render(
        request,
        "letters/visits/visit_detail.html",
        {
            "visit": visit,
            "letter": visit.letter,
            "can_edit": permissions.can_draft(request.user, visit.letter),
            "can_read_timeline": permissions.can_read_timeline(request.user, visit.letter),
            "versions": versions,
            "timeline": deadlines.timeline(visit.letter, published_on=published_on),
            "failed_notifications": notifications.failed_notifications(visit.letter)[:5],
            "people_not_told": notifications.people_not_told(visit.letter)[:5],
        },
    )


@keeps_typed_text
def visit_edit(request, pk):
    visit = load_visit(request, pk, edit=True)
    return edit_with_revision(
        request,
        visit=visit,
        form_class=VisitForm,
        instance=visit,
        template="letters/visits/visit_edit.html",
        context={"visit": visit},
        success_url=reverse("letters:visit-detail", args=[pk]),
        saved="Visit details saved",
        save=partial(visits.visit_update, visit=visit),
    )


@keeps_typed_text
def visit_recipient(request, pk):
    visit = load_visit(request, pk, edit=True)
    return edit_with_revision(
        request,
        visit=visit,
        form_class=RecipientForm,
        instance=visit,
        template="letters/visits/visit_recipient.html",
        context={"visit": visit},
        success_url=reverse("letters:visit-detail", args=[pk]),
        saved="Recipient saved",
        save=partial(visits.visit_update, visit=visit),
    )


@keeps_typed_text
def visit_team(request, pk):
    visit = load_visit(request, pk, edit=True)
    form = TeamMemberForm(request.POST or None, visit=visit)
    if request.method == "POST" and form.is_valid():
        member = visits.team_member_add(visit=visit, by=request.user, **form.cleaned_data)
        messages.success(request, f"{member.inspector.full_name} added to the team")
        return redirect("letters:visit-team", pk)
    return render(request, "letters/visits/visit_team.html", {"visit": visit, "form": form})


def visit_team_remove(request, pk, member_pk):
    """Asks, then removes a member of the team. The lead is handed over, not removed."""
    visit = load_visit(request, pk, edit=True)
    member = get_object_or_404(visit.team.select_related("inspector"), pk=member_pk)
    if member.role == TeamMember.Role.LEAD:
        messages.info(request, "Hand the lead over to someone else before they leave the team")
        return redirect("letters:visit-team-lead", pk)
    if request.method == "POST":
        visits.team_member_remove(member=member, by=request.user)
        messages.success(request, f"{member.inspector.full_name} removed from the team")
        return redirect("letters:visit-team", pk)
    return render(
        request, "letters/visits/visit_team_remove.html", {"visit": visit, "member": member}
    )


def visit_team_lead(request, pk):
    """Hand the lead over: the page asks who, from the rest of the team."""
    visit = load_visit(request, pk, edit=True)
    form = LeadHandoverForm(request.POST if request.method == "POST" else None, visit=visit)
    if request.method == "POST" and form.is_valid():
        member = visits.team_lead_hand_over(member=form.cleaned_data["member"], by=request.user)
        messages.success(request, f"{member.inspector.full_name} now leads the visit")
        return redirect("letters:visit-team", pk)
    return render(request, "letters/visits/visit_team_lead.html", {"visit": visit, "form": form})


MOVE_FOCUS_AREA = {"up": -1, "down": 1}


@keeps_typed_text
def visit_focus_areas(request, pk):
    """The focus-area picker: tick the standard themes and others, add one in your own
    words, and order them (each Move button saves the page too, then moves); the page
    shows what the letter prints. Works without JavaScript."""
    visit = load_visit(request, pk, edit=True)
    form = FocusAreasForm(request.POST or None, instance=visit)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                visits.visit_set_focus_areas(
                    visit=visit,
                    by=request.user,
                    focus_areas=form.chosen(),
                    based_on=form.cleaned_data["revision"],
                )
                if form.cleaned_data["own_wording"].strip():
                    visits.focus_area_add_own(
                        visit=visit, by=request.user, wording=form.cleaned_data["own_wording"]
                    )
                focus_area_to_move(request, visit)
        except StaleEdit as stale:
            fresh = load_visit(request, pk)
            conflict = [
                ("Focus areas", ", ".join(str(v.focus_area) for v in fresh.visit_focus_areas.all()))
            ]
            data = request.POST.copy()
            data["revision"] = stale.current.revision
            form = FocusAreasForm(data, instance=fresh)
            form.is_valid()
        else:
            if "move" in request.POST:
                return redirect(reverse("letters:visit-focus-areas", args=[pk]) + "#order")
            messages.success(request, "Focus areas saved")
            return redirect("letters:visit-detail", pk)
    standard, others = form.groups()
    document = compose_letter(visit.letter)
    return render(
        request,
        "letters/visits/visit_focus_areas.html",
        {
            "visit": visit,
            "form": form,
            "conflict": conflict,
            "standard": standard,
            "others": others,
            "entries": sorted(visit.visit_focus_areas.all(), key=lambda v: (v.position, v.pk)),
            # What the letter prints: the lead-in and the list, as saved.
            "printed_lead_in": document.scope_lead_in,
            "printed_areas": document.focus_areas,
            "listed": visit.letter.list_focus_areas,
        },
    )


def focus_area_to_move(request, visit):
    """Move the focus area a Move button names ("<id>:up" or "<id>:down"), if any.
    Returns the entry moved, or None."""
    entry_pk, _, direction = request.POST.get("move", "").partition(":")
    if not entry_pk.isdigit() or direction not in MOVE_FOCUS_AREA:
        return None
    entry = VisitFocusArea.objects.filter(visit=visit, pk=int(entry_pk)).first()
    if entry is None:
        return None
    visits.focus_area_move(entry=entry, by=request.user, offset=MOVE_FOCUS_AREA[direction])
    return entry
