"""gunicorn's settings for a web node: `gunicorn -c config/gunicorn.conf.py config.wsgi`.

Every value can be changed from the environment, so one file serves every node; README.md,
"Production", says how the nodes, the workers and the proxy fit together.
"""

import os
import tempfile
from pathlib import Path


def env_int(name, default):
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


# Where to listen: GUNICORN_BIND (e.g. "0.0.0.0:8000" or "unix:/run/letters.sock"), or every
# address on PORT (as a platform that sets PORT expects), or only this machine by default.
if os.environ.get("GUNICORN_BIND"):
    bind = [address.strip() for address in os.environ["GUNICORN_BIND"].split(",")]
elif os.environ.get("PORT"):
    bind = [f"0.0.0.0:{os.environ['PORT']}"]
else:
    bind = ["127.0.0.1:8000"]

# Processes: gunicorn's rule of thumb, two a core and one more, but at most 8 by default:
# each holds the whole portal in memory (and a database connection a thread, below).
# GUNICORN_WORKERS (or WEB_CONCURRENCY, gunicorn's own variable) sets it outright.
cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
workers = env_int("GUNICORN_WORKERS", env_int("WEB_CONCURRENCY", min(2 * (cores or 1) + 1, 8)))

# Threads, not sync workers: a request mostly waits (on PostgreSQL, Redis, S3, or a PDF
# printing in its own child process, which keeps its own time and memory limits:
# letters.rendering.pdf), and while one thread waits, up to a minute for a long print, the
# worker's other threads serve other requests. A sync worker would sit idle the whole
# time, and be killed by `timeout` if the request outlasted it. Each thread keeps its own
# database connection (DJANGO_CONN_MAX_AGE): a node holds up to workers x threads of them,
# which PostgreSQL's max_connections must allow for every node together.
worker_class = "gthread"
threads = env_int("GUNICORN_THREADS", 4)

# A worker silent this long is killed and replaced; on a restart or a deploy (SIGTERM)
# workers get this long to finish the requests they hold.
timeout = env_int("GUNICORN_TIMEOUT", 60)
graceful_timeout = env_int("GUNICORN_GRACEFUL_TIMEOUT", 30)

# Each worker is replaced after about this many requests, so whatever a long-lived
# process accumulates (memory fragmentation, say) never grows for long. The jitter keeps
# the workers from being replaced all at once.
max_requests = env_int("GUNICORN_MAX_REQUESTS", 1000)
max_requests_jitter = env_int("GUNICORN_MAX_REQUESTS_JITTER", 100)

# The TLS proxy's addresses, whose X-Forwarded-* headers gunicorn believes (gunicorn's own
# FORWARDED_ALLOW_IPS variable; comma-separated addresses or networks). Django reads the
# scheme from X-Forwarded-Proto itself (DJANGO_BEHIND_PROXY=1), so the proxy must set that
# header on every request, replacing any the client sent, and be the only way in.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# No access log by default: the proxy keeps one, and the portal's own log lines carry each
# request's id (config/request_id.py). GUNICORN_ACCESS_LOG=1 writes one JSON-ish line a
# request to standard output (JSON unless a path holds a quote or a backslash), with the id.
accesslog = "-" if os.environ.get("GUNICORN_ACCESS_LOG", "") in {"1", "true", "yes"} else None
access_log_format = (
    '{"time": "%(t)s", "remote": "%(h)s", "method": "%(m)s", "path": "%(U)s", '
    '"status": %(s)s, "bytes": "%(B)s", "duration_ms": %(M)s, '
    '"request_id": "%({x-request-id}o)s"}'
)
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")

# Off: each worker imports the portal after it is forked, so no worker shares another's
# database connections or the print server's pipes (letters.rendering.pdf), and a HUP
# reloads the code.
preload_app = False

# Prometheus (config/metrics.py), only when the metrics are on: every worker writes its
# counts to files in PROMETHEUS_MULTIPROC_DIR, and /metrics, in whichever worker answers,
# adds them all up. Set before any worker imports prometheus_client, which reads it then.
# Left unset, a fresh folder of its own each time gunicorn starts.
if os.environ.get("DJANGO_METRICS_TOKEN") and not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="letters-metrics-")


def on_starting(server):
    """A folder named by the operator may hold the counts of gunicorn's last run: clear it."""
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        for stale in Path(folder).glob("*.db"):
            stale.unlink()


def child_exit(server, worker):
    """A worker has gone (replaced after max_requests, or killed): its files stay, for the
    counters' totals, but its live values stop counting."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
