"""Where printed pages break: long bullets flow over the page end as in Word, and no page
keeps or receives a lone line of a paragraph or a bullet (widows and orphans of two)."""

import io
import itertools
import re

import pytest
from pypdf import PdfReader

from letters.rendering.pdf import letter_pdf
from tests.factories import ItemFactory, complete_letter

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r"\bw(\d+)x\d+\b")


def long_items_letter(*, lead_words, items=8, words=150):
    """A letter whose first section has a short item, one of lead_words, then long ones."""
    letter = complete_letter()
    section = letter.sections.get(position=1)
    for n in range(2, items + 2):
        count = lead_words if n == 2 else words
        text = " ".join(f"w{n}x{i}" for i in range(count))
        ItemFactory(section=section, position=n, text=f"START{n} {text} END{n}")
    return letter


def item_lines_per_page(pdf):
    """For each page, {item number: lines of that item on the page}."""
    pages = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        counts = {}
        for line in page.extract_text().splitlines():
            numbers = {int(n) for n in TOKEN.findall(line)}
            for number in numbers:
                counts[number] = counts.get(number, 0) + 1
        pages.append(counts)
    return pages


def split_items(pages):
    """(item, lines before the break, lines after it) for each item a page break splits."""
    return [
        (item, before[item], after[item])
        for before, after in itertools.pairwise(pages)
        for item in set(before) & set(after)
    ]


def test_a_long_bullet_continues_on_the_next_page():
    """A bullet too long for what is left of a page is split there, not pushed whole."""
    pages = item_lines_per_page(letter_pdf(long_items_letter(lead_words=40)))

    assert split_items(pages), "no bullet was split across a page break"


def test_pages_of_long_bullets_are_full():
    """No page of bullets ends early to push a whole bullet on: no quarter page left blank."""
    reader = PdfReader(io.BytesIO(letter_pdf(long_items_letter(lead_words=40))))
    # The first page has the letterhead, the last ones the closing and the signature.
    middle = reader.pages[1:-2]

    assert middle
    for number, page in enumerate(middle, start=2):
        lines = [line for line in page.extract_text().splitlines() if line.strip()]
        assert len(lines) >= 38, f"page {number} holds only {len(lines)} lines"


@pytest.mark.parametrize("lead_words", [10, 45, 80, 115, 150])
def test_no_page_keeps_or_receives_a_lone_line_of_a_bullet(lead_words):
    """Wherever the break falls, each side of a split bullet has at least two lines."""
    pages = item_lines_per_page(letter_pdf(long_items_letter(lead_words=lead_words)))

    for item, before, after in split_items(pages):
        assert before >= 2, f"item {item} leaves one line at a page foot"
        assert after >= 2, f"item {item} carries one line to a new page"


def test_a_section_marked_to_start_a_new_page_does():
    """'Start on a new page' puts the section's heading at the top of the next page."""
    letter = complete_letter()
    improvement = letter.sections.get(position=2)
    improvement.page_break_before = True
    improvement.save()
    pages = PdfReader(io.BytesIO(letter_pdf(letter))).pages
    on_page = [n for n, page in enumerate(pages) if "Areas for improvement" in page.extract_text()]
    assert on_page == [1]
    first_line = pages[1].extract_text().strip().splitlines()[0]
    assert first_line == "Areas for improvement"
