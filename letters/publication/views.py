"""Publication: publishing an approved letter, corrections, and the published letters:
the local authority's list, the stored PDF and the HTML version."""

import hashlib
import io
import logging

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.middleware.csp import get_nonce
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from audit import services as audit
from letters import permissions, selectors
from letters.drafting.support import load_visit
from letters.models import Letter, PublishedVersion
from letters.publication import services
from letters.review.views import load_for_review

logger = logging.getLogger(__name__)


def published_letters(request):
    """The published letters the user may read, newest first (all versions, latest marked)."""
    versions = list(selectors.published_versions(user=request.user).order_by("-published_at"))
    latest = {}
    for version in versions:
        latest[version.letter_id] = max(version.number, latest.get(version.letter_id, 0))
    for version in versions:
        version.superseded = version.number < latest[version.letter_id]
    return render(request, "letters/publication/published_letters.html", {"versions": versions})


def load_version(request, version_pk, *, with_html=False):
    # Another authority's letter answers exactly as a letter that does not exist.
    versions = selectors.published_versions(user=request.user)
    if not with_html:
        versions = versions.defer("html")  # the whole letter: only the HTML page reads it
    version = versions.filter(pk=version_pk).first()
    if version is None:
        hidden = PublishedVersion.objects.filter(pk=version_pk).first()
        if hidden is not None:
            # It exists and the user may not read it: the same 404, and an audit event.
            audit.record_refusal(
                by=request.user, key=f"version:{version_pk}", target=(Letter, hidden.letter_id)
            )
        raise Http404("No such letter")
    return version


def file_name(version):
    day = version.letter_date or version.published_at.date()
    suffix = f"-v{version.number}" if version.number > 1 else ""
    return f"focused-visit-{slugify(version.authority.name)}-{day:%Y-%m-%d}{suffix}.pdf"


def version_pdf(request, version_pk):
    """The stored bytes of the published PDF, read through the storage (a folder or a
    bucket), and sent only if they still have the SHA-256 recorded at publication."""
    version = load_version(request, version_pk)
    with version.pdf.open("rb") as stored:
        pdf = stored.read()
    if hashlib.sha256(pdf).hexdigest() != version.sha256:
        # Changed since publication: nobody is given it, and it is not a download.
        logger.error(
            "Published version %s: the stored file %s does not match its SHA-256; not sent",
            version.pk,
            version.pdf.name,
        )
        response = render(request, "500.html", status=500)
        response["Cache-Control"] = "no-store"
        return response
    services.version_downloaded(version=version, by=request.user, kind="download")
    response = FileResponse(
        io.BytesIO(pdf),
        as_attachment=True,
        filename=file_name(version),
        content_type="application/pdf",
    )
    response["Cache-Control"] = "no-store"
    return response


def version_html(request, version_pk):
    """The accessible HTML version, as published."""
    version = load_version(request, version_pk, with_html=True)
    services.version_downloaded(version=version, by=request.user, kind="read")
    # The stored letter carries its stylesheet inline: it may run under this
    # response's nonce, and nothing else inline may.
    html = version.html.replace("<style>", f'<style nonce="{get_nonce(request)}">', 1)
    response = HttpResponse(html)
    response["Cache-Control"] = "no-store"
    return response


def review_publish(request, pk):
    visit = load_for_review(request, pk)
    letter = visit.letter
    if not permissions.can_publish(request.user, letter):
        raise PermissionDenied("You cannot publish this letter")
    if request.method == "POST":
        try:
            job = services.letter_publish_request(letter=letter, by=request.user)
        except services.LetterChangedSinceApproval as changed:
            messages.error(request, changed.messages[0])
            return redirect("letters:review-letter", pk)
        return redirect("jobs:status", job.pk)
    return render(request, "letters/review/publish.html", {"visit": visit, "letter": letter})


@require_POST
def letter_correct(request, pk):
    visit = load_visit(request, pk)
    services.letter_start_correction(letter=visit.letter, by=request.user)
    messages.success(
        request,
        "The letter is a draft again. Once approved and published, the correction "
        "will replace the current version.",
    )
    return redirect("letters:letter-editor", pk)
