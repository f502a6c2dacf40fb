"""The review page shows the letter itself, in the page: from the print template's text
(letters/print/body.html), escaped as it prints, its headings under the page's own h1."""

import itertools
import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from letters.models import Item, Letter
from letters.rendering.compose import compose_letter, letter_queryset
from letters.review import services
from tests.factories import inspector_user, letter_led_by, qa_manager_user

pytestmark = pytest.mark.django_db

HEADING = re.compile(r"^h([1-6])$")


class Page(HTMLParser):
    """A page's tags, its headings (level and text, in order) and what the element with
    class `portal-letter` holds as text."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.tags, self.headings, self.letter_text = [], [], ""
        self._heading = None
        self._depth = 0  # inside .portal-letter: how many elements deep
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if HEADING.match(tag):
            self._heading = [int(tag[1]), ""]
            self.headings.append(self._heading)
        if self._depth and tag not in ("br", "img", "input", "meta", "link"):
            self._depth += 1
        elif "portal-letter" in (attrs.get("class") or "").split():
            self._depth = 1

    def handle_endtag(self, tag):
        if HEADING.match(tag):
            self._heading = None
        if self._depth:
            self._depth -= 1

    def handle_data(self, data):
        if self._heading is not None:
            self._heading[1] += data
        if self._depth:
            self.letter_text += data

    def heading_texts(self, level):
        return [" ".join(text.split()) for lvl, text in self.headings if lvl == level]


@pytest.fixture
def in_review():
    lead, qa = inspector_user(), qa_manager_user()
    letter = letter_led_by(lead)
    services.letter_submit(letter=letter, by=lead)
    return Letter.objects.get(pk=letter.pk), qa


def review_page(client, letter, qa):
    client.force_login(qa)
    response = client.get(reverse("letters:review-letter", args=[letter.visit_id]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_review_page_shows_the_letter_in_the_page_not_in_a_frame(client, in_review):
    letter, qa = in_review
    html = review_page(client, letter, qa)
    page = Page(html)

    assert not [tag for tag, _ in page.tags if tag in ("iframe", "frame", "object", "embed")]
    assert reverse("letters:letter-preview", args=[letter.visit_id]) not in html
    text = " ".join(page.letter_text.split())
    for item in Item.objects.filter(section__letter=letter):
        assert item.text in text
    assert "Leaders know their services well." in text
    assert "The quality of care leavers' plans." in text  # the focus area, as it prints
    # The portal's page, not a second document: no second <main>, no letter stylesheet.
    assert [tag for tag, _ in page.tags].count("main") == 1
    assert not [a for tag, a in page.tags if tag == "link" and "letter.css" in a.get("href", "")]


def test_the_letters_headings_follow_the_pages_h1(client, in_review):
    """The page's h1 is its own; the letter's title is an h2, its sections' h3: no level
    is skipped anywhere on the page."""
    letter, qa = in_review
    page = Page(review_page(client, letter, qa))

    assert page.heading_texts(1) == ["Review the letter"]
    headings = [heading[0] for heading in page.headings]
    assert all(b <= a + 1 for a, b in itertools.pairwise(headings)), headings
    title = compose_letter(letter_queryset().get(pk=letter.pk)).title
    assert title in page.heading_texts(2)
    sections = [section.heading for section in letter.sections.order_by("position")]
    assert [text for text in page.heading_texts(3) if text in sections] == sections


def test_the_letters_text_is_escaped_on_the_review_page(client, in_review):
    letter, qa = in_review
    Item.objects.filter(section__letter=letter).update(text='<script>alert("x")</script>')
    html = review_page(client, letter, qa)

    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert '<script>alert("x")' not in html
