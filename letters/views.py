"""The portal's own pages: each role's start, and the refusal page."""

from django.shortcuts import redirect, render

from audit import services as audit
from letters import permissions


def permission_denied(request, exception=None):
    """403: the page says what happened, and the refusal goes into the audit log."""
    audit.record_refusal(
        by=request.user,
        key=f"{request.method} {request.path}",
        method=request.method,
        path=request.path,
    )
    return render(request, "403.html", status=403)


def home(request):
    """Each role's starting page."""
    if permissions.is_inspector(request.user):
        return redirect("letters:visit-list")
    if permissions.is_qa_manager(request.user):
        return redirect("letters:review-queue")
    if permissions.authority_of(request.user) is not None:
        return redirect("letters:authority-letters")
    if permissions.is_administrator(request.user):
        return redirect("admin:index")
    return render(request, "home.html")
