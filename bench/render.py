"""Render benchmark: the portal's letter rendering against bare WeasyPrint, in one run.

    python bench/render.py [--runs N]

Imports the seed letter into a throwaway SQLite database, then renders it N times
through letters.rendering.pdf (composition, template, locked-down fetcher, cached
stylesheet and fonts, PDF/UA) and N times through bare WeasyPrint with default
settings on the same HTML (assets as file: URLs). The two are interleaved so that
machine noise falls on both alike. Prints one figure a line.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup_django(database):
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def seed_path():
    shared = Path(os.environ.get("LETTERS_SHARED_DIR", ROOT.parent / "shared"))
    path = shared / "seed" / "isle-of-wight-focused-visit-2017.md"
    if not path.exists():
        sys.exit(f"bench/render.py: the seed letter is not at {path}")
    return path


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        setup_django(Path(tmp) / "bench.sqlite3")
        import weasyprint

        from letters.importing.services import import_letter_file
        from letters.rendering.compose import letter_queryset
        from letters.rendering.pdf import (
            ASSET_BASE,
            STATIC_PREFIX,
            STYLESHEET,
            letter_html,
            letter_pdf,
        )

        visit, _ = import_letter_file(seed_path())
        letter = letter_queryset().get(visit=visit)
        static_url = (ROOT / "static").as_uri() + "/"
        bare_html = letter_html(letter, for_print=True).replace(
            ASSET_BASE + STATIC_PREFIX, static_url
        )
        stylesheet = ROOT / "static" / STYLESHEET

        def portal():
            letter_pdf(letter_queryset().get(visit=visit))

        def bare():
            weasyprint.HTML(string=bare_html, base_url=static_url).write_pdf(
                stylesheets=[weasyprint.CSS(filename=stylesheet)]
            )

        portal()  # warm-up: fonts, stylesheet, templates
        bare()
        timings = {portal: [], bare: []}
        for _ in range(args.runs):
            for render in (portal, bare):
                start = time.perf_counter()
                render()
                timings[render].append((time.perf_counter() - start) * 1000)

    render_ms = statistics.median(timings[portal])
    bare_ms = statistics.median(timings[bare])
    print(f"render_ms_median: {render_ms:.1f}")
    print(f"bare_weasyprint_ms_median: {bare_ms:.1f}")
    print(f"render_overhead_ratio: {render_ms / bare_ms:.2f}")


if __name__ == "__main__":
    main()
