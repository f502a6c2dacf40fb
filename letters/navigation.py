from django.urls import reverse

from accounts.middleware import needs_second_factor
from letters import permissions


def navigation(request):
    """The service navigation for the signed-in user's roles."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    items = []
    if needs_second_factor(user) and not user.is_verified():
        return {"navigation": []}  # nothing opens until the one-time code is given
    if permissions.is_inspector(user):
        items.append(("Your visits", reverse("letters:visit-list")))
        items.append(("Create a visit", reverse("letters:visit-create")))
    if permissions.is_qa_manager(user):
        items.append(("Letters to review", reverse("letters:review-queue")))
    if permissions.authority_of(user) is not None:
        items.append(("Your letters", reverse("letters:authority-letters")))
    elif permissions.is_qa_manager(user) or permissions.is_inspector(user):
        items.append(("Published letters", reverse("letters:authority-letters")))
    if permissions.is_administrator(user):
        items.append(("Administration", reverse("admin:index")))
    path = request.path
    return {
        "navigation": [{"label": label, "url": url, "current": path == url} for label, url in items]
    }
