"""Letters print as Word printed them: Wine's Tahoma, each period's page layout, and the
corpus letters reprinted on their original's pages, line for line."""

import datetime
import importlib.util
import io
import re

import pytest
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from letters.importing.pdf_text import pdf_lines
from letters.rendering.layouts import layout_for
from tests.conftest import shared_file
from tests.letters.importing import test_pdf_import
from tests.letters.importing.test_pdf_import import CORPUS

# The import tests' module fixture (each corpus letter imported, with its original and its
# reprint), here under the name corpus_imported.
corpus_imported = test_pdf_import.imported

pytestmark = pytest.mark.django_db

(
    BOURNEMOUTH,
    DONCASTER,
    NOTTINGHAMSHIRE,
    SLOUGH,
    STOCKTON,
    WARRINGTON,
) = CORPUS
NUMBERED = [STOCKTON, SLOUGH]  # from mid-2021 the pages carry their numbers
UNNUMBERED = [NOTTINGHAMSHIRE, WARRINGTON, DONCASTER, BOURNEMOUTH]

# Bournemouth's author put three manual page breaks in the letter: Overview, Areas for
# priority action and What needs to improve each start a page (page 2 ends 205 pt and
# page 3 ends 592 pt above the foot). The import records the two it can tell from a
# page's natural end on those sections (Section.page_break_before), and the reprint breaks
# there too: 7 pages, as the original.


def page_count(pdf):
    return len(PdfReader(io.BytesIO(pdf)).pages)


def body_lines(pdf):
    """The body's lines from the salutation on, without bullets, numbers or page numbers."""
    lines = [line.text for line in pdf_lines(pdf) if line.size >= 11.5]
    lines = [line for line in lines if not line.isdigit()]
    start = next(n for n, line in enumerate(lines) if line.startswith("Dear"))
    return [re.sub(r"^(?:\d+\.|[^\w‘’“(]+)\s*", "", line) for line in lines[start:]]


@pytest.fixture(scope="module")
def lettertext():
    """../shared/tools/lettertext.py: how a reprint is compared with its original."""
    path = shared_file("tools/lettertext.py")
    spec = importlib.util.spec_from_file_location("lettertext", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    ("on_date", "layout"),
    [
        (datetime.date(2017, 8, 24), "2018"),
        (datetime.date(2018, 12, 31), "2018"),
        (datetime.date(2019, 1, 4), "2019"),
        (datetime.date(2020, 11, 27), "2020"),
        (datetime.date(2021, 6, 30), "2020"),
        (datetime.date(2021, 7, 1), "2021"),
        (datetime.date(2024, 12, 31), "2021"),
        (datetime.date(2025, 1, 1), "2025"),
        (None, "2025"),
    ],
)
def test_layout_follows_the_letters_date(on_date, layout):
    """A letter takes the layout of its period; an undated one today's."""
    assert layout_for(on_date) == layout


@pytest.mark.parametrize("name", CORPUS)
def test_reprint_has_the_originals_page_count(corpus_imported, name):
    """The corpus letter reprints on as many pages as Ofsted's original."""
    result = corpus_imported[name]
    assert page_count(result["rendered"]) == page_count(result["original"])


@pytest.mark.parametrize("name", CORPUS)
def test_reprint_reads_as_the_original(corpus_imported, lettertext, name, tmp_path):
    """lettertext.py's word-sequence similarity of reprint to original is at least 0.99."""
    original = tmp_path / "original.pdf"
    original.write_bytes(corpus_imported[name]["original"])
    reprint = tmp_path / "reprint.pdf"
    reprint.write_bytes(corpus_imported[name]["rendered"])
    ratio, _ = lettertext.compare(str(original), str(reprint))
    print(f"{name}: similarity {ratio:.4f}")
    assert ratio >= 0.99


@pytest.mark.parametrize("name", [NOTTINGHAMSHIRE, DONCASTER])
def test_reprint_breaks_every_line_where_the_original_does(corpus_imported, name):
    """Tahoma's widths and the period's margins: the same words on every line (the two
    letters whose bullets sit where the layout puts them; Warrington's are at the margin)."""
    result = corpus_imported[name]
    assert body_lines(result["rendered"]) == body_lines(result["original"])


@pytest.mark.parametrize("name", NUMBERED)
def test_pages_from_two_carry_their_number_at_the_foot_on_the_right(corpus_imported, name):
    """As the letters from mid-2021 on: none on page 1, then 2, 3... bottom right, 12 pt."""
    lines = pdf_lines(corpus_imported[name]["rendered"])
    pages = page_count(corpus_imported[name]["rendered"])
    numbers = [line for line in lines if line.text.isdigit()]
    assert [int(line.text) for line in numbers] == list(range(2, pages + 1))
    for line in numbers:
        assert line.size == 12
        assert line.y < 70  # below the body and its notes
        assert line.x > 500  # at the right margin
        assert line.y == min(other.y for other in lines if other.page == line.page)


@pytest.mark.parametrize("name", UNNUMBERED)
def test_letters_before_mid_2021_print_no_page_numbers(corpus_imported, name):
    """As their originals: no page carries a number."""
    assert not [
        line for line in pdf_lines(corpus_imported[name]["rendered"]) if line.text.isdigit()
    ]


def embedded_font_names(pdf):
    """The full names (name table) of the font programs the PDF embeds."""
    names = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            if font.get("/Subtype") == "/Type0":
                font = font["/DescendantFonts"][0].get_object()
            program = font["/FontDescriptor"].get_object()["/FontFile2"].get_object()
            names.add(TTFont(io.BytesIO(program.get_data()))["name"].getDebugName(4))
    return names


def test_reprint_embeds_tahoma_regular_and_bold(corpus_imported):
    """The letter's text is set in Tahoma (Wine's) and nothing else, as the originals."""
    assert embedded_font_names(corpus_imported[SLOUGH]["rendered"]) == {"Tahoma", "Tahoma Bold"}


def test_a_page_break_in_the_original_is_kept(corpus_imported):
    """Bournemouth's author broke the page before three headings; the import records the
    two whose page before ends over 100 pt short (Areas for priority action, What needs
    to improve), not the one after page 1, which ends 52 pt short as an ordinary page
    can; and no break in the letters without them."""
    breaks = {name: corpus_imported[name]["page_breaks"] for name in CORPUS}
    assert len(breaks.pop(BOURNEMOUTH)) == 2
    assert not any(breaks.values()), breaks
