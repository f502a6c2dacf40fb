"""An inspector brings a whole letter in: uploads its Word document (made here with
python-docx), checks where everything goes, confirms, and sees the sections in the editor;
with scripts and without, with no serious accessibility problem."""

import re

import pytest
from playwright.sync_api import expect

from letters.models import Section
from tests.browser.axe import assert_no_serious_violations
from tests.browser.conftest import TIMEOUT_MS
from tests.letters.importing.docx_maker import seed_docx

pytestmark = pytest.mark.django_db(transaction=True)

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
SECTIONS = [("Overview", 3), ("Areas of strength", 12), ("Areas for improvement", 6)]


@pytest.fixture
def seed_file(tmp_path, seed_path):
    path = tmp_path / "isle-of-wight.docx"
    path.write_bytes(seed_docx(seed_path))
    return path


def upload_and_confirm(page, letter, seed_file, *, check_accessibility):
    page.goto(f"/visits/{letter.visit.pk}/letter/")
    page.get_by_role("link", name="Bring in the letter text").click()
    expect(page.locator("h1")).to_have_text("Bring in the letter text")
    if check_accessibility:
        assert_no_serious_violations(page)

    page.get_by_label("Upload a Word document").set_input_files(str(seed_file))
    page.get_by_role("button", name="Upload and check").click()

    expect(page.locator("h1")).to_have_text("Check where the letter’s text goes")
    rows = page.locator("#sections tbody tr")
    expect(rows).to_have_count(len(SECTIONS))
    for n, (heading, items) in enumerate(SECTIONS):
        expect(rows.nth(n)).to_contain_text(heading)
        expect(rows.nth(n).locator("td").last).to_have_text(str(items))
    expect(page.locator("#visit-facts")).to_contain_text("Andy Whippy (joins as team inspector)")
    assert [s.heading for s in Section.objects.filter(letter=letter)] == [
        "Overview",
        "Areas for improvement",
    ]
    if check_accessibility:
        assert_no_serious_violations(page)

    page.get_by_role("button", name="Save the letter").click()
    expect(page).to_have_url(re.compile(r"/letter/#opening$"))
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "3 sections with 21 items"
    )
    headings = page.locator(".portal-section h2").all_inner_texts()
    assert headings == [heading for heading, _ in SECTIONS]


def test_a_word_letter_is_uploaded_previewed_and_saved(
    new_page, sign_in, inspector, drafted_letter, seed_file
):
    page = sign_in(new_page(), inspector)
    upload_and_confirm(page, drafted_letter, seed_file, check_accessibility=True)


def test_the_upload_form_shows_its_errors_accessibly(
    new_page, sign_in, inspector, drafted_letter, tmp_path
):
    page = sign_in(new_page(), inspector)
    page.goto(f"/visits/{drafted_letter.visit.pk}/letter/import/")
    not_word = tmp_path / "letter.docx"
    not_word.write_text("## Not a Word document\n", encoding="utf-8")
    page.get_by_label("Upload a Word document").set_input_files(str(not_word))
    page.get_by_role("button", name="Upload and check").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "The selected file must be a Word document (.docx)"
    )
    assert_no_serious_violations(page)


def test_uploading_works_without_javascript(
    browser, live_server, sign_in, inspector, drafted_letter, seed_file
):
    """Plain forms: the upload, the preview and the save, with scripts off."""
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    context.set_default_timeout(TIMEOUT_MS)
    try:
        page = sign_in(context.new_page(), inspector)
        upload_and_confirm(page, drafted_letter, seed_file, check_accessibility=False)
    finally:
        context.close()
