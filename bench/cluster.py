"""Cluster check: two web nodes and the task worker share one state, on one machine.

    python bench/cluster.py

Starts, all on 127.0.0.1: a throwaway PostgreSQL database (on the server at
127.0.0.1:5432, user postgres; migrated, dropped at the end), an S3-compatible server
(moto) with a bucket for the stored files, the Redis at 127.0.0.1:6379 (database 14,
under a key prefix of this run's own, removed at the end), two gunicorn nodes, A and B
(config/gunicorn.conf.py, 2 workers each, DEBUG off), and a task worker. It seeds a lead
inspector, a QA manager with an authenticator app, a local authority user and one
approved letter of 300 long items (printing it takes seconds), then, over HTTP:

- session_shared: the inspector signs in on A; B shows them their visits.
- lockout_shared: failed sign-ins to one account, alternately on A and B, lock it on
  both once they reach AXES_FAILURE_LIMIT together; the right password is then refused.
- render_jobs_lost, render_jobs_done_twice: the QA manager (password and one-time
  code) publishes the letter on A; while the worker prints it, its process group is
  killed (SIGKILL). A second worker must take the task up once the first one's heartbeat
  is older than TASK_WORKER_LOST_SECONDS, and publish the letter once: lost is 1 if the
  job did not finish or the letter is not published; done_twice is the published
  versions, or letter.publish audit events, beyond one. job_page_shared: the job's page
  on B shows the QA manager the outcome.
- download_same_bytes: the authority's user signs in on B and downloads the PDF: its
  SHA-256 is the version's, and the bytes are the bucket's object's.

Prints one figure a line (nodes, then each check); each step's time goes to stderr.
A failed check is named on stderr and the exit status is non-zero.
"""

import atexit
import hashlib
import http.client
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections import namedtuple
from contextlib import contextmanager, suppress
from http.cookies import SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

HOST = "127.0.0.1"
BIN = Path(sys.executable).parent  # the virtual environment's: gunicorn, moto_server
POSTGRES = {"host": HOST, "port": 5432, "user": "postgres", "dbname": "postgres"}
REDIS_URL = f"redis://{HOST}:6379/14"
RUN = secrets.token_hex(4)
BUCKET = CACHE_PREFIX = f"bench-cluster-{RUN}"  # the bucket, and the Redis keys
ITEMS, ITEM_CHARACTERS = 300, 500  # within letters/limits.py: 400 items, 250,000 in all
PRINTING = "Printing the letter"  # the stage letters.publication.tasks reports
JOB_TIMEOUT = 180
SENTENCES = (
    "Leaders and managers have a clear understanding of the strengths and weaknesses of "
    "services for children in need of help and protection.",
    "The quality of written plans is too variable: some are not specific enough about what "
    "needs to change and by when.",
)


class BenchError(Exception):
    """The cluster could not be set up, or a step did not happen."""


@contextmanager
def step(name):
    start = time.monotonic()
    try:
        yield
    finally:
        note(f"step {name}: {time.monotonic() - start:.2f} s")


def note(text):
    print(text, file=sys.stderr, flush=True)


def wait_until(condition, timeout, what, interval=0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(interval)
    raise BenchError(f"{what}: not within {timeout} s")


def free_port():
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


# What this run starts, and how it all goes away ------------------------------------


class Cluster:
    def __init__(self):
        self.tmp = Path(tempfile.mkdtemp(prefix="letters-cluster-"))
        self.database = f"bench_cluster_{RUN}"
        self.database_made = False
        self.processes = {}  # name -> Popen, each the leader of a process group of its own
        self.cleaning = False

    def start(self, name, command, env):
        with open(self.tmp / f"{name}.log", "w") as log:
            self.processes[name] = subprocess.Popen(
                command,
                cwd=ROOT,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        return self.processes[name]

    def stop(self, name, sig=signal.SIGTERM, grace=15):
        """Signal the process's group; SIGKILL whatever of it is left after `grace`."""
        process = self.processes.pop(name, None)
        if process is None:
            return
        signal_group(process.pid, sig)
        deadline = time.monotonic() + grace
        while group_members(process.pid) and time.monotonic() < deadline:
            process.poll()  # reaps the leader once it has exited
            time.sleep(0.1)
        signal_group(process.pid, signal.SIGKILL)
        process.wait(5)

    def log_tail(self, name, lines=25):
        try:
            text = (self.tmp / f"{name}.log").read_text(errors="replace").splitlines()
        except OSError:
            return ""
        return "\n".join(text[-lines:])

    def cleanup(self):
        if self.cleaning:
            return
        self.cleaning = True
        for name in list(self.processes):
            self.stop(name)
        if "django" in sys.modules:
            from django.db import connections

            connections.close_all()
        if self.database_made:
            drop_database(self.database)
        delete_redis_keys()
        shutil.rmtree(self.tmp, ignore_errors=True)


def signal_group(pgid, signum):
    with suppress(ProcessLookupError):
        os.killpg(pgid, signum)


def group_members(pgid):
    """The live processes (zombies aside) of a process group, from /proc."""
    members = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            state, _, group = stat.read_text().rsplit(")", 1)[1].split()[:3]
        except (OSError, ValueError):
            continue  # gone meanwhile
        if int(group) == pgid and state != "Z":
            members.append(int(stat.parent.name))
    return members


def on_server(*statements):
    """Run statements on the PostgreSQL server (its maintenance database), in autocommit."""
    import psycopg2

    connection = psycopg2.connect(**POSTGRES)
    try:
        connection.autocommit = True
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
    finally:
        connection.close()


def drop_database(name):
    on_server(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
        f"WHERE datname = '{name}' AND pid <> pg_backend_pid()",
        f'DROP DATABASE IF EXISTS "{name}"',
    )


def delete_redis_keys():
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    try:
        keys = list(client.scan_iter(match=f"{CACHE_PREFIX}:*", count=500))
        if keys:
            client.delete(*keys)
    finally:
        client.close()


def s3_client(port):
    import boto3
    from botocore.config import Config

    return boto3.client(
        "s3",
        endpoint_url=f"http://{HOST}:{port}",
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=Config(s3={"addressing_style": "path"}),
    )


def environment(cluster, s3_port):
    return {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        # Production refuses to start without a mail server (accounts.checks). Nothing
        # listens here: mail fails, is retried in the background and recorded as failed.
        "DJANGO_EMAIL_HOST": HOST,
        "DJANGO_PORTAL_URL": f"http://{HOST}",  # the links in e-mails (accounts.checks)
        "DJANGO_HTTPS": "0",  # plain HTTP on loopback: no TLS proxy in front here
        "DJANGO_ALLOWED_HOSTS": HOST,
        "DATABASE_URL": f"postgres://postgres@{HOST}:5432/{cluster.database}",
        "REDIS_URL": REDIS_URL,
        "DJANGO_CACHE_KEY_PREFIX": CACHE_PREFIX,
        "DJANGO_S3_BUCKET": BUCKET,
        "DJANGO_S3_ENDPOINT_URL": f"http://{HOST}:{s3_port}",
        "DJANGO_S3_REGION": "us-east-1",
        "DJANGO_S3_ADDRESSING_STYLE": "path",
        "DJANGO_S3_ACCESS_KEY_ID": "testing",
        "DJANGO_S3_SECRET_ACCESS_KEY": "testing",
        "DJANGO_STATIC_ROOT": str(cluster.tmp / "static"),
        "TASK_HEARTBEAT_SECONDS": "1",
        "TASK_WORKER_LOST_SECONDS": "4",
        "TASK_RETRY_SECONDS": "1",
        "DJANGO_LOG_FORMAT": "json",
        "GUNICORN_WORKERS": "2",
        "GUNICORN_LOG_LEVEL": "warning",
    }


def start_s3(cluster, env):
    port = free_port()
    cluster.start("moto", [str(BIN / "moto_server"), "-H", HOST, "-p", str(port)], env)
    client = s3_client(port)

    def bucket_made():
        try:
            client.create_bucket(Bucket=BUCKET)
        except Exception:  # not listening yet
            return False
        return True

    wait_until(bucket_made, 30, "the S3 server (moto) and its bucket", interval=0.2)
    return port


def prepare(cluster, env):
    """Migrate the database and collect the static files, side by side."""
    for command in ("migrate", "collectstatic"):
        cluster.start(command, [sys.executable, "manage.py", command, "--noinput"], env)
    for command in ("migrate", "collectstatic"):
        if cluster.processes[command].wait(300) != 0:
            raise BenchError(f"manage.py {command} failed:\n{cluster.log_tail(command)}")
        del cluster.processes[command]


def start_node(cluster, env, name):
    port = free_port()
    command = [str(BIN / "gunicorn"), "-c", "config/gunicorn.conf.py", "config.wsgi"]
    cluster.start(name, command, env | {"GUNICORN_BIND": f"{HOST}:{port}"})
    return port


def wait_ready(cluster, name, port):
    """Until the node's /readyz answers 200: it reaches the database, cache, bucket, queue."""

    def ready():
        if cluster.processes[name].poll() is not None:
            raise BenchError(f"{name} exited:\n{cluster.log_tail(name)}")
        try:
            return Browser().get(port, "/readyz").status == 200
        except OSError:
            return False

    wait_until(ready, 60, f"{name} ready on port {port}", interval=0.2)


def start_worker(cluster, env, name):
    command = [sys.executable, "manage.py", "run_worker", "--interval", "0.2"]
    command += ["--no-startup-delay", "--worker-id", name]
    return cluster.start(name, command, env)


# The data, made with the portal's own code -----------------------------------------


def seed():
    """The people and the approved letter; what the checks need to know of them."""
    import django

    django.setup()
    from django.db import connections
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts import roles
    from inspections.models import AuthorityUser
    from letters.models import Item
    from letters.review.services import letter_approve, letter_submit
    from tests.factories import UserFactory, inspector_user, letter_led_by, qa_manager_user

    passwords = {}

    def with_password(user):
        passwords[user.username] = secrets.token_urlsafe(18)
        user.set_password(passwords[user.username])
        user.save(update_fields=["password"])
        return user

    inspector = with_password(inspector_user("bench-inspector", full_name="Robin Ashdown"))
    with_password(inspector_user("bench-locked", full_name="Sam Whitlow"))
    qa = with_password(qa_manager_user("bench-qa", full_name="Hazel Penrose"))
    device = TOTPDevice.objects.create(user=qa, name="Authenticator app", confirmed=True)
    letter = letter_led_by(inspector, qa_manager=qa.inspector)
    authority_user = with_password(UserFactory(username="bench-authority"))
    roles.grant(authority_user, roles.AUTHORITY_USER)
    AuthorityUser.objects.create(user=authority_user, authority=letter.visit.authority)

    sections = list(letter.sections.order_by("position"))
    text = " ".join(SENTENCES * 4)
    items = Item.objects.bulk_create(
        Item(
            section=sections[n % len(sections)],
            position=2 + n // len(sections),  # after the item each section has
            style=Item.Style.BULLET,
            text=f"{n + 1}. {text}"[:ITEM_CHARACTERS].rsplit(" ", 1)[0] + ".",
        )
        for n in range(ITEMS - 2)
    )
    characters = sum(len(item.text) for item in items)
    note(f"the letter: {len(items) + 2} items, about {characters:,} characters")
    letter_submit(letter=letter, by=inspector)
    letter_approve(letter=letter, by=qa)
    connections.close_all()
    return {
        "visit": letter.visit_id,
        "letter": letter.pk,
        "totp_key": bytes(device.bin_key),
        "passwords": passwords,
    }


# A browser, its cookies carried by hand to either node -----------------------------


Page = namedtuple("Page", "status location body")


class Browser:
    """One person's browser: the same cookies whichever node answers (a balancer's view)."""

    def __init__(self):
        self.cookies = {}

    def request(self, port, method, path, form=None):
        headers = {}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection(HOST, port, timeout=60)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            page = Page(response.status, response.getheader("Location", ""), response.read())
            for header in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(header).items():
                    if morsel["max-age"] == "0" or "1970" in morsel["expires"]:
                        self.cookies.pop(name, None)  # deleted
                    else:
                        self.cookies[name] = morsel.value
        finally:
            connection.close()
        return page

    def get(self, port, path):
        return self.request(port, "GET", path)

    def submit(self, port, path, fields):
        """GET the form's page, then POST the form with the page's CSRF token."""
        page = self.get(port, path)
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page.body)
        if token is None:
            raise BenchError(f"GET {path} answered {page.status} without a CSRF token")
        return self.request(port, "POST", path, fields | {"csrfmiddlewaretoken": token[1]})

    def sign_in(self, port, username, password):
        """Through the sign-in form; whether it signed in (a redirect and a session)."""
        page = self.submit(port, "/sign-in/", {"username": username, "password": password})
        return page.status == 302 and "sessionid" in self.cookies, page

    def second_factor(self, port, key):
        from django_otp.oath import totp

        path = "/sign-in/two-factor/?next=/"
        page = self.submit(port, path, {"code": f"{totp(key):06d}", "next": "/"})
        return page.status == 302


# The checks ------------------------------------------------------------------------


def check_session_shared(seeded, a, b):
    browser = Browser()
    signed_in, _ = browser.sign_in(a, "bench-inspector", seeded["passwords"]["bench-inspector"])
    page = browser.get(b, "/visits/")
    listed = f'href="/visits/{seeded["visit"]}/"'.encode() in page.body
    return int(signed_in and page.status == 200 and listed)


def check_lockout_shared(seeded, a, b):
    from django.conf import settings

    username, right = "bench-locked", seeded["passwords"]["bench-locked"]
    locked_at = None
    for attempt in range(1, settings.AXES_FAILURE_LIMIT + 1):
        signed_in, page = Browser().sign_in((a, b)[attempt % 2], username, "not-the-password")
        if signed_in:
            return 0
        if locked_at is None and b"You cannot sign in" in page.body:
            locked_at = attempt
    note(f"the lock-out page first answered failure {locked_at}")
    refused = []
    for port in (a, b):
        signed_in, page = Browser().sign_in(port, username, right)
        refused.append(not signed_in and b"You cannot sign in" in page.body)
    return int(locked_at == settings.AXES_FAILURE_LIMIT and all(refused))


def check_publication(cluster, env, seeded, a, b):
    """Publish on A, kill the worker mid-print, let a second worker finish: lost, done
    twice, and whether B shows the outcome."""
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from audit.services import events_about
    from jobs.models import Job
    from letters.models import Letter, PublishedVersion

    qa = Browser()
    with step("qa_sign_in_with_code"):
        signed_in, _ = qa.sign_in(a, "bench-qa", seeded["passwords"]["bench-qa"])
        if not (signed_in and qa.second_factor(a, seeded["totp_key"])):
            raise BenchError("the QA manager could not sign in with password and code on A")
    with step("publish_until_printing"):
        page = qa.submit(a, f"/review/{seeded['visit']}/publish/", {})
        found = re.fullmatch(r"/jobs/(\d+)/", page.location)
        if page.status != 302 or not found:
            raise BenchError(f"publishing answered {page.status} {page.location!r}, not a job")
        printing = Job.objects.filter(pk=found.group(1), state=Job.State.RUNNING, stage=PRINTING)
        job = wait_until(printing.first, 60, "the job printing on worker-1", interval=0.05)
    with step("kill_worker_1"):
        time.sleep(0.5)  # inside the print, which takes seconds
        group = group_members(cluster.processes["worker-1"].pid)
        cluster.stop("worker-1", sig=signal.SIGKILL)
        killed_at = timezone.now()
        if PublishedVersion.objects.filter(letter_id=seeded["letter"]).exists():
            raise BenchError("the letter was published before the kill: make the print longer")
        note(f"worker-1 killed 0.5 s into the print, {len(group)} processes in its group")
    with step("worker_2_until_done"):
        start_worker(cluster, env, "worker-2")
        task = DBTaskResult.objects.get(pk=job.task_id)

        def settled():
            job.refresh_from_db()
            task.refresh_from_db()
            return job.finished and task.status in {"SUCCESSFUL", "FAILED"}

        with suppress(BenchError):  # not finished in time: the job is lost
            wait_until(settled, JOB_TIMEOUT, "the job")
    note(f"job {job.state}, task {task.status}, run by {', '.join(task.worker_ids)}")
    if job.state == Job.State.DONE:
        note(
            f"worker-2 took the task up {(task.started_at - killed_at).total_seconds():.1f} s "
            f"after the kill; it printed and published in "
            f"{(job.finished_at - task.started_at).total_seconds():.1f} s"
        )
    letter = Letter.objects.get(pk=seeded["letter"])
    versions = PublishedVersion.objects.filter(letter=letter).count()
    events = events_about(letter).filter(action="letter.publish").count()
    lost = int(job.state != Job.State.DONE or letter.status != Letter.Status.PUBLISHED)
    page = qa.get(b, f"/jobs/{job.pk}/")
    shown = page.status == 200 and b"Letter published as version 1" in page.body
    return lost, max(versions - 1, events - 1, 0), int(shown)


def check_download(seeded, b, s3_port):
    from letters.models import PublishedVersion

    version = PublishedVersion.objects.filter(letter_id=seeded["letter"]).order_by("number").first()
    if version is None:
        return 0
    browser = Browser()
    signed_in, _ = browser.sign_in(b, "bench-authority", seeded["passwords"]["bench-authority"])
    page = browser.get(b, f"/letters/{version.pk}/pdf/")
    stored = s3_client(s3_port).get_object(Bucket=BUCKET, Key=version.pdf.name)["Body"].read()
    downloaded = hashlib.sha256(page.body).hexdigest()
    note(f"downloaded {len(page.body)} bytes from B; the bucket holds {len(stored)}")
    return int(
        signed_in
        and page.status == 200
        and downloaded == version.sha256
        and downloaded == hashlib.sha256(stored).hexdigest()
    )


# The run ---------------------------------------------------------------------------


def run(cluster):
    with step("database"):
        on_server(f'CREATE DATABASE "{cluster.database}"')  # a name of [a-z0-9_] only
        cluster.database_made = True
    with step("s3"):
        s3_port = start_s3(cluster, os.environ.copy())
    env = environment(cluster, s3_port)
    os.environ.update(env)
    env = os.environ.copy()
    with step("migrate_and_collectstatic"):
        prepare(cluster, env)
    with step("seed"):
        seeded = seed()
    with step("nodes_and_worker"):
        a, b = start_node(cluster, env, "node-a"), start_node(cluster, env, "node-b")
        start_worker(cluster, env, "worker-1")
        wait_ready(cluster, "node-a", a)
        wait_ready(cluster, "node-b", b)
    figures = {"nodes": 2}
    with step("session_shared"):
        figures["session_shared"] = check_session_shared(seeded, a, b)
    with step("lockout_shared"):
        figures["lockout_shared"] = check_lockout_shared(seeded, a, b)
    lost, twice, shown = check_publication(cluster, env, seeded, a, b)
    figures |= {"render_jobs_lost": lost, "render_jobs_done_twice": twice}
    figures["job_page_shared"] = shown
    with step("download_same_bytes"):
        figures["download_same_bytes"] = check_download(seeded, b, s3_port)
    return figures


# Each figure's passing value.
EXPECTED = {
    "session_shared": 1,
    "lockout_shared": 1,
    "render_jobs_lost": 0,
    "render_jobs_done_twice": 0,
    "job_page_shared": 1,
    "download_same_bytes": 1,
}


def main():
    cluster = Cluster()
    atexit.register(cluster.cleanup)

    def interrupted(signum, frame):
        if not cluster.cleaning:
            sys.exit(128 + signum)

    for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(signum, interrupted)
    started = time.monotonic()
    try:
        figures = run(cluster)
    except BenchError as error:
        print(f"bench/cluster.py: {error}", file=sys.stderr)
        for name in ("node-a", "node-b", "worker-1", "worker-2"):
            tail = cluster.log_tail(name, lines=10)
            if tail:
                print(f"--- {name}'s log ends:\n{tail}", file=sys.stderr)
        sys.exit(1)
    finally:
        with step("cleanup"):
            cluster.cleanup()
    print(f"total: {time.monotonic() - started:.1f} s", file=sys.stderr)
    for name, value in figures.items():
        print(f"{name} {value}")
    failed = [name for name, value in EXPECTED.items() if figures[name] != value]
    if failed:
        print(f"bench/cluster.py: failed: {', '.join(failed)}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
