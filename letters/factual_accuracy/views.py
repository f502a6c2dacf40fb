"""The factual-accuracy round's pages.

The QA manager's: sending the approved letter to the authority, and signing off the final
letter with its publication date. The team's: the authority's comments, and answering
each. The authority's: its letter (by paragraphs, with a link to comment on each), a
comment, submitting the response, and the letter as PDF and HTML, marked as a draft for
factual accuracy check until it is final. The authority's pages answer 404 for any letter
it may not read now (letters.selectors.letter_for_authority), as for no letter at all.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import slugify

from letters import clock, permissions, selectors
from letters.drafting.support import load_visit
from letters.factual_accuracy import services
from letters.factual_accuracy.forms import (
    AnswerForm,
    FactualAccuracyCommentForm,
    PublicationDateForm,
)
from letters.models import FactualAccuracyComment, Item, Letter
from letters.publication import schedule
from letters.publication.services import LetterChangedSinceApproval
from letters.rendering.pdf import FACTUAL_ACCURACY, letter_html, letter_pdf
from letters.review.views import load_for_review


def _mark(letter):
    """The draft's mark: none once the letter is final."""
    return False if letter.status == Letter.Status.FINAL else FACTUAL_ACCURACY


# The QA manager's pages.


def factual_accuracy_send(request, pk):
    """Asks, then sends the approved letter to its authority for factual accuracy check."""
    visit = load_for_review(request, pk)
    letter = visit.letter
    if not permissions.can_send_for_factual_accuracy(request.user, letter):
        raise PermissionDenied("You cannot send this letter to the local authority")
    if request.method == "POST":
        try:
            letter = services.letter_send_for_factual_accuracy(letter=letter, by=request.user)
        except LetterChangedSinceApproval as changed:
            messages.error(request, changed.messages[0])
            return redirect("letters:review-letter", pk)
        messages.success(
            request,
            f"Letter sent to {visit.authority} for factual accuracy check. Its comments are "
            f"due by {letter.fa_deadline:%-d %B %Y}.",
        )
        return redirect("letters:review-letter", pk)
    deadline = services.factual_accuracy_deadline(letter, sent_on=clock.today())
    return render(
        request,
        "letters/factual_accuracy/send.html",
        {"visit": visit, "letter": letter, "deadline": deadline},
    )


def sign_off(request, pk):
    """The final letter's publication date, then sign-off."""
    visit = load_for_review(request, pk)
    letter = visit.letter
    if not permissions.can_sign_off(request.user, letter):
        raise PermissionDenied("You cannot sign off this letter")
    responded = letter.status == letter.Status.FA_RESPONDED
    comments = list(services.round_comments(letter)) if responded else []
    unanswered = [comment for comment in comments if not comment.answer]
    if request.method == "POST":
        form = PublicationDateForm(request.POST, letter=letter)
        if unanswered:
            form.add_error(
                None, "Every comment from the local authority needs an answer before you sign off"
            )
        if form.is_valid():
            try:
                services.letter_sign_off(letter=letter, by=request.user, **form.cleaned_data)
            except ValidationError as refused:
                form.add_error(None, refused)
            else:
                messages.success(
                    request,
                    "Letter signed off as final. It will be published on "
                    f"{form.cleaned_data['publication_date']:%-d %B %Y}.",
                )
                return redirect("letters:review-letter", pk)
    else:
        form = PublicationDateForm(
            letter=letter,
            initial={"publication_date": schedule.default_publication_date(letter)},
        )
    return render(
        request,
        "letters/factual_accuracy/sign_off.html",
        {
            "visit": visit,
            "letter": letter,
            "form": form,
            "comments": comments,
            "unanswered": unanswered,
            "responded": responded,
            "earliest": schedule.earliest_publication_date(letter),
        },
    )


# The team's pages.


def factual_accuracy_comments(request, pk):
    """The authority's comments of the current round and their answers (once it has
    responded: until then they are its own)."""
    visit = load_visit(request, pk)
    letter = visit.letter
    responded = letter.fa_responded_at is not None
    return render(
        request,
        "letters/factual_accuracy/comments.html",
        {
            "visit": visit,
            "letter": letter,
            "responded": responded,
            "comments": list(services.round_comments(letter)) if responded else [],
            "can_answer": permissions.can_answer_factual_accuracy(request.user, letter),
            "can_sign_off": permissions.can_sign_off(request.user, letter),
        },
    )


def factual_accuracy_answer(request, pk, comment_pk):
    visit = load_visit(request, pk)
    letter = visit.letter
    if not permissions.can_answer_factual_accuracy(request.user, letter):
        raise PermissionDenied("You cannot answer the authority's comments now")
    comment = get_object_or_404(services.round_comments(letter), pk=comment_pk)
    if request.method == "POST":
        form = AnswerForm(request.POST)
        if form.is_valid():
            try:
                services.factual_accuracy_answer(
                    comment=comment, by=request.user, **form.cleaned_data
                )
            except ValidationError as refused:
                form.add_error(None, refused)
            else:
                messages.success(request, "Answer saved")
                return redirect("letters:factual-accuracy-comments", pk)
    else:
        form = AnswerForm(initial={"answer": comment.answer, "reason": comment.reason})
    return render(
        request,
        "letters/factual_accuracy/answer.html",
        {"visit": visit, "letter": letter, "comment": comment, "form": form},
    )


# The authority's pages.


def authority_letter(request, pk):
    letter = selectors.letter_for_authority(user=request.user, pk=pk)
    comments = list(services.round_comments(letter))
    return render(
        request,
        "letters/factual_accuracy/authority_letter.html",
        {
            "visit": letter.visit,
            "letter": letter,
            "comments": comments,
            "can_comment": permissions.can_comment_on_factual_accuracy(request.user, letter),
            "publication_date": (
                schedule.effective_publication_date(letter)
                if letter.status == Letter.Status.FINAL
                else None
            ),
        },
    )


def authority_comment(request, pk):
    letter = selectors.letter_for_authority(user=request.user, pk=pk)
    if not permissions.can_comment_on_factual_accuracy(request.user, letter):
        raise PermissionDenied("The response has been submitted: no more comments")
    if request.method == "POST":
        form = FactualAccuracyCommentForm(request.POST, letter=letter)
        if form.is_valid():
            services.factual_accuracy_comment_add(
                letter=letter, by=request.user, **form.cleaned_data
            )
            messages.success(request, "Comment added. Submit your response when you have finished.")
            return redirect(reverse("letters:authority-letter", args=[pk]) + "#comments")
    else:
        item = None
        if request.GET.get("item", "").isdigit():
            item = Item.objects.filter(section__letter=letter, pk=request.GET["item"]).first()
        form = FactualAccuracyCommentForm(letter=letter, initial={"item": item})
    item_pk = form["item"].value()
    item = (
        Item.objects.filter(section__letter=letter, pk=item_pk).select_related("section").first()
        if str(item_pk or "").isdigit()
        else None
    )
    return render(
        request,
        "letters/factual_accuracy/authority_comment.html",
        {"visit": letter.visit, "letter": letter, "form": form, "item": item},
    )


def authority_respond(request, pk):
    """Asks, then submits the authority's response."""
    letter = selectors.letter_for_authority(user=request.user, pk=pk)
    if not permissions.can_respond_to_factual_accuracy(request.user, letter):
        raise PermissionDenied("The response has been submitted already")
    if request.method == "POST":
        letter = services.letter_respond_to_factual_accuracy(letter=letter, by=request.user)
        late = (
            " It arrived after the deadline, and has been accepted."
            if (letter.fa_response_late)
            else ""
        )
        messages.success(request, f"Response submitted. Ofsted will answer your comments.{late}")
        return redirect("letters:authority-letter", pk)
    comments = FactualAccuracyComment.objects.filter(letter=letter, round=letter.fa_round)
    return render(
        request,
        "letters/factual_accuracy/respond.html",
        {"visit": letter.visit, "letter": letter, "comment_count": comments.count()},
    )


def authority_letter_pdf(request, pk):
    letter = selectors.letter_for_authority(user=request.user, pk=pk)
    mark = _mark(letter)
    response = HttpResponse(letter_pdf(letter, draft=mark), content_type="application/pdf")
    kind = "final" if not mark else "factual-accuracy-draft"
    visit = letter.visit
    name = f"{kind}-focused-visit-{slugify(visit.authority.name)}-{visit.start_date:%Y-%m-%d}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


def authority_letter_html(request, pk):
    letter = selectors.letter_for_authority(user=request.user, pk=pk)
    response = HttpResponse(letter_html(letter, for_print=False, draft=_mark(letter)))
    response["Cache-Control"] = "no-store"
    return response
