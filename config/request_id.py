"""A request id on every log line the portal writes (JSON or text: settings.LOGGING).

RequestIdMiddleware gives each request an id: the proxy's X-Request-ID when it is a sane
token, so the proxy's access log and the portal's lines join up, or a new one. The id is
sent back in the response's X-Request-ID (someone reporting a fault can quote it) and
kept in a context variable until the response is closed, where RequestIdFilter, on the
log handler, puts it on every record logged meanwhile, the portal's and Django's alike.

Imported by the LOGGING setting, so nothing here may import the apps.
"""

import contextvars
import logging
import re
import uuid

from django.core.signals import request_finished

HEADER = "X-Request-ID"
# What a proxy's or load balancer's id looks like (a UUID, hex, or a dotted trace id).
# Anything else (a newline that would forge a log line, a megabyte) is replaced.
SANE_ID = re.compile(r"[A-Za-z0-9._-]{1,200}")
# Outside a request (a command, the task worker, start-up): this instead of an id.
NO_REQUEST = "-"

request_id = contextvars.ContextVar("request_id", default=NO_REQUEST)


def accept_or_make(supplied):
    if supplied and SANE_ID.fullmatch(supplied):
        return supplied
    return uuid.uuid4().hex


class RequestIdMiddleware:
    """Gives each request an id, for its log lines and its response's X-Request-ID."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        value = accept_or_make(request.headers.get(HEADER))
        request.request_id = value
        # Kept until the response is closed (end_of_request), not only while the middleware
        # runs: Django logs a 4xx response ("Not Found: ...") after the middleware returns.
        request_id.set(value)
        response = self.get_response(request)
        response.headers[HEADER] = value
        return response


def end_of_request(**kwargs):
    """The response is sent: a worker thread's lines are no longer this request's."""
    request_id.set(NO_REQUEST)


request_finished.connect(end_of_request, dispatch_uid="config.request_id.end_of_request")


class RequestIdFilter(logging.Filter):
    """Puts the current request's id on every record (NO_REQUEST outside one)."""

    def filter(self, record):
        if not hasattr(record, "request_id"):
            record.request_id = request_id.get()
        return True
