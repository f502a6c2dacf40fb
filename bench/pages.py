"""Page benchmark: the portal's pages under gunicorn against an anonymous redirect, in one run.

    python bench/pages.py [--seconds S] [--visits N] [--concurrency C]

Builds a throwaway database (PostgreSQL when DATABASE_URL is set: a new database on
that server, dropped at the end; SQLite in a temporary folder otherwise), migrates it
and fills it with N visits (default 1,000), each with a team, focus areas and a letter
of 4 sections and about 20 items, then vacuums and analyses it (the planner's statistics
and the visibility map, as autovacuum keeps them on a live database). One inspector is
on the team of every visit. Serves
the portal with gunicorn (2 sync workers, DEBUG off) on a free loopback port, then,
from a second process signed in as that inspector with C connections at once, requests
four pages: /bench/minimal/ (a plain view behind the same sign-in as every page),
/visits/ (the first page of the inspector's visit list), /visits/<id>/letter/ (the
letter editor of the newest visit) and /letters/<id>/pdf/ (the stored PDF of a
published letter, with its audit event); and a fifth target, anonymous: /visits/
without a session, the redirect to sign-in (what every request pays for the middleware,
and nothing more). They take turns in short slices, so that machine noise falls on all
alike, until each has had S seconds (or --max-requests). rps is completed requests per
second of a page's own time; p95 is the 95th percentile of its request latencies. Every
response must be 200 (302 for the anonymous request): failures are reported on stderr
and the exit status is non-zero. Prints one figure a line, then each page's rps as a
share of the anonymous redirect's, and whether the goals (GOALS) are met.
"""

import argparse
import datetime
import http.client
import json
import math
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from http.cookies import SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

HOST = "127.0.0.1"
USERNAME = "bench-inspector"
PASSWORD = "bench-inspector-password"  # A throwaway account in a throwaway database.
TARGETS = ("anonymous", "minimal", "visit_list", "editor", "download")
# The answer each target must give: without a session, the page sends to sign-in.
EXPECTED_STATUS = {"anonymous": 302}
# The goals, at the default 2 connections: each signed-in page's rps as a share of the
# anonymous redirect's (the middleware every request pays for), and every p95 below this.
GOALS = {"minimal": 0.6, "visit_list": 0.25, "editor": 0.15}
GOAL_P95_MS = 50.0
SLICE_SECONDS = 0.5
# Items per section of a letter, in the order of
# letters.drafting.services.NEW_LETTER_SECTIONS: 20 in all, give or take one in the last
# section.
ITEMS_PER_SECTION = (3, 2, 5, 10)
SENTENCES = (
    "Leaders and managers have a clear understanding of the strengths and weaknesses of "
    "services for children in need of help and protection.",
    "Social workers know their children well and visit them regularly, seeing them alone "
    "when it is appropriate to do so.",
    "Managers' oversight of practice is not consistently effective in ensuring that plans "
    "progress in a timely way for children.",
    "Assessments are thorough and analytical, and they take account of children's history, "
    "their wishes and feelings and the views of their families.",
    "Strategy meetings are timely and well attended by partner agencies, and decisions about "
    "next steps are clearly recorded.",
    "The quality of written plans is too variable: some are not specific enough about what "
    "needs to change and by when.",
    "Caseloads are manageable for most social workers, who say that they feel well supported "
    "and that their managers are accessible.",
    "Performance information is used well by senior leaders, although the quality assurance "
    "of casework does not always lead to improvement.",
)


class BenchError(Exception):
    """The benchmark could not run, or a request failed."""


# The database -----------------------------------------------------------------------


def make_database(tmp):
    """A database URL for this run, and how to drop it (None for SQLite in `tmp`)."""
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        return f"sqlite:///{tmp / 'bench.sqlite3'}", None
    import dj_database_url
    import psycopg2
    from psycopg2 import sql

    config = dj_database_url.parse(url)
    if "postgresql" not in config["ENGINE"]:
        raise BenchError(f"DATABASE_URL is not PostgreSQL ({config['ENGINE']})")
    server = {
        "host": config.get("HOST"),
        "port": config.get("PORT"),
        "user": config.get("USER"),
        "password": config.get("PASSWORD"),
    }
    server = {key: value for key, value in server.items() if value} | {"dbname": "postgres"}
    name = f"letters_bench_{os.getpid()}_{secrets.token_hex(3)}"
    connection = psycopg2.connect(**server)
    try:
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    finally:
        connection.close()
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(parts._replace(path="/" + name)), (server, name)


def drop_database(postgres):
    if postgres is None:
        return
    import psycopg2
    from psycopg2 import sql

    server, name = postgres
    connection = psycopg2.connect(**server)
    try:
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
    finally:
        connection.close()


def prepare_data(visits):
    """Migrate and build the data set; the editor's visit id and its number of items."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, connections, transaction

    call_command("migrate", verbosity=0, interactive=False)
    try:
        with transaction.atomic():
            built = build_dataset(visits)
        # The planner's statistics and the visibility map, as autovacuum keeps them on a
        # live database: without them the freshly filled tables look empty, plans are
        # chosen for that, and no index-only scan can skip reading the rows themselves.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
        return built
    finally:
        connections.close_all()


def build_dataset(count):
    """`count` visits with letters, every one with the benchmark's inspector on its team."""
    from django.contrib.auth import get_user_model

    from accounts import roles
    from inspections.models import (
        FocusArea,
        Inspector,
        LocalAuthority,
        Office,
        TeamMember,
        Visit,
        VisitFocusArea,
    )
    from letters.drafting.services import NEW_LETTER_SECTIONS
    from letters.models import Item, Letter, Section

    user = get_user_model().objects.create_user(USERNAME, f"{USERNAME}@example.org", PASSWORD)
    roles.grant(user, roles.INSPECTOR)
    me = Inspector.objects.create(full_name="Robin Ashdown", user=user)
    colleagues = Inspector.objects.bulk_create(
        Inspector(full_name=f"Sam Colleague{n}") for n in range(12)
    )
    qa_managers = Inspector.objects.bulk_create(
        Inspector(full_name=f"Alex Senior{n}", grade=Inspector.Grade.SENIOR_HMI) for n in range(3)
    )
    offices = Office.objects.bulk_create(
        Office(name=name, address=f"Ofsted\n1 Office Street\n{name} AB1 2CD")
        for name in ("Manchester", "Bristol", "Nottingham")
    )
    authorities = LocalAuthority.objects.bulk_create(
        LocalAuthority(
            name=f"Fernshire {n}",
            urn=f"9{n:05d}",
            organisation=f"Fernshire {n} Council",
            director_honorific="Ms",
            director_name="Alex Morgan",
            address="Civic Centre\nHigh Street\nFernford",
            postcode="FN1 1AA",
        )
        for n in range(150)
    )
    areas = FocusArea.objects.bulk_create(
        FocusArea(name=f"Focus area {n}", wording=f"The quality of practice in area {n}.")
        for n in range(8)
    )

    visits = []
    first_day = datetime.date(2019, 1, 7)
    for n in range(count):
        start = first_day + datetime.timedelta(days=2 * n)
        visit = Visit(
            authority=authorities[n % len(authorities)],
            start_date=start,
            end_date=start + datetime.timedelta(days=1 + n % 2),
            letter_date=start + datetime.timedelta(days=28),
            office=offices[n % len(offices)],
            qa_manager=qa_managers[n % len(qa_managers)],
        )
        visit.fill_recipient_from_authority()
        visits.append(visit)
    Visit.objects.bulk_create(visits)

    team = []
    for n, visit in enumerate(visits):
        a, b = colleagues[n % len(colleagues)], colleagues[(n + 1) % len(colleagues)]
        lead, others = (me, [a, b]) if n % 3 == 0 else (a, [me, b])
        team.append(TeamMember(visit=visit, inspector=lead, role=TeamMember.Role.LEAD))
        team += [
            TeamMember(visit=visit, inspector=other, role=TeamMember.Role.INSPECTOR, position=p)
            for p, other in enumerate(others, start=1)
        ]
    TeamMember.objects.bulk_create(team)
    VisitFocusArea.objects.bulk_create(
        VisitFocusArea(visit=visit, focus_area=areas[(n + k) % len(areas)], position=k)
        for n, visit in enumerate(visits)
        for k in (0, 3)
    )

    letters = Letter.objects.bulk_create(Letter(visit=visit) for visit in visits)
    sections = Section.objects.bulk_create(
        Section(letter=letter, position=p, kind=kind, heading=heading)
        for letter in letters
        for p, (kind, heading) in enumerate(NEW_LETTER_SECTIONS, start=1)
    )
    styles = {
        Section.Kind.OVERVIEW: Item.Style.PARAGRAPH,
        Section.Kind.PRIORITY_ACTIONS: Item.Style.NUMBERED,
    }
    items, items_of_letter = [], Counter()
    for n, section in enumerate(sections):
        letter_number, place = divmod(n, len(NEW_LETTER_SECTIONS))
        how_many = ITEMS_PER_SECTION[place] + (letter_number % 3 - 1 if place == 3 else 0)
        items_of_letter[section.letter_id] += how_many
        items += [
            Item(
                section=section,
                position=p,
                style=styles.get(section.kind, Item.Style.BULLET),
                text=" ".join(SENTENCES[(n + p + k) % len(SENTENCES)] for k in range(2)),
            )
            for p in range(1, how_many + 1)
        ]
    Item.objects.bulk_create(items)

    newest = visits[-1]  # the latest start date: the top of the inspector's list
    return newest.pk, items_of_letter[letters[-1].pk], publish_one(letters[0])


def publish_one(letter):
    """Publish one letter the portal's way (real PDF, stored bytes); its version's id."""
    from django.contrib.auth import get_user_model

    from letters.models import Letter
    from letters.publication.services import store_version
    from letters.rendering.compose import letter_queryset
    from letters.rendering.pdf import letter_html, letter_pdf

    letter = letter_queryset().get(pk=letter.pk)
    publisher = get_user_model().objects.create_user("bench-qa", "bench-qa@example.org")
    version = store_version(
        letter,
        by=publisher,
        html=letter_html(letter, for_print=False, standalone=True),
        pdf=letter_pdf(letter),
        stored=[],
    )
    Letter.objects.filter(pk=letter.pk).update(status=Letter.Status.PUBLISHED)
    return version.pk


# The server -------------------------------------------------------------------------


def free_port():
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def start_server(env, port, workers, log):
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "config.wsgi:application",
        "--chdir",
        str(ROOT),
        "--bind",
        f"{HOST}:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        "sync",
        "--log-level",
        "warning",
    ]
    return subprocess.Popen(
        command,
        env=env,
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def wait_for_server(server, port, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise BenchError(f"gunicorn exited with status {server.returncode}")
        try:
            connection = http.client.HTTPConnection(HOST, port, timeout=2)
            connection.request("GET", "/bench/minimal/")
            if connection.getresponse().status in (200, 302):  # 302: to sign in
                connection.close()
                return
            connection.close()
        except OSError:
            pass
        time.sleep(0.1)
    raise BenchError(f"gunicorn did not answer on {HOST}:{port} within {timeout}s")


def stop_server(server):
    if server is None or server.poll() is not None:
        return
    server.terminate()
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def log_tail(path, lines=30):
    try:
        text = path.read_text(errors="replace").splitlines()
    except OSError:
        return ""
    return "\n".join(text[-lines:])


# The client (a second process) ------------------------------------------------------


def production_env(tmp, database_url):
    """The environment of a benchmark's portal: production settings (DEBUG off) on a
    throwaway database, with what production refuses to start without (accounts.checks);
    no mail is sent."""
    return os.environ | {
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": database_url,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_EMAIL_HOST": "127.0.0.1",
        "DJANGO_PORTAL_URL": "http://127.0.0.1",
        "DJANGO_HTTPS": "0",  # plain HTTP on loopback: no TLS in front of gunicorn here
        "DJANGO_ALLOWED_HOSTS": HOST,
        "DJANGO_STATIC_ROOT": str(tmp / "static"),
        "DJANGO_MEDIA_ROOT": str(tmp / "media"),
    }


def fail(script, error, log_path):
    """Why the benchmark stopped, and the end of gunicorn's log, on stderr; exit 1."""
    print(f"{script}: {error}", file=sys.stderr)
    tail = log_tail(log_path)
    if tail:
        print(f"gunicorn's log ends:\n{tail}", file=sys.stderr)
    sys.exit(1)


def fetch(connection, method, path, headers, body=None):
    """(status or error name, seconds, response); the connection reopens when closed."""
    start = time.perf_counter()
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        response.body = response.read()
    except (OSError, http.client.HTTPException) as error:
        connection.close()
        return type(error).__name__, time.perf_counter() - start, None
    return response.status, time.perf_counter() - start, response


def sign_in(port):
    """The Cookie header of a session signed in through the sign-in form."""
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        status, _, page = fetch(connection, "GET", "/sign-in/", {})
        if status != 200:
            raise BenchError(f"GET /sign-in/ answered {status}")
        cookies = SimpleCookie()
        for header in page.headers.get_all("Set-Cookie") or []:
            cookies.load(header)
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page.body)
        if token is None or "csrftoken" not in cookies:
            raise BenchError("the sign-in page has no CSRF token")
        form = urllib.parse.urlencode(
            {
                "csrfmiddlewaretoken": token.group(1).decode(),
                "username": USERNAME,
                "password": PASSWORD,
                "next": "",
            }
        )
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={cookies['csrftoken'].value}",
        }
        status, _, answer = fetch(connection, "POST", "/sign-in/", headers, form)
        if status != 302:
            raise BenchError(f"POST /sign-in/ answered {status}, not a redirect")
        for header in answer.headers.get_all("Set-Cookie") or []:
            cookies.load(header)
        if "sessionid" not in cookies:
            raise BenchError("signing in set no session cookie")
        return "; ".join(f"{name}={morsel.value}" for name, morsel in cookies.items())
    finally:
        connection.close()


def check_pages(port, paths, headers, items):
    """The pages show what the data set holds: a full first page, the letter's items."""
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        status, _, page = fetch(connection, "GET", paths["visit_list"], headers)
        rows = page.body.count(b'<tr class="govuk-table__row">') - 1 if status == 200 else 0
        if rows != 20:
            raise BenchError(f"{paths['visit_list']} answered {status} with {rows} visits, not 20")
        status, _, page = fetch(connection, "GET", paths["editor"], headers)
        shown = page.body.count(b'class="portal-item"') if status == 200 else 0
        if shown != items:
            raise BenchError(f"{paths['editor']} answered {status} with {shown} items, not {items}")
    finally:
        connection.close()


class Target:
    def __init__(self, path, budget, headers, expected=200):
        self.path = path
        self.budget = budget
        self.headers = headers
        self.expected = expected
        self.latencies = []
        self.errors = Counter()
        self.seconds = 0.0


def run_slice(target, connections, duration):
    """All connections request the target until `duration` has passed or its budget is spent."""
    lock = threading.Lock()
    deadline = time.perf_counter() + duration

    def worker(connection):
        while time.perf_counter() < deadline:
            with lock:
                if target.budget <= 0:
                    return
                target.budget -= 1
            status, seconds, _ = fetch(connection, "GET", target.path, target.headers)
            with lock:
                if status == target.expected:
                    target.latencies.append(seconds)
                else:
                    target.errors[str(status)] += 1

    threads = [threading.Thread(target=worker, args=(c,)) for c in connections]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    target.seconds += time.perf_counter() - start


def p95_ms(latencies):
    if not latencies:
        return float("nan")
    ordered = sorted(latencies)
    return ordered[math.ceil(0.95 * len(ordered)) - 1] * 1000


def run_client(config):
    """Sign in, warm up, then measure the targets in turns; the figures as JSON on stdout."""
    port = config["port"]
    paths = {
        "anonymous": "/visits/",
        "minimal": "/bench/minimal/",
        "visit_list": "/visits/",
        "editor": f"/visits/{config['visit']}/letter/",
        "download": f"/letters/{config['version']}/pdf/",
    }
    try:
        headers = {"Cookie": sign_in(port)}
        check_pages(port, paths, headers, config["items"])
    except BenchError as error:
        print(json.dumps({"error": str(error)}))
        return
    connections = [
        http.client.HTTPConnection(HOST, port, timeout=30) for _ in range(config["concurrency"])
    ]

    def target(name, budget):
        return Target(
            paths[name],
            budget,
            headers={} if name == "anonymous" else headers,  # no session cookie
            expected=EXPECTED_STATUS.get(name, 200),
        )

    warm = {name: target(name, budget=10**9) for name in TARGETS}
    for name in TARGETS:  # templates, URL resolvers and database connections in each worker
        run_slice(warm[name], connections, config["warmup"] / len(TARGETS))
    targets = {name: target(name, budget=config["max_requests"]) for name in TARGETS}
    rounds = max(1, round(config["seconds"] / SLICE_SECONDS))
    for number in range(rounds):
        shift = number % len(TARGETS)
        for name in TARGETS[shift:] + TARGETS[:shift]:
            run_slice(targets[name], connections, config["seconds"] / rounds)
    for connection in connections:
        connection.close()
    figures = {}
    for name in TARGETS:
        target = targets[name]
        errors = warm[name].errors + target.errors
        figures[name] = {
            "path": target.path,
            "requests": len(target.latencies) + target.errors.total(),
            "rps": len(target.latencies) / target.seconds if target.seconds else 0.0,
            "p95_ms": p95_ms(target.latencies),
            "errors": dict(errors),
        }
    print(json.dumps(figures))


def measure(port, visit, items, version, args):
    config = {
        "port": port,
        "visit": visit,
        "version": version,
        "items": items,
        "seconds": args.seconds,
        "warmup": args.warmup,
        "concurrency": args.concurrency,
        "max_requests": args.max_requests,
    }
    timeout = 60 + 3 * (args.seconds * len(TARGETS) + args.warmup)
    try:
        finished = subprocess.run(
            [sys.executable, str(Path(__file__).resolve()), "--client", json.dumps(config)],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired as error:
        raise BenchError(f"the client did not finish within {timeout:.0f}s") from error
    if finished.returncode != 0:
        raise BenchError(f"the client failed:\n{finished.stderr.strip()}")
    figures = json.loads(finished.stdout)
    if "error" in figures:
        raise BenchError(figures["error"])
    check_responses(figures)
    return figures


def check_responses(figures):
    """Every request answered as expected, or a BenchError that lists the failures."""
    failed = [
        f"{figures[name]['path']}: {sum(figures[name]['errors'].values())} requests failed "
        f"({', '.join(f'{what} x{n}' for what, n in figures[name]['errors'].items())})"
        for name in TARGETS
        if figures[name]["errors"]
    ]
    if failed:
        raise BenchError("\n".join(failed))


# The run ----------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="per page (default 5)")
    parser.add_argument("--visits", type=int, default=1000, help="in the data set (default 1000)")
    parser.add_argument("--concurrency", type=int, default=2, help="connections (default 2)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--warmup", type=float, default=1.5, help="seconds, all pages together")
    parser.add_argument("--max-requests", type=int, default=50_000, help="per page, at most")
    parser.add_argument("--client", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.client:
        run_client(json.loads(args.client))
        return
    if args.visits < 20:
        parser.error("--visits must be at least 20, a full first page")

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    tmp = Path(tempfile.mkdtemp(prefix="letters-bench-"))
    postgres = server = None
    log_path = tmp / "gunicorn.log"
    try:
        database_url, postgres = make_database(tmp)
        (tmp / "static").mkdir()
        env = production_env(tmp, database_url)
        os.environ.update(env)
        visit, items, version = prepare_data(args.visits)
        port = free_port()
        with open(log_path, "w") as log:
            server = start_server(env, port, args.workers, log)
        wait_for_server(server, port)
        figures = measure(port, visit, items, version, args)
    except BenchError as error:
        fail("bench/pages.py", error, log_path)
    finally:
        stop_server(server)
        drop_database(postgres)
        shutil.rmtree(tmp, ignore_errors=True)

    for line in report(figures, args.concurrency):
        print(line)


def report(figures, concurrency):
    """The figures, one a line: rps and p95, each page against the anonymous redirect, the
    goals met or not."""
    anonymous = figures["anonymous"]["rps"]
    lines = [
        f"anonymous_rps: {anonymous:.1f}",
        f"anonymous_p95_ms: {figures['anonymous']['p95_ms']:.1f}",
        f"minimal_rps: {figures['minimal']['rps']:.1f}",
        f"minimal_p95_ms: {figures['minimal']['p95_ms']:.1f}",
        f"visit_list_rps: {figures['visit_list']['rps']:.1f}",
        f"visit_list_p95_ms: {figures['visit_list']['p95_ms']:.1f}",
        f"editor_rps: {figures['editor']['rps']:.1f}",
        f"editor_p95_ms: {figures['editor']['p95_ms']:.1f}",
        f"download_rps: {figures['download']['rps']:.1f}",
        f"download_p95_ms: {figures['download']['p95_ms']:.1f}",
        f"download_vs_minimal_ratio: {figures['download']['rps'] / figures['minimal']['rps']:.2f}",
    ]
    ratios = {name: figures[name]["rps"] / anonymous for name in GOALS}
    lines += [f"{name}_vs_anonymous: {ratio:.2f}" for name, ratio in ratios.items()]
    lines += [
        f"goal_{name}_vs_anonymous_{goal}: {'pass' if ratios[name] >= goal else 'FAIL'}"
        for name, goal in GOALS.items()
    ]
    slowest = max(figures[name]["p95_ms"] for name in TARGETS)
    verdict = "pass" if slowest < GOAL_P95_MS else "FAIL"
    if concurrency != 2:
        verdict += f" (set for 2 connections, measured with {concurrency})"
    lines.append(f"goal_p95_under_{GOAL_P95_MS:.0f}_ms: {verdict}")
    return lines


if __name__ == "__main__":
    main()
