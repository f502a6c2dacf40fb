import functools

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

from accounts.middleware import needs_second_factor
from letters import permissions

PAGES = {
    "visits": ("Your visits", "letters:visit-list"),
    "create": ("Create a visit", "letters:visit-create"),
    "review": ("Letters to review", "letters:review-queue"),
    "in_flight": ("Letters in flight", "letters:letters-in-flight"),
    "own_letters": ("Your letters", "letters:authority-letters"),
    "published": ("Published letters", "letters:authority-letters"),
    "calendar": ("Calendar feed", "letters:calendar-feed"),
    "admin": ("Administration", "admin:index"),
}


def page_url(name):
    """The URL of a page whose URL takes no arguments, such as those every page links to
    in its header and footer (templates/base.html): reversed once a process for each
    script prefix and URLconf, not on every page."""
    return _reversed(name, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)


@functools.lru_cache(maxsize=64)
def _reversed(name, script_prefix, urlconf):
    return reverse(name, urlconf)


@functools.lru_cache(maxsize=8)
def links(script_prefix, urlconf):
    """Each page's (label, URL): reversed once a process for each script prefix and
    URLconf, not on every page."""
    return {key: (label, reverse(name, urlconf)) for key, (label, name) in PAGES.items()}


def navigation(request):
    """The service navigation for the signed-in user's roles."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    if needs_second_factor(user) and not user.is_verified():
        return {"navigation": []}  # nothing opens until the one-time code is given
    keys = []
    if permissions.is_inspector(user):
        keys += ["visits", "create"]
    if permissions.is_qa_manager(user):
        keys += ["review", "in_flight"]
    if permissions.authority_of(user) is not None:
        keys.append("own_letters")
    elif permissions.is_qa_manager(user) or permissions.is_inspector(user):
        keys.append("published")
    if keys:  # someone with letters has deadlines
        keys.append("calendar")
    if permissions.is_administrator(user):
        keys.append("admin")
    pages = links(get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)
    items = [pages[key] for key in keys]
    path = request.path
    return {
        "navigation": [{"label": label, "url": url, "current": path == url} for label, url in items]
    }
