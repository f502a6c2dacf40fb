"""Letters to HTML and PDF. The only module that imports WeasyPrint.

The print template reads a LetterDocument (letters.rendering.compose). Assets reach WeasyPrint
through a fetcher that answers only for the project's own static files and the office
logos in storage, under a base URL that exists nowhere else: no network, no file: URLs,
no redirects, no attachments.
"""

import base64
import dataclasses
import functools
import mimetypes
import multiprocessing
import posixpath
import re
import resource
from pathlib import Path
from urllib.parse import unquote, urlsplit

import weasyprint
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.templatetags.static import static

from letters.rendering.compose import compose_letter

ASSET_BASE = "https://letter-assets.invalid/"
STATIC_PREFIX = "static/"
MEDIA_PREFIX = "media/"
STYLESHEET = "letters/letter.css"
LOGO = "letters/logo.png"
# Storage folders whose files a letter may show (office logos).
MEDIA_FOLDERS = ("office-logos/",)
# The mark of the draft the local authority checks for factual accuracy (letter_html's draft).
FACTUAL_ACCURACY = "factual-accuracy"
# Fixed so that the same letter gives the same bytes whenever it is rendered.
PDF_IDENTIFIER = b"focused-visit-letter"


class RenderError(Exception):
    """The letter could not be rendered. Its message is for the person who asked."""

    retry = True  # on the task worker: run again, it may pass (jobs.services)


class AssetFetcher(weasyprint.URLFetcher):
    """Serves the project's static files and office logos; refuses everything else."""

    def __init__(self):
        super().__init__(allowed_protocols=("https",), allow_redirects=False)
        self.refused = []

    def fetch(self, url, headers=None):
        body = self.read(url)
        if body is None:
            self.refused.append(url)
            raise ValueError(f"Refused to fetch {url}")
        content_type = mimetypes.guess_type(urlsplit(url).path)[0] or "application/octet-stream"
        return weasyprint.urls.URLFetcherResponse(url, body, {"Content-Type": content_type})

    @staticmethod
    def read(url):
        if not url.startswith(ASSET_BASE):
            return None
        parts = urlsplit(url)
        if parts.query or parts.fragment:
            return None
        path = unquote(parts.path).lstrip("/")
        if posixpath.normpath(path) != path or ".." in path.split("/"):
            return None
        if path.startswith(STATIC_PREFIX):
            found = finders.find(path.removeprefix(STATIC_PREFIX))
            if not found:
                return None
            with open(found, "rb") as asset:
                return asset.read()
        if path.startswith(MEDIA_PREFIX):
            name = path.removeprefix(MEDIA_PREFIX)
            if not name.startswith(MEDIA_FOLDERS) or not default_storage.exists(name):
                return None
            with default_storage.open(name, "rb") as asset:
                return asset.read()
        return None


@functools.cache
def _font_config():
    return weasyprint.text.fonts.FontConfiguration()


@functools.cache
def _stylesheet():
    return weasyprint.CSS(
        url=ASSET_BASE + STATIC_PREFIX + STYLESHEET,
        url_fetcher=AssetFetcher(),
        font_config=_font_config(),
    )


def letter_html(letter, *, for_print, draft=False, standalone=False, pending=None):
    """The letter as an HTML document.

    for_print=True gives the document WeasyPrint prints (assets under ASSET_BASE,
    footnotes floated to the page foot). Otherwise it is the accessible HTML version:
    served by the portal it links the print stylesheet; standalone, written to a file,
    it carries the stylesheet inline. pending: see compose_letter. draft: True marks
    every page DRAFT; FACTUAL_ACCURACY ("factual-accuracy") marks it "Draft for factual
    accuracy check — not for publication", as the local authority reads it.
    """
    document = compose_letter(letter, pending=pending)
    office = document.office
    context = {
        "doc": document,
        "for_print": for_print,
        "draft": draft,
        "logo_alt": office.logo_alt_text if office else "Ofsted",
    }
    if for_print:
        context["logo_url"] = (
            ASSET_BASE + MEDIA_PREFIX + office.logo.name
            if office and office.logo
            else ASSET_BASE + STATIC_PREFIX + LOGO
        )
    elif standalone:
        context["logo_url"] = _logo_data_url(office)
        context["inline_stylesheet"] = Path(finders.find(STYLESHEET)).read_text()
    else:
        # An office logo is in storage, which the portal does not serve (a bucket's
        # signed address would also be refused by the pages' CSP): it goes inline.
        context["logo_url"] = _logo_data_url(office) if office and office.logo else static(LOGO)
        context["stylesheet_url"] = static(STYLESHEET)
    return render_to_string("letters/print/letter.html", context)


def _logo_data_url(office):
    """The office's logo (Ofsted's if it has none, or its file has gone) as a data: URL."""
    logo, logo_name = None, LOGO
    if office and office.logo:
        logo = AssetFetcher.read(ASSET_BASE + MEDIA_PREFIX + office.logo.name)
        logo_name = office.logo.name
    if logo is None:
        logo, logo_name = AssetFetcher.read(ASSET_BASE + STATIC_PREFIX + LOGO), LOGO
    logo_type = mimetypes.guess_type(logo_name)[0]
    return f"data:{logo_type};base64,{base64.b64encode(logo).decode()}"


class RenderTimeout(RenderError):
    """The render ran longer than LETTER_RENDER_TIMEOUT_SECONDS and was stopped."""

    retry = False  # it would run as long again


class RenderTooLarge(RenderError):
    """The render needed more memory than LETTER_RENDER_MEMORY_MB and was stopped."""

    retry = False


# Every PDF is printed in a child process with a time and a memory limit, wherever the
# request for it runs (a gunicorn thread, the development server, the task worker, a
# command): a letter built to tie up the server costs one child, which is killed at the
# limit. Children fork from a server process that has Django set up and WeasyPrint, the
# fonts and the stylesheet loaded (multiprocessing's forkserver), so a child starts warm
# in milliseconds and never inherits the threads or connections of the process asking.
FORKSERVER_BOOT = "letters.rendering.print_child"
MEDIA_URL_PATTERN = re.compile(re.escape(ASSET_BASE + MEDIA_PREFIX) + r'[^"\'\s)<>]+')


@functools.cache
def _context():
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([FORKSERVER_BOOT])
    return context


def warm():
    """Load what every render needs (in the forkserver, before any child forks)."""
    _stylesheet()


class PreloadedFetcher(AssetFetcher):
    """The child's fetcher: static files from the finders, storage files only as the
    parent read them (the child may not see the parent's storage settings)."""

    def __init__(self, media):
        super().__init__()
        self.media = media
        self.asked = []

    def fetch(self, url, headers=None):
        self.asked.append(url)
        return super().fetch(url, headers)

    def read(self, url):
        if url.startswith(ASSET_BASE + MEDIA_PREFIX):
            return self.media.get(url)  # only what the parent read, and checked
        return AssetFetcher.read(url)


def _print_in_child(connection, html, media, memory_bytes):
    """The child: set the memory limit on top of what it already holds, print, answer."""
    try:
        if memory_bytes:
            with open("/proc/self/statm") as statm:
                held = int(statm.read().split()[0]) * resource.getpagesize()
            resource.setrlimit(resource.RLIMIT_AS, (held + memory_bytes, held + memory_bytes))
        fetcher = PreloadedFetcher(media)
        document = weasyprint.HTML(string=html, base_url=ASSET_BASE, url_fetcher=fetcher)
        pdf = document.write_pdf(
            stylesheets=[_stylesheet()],
            font_config=_font_config(),
            pdf_variant="pdf/ua-1",
            pdf_identifier=PDF_IDENTIFIER,
            attachments=[],
        )
    except MemoryError:
        connection.send(("memory", ""))
    except Exception as error:  # reported to the parent, which raises RenderError
        connection.send(("error", f"{type(error).__name__}: {error}"[:500]))
    else:
        connection.send(("ok", Printed(pdf, tuple(fetcher.asked), tuple(fetcher.refused))))
    finally:
        connection.close()


@dataclasses.dataclass(frozen=True)
class Printed:
    pdf: bytes
    asked: tuple  # every URL the document asked the fetcher for
    refused: tuple  # those it refused


def html_to_pdf(html, *, timeout=None, memory_mb=None):
    """Print an HTML document made by letter_html(for_print=True) to PDF bytes, in a
    child process stopped after `timeout` seconds or at `memory_mb` more memory
    (LETTER_RENDER_TIMEOUT_SECONDS and LETTER_RENDER_MEMORY_MB by default)."""
    return print_html(html, timeout=timeout, memory_mb=memory_mb).pdf


def print_html(html, *, timeout=None, memory_mb=None):
    """html_to_pdf, with what the document asked the fetcher for (a Printed)."""
    timeout = timeout or settings.LETTER_RENDER_TIMEOUT_SECONDS
    memory_mb = memory_mb or settings.LETTER_RENDER_MEMORY_MB
    # Files from storage (office logos) are read here, with this process's storage.
    media = {}
    for url in set(MEDIA_URL_PATTERN.findall(html)):
        body = AssetFetcher.read(url)
        if body is not None:
            media[url] = body
    context = _context()
    receiving, sending = context.Pipe(duplex=False)
    child = context.Process(
        target=_print_in_child,
        args=(sending, html, media, memory_mb * 1024 * 1024),
        daemon=True,
    )
    try:
        child.start()
    except OSError as error:
        raise RenderError(f"The letter could not be printed: {error}") from error
    sending.close()
    try:
        if not receiving.poll(timeout):
            raise RenderTimeout(f"The letter took longer than {timeout} seconds to print")
        try:
            outcome, body = receiving.recv()
        except EOFError:  # the child died without answering (killed, or crashed)
            raise RenderTooLarge(
                "The letter could not be printed: the printing process stopped"
            ) from None
    finally:
        receiving.close()
        if child.is_alive():
            child.kill()
        child.join(5)
        if not child.is_alive():
            child.close()
    if outcome == "ok":
        return body
    if outcome == "memory":
        raise RenderTooLarge(
            f"The letter needed more than {memory_mb} MB to print, so it was stopped"
        )
    raise RenderError(f"The letter could not be printed: {body}")


def letter_pdf(letter, *, draft=False):
    """The letter as PDF bytes; the same letter always gives the same bytes."""
    return html_to_pdf(letter_html(letter, for_print=True, draft=draft))
