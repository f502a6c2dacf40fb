"""Search benchmark: the public register on 10,000 published letters, on PostgreSQL.

    DATABASE_URL=postgres://... python bench/search.py [--letters N] [--requests R]

Makes a throwaway PostgreSQL database on DATABASE_URL's server (dropped at the end),
migrates it and fills it with N published letters (default 10,000) with bulk_create:
rows written directly, not through the services (150 authorities with ONS codes and
regions, visits from 2018 on, a team of two, two standard themes each, a published
version whose PDF is one tiny placeholder file, and the register's entry with its
sections and items and its search vector). Then serves the portal with gunicorn
(DEBUG off) and, over one connection, asks for:

- searches (/register/?q=..., a rotation of phrases): search_p95_ms;
- filters (/register/?authority=..&theme=..&year=.. and the like): filter_p95_ms;
- the register's first page against /bench/minimal-public/ (a plain view with no
  sign-in), alternately: register_vs_minimal_ratio, the register's requests a second
  as a share of the minimal view's;
- the whole register as CSV (/register/letters.csv), streamed: export_csv_rows_per_s;
  and, in this process, the export's peak Python memory for all N letters against the
  first tenth of them: export_csv_peak_kb, export_csv_peak_ratio (about 1 in constant
  memory).

Prints one figure a line, then whether the goals are met (p95 under 100 ms, at least
5,000 rows a second). Exit status 1 if a request fails.
"""

import argparse
import datetime
import hashlib
import http.client
import os
import shutil
import signal
import statistics
import sys
import tempfile
import time
import tracemalloc
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.pages import (  # noqa: E402
    HOST,
    SENTENCES,
    BenchError,
    drop_database,
    fail,
    free_port,
    make_database,
    production_env,
    start_server,
    stop_server,
    wait_for_server,
)

GOAL_P95_MS = 100.0
GOAL_ROWS_PER_S = 5000
SEARCHES = (
    "care leavers",
    "assessment",
    "exploitation missing",
    "pathway plans",
    "Fernshire 17",
    "supervision caseloads",
    "strategy meetings partner agencies",
    "adoption",
)
RARE = (
    "Children who go missing are offered return home interviews, and exploitation is "
    "understood well.",
    "Adoption and special guardianship plans are made without delay.",
)
PLACEHOLDER_PDF = b"%PDF-1.7\n%bench placeholder\n"


def build(count):
    """`count` published letters and their register entries, written directly."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.utils import timezone

    from inspections.models import (
        FocusArea,
        Inspector,
        LocalAuthority,
        Region,
        TeamMember,
        Visit,
        VisitFocusArea,
    )
    from letters.models import Letter, PublishedVersion, Section
    from letters.register.entries import index_for_search, text_of
    from letters.register.models import RegisterEntry

    pdf_name = default_storage.save("published/bench-placeholder.pdf", ContentFile(PLACEHOLDER_PDF))
    digest = hashlib.sha256(PLACEHOLDER_PDF).hexdigest()
    regions = Region.values
    authorities = LocalAuthority.objects.bulk_create(
        LocalAuthority(
            name=f"Fernshire {n}",
            urn=f"9{n:05d}",
            ons_code=f"E06{n:06d}",
            region=regions[n % len(regions)],
        )
        for n in range(150)
    )
    inspectors = Inspector.objects.bulk_create(
        Inspector(full_name=f"Sam Inspector{n}") for n in range(20)
    )
    themes = list(FocusArea.objects.filter(is_standard=True).order_by("position"))
    if len(themes) < 2:
        raise BenchError("the standard themes are missing (inspections' migrations)")

    first = datetime.date(2018, 1, 8)
    visits = []
    for n in range(count):
        start = first + datetime.timedelta(days=n * 2900 // count)
        visits.append(
            Visit(
                authority=authorities[n % len(authorities)],
                start_date=start,
                end_date=start + datetime.timedelta(days=1),
                letter_date=start + datetime.timedelta(days=28),
            )
        )
    Visit.objects.bulk_create(visits, batch_size=2000)
    team = []
    for n, visit in enumerate(visits):
        lead, other = inspectors[n % 20], inspectors[(n + 7) % 20]
        team.append(TeamMember(visit=visit, inspector=lead, role=TeamMember.Role.LEAD))
        team.append(TeamMember(visit=visit, inspector=other, position=1))
    TeamMember.objects.bulk_create(team, batch_size=5000)
    picked = [(themes[n % len(themes)], themes[(n + 3) % len(themes)]) for n in range(count)]
    VisitFocusArea.objects.bulk_create(
        (
            VisitFocusArea(visit=visit, focus_area=area, position=k)
            for visit, areas in zip(visits, picked, strict=True)
            for k, area in enumerate(areas)
        ),
        batch_size=5000,
    )
    letters = Letter.objects.bulk_create(
        (Letter(visit=visit, status=Letter.Status.PUBLISHED) for visit in visits), batch_size=2000
    )

    def published_at(visit):
        day = visit.letter_date + datetime.timedelta(days=1)
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))

    versions = PublishedVersion.objects.bulk_create(
        (
            PublishedVersion(
                letter=letter,
                authority_id=visit.authority_id,
                number=1,
                title=f"Focused visit to {visit.authority.name} children's services",
                letter_date=visit.letter_date,
                html="<!DOCTYPE html><html><body><p>Letter</p></body></html>",
                pdf=pdf_name,
                pdf_size=len(PLACEHOLDER_PDF),
                sha256=digest,
                published_at=published_at(visit),
                imported=True,
            )
            for letter, visit in zip(letters, visits, strict=True)
        ),
        batch_size=2000,
    )

    def sentence(n, k):
        if (n + k) % 20 == 0:
            return RARE[(n + k) % len(RARE)]
        return SENTENCES[(n * 3 + k) % len(SENTENCES)]

    entries = []
    for n, (letter, visit, version) in enumerate(zip(letters, visits, versions, strict=True)):
        sections = [
            ("overview", "Overview", [sentence(n, k) for k in range(3)]),
            ("improvement", "Areas for improvement", [sentence(n, k) for k in range(3, 7)]),
        ]
        if n % 3 == 0:
            sections.append(
                ("priority", "Areas for priority action", [sentence(n, k) for k in (7, 8)])
            )
        content = {
            "visit_kind": "focused",
            "team": [
                {
                    "name": inspectors[n % 20].full_name,
                    "role": "lead",
                    "role_name": "Lead inspector",
                    "grade": "HMI",
                },
                {
                    "name": inspectors[(n + 7) % 20].full_name,
                    "role": "inspector",
                    "role_name": "Team inspector",
                    "grade": "HMI",
                },
            ],
            "qa_manager": None,
            "focus_areas": [{"name": a.name, "wording": a.wording} for a in picked[n]],
            "sections": [
                {
                    "kind": kind,
                    "heading": heading,
                    "lead_in": [],
                    "items": [
                        {
                            "style": "bullet",
                            "text": text,
                            "number": None,
                            "cross_reference": "",
                            "footnote": "",
                        }
                        for text in texts
                    ],
                    "none_statement": [],
                }
                for kind, heading, texts in sections
            ],
            "priority_actions": sections[2][2] if n % 3 == 0 else [],
        }
        entries.append(
            RegisterEntry(
                version=version,
                letter=letter,
                number=1,
                authority_id=visit.authority_id,
                title=version.title,
                authority_name=visit.authority.name,
                visit_start=visit.start_date,
                visit_end=visit.end_date,
                letter_date=visit.letter_date,
                published_at=version.published_at,
                year=visit.start_date.year,
                has_priority_actions=n % 3 == 0,
                content=content,
                text=text_of(content),
            )
        )
    RegisterEntry.objects.bulk_create(entries, batch_size=1000)
    Theme = RegisterEntry.themes.through
    Theme.objects.bulk_create(
        (
            Theme(registerentry=entry, focusarea=area)
            for entry, areas in zip(entries, picked, strict=True)
            for area in areas
        ),
        batch_size=5000,
    )
    index_for_search(RegisterEntry.objects.all())
    assert Section  # the register reads the entries' sections, not Section rows
    return {
        "authority": authorities[17].pk,
        "themes": [theme.pk for theme in themes],
        "region": regions[2],
    }


def prepare(count):
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, connections, transaction

    call_command("migrate", verbosity=0, interactive=False)
    try:
        started = time.perf_counter()
        with transaction.atomic():
            facts = build(count)
        # As autovacuum would on a live database: the planner's statistics, and the
        # visibility map that lets the filters' counts read their index alone.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        facts["build_seconds"] = time.perf_counter() - started
        return facts
    finally:
        connections.close_all()


def filter_paths(facts):
    themes, authority, region = facts["themes"], facts["authority"], facts["region"]
    return [
        f"/register/?authority={authority}",
        f"/register/?region={region}",
        f"/register/?theme={themes[0]}",
        f"/register/?theme={themes[1]}&theme={themes[4]}&year=2021",
        "/register/?year=2023&priority=yes",
        f"/register/?region={region}&theme={themes[3]}&priority=yes",
        f"/register/?authority={authority}&year=2019",
        "/register/?page=40",
    ]


def get(connection, path):
    """(seconds, body): a 200 or BenchError."""
    start = time.perf_counter()
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        body = response.read()
    except (OSError, http.client.HTTPException) as error:
        connection.close()
        raise BenchError(f"GET {path}: {type(error).__name__}: {error}") from error
    seconds = time.perf_counter() - start
    if response.status != 200:
        raise BenchError(f"GET {path} answered {response.status}")
    return seconds, body


def p95_ms(samples):
    return statistics.quantiles(samples, n=20)[-1] * 1000


def timed(port, paths, requests):
    connection = http.client.HTTPConnection(HOST, port, timeout=60)
    for path in paths:  # warm up: each once
        get(connection, path)
    samples = []
    for n in range(requests):
        samples.append(get(connection, paths[n % len(paths)])[0])
    connection.close()
    return samples


def measure(port, facts, requests):
    figures = {}
    connection = http.client.HTTPConnection(HOST, port, timeout=60)
    _, page = get(connection, "/register/?q=care+leavers")
    if b"<mark>" not in page:
        raise BenchError("a search's results are not highlighted")
    connection.close()
    searches = ["/register/?" + urllib.parse.urlencode({"q": q}) for q in SEARCHES]
    figures["search_p95_ms"] = p95_ms(timed(port, searches, requests))
    figures["filter_p95_ms"] = p95_ms(timed(port, filter_paths(facts), requests))

    register, minimal = [], []
    connection = http.client.HTTPConnection(HOST, port, timeout=60)
    for path in ("/register/", "/bench/minimal-public/"):
        get(connection, path)
    for _ in range(requests):
        register.append(get(connection, "/register/")[0])
        minimal.append(get(connection, "/bench/minimal-public/")[0])
    connection.close()
    figures["register_p95_ms"] = p95_ms(register)
    figures["minimal_p95_ms"] = p95_ms(minimal)
    figures["register_vs_minimal_ratio"] = sum(minimal) / sum(register)

    connection = http.client.HTTPConnection(HOST, port, timeout=300)
    seconds, body = get(connection, "/register/letters.csv")
    connection.close()
    rows = body.count(b"\r\n") - 1
    if rows != facts["count"]:
        raise BenchError(f"the CSV has {rows} rows, not {facts['count']}")
    figures["export_csv_rows"] = rows
    figures["export_csv_rows_per_s"] = rows / seconds
    return figures


def export_memory(count):
    """The CSV export's peak Python memory, in this process: all the letters, and a tenth."""
    from letters.register import open_data
    from letters.register.selectors import register_entries

    def peak(entries):
        tracemalloc.start()
        for _chunk in open_data.csv_chunks(lambda path: path, entries):
            pass
        _, top = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return top

    ordered = register_entries().order_by("published_at", "pk")
    cutoff = ordered.values_list("published_at", flat=True)[count // 10]
    part = open_data.export_entries(
        for_csv=True, among=register_entries().filter(published_at__lt=cutoff)
    )
    peak(open_data.export_entries(for_csv=True))  # once first: one-time allocations
    small = peak(part)
    whole = peak(open_data.export_entries(for_csv=True))
    return {"export_csv_peak_kb": whole / 1024, "export_csv_peak_ratio": whole / small}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--letters", type=int, default=10_000, help="default 10,000")
    parser.add_argument("--requests", type=int, default=200, help="per measure (default 200)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    args = parser.parse_args()
    if "postgres" not in os.environ.get("DATABASE_URL", ""):
        parser.error("set DATABASE_URL to a PostgreSQL server: the search is PostgreSQL's")

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    tmp = Path(tempfile.mkdtemp(prefix="letters-bench-search-"))
    postgres = server = None
    log_path = tmp / "gunicorn.log"
    try:
        database_url, postgres = make_database(tmp)
        (tmp / "static").mkdir()
        env = production_env(tmp, database_url)
        os.environ.update(env)
        facts = prepare(args.letters)
        facts["count"] = args.letters
        port = free_port()
        with open(log_path, "w") as log:
            server = start_server(env, port, args.workers, log)
        wait_for_server(server, port)
        figures = measure(port, facts, args.requests)
        figures |= export_memory(args.letters)
        figures["build_seconds"] = facts["build_seconds"]
    except BenchError as error:
        fail("bench/search.py", error, log_path)
    finally:
        stop_server(server)
        drop_database(postgres)
        shutil.rmtree(tmp, ignore_errors=True)

    print(f"letters: {args.letters}")
    print(f"build_seconds: {figures['build_seconds']:.1f}")
    for name in ("search_p95_ms", "filter_p95_ms", "register_p95_ms", "minimal_p95_ms"):
        print(f"{name}: {figures[name]:.1f}")
    print(f"register_vs_minimal_ratio: {figures['register_vs_minimal_ratio']:.3f}")
    print(f"export_csv_rows_per_s: {figures['export_csv_rows_per_s']:.0f}")
    print(f"export_csv_peak_kb: {figures['export_csv_peak_kb']:.0f}")
    print(f"export_csv_peak_ratio: {figures['export_csv_peak_ratio']:.2f}")
    goals = {
        "goal_search_p95_under_100_ms": figures["search_p95_ms"] < GOAL_P95_MS,
        "goal_filter_p95_under_100_ms": figures["filter_p95_ms"] < GOAL_P95_MS,
        "goal_export_csv_5000_rows_per_s": figures["export_csv_rows_per_s"] >= GOAL_ROWS_PER_S,
    }
    for name, met in goals.items():
        print(f"{name}: {'pass' if met else 'FAIL'}")


if __name__ == "__main__":
    main()
