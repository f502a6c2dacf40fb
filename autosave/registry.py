"""Which forms keep what is typed into them: the URL names the app above registers.

The letters app knows its forms and who may use them; this app may not import it, so
letters tells it at start-up (letters.drafting.autosaving): register(url_name, may=...),
where may(user, **url_kwargs) says whether the user may use that form now. A key is the
path of a form's page; only a path that resolves to a registered URL name, for a user
who may use the form, is ever stored.
"""

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.urls import Resolver404, resolve, reverse


@dataclass(frozen=True)
class Form:
    url_name: str
    may: object  # may(user, **kwargs) -> bool
    page: str | None  # the URL name of the page showing the form, if not its own

    def page_url(self, kwargs):
        return reverse(self.page, kwargs=kwargs) if self.page else None


FORMS = {}


def register(url_name, *, may, page=None):
    """Keep what is typed in the form at url_name. page: the URL name of the page the form
    is on, when the form posts elsewhere (a comment form on the review page)."""
    FORMS[url_name] = Form(url_name, may, page)


def form_key(path):
    """(key, form, url kwargs) for the path of a registered form, or None.

    The key is the path alone: no scheme, host, query or fragment."""
    if not isinstance(path, str) or len(path) > 300:
        return None
    key = urlsplit(path).path
    if not key.startswith("/") or key.startswith("//"):
        return None
    try:
        match = resolve(key)
    except Resolver404:
        return None
    form = FORMS.get(match.view_name)
    if form is None:
        return None
    return key, form, match.kwargs


def page_of(key):
    """Where the form of a key is shown (its own path, unless registered otherwise)."""
    found = form_key(key)
    if found is None:
        return "/"
    key, form, kwargs = found
    return form.page_url(kwargs) or key


def users_form(user, path):
    """The key of a registered form the user may use now, or None."""
    found = form_key(path)
    if found is None or not user.is_authenticated:
        return None
    key, form, kwargs = found
    return key if form.may(user, **kwargs) else None
