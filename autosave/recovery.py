"""Offering kept text back: in the form the user opens, and after a session that ended
while they typed.

A form that keeps its text carries a signed token of the user who opened it
(OWNER_FIELD). If it is posted after the session ended (anonymous, sent to sign in), the
middleware keeps the posted values in the new, anonymous session (PENDING) with the
token's user. Signing in keeps that session's data (Django's login() keeps the data of a
session that had no user); if the user who signs in is the token's user, the values
become their draft and the form opens with them (RECOVERED). Anyone else never sees
them: they are dropped.
"""

from django.core import signing
from django.core.exceptions import ValidationError
from django.http import QueryDict

from autosave import services

OWNER_FIELD = "_autosave_owner"
OWNER_SALT = "autosave.owner"
# A form's token is good for a day: longer than any session (12 hours at most).
OWNER_MAX_AGE = 24 * 60 * 60
PENDING = "autosave_pending"
RECOVERED = "autosave_recovered"


def owner_token(user):
    return signing.dumps(user.pk, salt=OWNER_SALT)


def owner_of(token):
    """The id of the user whose page the form was, or None."""
    try:
        return signing.loads(token or "", salt=OWNER_SALT, max_age=OWNER_MAX_AGE)
    except signing.BadSignature:
        return None


def posted_values(post):
    """A posted form's values as a draft keeps them (lists of strings)."""
    return dict(post.lists())


def keep_posted_text(request, key):
    """The text of a form posted after the session ended, kept until the user signs in."""
    owner = owner_of(request.POST.get(OWNER_FIELD))
    if owner is None:
        return False
    try:
        data = services.clean_data(posted_values(request.POST))
    except ValidationError:
        return False
    request.session[PENDING] = {"owner": owner, "key": key, "data": data}
    return True


def signed_in(request, user):
    """At sign-in: the kept text becomes the user's draft, only if it was theirs."""
    session = getattr(request, "session", None)
    pending = session.pop(PENDING, None) if session is not None else None
    if not isinstance(pending, dict) or pending.get("owner") != user.pk:
        return
    try:
        draft = services.draft_save(by=user, key=pending["key"], data=pending["data"])
    except ValidationError:
        return  # the form is no longer theirs to use (the letter moved on, say)
    session[RECOVERED] = draft.key


def as_posted(data):
    """A draft's values as the form posted them, for its widgets to read."""
    posted = QueryDict(mutable=True)
    for name, values in data.items():
        posted.setlist(name, values)
    return posted


def restore(request, form, *, key=None):
    """Fill an unbound form with the user's kept text, when they asked (?restore=1) or
    have just signed in again after their session ended while they typed.

    Sets request.autosave_restored (the key and how) for the banner that says so."""
    if request.method != "GET":
        return False
    key = key or request.path
    if request.session.get(RECOVERED) == key:
        request.session.pop(RECOVERED)
        how = "recovered"
    elif request.GET.get("restore") == "1":
        how = "restored"
    else:
        return False
    draft = services.draft_for(user=request.user, key=key)
    if draft is None:
        return False
    data = as_posted(draft.data)
    for name, field in form.fields.items():
        widget, posted_name = field.widget, form.add_prefix(name)
        if not widget.value_omitted_from_data(data, {}, posted_name):
            form.initial[name] = widget.value_from_datadict(data, {}, posted_name)
    request.autosave_restored = (key, how, draft)
    return True
