"""An inspector pastes a whole section from Word: previews the split, saves, sees the items;
with scripts and without, on a phone's width, with no serious accessibility problem."""

import re

import pytest
from playwright.sync_api import expect

from letters.models import Section
from tests.browser.axe import assert_no_serious_violations
from tests.browser.conftest import TIMEOUT_MS

pytestmark = pytest.mark.django_db(transaction=True)

# As Word, Google Docs, an e-mail and markdown put a section on the clipboard: Word's
# bullets with tabs, a symbol-font bullet, Word's "o" for the second level, Google Docs'
# black circle, markdown's hyphen and asterisk, a white bullet and a small square, a
# soft line break, numbering "1)" and "2.", a stray glyph on its own line and a
# paragraph after a blank line.
PASTED = (
    "•\tLeaders know their services well.\r\n"
    "\uf0b7\tSocial workers see children\r\nregularly and know them well.\r\n"
    "o\tManagers check the work closely.\r\n"
    "● Plans are clear.\r\n"
    "- Records are up to date.\r\n"
    "* Supervision is regular.\r\n"
    "◦ Visits are timely.\r\n"
    "▪\tStaff are trained.\r\n"
    "•\r\n"
    "1)\tThe timeliness of assessments.\r\n"
    "2. Decisions are recorded.\r\n"
    "\r\n"
    "A closing paragraph, after a blank line."
)
ITEMS = [
    "Leaders know their services well.",
    "Social workers see children regularly and know them well.",
    "Managers check the work closely.",
    "Plans are clear.",
    "Records are up to date.",
    "Supervision is regular.",
    "Visits are timely.",
    "Staff are trained.",
    "The timeliness of assessments.",
    "Decisions are recorded.",
    "A closing paragraph, after a blank line.",
]
# As the editor shows them: items not printed as bullets carry their style.
IN_THE_EDITOR = [
    *ITEMS[:8],
    f"Numbered paragraph {ITEMS[8]}",
    f"Numbered paragraph {ITEMS[9]}",
    f"Paragraph {ITEMS[10]}",
]


def normalise(text):
    return " ".join(text.split())


def editor_items(page, heading):
    section = page.locator(".portal-section").filter(
        has=page.get_by_role("heading", name=heading, exact=True)
    )
    return [normalise(text) for text in section.locator(".portal-item__text").all_inner_texts()]


def fits_the_width(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def paste_a_new_section(page, letter, *, check_accessibility):
    page.goto(f"/visits/{letter.visit.pk}/letter/")
    page.get_by_role("link", name="Paste a whole section").click()
    expect(page.locator("h1")).to_have_text("Paste a whole section")
    assert fits_the_width(page)
    if check_accessibility:
        assert_no_serious_violations(page)

    page.get_by_label(Section.Kind.FINDINGS.label, exact=True).check()
    page.get_by_label("Heading", exact=True).fill("Main findings")
    page.get_by_label("The section's text", exact=True).fill(PASTED)
    page.get_by_role("button", name="Preview the split").click()

    expect(page.locator("h1")).to_have_text(f"Check the {len(ITEMS)} items")
    split = page.locator("#split li")
    expect(split).to_have_count(len(ITEMS))
    for n, text in enumerate(ITEMS):
        expect(split.nth(n)).to_contain_text(text)
    expect(split.nth(8)).to_contain_text("Numbered paragraph")
    expect(split.nth(9)).to_contain_text("Numbered paragraph")
    assert not Section.objects.filter(letter=letter, heading="Main findings").exists()
    assert fits_the_width(page)
    if check_accessibility:
        assert_no_serious_violations(page)

    page.get_by_role("button", name=f"Save these {len(ITEMS)} items").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        f"Section ‘Main findings’ added with {len(ITEMS)} items"
    )
    assert editor_items(page, "Main findings") == IN_THE_EDITOR


def test_a_section_pasted_from_word_is_previewed_then_saved(
    new_page, sign_in, inspector, drafted_letter
):
    page = sign_in(new_page(), inspector)
    page.set_viewport_size({"width": 375, "height": 800})
    paste_a_new_section(page, drafted_letter, check_accessibility=True)


def test_the_paste_form_shows_its_errors_accessibly(new_page, sign_in, inspector, drafted_letter):
    page = sign_in(new_page(), inspector)
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"/visits/{drafted_letter.visit.pk}/letter/sections/paste/")
    page.get_by_role("button", name="Preview the split").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Choose what the section holds")
    expect(summary).to_contain_text("Paste the text of the section")
    assert_no_serious_violations(page)


def test_pasting_works_without_javascript(browser, live_server, sign_in, inspector, drafted_letter):
    """Plain forms: a new section, then replacing a section's items, with scripts off."""
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    context.set_default_timeout(TIMEOUT_MS)
    try:
        page = sign_in(context.new_page(), inspector)
        page.set_viewport_size({"width": 375, "height": 800})
        paste_a_new_section(page, drafted_letter, check_accessibility=False)

        page.get_by_role("link", name="Replace the items of Overview by pasting").click()
        expect(page.locator(".govuk-warning-text")).to_contain_text("replace the 3 items")
        page.get_by_label("The section's text", exact=True).fill("• One.\n• Two.")
        page.get_by_role("button", name="Preview the split").click()
        expect(page.locator("h1")).to_have_text("Check the 2 items")
        # Change the text on the preview, preview again, then save.
        page.get_by_role("link", name="Change the text").click()
        page.get_by_label("The section's text", exact=True).fill("• One.\n• Two.\n• Three.")
        page.get_by_role("button", name="Preview the split again").click()
        expect(page.locator("h1")).to_have_text("Check the 3 items")
        page.get_by_role("button", name="Save these 3 items").click()
        expect(page).to_have_url(re.compile(r"/letter/#section-\d+$"))
        assert editor_items(page, "Overview") == ["One.", "Two.", "Three."]
    finally:
        context.close()
