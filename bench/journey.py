"""Journey benchmark: an inspector writes the seed letter in Chromium the quickest way.

    python bench/journey.py [--headed]

Starts the portal (gunicorn, a throwaway SQLite database, an inspector, the authority,
the letterhead office and the QA manager as an administrator would have entered them),
then drives Debian's Chromium through Playwright as an inspector would: sign in, create
the visit, upload the Word document of the letter, check the preview and save it. It
then downloads the draft PDF and compares its body text with the seed's, word by word
(LETTERS_SHARED_DIR/tools/lettertext.py, the comparison the corpus checks use).

Prints one figure a line:

    seed_letter_form_posts: N    # forms the inspector submitted after signing in
    seed_letter_clicks: N        # clicks after signing in (typing is not counted)
    seed_letter_seconds: N       # from the start page to the saved letter's draft PDF
    seed_letter_similarity: R    # the draft PDF's body text against the seed's
    goal_form_posts_at_most_6: pass|FAIL
    goal_similarity_at_least_0.99: pass|FAIL

and exits 1 if the journey fails. Everything it starts is stopped and removed.
"""

import argparse
import importlib.util
import os
import secrets
import shutil
import signal
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.pages import (  # noqa: E402  (after the path above)
    HOST,
    BenchError,
    fail,
    free_port,
    start_server,
    stop_server,
    wait_for_server,
)

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"]
USERNAME = "journey-inspector"
PASSWORD = "journey-inspector-password"  # A throwaway account in a throwaway database.
SEED = "seed/isle-of-wight-focused-visit-2017.md"
GOAL_POSTS = 6
GOAL_SIMILARITY = 0.99
TIMEOUT_MS = 30_000


def shared_dir():
    shared = Path(os.environ.get("LETTERS_SHARED_DIR", ROOT.parent / "shared"))
    if not (shared / SEED).is_file():
        raise BenchError(f"no seed letter at {shared / SEED} (set LETTERS_SHARED_DIR)")
    return shared


def lettertext(shared):
    """The shared comparison tool, loaded from its file (it is not part of the project)."""
    spec = importlib.util.spec_from_file_location("lettertext", shared / "tools/lettertext.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def prepare_data(tmp, seed_text):
    """Migrate; make the inspector and the reference data; write the seed as a .docx."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connections

    from accounts import roles
    from inspections.models import Inspector, LocalAuthority, Office

    call_command("migrate", verbosity=0, interactive=False)
    user = get_user_model().objects.create_user(USERNAME, password=PASSWORD)
    roles.grant(user, roles.INSPECTOR)
    Inspector.objects.create(full_name="Linda Steele", grade=Inspector.Grade.HMI, user=user)
    LocalAuthority.objects.create(
        name="Isle of Wight",
        director_name="Steve Crocker",
        director_job_title="Director of Children's Services",
        address="County Hall\nNewport\nIsle of Wight",
        postcode="PO30 1UD",
    )
    Office.objects.create(
        name="Aviation House",
        address="Aviation House\n125 Kingsway\nLondon",
        telephone="0300 123 1231",
        email="enquiries@ofsted.gov.uk",
        web_address="www.ofsted.gov.uk",
    )
    connections.close_all()
    document = tmp / "isle-of-wight-focused-visit-2017.docx"
    document.write_bytes(word_document(seed_text))
    return document


def word_document(text):
    """The seed as an inspector's Word document: headings in Heading 2, bullets in List
    Bullet, bold as bold, one paragraph per paragraph (lines of one paragraph joined)."""
    import io
    import re

    import docx

    document = docx.Document()
    for block in re.split(r"\n\s*\n", text.strip()):
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        if not lines:
            continue
        if lines[0].startswith("#"):
            document.add_heading(lines[0].lstrip("#").strip().strip("*"), level=2)
            continue
        if re.match(r"^([-*■•])\s", lines[0]):
            items = []
            for line in lines:
                if re.match(r"^([-*■•])\s", line):
                    items.append(line[1:].strip())
                else:
                    items[-1] += " " + line
            for item in items:
                document.add_paragraph(item, style="List Bullet")
            continue
        # Letterhead and address lines stay lines; prose joins into one paragraph.
        if len(lines) > 1 and all(len(line) < 60 for line in lines):
            paragraph = document.add_paragraph()
            for number, line in enumerate(lines):
                run = paragraph.add_run(line.replace("**", ""))
                if number < len(lines) - 1:
                    run.add_break()
            continue
        paragraph = document.add_paragraph()
        for number, part in enumerate(" ".join(lines).split("**")):
            if part:
                paragraph.add_run(part).bold = number % 2 == 1
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


class Journey:
    """The browser, counting the inspector's clicks and submitted forms."""

    def __init__(self, page):
        self.page = page
        self.clicks = 0
        self.posts = 0
        self.counting = False
        page.on("request", self._request)

    def _request(self, request):
        # A submitted form loads a document; autosave and polling are fetches, not counted.
        if self.counting and request.method == "POST" and request.resource_type == "document":
            self.posts += 1

    def click(self, locator):
        locator.click()
        if self.counting:
            self.clicks += 1


def write_the_letter(page, base, document):
    """The quickest way through the portal; returns the figures and the draft PDF."""
    journey = Journey(page)
    page.goto(base + "/sign-in/")
    page.get_by_label("Username").fill(USERNAME)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/sign-in/" not in url)

    journey.counting = True
    started = time.perf_counter()
    page.goto(base + "/visits/new/")
    page.get_by_label("Local authority").select_option(label="Isle of Wight")
    journey.click(page.get_by_label("Pilot"))
    date = page.get_by_role("group", name="First day of the visit")
    date.get_by_label("Day").fill("1")
    date.get_by_label("Month").fill("8")
    date.get_by_label("Year").fill("2017")
    journey.click(page.get_by_role("button", name="Create the visit"))
    page.wait_for_url(lambda url: "/visits/new/" not in url)

    journey.click(page.get_by_role("link", name="Bring in the letter text").first)
    page.get_by_label("Upload a Word document").set_input_files(str(document))
    journey.click(page.get_by_role("button", name="Upload and check"))
    journey.click(page.get_by_role("button", name="Save the letter"))
    page.wait_for_url(lambda url: "/letter/" in url and "import" not in url)

    pdf = page.request.get(page.url.split("#")[0].rstrip("/") + "/draft.pdf")
    seconds = time.perf_counter() - started
    if not pdf.ok:
        raise BenchError(f"the draft PDF answered {pdf.status}")
    return {"posts": journey.posts, "clicks": journey.clicks, "seconds": seconds}, pdf.body()


def drive(base, document, headed):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=[] if headed else CHROMIUM_ARGS, headless=not headed
        )
        try:
            page = browser.new_page()
            page.set_default_timeout(TIMEOUT_MS)
            return write_the_letter(page, base, document)
        finally:
            browser.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--headed", action="store_true", help="show the browser")
    args = parser.parse_args()
    if not CHROMIUM.exists():
        sys.exit(f"bench/journey.py: no Chromium at {CHROMIUM} (Debian's chromium package)")

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    tmp = Path(tempfile.mkdtemp(prefix="letters-journey-"))
    server = None
    log_path = tmp / "gunicorn.log"
    try:
        shared = shared_dir()
        env = os.environ | {
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "DATABASE_URL": f"sqlite:///{tmp / 'journey.sqlite3'}",
            # DEBUG serves the portal's scripts and styles, as `make run` does.
            "DJANGO_DEBUG": "1",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": HOST,
            "DJANGO_MEDIA_ROOT": str(tmp / "media"),
            "DJANGO_TASKS_BACKEND": "immediate",
        }
        os.environ.update(env)
        document = prepare_data(tmp, (shared / SEED).read_text(encoding="utf-8"))
        port = free_port()
        with open(log_path, "w") as log:
            server = start_server(env, port, 2, log)
        wait_for_server(server, port)
        figures, pdf = drive(f"http://{HOST}:{port}", document, args.headed)
        (tmp / "draft.pdf").write_bytes(pdf)
        similarity, _ = lettertext(shared).compare(str(shared / SEED), str(tmp / "draft.pdf"))
    except BenchError as error:
        fail("bench/journey.py", error, log_path)
    finally:
        stop_server(server)
        shutil.rmtree(tmp, ignore_errors=True)

    posts_met = figures["posts"] <= GOAL_POSTS
    similarity_met = similarity >= GOAL_SIMILARITY
    print(f"seed_letter_form_posts: {figures['posts']}")
    print(f"seed_letter_clicks: {figures['clicks']}")
    print(f"seed_letter_seconds: {figures['seconds']:.1f}")
    print(f"seed_letter_similarity: {similarity:.4f}")
    print(f"goal_form_posts_at_most_{GOAL_POSTS}: {'pass' if posts_met else 'FAIL'}")
    print(f"goal_similarity_at_least_{GOAL_SIMILARITY}: {'pass' if similarity_met else 'FAIL'}")


if __name__ == "__main__":
    main()
