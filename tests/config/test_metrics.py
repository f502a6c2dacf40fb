"""/metrics: there only with DJANGO_METRICS_TOKEN, and then only to the token's bearer.

MIDDLEWARE and the URLs are settled when the settings and config.urls are first imported,
so the portal with the token set is tried in a process of its own (served_with_a_token);
the view and the middleware are also tried here, directly.
"""

import json
import os
import subprocess
import sys
import textwrap

import pytest
from django.http import HttpResponse
from django.test import RequestFactory, override_settings
from prometheus_client import REGISTRY

from config import metrics
from tests.conftest import PROJECT_ROOT

TOKEN = "a-long-random-scrape-token"


@pytest.mark.django_db
def test_without_the_setting_there_is_no_metrics_page(client, settings):
    if settings.METRICS_TOKEN:
        pytest.skip("DJANGO_METRICS_TOKEN is set in this environment")
    assert "config.metrics.MetricsMiddleware" not in settings.MIDDLEWARE
    response = client.get("/metrics", headers={"Authorization": "Bearer "})
    assert response.status_code == 404


@pytest.mark.parametrize(
    "authorization",
    [None, "", f"Basic {TOKEN}", "Bearer wrong", f"Bearer {TOKEN}x", f"bearer{TOKEN}", "Bearer "],
)
def test_the_view_refuses_anyone_without_the_token(authorization):
    headers = {} if authorization is None else {"Authorization": authorization}
    request = RequestFactory().get("/metrics", headers=headers)
    with override_settings(METRICS_TOKEN=TOKEN):
        response = metrics.metrics(request)
    assert response.status_code == 404


def test_the_view_refuses_everyone_when_no_token_is_set():
    request = RequestFactory().get("/metrics", headers={"Authorization": "Bearer "})
    with override_settings(METRICS_TOKEN=""):
        assert metrics.metrics(request).status_code == 404


def test_the_view_answers_the_bearer():
    request = RequestFactory().get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    with override_settings(METRICS_TOKEN=TOKEN):
        response = metrics.metrics(request)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert b"django_http_requests_total_by_method" in response.content


def count(name, **labels):
    return REGISTRY.get_sample_value(name, labels) or 0


def test_the_middleware_counts_and_times_requests():
    middleware = metrics.MetricsMiddleware(lambda request: HttpResponse(status=418))
    before = (
        count("django_http_requests_total_by_method_total", method="GET"),
        count("django_http_responses_total_by_status_total", status="418"),
        count(
            "django_http_requests_latency_seconds_by_view_method_count",
            view="<unresolved>",
            method="GET",
        ),
    )
    middleware(RequestFactory().get("/anything"))
    after = (
        count("django_http_requests_total_by_method_total", method="GET"),
        count("django_http_responses_total_by_status_total", status="418"),
        count(
            "django_http_requests_latency_seconds_by_view_method_count",
            view="<unresolved>",
            method="GET",
        ),
    )
    assert [b - a for a, b in zip(before, after, strict=True)] == [1, 1, 1]


def test_a_made_up_method_is_counted_as_other():
    before = count("django_http_requests_total_by_method_total", method="other")
    middleware = metrics.MetricsMiddleware(lambda request: HttpResponse())
    middleware(RequestFactory().generic("BREW", "/pot"))
    assert count("django_http_requests_total_by_method_total", method="other") == before + 1


SCRIPT = textwrap.dedent(
    """
    import json
    import os

    import django
    from django.conf import settings
    from django.test import Client
    from django.test.utils import setup_test_environment

    django.setup()
    setup_test_environment()
    client = Client()
    # Plain HTTP, so both are redirected to HTTPS (DJANGO_DEBUG=0 turns HTTPS on).
    client.get("/no-such-page")
    client.post("/no-such-page")
    results = {"middleware": settings.MIDDLEWARE[:4]}
    for name, headers in {
        "none": {},
        "wrong": {"Authorization": "Bearer wrong"},
        "right": {"Authorization": "Bearer " + os.environ["DJANGO_METRICS_TOKEN"]},
    }.items():
        response = client.get("/metrics", headers=headers)
        results[name] = {
            "status": response.status_code,
            "body": response.content.decode(),
            "cookies": list(response.cookies),
            "location": response.get("Location"),
        }
    print(json.dumps(results))
    """
)


def served_with_a_token(tmp_path, **env):
    base = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "PROMETHEUS_")) and k != "DATABASE_URL"
    }
    finished = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=PROJECT_ROOT,
        env={
            **base,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DJANGO_DEBUG": "0",
            "DJANGO_METRICS_TOKEN": TOKEN,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}",
            **env,
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert finished.returncode == 0, finished.stderr
    return json.loads(finished.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("multiprocess", [False, True], ids=["one process", "multiprocess"])
def test_with_a_token_the_bearer_gets_the_metrics_and_nobody_else(tmp_path, multiprocess):
    env = {"PROMETHEUS_MULTIPROC_DIR": str(tmp_path)} if multiprocess else {}
    results = served_with_a_token(tmp_path, **env)
    assert "config.metrics.MetricsMiddleware" in results["middleware"]
    assert results["none"]["status"] == 404
    assert results["wrong"]["status"] == 404
    right = results["right"]
    assert right["status"] == 200
    # The two requests before; neither the probes nor the scrapes are counted.
    assert 'django_http_responses_total_by_status_total{status="301"} 2.0' in right["body"]
    assert 'django_http_requests_total_by_method_total{method="GET"} 1.0' in right["body"]
    assert 'django_http_requests_total_by_method_total{method="POST"} 1.0' in right["body"]
    assert "django_http_requests_latency_seconds_by_view_method_bucket" in right["body"]
    # Never behind sign-in or a session, nor redirected to HTTPS.
    for name in ("none", "wrong", "right"):
        assert results[name]["cookies"] == []
        assert results[name]["location"] is None
    if multiprocess:
        assert list(tmp_path.glob("*.db")), "no worker's counts were written to files"
