"""The published HTML version as the portal serves it: the stored document, unchanged, with
its stylesheet under the response's nonce, its fonts named from the portal's root, a
viewport for a phone, and a link back to the published letters (never in the PDF)."""

import io
import re

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from pypdf import PdfReader

from accounts import roles
from inspections.models import AuthorityUser
from letters.models import Letter, PublishedVersion
from letters.publication import services as publication
from letters.publication.views import served_html
from letters.review import services as review
from tests.factories import UserFactory, inspector_user, letter_led_by, qa_manager_user

pytestmark = pytest.mark.django_db

BACK_LINK = re.compile(
    r'<nav class="letter-nav" aria-label="Published letters">'
    r'<a href="(?P<href>[^"]+)">Back to published letters</a></nav>'
)
FONT_URL = re.compile(r'url\("([^"]+\.ttf)"\)')


def published(**letter_fields):
    lead, qa = inspector_user(), qa_manager_user()
    letter = letter_led_by(lead)
    if letter_fields:
        Letter.objects.filter(pk=letter.pk).update(**letter_fields)
    review.letter_submit(letter=Letter.objects.get(pk=letter.pk), by=lead)
    review.letter_approve(letter=Letter.objects.get(pk=letter.pk), by=qa)
    return publication.letter_publish(letter=Letter.objects.get(pk=letter.pk), by=qa)


def reader_of(version):
    user = UserFactory(username="authority.reader")
    roles.grant(user, roles.AUTHORITY_USER)
    AuthorityUser.objects.create(user=user, authority=version.authority)
    return user


def served(client, version):
    client.force_login(reader_of(version))
    response = client.get(reverse("letters:version-html", args=[version.pk]))
    assert response.status_code == 200
    return response


def test_the_served_version_fits_a_phone_and_links_back_to_the_list(client):
    version = published()
    html = served(client, version).content.decode()

    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    links = BACK_LINK.findall(html)
    assert links == [reverse("letters:authority-letters")]
    # At the top: straight after the body's opening tag, before the letterhead.
    assert re.search(r'<body class="letter">\n<nav class="letter-nav"', html)
    assert html.index("letter-nav") < html.index('class="letterhead"')


def test_the_served_versions_fonts_are_named_from_the_root_and_exist(client):
    version = published()
    response = served(client, version)
    html = response.content.decode()

    fonts = FONT_URL.findall(html)
    # Wine's Tahoma, the letters' font; Noto Sans for a character Tahoma lacks.
    assert sorted(fonts) == [
        "/static/fonts/NotoSans-Bold.ttf",
        "/static/fonts/NotoSans-Regular.ttf",
        "/static/fonts/WineTahoma-Bold.ttf",
        "/static/fonts/WineTahoma-Regular.ttf",
    ]
    for url in fonts:
        assert finders.find(url.removeprefix("/static/")), url
    assert "../fonts/" not in html
    # The page's policy lets them load, and the stylesheet that names them run.
    policy = response["Content-Security-Policy"]
    assert "font-src 'self'" in policy
    nonce = re.search(r"'nonce-([^']+)'", policy)[1]
    assert f'<style nonce="{nonce}">' in html


def test_the_stored_version_and_its_pdf_are_unchanged(client):
    version = published()
    stored = version.html
    served(client, version)

    assert PublishedVersion.objects.get(pk=version.pk).html == stored
    assert not BACK_LINK.search(stored) and "Back to published letters" not in stored
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(version.pdf.read())).pages)
    assert "Back to published letters" not in text


def test_a_title_with_markup_adds_no_second_link_and_stays_text(client):
    """Only the document's own head and body tag are touched: the letter's text, escaped,
    cannot place the link or be taken for the body."""
    version = published(title='<body class="letter"> url("../fonts/x.ttf")')
    html = served(client, version).content.decode()

    assert len(BACK_LINK.findall(html)) == 1
    assert html.count('<body class="letter">') == 1
    assert "&lt;body class=&quot;letter&quot;&gt; url(&quot;../fonts/x.ttf&quot;)" in html


def test_a_version_stored_without_a_head_or_body_is_served_as_it_is():
    assert served_html("<p>A letter</p>", nonce="n") == "<p>A letter</p>"
