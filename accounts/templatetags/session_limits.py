"""What the timeout warning (static/portal/timeout.js) reads from a signed-in page."""

from django import template
from django.conf import settings
from django.utils.html import format_html

from accounts.middleware import seconds_left

register = template.Library()


@register.simple_tag(takes_context=True)
def session_limits(context):
    """data- attributes for <body>: seconds until the session ends, and how long before
    that to warn. Nothing for a visitor who is not signed in."""
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return ""
    return format_html(
        ' data-session-expires-in="{}" data-session-warning="{}"',
        seconds_left(request.session),
        min(settings.SESSION_WARNING_SECONDS, settings.SESSION_COOKIE_AGE),
    )
