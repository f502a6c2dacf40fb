"""The load balancer's probes, /healthz and /readyz, answered before anything else.

A load balancer asks each web node two questions, over plain HTTP, without signing in,
every few seconds:

- /healthz: is the process alive? 200 "ok" whenever Python answers at all. It touches
  nothing else, so a database outage never makes the balancer restart healthy processes.
- /readyz: can this node serve? The database, the cache, the file storage and the task
  queue each answer a cheap question; 200 when all do, 503 naming those that did not
  (by the exception's class only: its text may carry a host name or worse).

ProbeMiddleware, first in MIDDLEWARE, answers the views marked @answered_first (these two,
and /metrics when config.metrics is routed): before SecurityMiddleware's HTTPS redirect
(the balancer probes over HTTP) and its check of the Host header (it probes by address),
and before the session and sign-in middleware, so a probe never reads a session, sets a
cookie or looks up a user. The routes themselves are in config/urls.py, like every other.
"""

import logging
import uuid

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.middleware.csp import ContentSecurityPolicyMiddleware
from django.middleware.security import SecurityMiddleware
from django.urls import Resolver404, resolve
from django.utils.cache import patch_cache_control

logger = logging.getLogger(__name__)

# The only paths ProbeMiddleware resolves: every other request goes straight on.
PROBE_PATHS = frozenset({"/healthz", "/readyz", "/metrics"})


def answered_first(view):
    """Mark a view for ProbeMiddleware: answered before the rest of the middleware runs.

    Only for views that need no session, user, CSRF or HTTPS, and that protect themselves
    (the probes say nothing secret; /metrics checks its own token). Still login_not_required,
    for the day the view is reached some other way.
    """
    view = login_not_required(view)
    view.answered_first = True
    return view


class ProbeMiddleware:
    """Answers the probes (views marked @answered_first) before any other middleware.

    Resolves only the few PROBE_PATHS, so every other request costs one set lookup.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        # Only their process_response is used: security headers, CSP, X-Frame-Options.
        self.header_middleware = [
            SecurityMiddleware(get_response),
            ContentSecurityPolicyMiddleware(get_response),
            XFrameOptionsMiddleware(get_response),
        ]

    def __call__(self, request):
        if request.path_info in PROBE_PATHS:
            try:
                match = resolve(request.path_info)
            except Resolver404:
                match = None
            if match is not None and getattr(match.func, "answered_first", False):
                response = match.func(request, *match.args, **match.kwargs)
                # The headers every response of the portal carries (the other
                # middleware's), and no caching.
                for middleware in self.header_middleware:
                    response = middleware.process_response(request, response)
                patch_cache_control(response, no_store=True)
                return response
        return self.get_response(request)


@answered_first
def healthz(request):
    """The process is alive: nothing is asked of the database or anything else."""
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


def check_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_cache():
    # A key of its own each time: two probes at once never see each other's value.
    key = f"readyz-probe:{uuid.uuid4().hex}"
    cache.set(key, "ok", timeout=30)
    try:
        if cache.get(key) != "ok":
            raise CacheMiss("the probe key was not read back")
    finally:
        cache.delete(key)


class CacheMiss(Exception):
    """The cache took the probe key but did not give it back."""


def check_storage():
    # Asks the storage about a name nobody writes: a local folder answers False at once;
    # object storage (S3) is asked over the network, and raises when it cannot be reached
    # or the credentials are refused. Nothing is written.
    default_storage.exists("readyz-probe")


DATABASE_TASK_BACKENDS = ("django_tasks_db.",)


def check_task_queue():
    """The task queue's table answers, when the queue is the database (django-tasks-db).

    Other backends (run at once, in the tests) have nothing to reach: ok.
    """
    backend = getattr(settings, "TASKS", {}).get("default", {}).get("BACKEND", "")
    if not backend.startswith(DATABASE_TASK_BACKENDS):
        return
    # Imported only here: the package is there only when it is the queue.
    from django_tasks_db.models import DBTaskResult

    # Counts the tasks waiting, through the partial index on ready rows.
    DBTaskResult.objects.filter(status="READY").count()


# Each check by the name /readyz reports it under, in the order they run.
CHECKS = {
    "database": check_database,
    "cache": check_cache,
    "storage": check_storage,
    "task_queue": check_task_queue,
}


@answered_first
def readyz(request):
    """Every dependency answers: 200; otherwise 503, naming each that did not."""
    results = {}
    for name, check in CHECKS.items():
        try:
            check()
        except Exception as error:
            # The class name only, in the response; the whole error in the log.
            results[name] = f"failed: {type(error).__name__}"
            logger.warning("readyz: the %s check failed", name, exc_info=True)
        else:
            results[name] = "ok"
    ready = all(result == "ok" for result in results.values())
    return JsonResponse(
        {"status": "ok" if ready else "unavailable", "checks": results},
        status=200 if ready else 503,
    )
