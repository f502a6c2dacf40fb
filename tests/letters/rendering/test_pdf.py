"""The letter printed: the seed as PDF and HTML, escaping, the asset fetcher, render_letter."""

import contextlib
import functools
import io
import re
from collections import Counter
from dataclasses import dataclass
from html.parser import HTMLParser

import pikepdf
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import transaction
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NumberObject

from letters.models import Item
from letters.rendering.compose import compose_letter, letter_queryset
from letters.rendering.pdf import (
    ASSET_BASE,
    AssetFetcher,
    letter_html,
    letter_pdf,
    print_html,
)
from tests.conftest import shared_file
from tests.factories import OfficeFactory, complete_letter

# The module-scoped fixtures below need the test database, which pytest-django creates
# only when a selected test is marked: without this, `pytest -k` on them alone fails.
pytestmark = pytest.mark.django_db

SEED = "seed/isle-of-wight-focused-visit-2017.md"
A4_POINTS = (595, 842)
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
    b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa75\x81"
    b"\x84\x00\x00\x00\x00IEND\xaeB`\x82"
)


# Reading the seed and the PDF ------------------------------------------------------


def normalise(text):
    """One space between words; a hyphen broken at a line end joins its word again."""
    return re.sub(r"-\s+", "-", " ".join(text.split()))


def seed_blocks(text):
    """Every heading, paragraph and bullet of the seed, as the letter prints it.

    Markdown `#`, `**` and bullet markers go; a line that starts in lower case continues
    the block before it (the seed breaks sentences where the original's pages broke).
    """
    blocks = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        line = re.sub(r"^#+\s*", "", line)
        line = re.sub(r"^[-■]\s+", "", line)
        line = line.replace("**", "").strip()
        if blocks and line[0].islower():
            blocks[-1] = f"{blocks[-1]} {line}"
        else:
            blocks.append(line)
    return [normalise(block) for block in blocks]


def assert_in_order(blocks, text):
    """Each block is found in the text after the one before it."""
    text = normalise(text)
    at = 0
    for number, block in enumerate(blocks, start=1):
        found = text.find(block, at)
        assert found >= 0, (
            f"block {number} of {len(blocks)} is missing or out of order: {block[:70]!r}; "
            f"the text goes on: {text[at : at + 140]!r}"
        )
        at = found + len(block)


def marked_content_text(page):
    """The page's text by marked-content id (MCID); artifacts under None."""
    chunks = {}
    stack = []

    def before(operator, operands, cm, tm):
        if operator == b"BDC":
            properties = operands[1] if len(operands) > 1 else None
            stack.append(properties.get("/MCID") if isinstance(properties, dict) else None)
        elif operator == b"BMC":
            stack.append(None)
        elif operator == b"EMC" and stack:
            stack.pop()

    def text(value, cm, tm, font, size):
        mcid = next((mcid for mcid in reversed(stack) if mcid is not None), None)
        chunks.setdefault(mcid, []).append(value)

    page.extract_text(visitor_operand_before=before, visitor_text=text)
    return {mcid: "".join(parts) for mcid, parts in chunks.items()}


def tagged_text(reader):
    """The document's text in the order of its structure tree: what a screen reader reads."""
    page_numbers = {page.indirect_reference.idnum: n for n, page in enumerate(reader.pages)}
    by_page = [marked_content_text(page) for page in reader.pages]
    parts = []

    def walk(node, page):
        if isinstance(node, IndirectObject):
            node = node.get_object()
        if isinstance(node, NumberObject):
            parts.append(by_page[page].get(int(node), ""))
        elif isinstance(node, ArrayObject):
            for kid in node:
                walk(kid, page)
        elif isinstance(node, DictionaryObject):
            if "/Pg" in node:
                page = page_numbers[node.raw_get("/Pg").idnum]
            if node.get("/Type") == "/MCR":
                parts.append(by_page[page].get(int(node["/MCID"]), ""))
            elif "/K" in node:
                walk(node["/K"], page)

    walk(reader.trailer["/Root"]["/StructTreeRoot"], None)
    return " ".join(parts)


def structure_elements(reader):
    """Every element of the structure tree, in tree order."""
    elements = []

    def walk(node):
        if isinstance(node, IndirectObject):
            node = node.get_object()
        if isinstance(node, ArrayObject):
            for kid in node:
                walk(kid)
        elif isinstance(node, DictionaryObject):
            if "/S" in node:
                elements.append(node)
            if "/K" in node:
                walk(node["/K"])

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    return elements


def fonts_in(resources):
    """The font dictionaries of a resource dictionary, form XObjects included."""
    resources = resources.get_object() if resources is not None else {}
    for font in resources.get("/Font", {}).values():
        yield font.get_object()
    for xobject in resources.get("/XObject", {}).values():
        xobject = xobject.get_object()
        if xobject.get("/Subtype") == "/Form":
            yield from fonts_in(xobject.get("/Resources"))


def page_lines(page):
    return [line.strip() for line in page.extract_text().splitlines()]


def link_uris(pdf):
    uris = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for annotation in page.get("/Annots", []):
            annotation = annotation.get_object()
            if annotation.get("/Subtype") == "/Link" and "/URI" in annotation.get("/A", {}):
                uris.append(str(annotation["/A"]["/URI"]))
    return uris


class Outline(HTMLParser):
    """The tags of an HTML document, and the text of its title and headings."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.tags = []
        self.texts = {"title": [], "h1": [], "h2": []}
        self._open = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag in self.texts:
            self.texts[tag].append("")
            self._open.append(tag)

    def handle_endtag(self, tag):
        if self._open and self._open[-1] == tag:
            self._open.pop()

    def handle_data(self, data):
        if self._open:
            self.texts[self._open[-1]][-1] += data

    def named(self, tag):
        return [attrs for name, attrs in self.tags if name == tag]

    def text_of(self, tag):
        return [" ".join(text.split()) for text in self.texts[tag]]


# The seed, imported and printed once for the module ------------------------------


@dataclass
class RenderedSeed:
    text: str
    letter: object  # with everything compose_letter reads prefetched: no queries needed
    pdf: bytes
    pdf_again: bytes

    @functools.cached_property
    def reader(self):
        return PdfReader(io.BytesIO(self.pdf))

    @functools.cached_property
    def page_texts(self):
        return [page.extract_text() for page in self.reader.pages]

    @property
    def title(self):
        return next(block for block in seed_blocks(self.text) if block.startswith("Focused"))


@pytest.fixture(scope="module")
def seed(django_db_setup, django_db_blocker):
    """The seed imported, loaded as the renderer loads it and printed; then rolled back."""
    path = shared_file(SEED)
    with django_db_blocker.unblock(), transaction.atomic():
        stdout = io.StringIO()
        call_command("import_letter", str(path), stdout=stdout, stderr=io.StringIO())
        visit_id = int(stdout.getvalue().splitlines()[-1])
        letter = letter_queryset().get(visit_id=visit_id)
        pdf = letter_pdf(letter)
        pdf_again = letter_pdf(letter_queryset().get(visit_id=visit_id))
        transaction.set_rollback(True)
    return RenderedSeed(path.read_text(encoding="utf-8"), letter, pdf, pdf_again)


def test_seed_blocks_rejoin_page_broken_sentences(seed):
    """The expected text has the seed's page-broken bullets joined (a check on the check)."""
    blocks = seed_blocks(seed.text)
    assert any("ensure that these actions and decisions" in block for block in blocks)
    assert not any(block.startswith("that these actions") for block in blocks)
    assert blocks[-1] == "Her Majesty's Inspector"


def test_pdf_reads_the_whole_seed_in_order(seed):
    """Every heading, paragraph and bullet of the seed is in the tagged PDF, in order."""
    assert_in_order(seed_blocks(seed.text), tagged_text(seed.reader))


def test_pdf_text_layer_reads_the_seed_in_order(seed):
    """The text layer itself (pypdf's plain extraction) follows the seed's order."""
    text = "\n".join(
        line
        for page in seed.page_texts
        for line in page.splitlines()
        if not line.strip().isdigit()  # page numbers
    )
    assert_in_order(seed_blocks(seed.text), text)


def test_seed_prints_on_three_or_four_a4_pages(seed):
    """The seed letter takes 3 or 4 pages, every one A4 portrait."""
    pages = seed.reader.pages
    assert len(pages) in (3, 4)
    for page in pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert width == pytest.approx(A4_POINTS[0], abs=1)
        assert height == pytest.approx(A4_POINTS[1], abs=1)


def test_every_font_is_embedded(seed):
    """Each font, descendant fonts included, carries its font file."""
    checked = 0
    for page in seed.reader.pages:
        for font in fonts_in(page.get("/Resources")):
            described = (
                [descendant.get_object() for descendant in font["/DescendantFonts"]]
                if font.get("/Subtype") == "/Type0"
                else [font]
            )
            for described_font in described:
                descriptor = described_font.get("/FontDescriptor")
                descriptor = descriptor.get_object() if descriptor is not None else {}
                assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor), (
                    f"{font.get('/BaseFont')} is not embedded"
                )
                checked += 1
    assert checked >= 2  # regular and bold at least


def test_pdf_is_tagged_with_headings_lists_and_a_described_figure(seed):
    """The structure tree has H1, H2, L, LI and a Figure with alternative text."""
    elements = structure_elements(seed.reader)
    kinds = Counter(str(element["/S"]) for element in elements)
    assert {"/H1", "/H2", "/L", "/LI", "/Figure"} <= set(kinds)
    assert kinds["/H1"] == 1
    assert kinds["/H2"] == 3
    figures = [element for element in elements if element["/S"] == "/Figure"]
    assert all(str(figure.get("/Alt", "")).strip() for figure in figures)


def test_pdf_declares_its_language_and_is_marked(seed):
    """The catalog says en-GB and that the content is marked."""
    catalog = seed.reader.trailer["/Root"]
    assert catalog["/Lang"] == "en-GB"
    assert bool(catalog["/MarkInfo"]["/Marked"]) is True


def test_pdf_title_is_the_letter_title(seed):
    """The document title shown by readers is the letter's title."""
    assert seed.reader.metadata.title == seed.title
    assert seed.title == compose_letter(seed.letter).title


def test_xmp_metadata_declares_pdf_ua(seed):
    """The XMP metadata claims PDF/UA-1."""
    with pikepdf.open(io.BytesIO(seed.pdf)) as pdf:
        assert pdf.open_metadata().get("pdfuaid:part") == "1"


def test_same_letter_renders_to_the_same_bytes(seed):
    """Printing the letter again, freshly loaded, gives a byte-identical PDF."""
    assert seed.pdf_again == seed.pdf


def test_draft_marks_every_page(seed):
    """A draft print says DRAFT on every page; the final print nowhere."""
    draft = PdfReader(io.BytesIO(letter_pdf(seed.letter, draft=True)))
    assert len(draft.pages) == len(seed.reader.pages)
    # The mark is letter-spaced, so text extraction reads it as "D R A F T".
    assert all("DRAFT" in "".join(page.extract_text().split()) for page in draft.pages)
    assert not any("DRAFT" in "".join(text.split()) for text in seed.page_texts)


def test_seed_pages_are_not_numbered(seed):
    """The 2017 letter prints without page numbers, as Ofsted's letters did until mid-2021
    (the numbered layouts: tests/letters/rendering/test_word_layout.py)."""
    for number, page in enumerate(seed.reader.pages, start=1):
        assert str(number) not in page_lines(page)


def test_seed_is_signed_her_majestys_inspector(seed):
    """A letter of August 2017 is signed by Her Majesty's Inspector."""
    text = normalise(" ".join(seed.page_texts))
    assert "Her Majesty's Inspector" in text
    assert "His Majesty's" not in text


def test_html_version_is_an_accessible_document(seed):
    """The HTML version has a language, a title, one h1, an h2 per section and a described logo."""
    html = letter_html(seed.letter, for_print=False)
    outline = Outline(html)
    assert '<html lang="en-GB">' in html
    assert outline.text_of("title") == [seed.title]
    assert outline.text_of("h1") == [seed.title]
    assert outline.text_of("h2") == ["Overview", "Areas of strength", "Areas for improvement"]
    images = outline.named("img")
    assert images
    assert all(image.get("alt", "").strip() for image in images)


# Escaping and the fetcher ---------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("for_print", [True, False], ids=["print", "screen"])
def test_letter_text_is_escaped(for_print):
    """An item's markup prints as text in the HTML, never as a tag."""
    letter = complete_letter()
    Item.objects.filter(section__letter=letter, position=1, section__position=1).update(
        text="<script>alert(1)</script>"
    )
    html = letter_html(letter_queryset().get(pk=letter.pk), for_print=for_print)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script" not in html
    assert not Outline(html).named("script")


@pytest.mark.django_db
@pytest.mark.parametrize("for_print", [True, False], ids=["print", "screen"])
def test_footnote_markup_is_escaped(for_print):
    """An image tag in a footnote prints as text and adds no image."""
    letter = complete_letter()
    Item.objects.filter(section__letter=letter).update(
        footnote='<img src="file:///etc/passwd"> see the file'
    )
    html = letter_html(letter_queryset().get(pk=letter.pk), for_print=for_print)
    assert "&lt;img src=&quot;file:///etc/passwd&quot;&gt; see the file" in html
    sources = [image.get("src", "") for image in Outline(html).named("img")]
    assert sources
    assert not any("passwd" in source for source in sources)


@pytest.mark.django_db
def test_footnote_markup_fetches_nothing_when_printed():
    """Printing a footnote with an image tag asks the fetcher only for the letter's assets."""
    letter = complete_letter()
    Item.objects.filter(section__letter=letter).update(footnote='<img src="file:///etc/passwd">')
    printed = print_html(letter_html(letter_queryset().get(pk=letter.pk), for_print=True))
    assert printed.asked
    assert all(url.startswith(ASSET_BASE) for url in printed.asked)
    assert printed.refused == ()
    pages = PdfReader(io.BytesIO(printed.pdf)).pages
    text = normalise(" ".join(page.extract_text() for page in pages))
    assert '<img src="file:///etc/passwd">' in text


def test_fetcher_serves_the_stylesheet():
    """The print stylesheet is served from the project's static files."""
    body = AssetFetcher.read(ASSET_BASE + "static/letters/letter.css")
    assert isinstance(body, bytes)
    assert b"@page" in body


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://example.com/x.png",
        "https://example.com/static/letters/letter.css",
        "data:image/png;base64,iVBORw0KGgo=",
        ASSET_BASE + "static/../../config/settings.py",
        ASSET_BASE + "static/%2e%2e/%2e%2e/config/settings.py",
        ASSET_BASE + "static//etc/passwd",
        ASSET_BASE + "media/../db.sqlite3",
        ASSET_BASE + "media/office-logos/../../var/db.sqlite3",
        ASSET_BASE + "static/letters/letter.css?v=1",
        ASSET_BASE + "config/settings.py",
    ],
)
def test_fetcher_refuses_anything_else(url):
    """Other schemes, hosts, traversals and paths outside static and media get nothing."""
    assert AssetFetcher.read(url) is None


def test_fetcher_serves_office_logos_from_storage():
    """A logo stored under office-logos/ is served."""
    name = default_storage.save("office-logos/manchester.png", ContentFile(PNG))
    assert AssetFetcher.read(ASSET_BASE + "media/" + name) == PNG


def test_fetcher_refuses_media_outside_office_logos():
    """A stored file outside office-logos/ is not served, though it exists."""
    name = default_storage.save("private/inspection-notes.png", ContentFile(PNG))
    assert default_storage.exists(name)
    assert AssetFetcher.read(ASSET_BASE + "media/" + name) is None


FRAMEWORK = "https://www.gov.uk/government/publications/childrens-social-care-national-framework"


def letter_with_footnote(footnote):
    """A complete letter whose area for improvement has this footnote, ready to print."""
    letter = complete_letter()
    Item.objects.filter(section__letter=letter, section__position=2).update(footnote=footnote)
    return letter_queryset().get(pk=letter.pk)


@pytest.mark.django_db
def test_footnote_web_address_becomes_a_link():
    """A web address in a footnote is a link annotation in the PDF."""
    pdf = letter_pdf(letter_with_footnote(f"See {FRAMEWORK} for the framework."))
    assert FRAMEWORK in link_uris(pdf)


@pytest.mark.django_db
def test_footnote_link_on_words_prints_the_words_and_links_them():
    """[words](address) prints the words, not the address, under a link to the address."""
    pdf = letter_pdf(letter_with_footnote(f"Cross-referenced with the [framework]({FRAMEWORK})."))
    text = normalise(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages))
    assert "Cross-referenced with the framework." in text
    assert FRAMEWORK not in text
    assert FRAMEWORK in link_uris(pdf)


@pytest.mark.django_db
def test_footnote_link_on_words_is_an_anchor_in_the_html_version():
    letter = letter_with_footnote(f"Cross-referenced with the [framework]({FRAMEWORK}).")
    html = letter_html(letter, for_print=False)
    assert f'Cross-referenced with the <a href="{FRAMEWORK}">framework</a>.' in html


# The render_letter command ----------------------------------------------------------


@pytest.mark.django_db
def test_render_letter_writes_the_pdf_and_html(tmp_path):
    """The command writes the PDF and a standalone HTML version of the visit's letter."""
    letter = complete_letter()
    pdf_path, html_path = tmp_path / "letter.pdf", tmp_path / "letter.html"
    stdout = io.StringIO()
    call_command(
        "render_letter",
        str(letter.visit_id),
        output=str(pdf_path),
        html=str(html_path),
        stdout=stdout,
    )
    title = compose_letter(letter_queryset().get(pk=letter.pk)).title
    reader = PdfReader(pdf_path)
    assert reader.metadata.title == title
    assert "Leaders know their services well." in reader.pages[0].extract_text()
    html = html_path.read_text(encoding="utf-8")
    assert '<html lang="en-GB">' in html
    assert f"<h1>{title}</h1>".replace("'", "&#x27;") in html
    assert "<style>" in html  # standalone: the stylesheet travels with the file
    assert str(pdf_path) in stdout.getvalue()


@pytest.mark.django_db
def test_render_letter_refuses_an_unknown_visit(tmp_path):
    """An unknown visit id is a CommandError, and no file is written."""
    output = tmp_path / "letter.pdf"
    with pytest.raises(CommandError, match="No letter for visit 999999") as refused:
        call_command("render_letter", "999999", output=str(output))
    assert refused.value.returncode != 0
    assert not output.exists()


@pytest.mark.django_db
def test_render_letter_survives_a_missing_office_logo(tmp_path):
    """An office logo missing from storage gives a letter or a CommandError, not a crash."""
    letter = complete_letter(office=OfficeFactory(logo="office-logos/removed.png"))
    with contextlib.suppress(CommandError):
        call_command(
            "render_letter",
            str(letter.visit_id),
            output=str(tmp_path / "letter.pdf"),
            html=str(tmp_path / "letter.html"),
            stdout=io.StringIO(),
        )
        assert (tmp_path / "letter.html").read_text(encoding="utf-8").startswith("<!DOCTYPE")
