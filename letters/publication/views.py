"""Publication: publishing an approved letter, corrections, and the published letters:
the local authority's list, the stored PDF and the HTML version."""

import hashlib
import io
import logging
import re

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.middleware.csp import get_nonce
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import slugify

from audit import services as audit
from letters import deadlines, permissions, selectors
from letters.drafting.support import load_visit
from letters.models import Letter, PublishedVersion
from letters.publication import services
from letters.review.views import load_for_review

logger = logging.getLogger(__name__)


def published_letters(request):
    """The published letters the user may read, newest first (all versions, latest marked)."""
    versions = list(
        selectors.published_versions_listed_for(user=request.user).order_by("-published_at")
    )
    latest = {}
    for version in versions:
        latest[version.letter_id] = max(version.number, latest.get(version.letter_id, 0))
    for version in versions:
        version.superseded = version.number < latest[version.letter_id]
    return render(
        request,
        "letters/publication/published_letters.html",
        {
            "versions": versions,
            # The authority's own letters before publication (none for anyone else).
            # Soonest deadline first.
            "before_publication": deadlines.by_deadline(
                deadlines.with_next_deadlines(
                    selectors.letters_shared_with_authority(user=request.user),
                    keys=deadlines.AUTHORITY_STEPS,
                )
            ),
            # The authority's priority-action follow-ups (none for anyone else).
            "follow_ups": selectors.follow_ups_of_authority(user=request.user),
        },
    )


def load_version(request, version_pk, *, with_html=False):
    versions = selectors.published_versions()
    if not with_html:
        versions = versions.defer("html")  # the whole letter: only the HTML page reads it
    version = versions.filter(pk=version_pk).first()
    if version is not None and not permissions.can_read_published(request.user, version):
        version = None
    if version is None:
        hidden = PublishedVersion.objects.filter(pk=version_pk).first()
        if hidden is not None:
            # It exists and the user may not read it: the same 404, and an audit event.
            audit.record_refusal(
                by=request.user, key=f"version:{version_pk}", target=(Letter, hidden.letter_id)
            )
        raise Http404("No such letter")
    return version


def stored_unchanged(field_file, sha256, *, what):
    """The stored file's bytes, read through the storage (a folder or a bucket), if they
    still have the SHA-256 recorded when it was stored; otherwise None, logged: a file
    changed since is given to nobody, and is not a download."""
    with field_file.open("rb") as stored:
        data = stored.read()
    if hashlib.sha256(data).hexdigest() == sha256:
        return data
    logger.error(
        "%s: the stored file %s does not match its SHA-256; not sent", what, field_file.name
    )
    return None


def changed_file_response(request):
    """The answer for a stored file that stored_unchanged refused."""
    response = render(request, "500.html", status=500)
    response["Cache-Control"] = "no-store"
    return response


def file_name(version):
    day = version.letter_date or version.published_at.date()
    suffix = f"-v{version.number}" if version.number > 1 else ""
    return f"focused-visit-{slugify(version.authority.name)}-{day:%Y-%m-%d}{suffix}.pdf"


@login_not_required
def version_pdf(request, version_pk):
    """The stored bytes of the published PDF, read through the storage (a folder or a
    bucket), and sent only if they still have the SHA-256 recorded at publication."""
    version = load_version(request, version_pk)
    pdf = stored_unchanged(version.pdf, version.sha256, what=f"Published version {version.pk}")
    if pdf is None:
        return changed_file_response(request)
    services.version_downloaded(version=version, by=request.user, kind="download")
    response = FileResponse(
        io.BytesIO(pdf),
        as_attachment=True,
        filename=file_name(version),
        content_type="application/pdf",
    )
    response["Cache-Control"] = "no-store"
    return response


@login_not_required
def version_html(request, version_pk):
    """The accessible HTML version, as published: everyone's, signed in or not."""
    version = load_version(request, version_pk, with_html=True)
    services.version_downloaded(version=version, by=request.user, kind="read")
    back = None
    if not request.user.is_authenticated:
        # Someone not signed in came from the public register: back to the letter's page.
        back = (
            reverse("letters:register-letter", args=[version.letter_id]),
            "Back to the register",
        )
    response = HttpResponse(served_html(version.html, nonce=get_nonce(request), back=back))
    response["Cache-Control"] = "no-store"
    return response


# The stored stylesheet names its fonts from where the static files keep it
# (static/letters/letter.css -> ../fonts/); inline in /letters/<id>/ that would be
# /letters/fonts/, so the portal names them from its root, as its static files are now.
STORED_FONT_URL = re.compile(r'url\("\.\./fonts/([A-Za-z0-9_.-]+)"\)')


def served_font_url(match):
    try:
        return f'url("{static("fonts/" + match[1])}")'
    except ValueError:  # a font no longer among the static files: left as it was
        return match[0]


def served_html(html, *, nonce, back=None):
    """A published version's stored HTML as the portal serves it; the stored version itself
    never changes. Its inline stylesheet may run under this response's nonce (nothing else
    inline may), its fonts are named from the root, and a link at the top of the page leads
    back to the published letters (or to `back`, a (url, text) pair). Only the document's
    head and its body's opening tag are touched: everything after is the letter's escaped
    text."""
    head, body_tag, body = html.partition("<body")
    head = head.replace("<style>", f'<style nonce="{nonce}">', 1)
    head = STORED_FONT_URL.sub(served_font_url, head)
    if body_tag:
        opening, end, rest = body.partition(">")
        url, text = back or (reverse("letters:authority-letters"), "Back to published letters")
        link = format_html(
            '\n<nav class="letter-nav" aria-label="Published letters"><a href="{}">{}</a></nav>',
            url,
            text,
        )
        body = f"{opening}{end}{link}{rest}"
    return head + body_tag + body


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


def letter_correct(request, pk):
    """Asks, then makes the published letter a draft again (letter_start_correction)."""
    visit = load_visit(request, pk)
    if not permissions.can_start_correction(request.user, visit.letter):
        raise PermissionDenied("Only the team or a QA manager can correct a published letter")
    if request.method != "POST":
        return render(request, "letters/publication/correct.html", {"visit": visit})
    services.letter_start_correction(letter=visit.letter, by=request.user)
    messages.success(
        request,
        "The letter is a draft again. Once approved and published, the correction "
        "will replace the current version.",
    )
    return redirect("letters:letter-editor", pk)
