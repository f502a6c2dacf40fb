"""Each request's id: taken from X-Request-ID when sane, on its response and its log lines."""

import io
import json
import logging
import os
import re
import subprocess
import sys

import pytest
from django.conf import settings
from django.utils.module_loading import import_string

from config import request_id
from tests.conftest import PROJECT_ROOT

pytestmark = pytest.mark.django_db

HEX_ID = re.compile(r"[0-9a-f]{32}")


def test_a_supplied_id_is_echoed(client):
    response = client.get("/healthz", headers={"X-Request-ID": "lb-7f3a.2_x"})
    assert response["X-Request-ID"] == "lb-7f3a.2_x"


def test_without_one_an_id_is_made(client):
    first = client.get("/accounts/login/")["X-Request-ID"]
    second = client.get("/accounts/login/")["X-Request-ID"]
    assert HEX_ID.fullmatch(first) and HEX_ID.fullmatch(second)
    assert first != second


@pytest.mark.parametrize(
    "hostile",
    [
        "abc\ninjected log line",
        "abc\r\nSet-Cookie: x=y",
        "a" * 201,
        "<script>",
        "id with spaces",
        "ü",
    ],
)
def test_a_hostile_id_is_replaced(client, hostile):
    response = client.get("/healthz", headers={"X-Request-ID": hostile})
    assert HEX_ID.fullmatch(response["X-Request-ID"])


def test_an_id_of_200_characters_is_kept(client):
    supplied = "a" * 200
    assert client.get("/healthz", headers={"X-Request-ID": supplied})["X-Request-ID"] == supplied


def configured(kind, name):
    """A formatter or filter made as the LOGGING setting makes it."""
    options = dict(settings.LOGGING[kind][name])
    factory = options.pop("()", None)
    if factory is None:
        return logging.Formatter(options["format"])
    return import_string(factory)(**options)


@pytest.fixture
def json_lines():
    """What the root logger writes, formatted as the JSON lines production writes."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(configured("formatters", "json"))
    handler.addFilter(configured("filters", "request_id"))
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    finally:
        root.removeHandler(handler)


def test_a_line_logged_during_a_request_carries_its_id(client, json_lines):
    # Django logs a warning for each 404 ("Not Found: ..."), inside the request.
    response = client.get("/no-such-page", headers={"X-Request-ID": "req-42"})
    assert response.status_code == 404
    [line] = [line for line in json_lines() if line["logger"] == "django.request"]
    assert line["request_id"] == "req-42"
    assert line["level"] == "WARNING"
    assert line["message"] == "Not Found: /no-such-page"
    assert "time" in line


def test_a_made_id_is_the_one_on_the_line_and_the_response(client, json_lines):
    response = client.get("/no-such-page")
    [line] = [line for line in json_lines() if line["logger"] == "django.request"]
    assert line["request_id"] == response["X-Request-ID"]


def test_outside_a_request_the_id_is_a_dash(client, json_lines):
    client.get("/healthz", headers={"X-Request-ID": "done-before"})
    logging.getLogger("tests.after").warning("after the request")
    [line] = [line for line in json_lines() if line["logger"] == "tests.after"]
    assert line["request_id"] == request_id.NO_REQUEST == "-"


def test_the_console_handler_has_the_filter():
    handler = settings.LOGGING["handlers"]["console"]
    assert handler["filters"] == ["request_id"]
    assert handler["formatter"] in settings.LOGGING["formatters"]


def log_format(**env):
    base = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    finished = subprocess.run(
        [sys.executable, "-c", "from config import settings; print(settings.LOG_FORMAT)"],
        cwd=PROJECT_ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return finished.stdout.strip()


def test_json_in_production_text_on_a_developer_machine_unless_told():
    assert log_format(DJANGO_DEBUG="0") == "json"
    assert log_format(DJANGO_DEBUG="1") == "text"
    assert log_format(DJANGO_DEBUG="0", DJANGO_LOG_FORMAT="text") == "text"
    assert log_format(DJANGO_DEBUG="1", DJANGO_LOG_FORMAT="json") == "json"
