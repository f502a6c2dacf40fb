"""Letters to HTML and PDF. The only module that imports WeasyPrint.

The print template reads a LetterDocument (letters.rendering.compose). Assets reach WeasyPrint
through a fetcher that answers only for the project's own static files and the office
logos in storage, under a base URL that exists nowhere else: no network, no file: URLs,
no redirects, no attachments.
"""

import base64
import contextlib
import functools
import mimetypes
import posixpath
import signal
import threading
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
# Fixed so that the same letter gives the same bytes whenever it is rendered.
PDF_IDENTIFIER = b"focused-visit-letter"


class RenderError(Exception):
    """The letter could not be rendered."""


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
    it carries the stylesheet inline. pending: see compose_letter.
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
        logo, logo_name = None, LOGO
        if office and office.logo:
            logo = AssetFetcher.read(ASSET_BASE + MEDIA_PREFIX + office.logo.name)
            logo_name = office.logo.name
        if logo is None:  # no office logo, or its file has gone: Ofsted's
            logo, logo_name = AssetFetcher.read(ASSET_BASE + STATIC_PREFIX + LOGO), LOGO
        logo_type = mimetypes.guess_type(logo_name)[0]
        context["logo_url"] = f"data:{logo_type};base64,{base64.b64encode(logo).decode()}"
        context["inline_stylesheet"] = Path(finders.find(STYLESHEET)).read_text()
    else:
        context["logo_url"] = office.logo.url if office and office.logo else static(LOGO)
        context["stylesheet_url"] = static(STYLESHEET)
    return render_to_string("letters/print/letter.html", context)


class RenderTimeout(RenderError):
    """The render ran longer than LETTER_RENDER_TIMEOUT_SECONDS and was stopped."""


@contextlib.contextmanager
def time_limit(seconds):
    """Stop the block with RenderTimeout after `seconds`.

    A timer signal interrupts the render. Signals reach the main thread only, which is
    where gunicorn's sync workers and management commands run; elsewhere (the
    development server's threads) the render runs without a limit.
    """
    if not seconds or threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum, frame):
        raise RenderTimeout(f"The letter took longer than {seconds} seconds to print")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def html_to_pdf(html):
    """Print an HTML document made by letter_html(for_print=True) to PDF bytes."""
    fetcher = AssetFetcher()
    try:
        with time_limit(getattr(settings, "LETTER_RENDER_TIMEOUT_SECONDS", 60)):
            document = weasyprint.HTML(string=html, base_url=ASSET_BASE, url_fetcher=fetcher)
            return document.write_pdf(
                stylesheets=[_stylesheet()],
                font_config=_font_config(),
                pdf_variant="pdf/ua-1",
                pdf_identifier=PDF_IDENTIFIER,
                attachments=[],
            )
    except RenderError:
        raise
    except Exception as error:
        raise RenderError(f"The letter could not be printed: {error}") from error


def letter_pdf(letter, *, draft=False):
    """The letter as PDF bytes; the same letter always gives the same bytes."""
    return html_to_pdf(letter_html(letter, for_print=True, draft=draft))
