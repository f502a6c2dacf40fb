"""Quality assurance: the queue, the review page, comments, return, approve; submitting."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from audit.services import events_about
from autosave.recovery import restore
from letters import deadlines, permissions, selectors
from letters.drafting.support import load_visit
from letters.rendering.compose import compose_letter
from letters.review import services
from letters.review.diff import compare, snapshot
from letters.review.forms import CommentForm, ReturnForm
from letters.review.history import history


def review_queue(request):
    if not permissions.is_qa_manager(request.user):
        raise PermissionDenied("Only QA managers review letters")
    return render(
        request,
        "letters/review/review_queue.html",
        {
            "awaiting_review": deadlines.with_next_deadlines(
                selectors.review_queue(user=request.user)
            ),
            "awaiting_publication": selectors.awaiting_publication(user=request.user),
        },
    )


def load_for_review(request, pk):
    visit = load_visit(request, pk)
    if not (permissions.is_qa_manager(request.user) or permissions.is_administrator(request.user)):
        raise PermissionDenied("Only QA managers review letters")
    return visit


def review_letter(request, pk, *, comment_form=None, return_form=None, status=200):
    visit = load_for_review(request, pk)
    letter = visit.letter
    comments = list(letter.comments.select_related("author", "item"))
    open_comments = [c for c in comments if c.resolved_at is None]
    # The last two submissions: what changed between them, and since the latest.
    recent = list(letter.submissions.order_by("-number")[:2])
    changes = compare(recent[1].snapshot, recent[0].snapshot) if len(recent) == 2 else None
    context = {
        "visit": visit,
        "letter": letter,
        "can_review": permissions.can_review(request.user, letter),
        "can_publish": permissions.can_publish(request.user, letter),
        "can_send_for_factual_accuracy": permissions.can_send_for_factual_accuracy(
            request.user, letter
        ),
        "can_sign_off": permissions.can_sign_off(request.user, letter),
        "timeline": deadlines.timeline(letter),
        "is_independent": permissions.is_independent(request.user, letter),
        "comments": comments,
        # The letter as it prints, shown in the page (letters/print/body.html).
        "doc": compose_letter(letter),
        "changes": changes if changes and not changes.is_empty else None,
        "resubmitted": len(recent) == 2,
        "comment_form": comment_form or restored_comment_form(request, letter),
        "return_form": return_form or ReturnForm(has_open_comments=bool(open_comments)),
        "unsubmitted_changes": bool(recent)
        and letter.status == letter.Status.IN_REVIEW
        and snapshot(letter) != recent[0].snapshot,
    }
    return render(request, "letters/review/review.html", context, status=status)


def restored_comment_form(request, letter):
    """The comment form, with the comment the QA manager kept and asked back, if any."""
    form = CommentForm(letter=letter)
    restore(request, form, key=reverse("letters:review-comment", args=[letter.visit_id]))
    return form


@require_POST
def review_comment(request, pk):
    visit = load_for_review(request, pk)
    letter = visit.letter
    if not permissions.can_review(request.user, letter):
        raise PermissionDenied("You cannot comment on this letter")
    form = CommentForm(request.POST, letter=letter)
    if not form.is_valid():
        return review_letter(request, pk, comment_form=form)
    services.comment_add(letter=letter, by=request.user, **form.cleaned_data)
    messages.success(request, "Comment added")
    return redirect(reverse("letters:review-letter", args=[pk]) + "#comments")


@require_POST
def review_return(request, pk):
    visit = load_for_review(request, pk)
    letter = visit.letter
    if not permissions.can_review(request.user, letter):
        raise PermissionDenied("You cannot return this letter")
    has_open = letter.comments.filter(resolved_at__isnull=True).exists()
    form = ReturnForm(request.POST, has_open_comments=has_open)
    if not form.is_valid():
        return review_letter(request, pk, return_form=form)
    services.letter_return(letter=letter, by=request.user, comment=form.cleaned_data["text"])
    messages.success(request, "Letter returned to the inspector")
    return redirect("letters:review-queue")


@require_POST
def review_approve(request, pk):
    """Approve the letter; while comments on it are open, only once the QA manager
    confirms (the confirmation page posts here again with confirm=1)."""
    visit = load_for_review(request, pk)
    letter = visit.letter
    if not permissions.can_review(request.user, letter):
        raise PermissionDenied("You cannot approve this letter")
    if request.POST.get("confirm") != "1":
        open_comments = list(
            letter.comments.filter(resolved_at__isnull=True).select_related("author__inspector")
        )
        if open_comments:
            return render(
                request,
                "letters/review/approve_confirm.html",
                {"visit": visit, "letter": letter, "open_comments": open_comments},
            )
    services.letter_approve(letter=letter, by=request.user)
    messages.success(request, "Letter approved. You can now publish it.")
    return redirect("letters:review-letter", pk)


def letter_timeline(request, pk):
    visit = load_visit(request, pk)
    if not permissions.can_read_timeline(request.user, visit.letter):
        raise PermissionDenied("Only QA managers and administrators read the audit log")
    return render(
        request,
        "letters/review/timeline.html",
        {
            "visit": visit,
            "letter": visit.letter,
            "events": history(events_about(visit.letter, visit)),
        },
    )


@require_POST
def letter_submit(request, pk):
    visit = load_visit(request, pk, edit=True)
    try:
        services.letter_submit(letter=visit.letter, by=request.user)
    except services.LetterNotReady:
        return redirect("letters:letter-checks", pk)
    messages.success(request, "Letter submitted for quality assurance")
    return redirect("letters:visit-detail", pk)


@require_POST
def comment_resolve(request, pk, comment_pk):
    visit = load_visit(request, pk)
    comment = get_object_or_404(visit.letter.comments.all(), pk=comment_pk)
    services.comment_resolve(comment=comment, by=request.user)
    messages.success(request, "Comment marked as resolved")
    anchor = f"item-{comment.item_id}" if comment.item_id else "comments"
    return redirect(reverse("letters:letter-editor", args=[pk]) + f"#{anchor}")
