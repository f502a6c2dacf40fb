"""Prometheus metrics: what the portal's requests do, at /metrics, for a scraper with a token.

Only when DJANGO_METRICS_TOKEN is set: then settings puts MetricsMiddleware in MIDDLEWARE
and config/urls.py routes /metrics, which answers only `Authorization: Bearer <token>`
(404 to anyone else, as if it were not there). ProbeMiddleware answers it before the
session and sign-in middleware, like the load balancer's probes (config.health).

The metrics are prometheus_client's own, named as django-prometheus names them
(django_http_...), so its dashboards fit. django-prometheus itself is not used: its
latest release (2.5.0) declares Django < 6.1, and pip refuses it beside Django 6.1.

gunicorn's workers are separate processes, each counting its own requests. With
PROMETHEUS_MULTIPROC_DIR set (config/gunicorn.conf.py sets it), each writes its counts
to files there and /metrics adds up every worker's, whichever worker answers the scrape.
"""

import hmac
import os
import time

from django.conf import settings
from django.http import HttpResponse, HttpResponseNotFound
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)

from config.health import answered_first

# Label values come from a short list, never from the request: a client sending made-up
# methods must not make a new time series each.
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
# Up to a minute: a PDF prints within LETTER_RENDER_TIMEOUT_SECONDS (60 by default).
LATENCY_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, float("inf"))

requests_by_method = Counter(
    "django_http_requests_total_by_method", "Count of requests by method.", ["method"]
)
responses_by_status = Counter(
    "django_http_responses_total_by_status", "Count of responses by status.", ["status"]
)
latency_by_view_method = Histogram(
    "django_http_requests_latency_seconds_by_view_method",
    "Histogram of request processing time labelled by view.",
    ["view", "method"],
    buckets=LATENCY_BUCKETS,
)
exceptions_by_type = Counter(
    "django_http_exceptions_total_by_type", "Count of exceptions by object type.", ["type"]
)


def method_label(request):
    return request.method if request.method in METHODS else "other"


def view_label(request):
    match = getattr(request, "resolver_match", None)
    return (match.view_name or "<unnamed view>") if match else "<unresolved>"


class MetricsMiddleware:
    """Counts every request the portal serves (not the probes nor the scrapes, which
    ProbeMiddleware answers first) by method, status and view, and times it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        method = method_label(request)
        requests_by_method.labels(method).inc()
        response = self.get_response(request)
        latency_by_view_method.labels(view_label(request), method).observe(
            time.perf_counter() - started
        )
        responses_by_status.labels(str(response.status_code)).inc()
        return response

    def process_exception(self, request, exception):
        exceptions_by_type.labels(type(exception).__name__).inc()


def registry():
    """Every worker's metrics in multiprocess mode; this process's otherwise."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        collected = CollectorRegistry()
        multiprocess.MultiProcessCollector(collected)
        return collected
    return REGISTRY


def bearer_token_matches(request):
    expected = settings.METRICS_TOKEN
    if not expected:
        return False
    supplied = request.headers.get("Authorization", "")
    return hmac.compare_digest(supplied.encode(), f"Bearer {expected}".encode())


@answered_first
def metrics(request):
    """The metrics in Prometheus's text format, to the bearer of DJANGO_METRICS_TOKEN."""
    if not bearer_token_matches(request):
        # Not a 401: nobody without the token learns that there is anything here.
        return HttpResponseNotFound("Not Found", content_type="text/plain; charset=utf-8")
    return HttpResponse(generate_latest(registry()), content_type=CONTENT_TYPE_LATEST)
