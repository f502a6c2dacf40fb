"""config/gunicorn.conf.py takes its values from the environment, with sane defaults."""

import os
import runpy
from unittest import mock

import pytest

from tests.conftest import PROJECT_ROOT

CONF = PROJECT_ROOT / "config" / "gunicorn.conf.py"
VARIABLES = (
    "GUNICORN_BIND",
    "PORT",
    "GUNICORN_WORKERS",
    "WEB_CONCURRENCY",
    "GUNICORN_THREADS",
    "GUNICORN_TIMEOUT",
    "GUNICORN_GRACEFUL_TIMEOUT",
    "GUNICORN_MAX_REQUESTS",
    "GUNICORN_MAX_REQUESTS_JITTER",
    "FORWARDED_ALLOW_IPS",
    "GUNICORN_ACCESS_LOG",
    "DJANGO_METRICS_TOKEN",
)


@pytest.fixture
def load(monkeypatch):
    # Set, then removed: monkeypatch puts back whatever the file sets in os.environ.
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", "")
    for name in (*VARIABLES, "PROMETHEUS_MULTIPROC_DIR"):
        monkeypatch.delenv(name, raising=False)

    def load(**env):
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        return runpy.run_path(str(CONF))

    return load


def test_the_defaults(load):
    conf = load()
    assert conf["bind"] == ["127.0.0.1:8000"]
    cores = len(os.sched_getaffinity(0))
    assert conf["workers"] == min(2 * cores + 1, 8)
    assert conf["worker_class"] == "gthread"
    assert conf["threads"] == 4
    assert (conf["timeout"], conf["graceful_timeout"]) == (60, 30)
    assert (conf["max_requests"], conf["max_requests_jitter"]) == (1000, 100)
    assert conf["forwarded_allow_ips"] == "127.0.0.1,::1"
    assert conf["accesslog"] is None
    assert conf["preload_app"] is False
    assert "PROMETHEUS_MULTIPROC_DIR" not in os.environ


def test_every_value_from_the_environment(load):
    conf = load(
        GUNICORN_BIND="0.0.0.0:9000,unix:/run/letters.sock",
        GUNICORN_WORKERS="3",
        GUNICORN_THREADS="8",
        GUNICORN_TIMEOUT="90",
        GUNICORN_GRACEFUL_TIMEOUT="20",
        GUNICORN_MAX_REQUESTS="500",
        GUNICORN_MAX_REQUESTS_JITTER="50",
        FORWARDED_ALLOW_IPS="10.0.0.0/8",
        GUNICORN_ACCESS_LOG="1",
    )
    assert conf["bind"] == ["0.0.0.0:9000", "unix:/run/letters.sock"]
    assert (conf["workers"], conf["threads"]) == (3, 8)
    assert (conf["timeout"], conf["graceful_timeout"]) == (90, 20)
    assert (conf["max_requests"], conf["max_requests_jitter"]) == (500, 50)
    assert conf["forwarded_allow_ips"] == "10.0.0.0/8"
    assert conf["accesslog"] == "-"
    assert "%({x-request-id}o)s" in conf["access_log_format"]


def test_a_platform_port_and_web_concurrency(load):
    conf = load(PORT="5000", WEB_CONCURRENCY="6")
    assert conf["bind"] == ["0.0.0.0:5000"]
    assert conf["workers"] == 6


def test_metrics_get_a_multiprocess_folder_of_their_own(load):
    load(DJANGO_METRICS_TOKEN="token")
    folder = os.environ["PROMETHEUS_MULTIPROC_DIR"]
    assert os.path.isdir(folder)
    os.rmdir(folder)


def test_a_named_metrics_folder_is_kept_and_cleared_at_start(load, tmp_path):
    (tmp_path / "counter_123.db").write_bytes(b"stale")
    (tmp_path / "keep.txt").write_text("not ours")
    conf = load(DJANGO_METRICS_TOKEN="token", PROMETHEUS_MULTIPROC_DIR=str(tmp_path))
    assert os.environ["PROMETHEUS_MULTIPROC_DIR"] == str(tmp_path)
    conf["on_starting"](server=None)
    assert sorted(path.name for path in tmp_path.iterdir()) == ["keep.txt"]


def test_a_dead_worker_is_marked_dead_for_prometheus(load, tmp_path):
    conf = load(DJANGO_METRICS_TOKEN="token", PROMETHEUS_MULTIPROC_DIR=str(tmp_path))
    with mock.patch("prometheus_client.multiprocess.mark_process_dead") as mark:
        conf["child_exit"](server=None, worker=mock.Mock(pid=4242))
    mark.assert_called_once_with(4242)


def test_without_metrics_the_hooks_do_nothing(load):
    conf = load()
    with mock.patch("prometheus_client.multiprocess.mark_process_dead") as mark:
        conf["on_starting"](server=None)
        conf["child_exit"](server=None, worker=mock.Mock(pid=4242))
    mark.assert_not_called()
