"""A form that keeps what is typed in it: its attributes, its owner token and its banner.

    <form method="post" {% autosave_form_attrs %}>{% csrf_token %}{% autosave_owner %}
    {% autosave_banner form %}

Each takes the key (the form's page path) when the form posts elsewhere, and renders
nothing for a form that is not registered (autosave.registry).
"""

from django import template
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from autosave import recovery, registry, services

register = template.Library()


def registered_key(context, key):
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return None, None
    found = registry.form_key(key or request.path)
    return request, (found[0] if found else None)


@register.simple_tag(takes_context=True)
def autosave_form_attrs(context, key=None):
    request, key = registered_key(context, key)
    if key is None:
        return ""
    return format_html(
        ' data-autosave="{}" data-autosave-user="{}" data-autosave-url="{}"'
        ' data-autosave-discard-url="{}"',
        key,
        request.user.pk,
        reverse("autosave:save"),
        reverse("autosave:discard"),
    )


@register.simple_tag(takes_context=True)
def autosave_owner(context, key=None):
    request, key = registered_key(context, key)
    if key is None:
        return ""
    return format_html(
        '<input type="hidden" name="{}" value="{}">',
        recovery.OWNER_FIELD,
        recovery.owner_token(request.user),
    )


def normalised(value):
    return "\n".join(line.rstrip() for line in str(value).replace("\r\n", "\n").split("\n")).strip()


def differs(form, data):
    """Whether a kept draft says anything the form does not say already (hidden fields,
    such as the revision, aside)."""
    posted = recovery.as_posted(data)
    for name, field in form.fields.items():
        widget, posted_name = field.widget, form.add_prefix(name)
        if widget.is_hidden or widget.value_omitted_from_data(posted, {}, posted_name):
            continue
        value = widget.value_from_datadict(posted, {}, posted_name)
        initial = form[name].initial
        if isinstance(value, str) and isinstance(initial, str | type(None)):
            if normalised(value) != normalised(initial or ""):
                return True
        elif field.has_changed(initial, value):
            return True
    return False


def when(moment):
    local = timezone.localtime(moment)
    if local.date() == timezone.localdate():
        return local.strftime("%H:%M")
    return f"{local:%H:%M} on {local.day} {local:%B %Y}"


@register.simple_tag(takes_context=True)
def autosave_banner(context, form, key=None):
    """The banner that offers kept text back (or says it is back), and the template the
    page's script fills for text kept in the browser."""
    request, key = registered_key(context, key)
    if key is None:
        return ""
    state = {"key": key, "discard_url": reverse("autosave:discard")}
    restored = getattr(request, "autosave_restored", None)
    if restored and restored[0] == key:
        state.update(how=restored[1], at=when(restored[2].updated_at))
    elif request.method == "GET" and not form.is_bound:
        draft = services.draft_for(user=request.user, key=key)
        if draft is not None and differs(form, draft.data):
            state.update(
                how="offered",
                at=when(draft.updated_at),
                timestamp=int(draft.updated_at.timestamp() * 1000),
                restore_url=f"{request.path}?restore=1",
            )
    return render_to_string("autosave/banner.html", state, request=request)
