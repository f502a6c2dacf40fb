"""Published letters: the local authority's list, the stored PDF and the HTML version."""

from django.http import FileResponse, Http404, HttpResponse
from django.middleware.csp import get_nonce
from django.shortcuts import render
from django.utils.text import slugify

from findings import audit, selectors, services
from findings.models import PublishedVersion


def published_letters(request):
    """The published letters the user may read, newest first (all versions, latest marked)."""
    versions = list(selectors.published_versions(user=request.user).order_by("-published_at"))
    latest = {}
    for version in versions:
        latest[version.letter_id] = max(version.number, latest.get(version.letter_id, 0))
    for version in versions:
        version.superseded = version.number < latest[version.letter_id]
    return render(request, "findings/published_letters.html", {"versions": versions})


def load_version(request, version_pk, *, with_html=False):
    # Another authority's letter answers exactly as a letter that does not exist.
    versions = selectors.published_versions(user=request.user)
    if not with_html:
        versions = versions.defer("html")  # the whole letter: only the HTML page reads it
    version = versions.filter(pk=version_pk).first()
    if version is None:
        hidden = PublishedVersion.objects.select_related("letter").filter(pk=version_pk).first()
        if hidden is not None:
            # It exists and the user may not read it: the same 404, and an audit event.
            audit.record("access.refused", actor=request.user, letter=hidden.letter)
        raise Http404("No such letter")
    return version


def file_name(version):
    day = version.letter_date or version.published_at.date()
    suffix = f"-v{version.number}" if version.number > 1 else ""
    return f"focused-visit-{slugify(version.authority.name)}-{day:%Y-%m-%d}{suffix}.pdf"


def version_pdf(request, version_pk):
    """The stored bytes of the published PDF."""
    version = load_version(request, version_pk)
    stored = version.pdf.open("rb")  # closed by the response once sent
    services.version_downloaded(version=version, by=request.user, kind="download")
    response = FileResponse(
        stored, as_attachment=True, filename=file_name(version), content_type="application/pdf"
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
