"""The letter read on a phone (375 px wide, in Chromium): the QA manager's review page,
which shows the letter in the page, and the published HTML version, which loads its font
and links back to the published letters. Neither scrolls sideways, and axe finds nothing
serious, nor a heading out of order.
"""

import itertools
import re

import pytest
from playwright.sync_api import expect

from letters.models import Item, PublishedVersion
from tests.browser import test_review as review
from tests.browser import test_review_accessibility as screens
from tests.browser.axe import BLOCKING_IMPACTS, _axe, describe

pytestmark = pytest.mark.django_db(transaction=True)

# Fixtures shared with the review tests.
qa_user = review.qa_user
authority_user = review.authority_user
letter_for_review = review.letter_for_review
letter_in_review = screens.letter_in_review
letter_resubmitted = screens.letter_resubmitted
letter_approved = screens.letter_approved
letter_published = screens.letter_published

PHONE = {"width": 375, "height": 812}
# Wider than a phone's line in any font: it must break, not push the page sideways.
LONG_ADDRESS = (
    "https://www.gov.uk/government/publications/working-together-to-safeguard-children"
    "--2/statutory-guidance-for-local-authorities-and-their-partners"
)
WIDE_ITEM = f"Leaders publish their practice standards at {LONG_ADDRESS} for every team."


@pytest.fixture
def wide_letter(letter_for_review):
    """The letter with an item and a footnote holding a web address wider than a phone."""
    overview = letter_for_review.sections.get(heading="Overview")
    Item.objects.create(
        section=overview,
        position=4,
        style=Item.Style.BULLET,
        text=WIDE_ITEM,
        footnote=f"The standards are at {LONG_ADDRESS}.",
    )
    return letter_for_review


def on_a_phone(page):
    page.set_viewport_size(PHONE)
    return page


def assert_no_sideways_scroll(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    wider = page.evaluate(
        """() => [...document.body.querySelectorAll('*')]
            .filter(e => e.getBoundingClientRect().right > innerWidth + 0.5)
            .slice(0, 5)
            .map(e => `${e.tagName}.${e.className}: ${e.getBoundingClientRect().right}`)"""
    )
    assert width <= PHONE["width"], f"{page.url} is {width} px wide: {wider}"


def assert_headings_in_order(page):
    levels = page.evaluate(
        "[...document.querySelectorAll('h1, h2, h3, h4, h5, h6')].map(h => +h.tagName[1])"
    )
    assert levels[0] == 1, levels
    assert all(b <= a + 1 for a, b in itertools.pairwise(levels)), levels


def assert_axe_passes(page):
    """Nothing serious or critical (as every accessibility test checks), and no heading
    out of order (axe calls that moderate)."""
    violations = _axe.run(page).response["violations"]
    failing = [
        v for v in violations if v["impact"] in BLOCKING_IMPACTS or v["id"] == "heading-order"
    ]
    assert not failing, f"axe-core on {page.url}:\n{describe(failing)}"


# The review page ---------------------------------------------------------------------


@pytest.mark.parametrize("data", ["letter_in_review", "letter_resubmitted", "letter_approved"])
def test_the_review_page_shows_the_letter_in_the_page_and_fits_a_phone(
    data, request, wide_letter, page, sign_in, qa_user
):
    letter = request.getfixturevalue(data)
    sign_in(on_a_phone(page), qa_user)

    page.goto(f"/review/{letter.visit_id}/")

    expect(page.locator("h1")).to_have_text("Review the letter")
    expect(page.locator("iframe")).to_have_count(0)
    shown = page.get_by_role("region", name="The letter under review")
    expect(shown.get_by_role("heading", level=2)).to_have_text(
        re.compile(r"^Focused visit to Isle of Wight")
    )
    expect(shown.get_by_role("heading", level=3, name="Overview")).to_be_visible()
    expect(shown.get_by_role("heading", level=3, name="Areas for improvement")).to_be_visible()
    expect(shown.get_by_text("Leaders know their services well.")).to_be_visible()
    expect(shown.get_by_text(WIDE_ITEM)).to_be_visible()
    expect(shown.get_by_role("heading", level=3, name="Footnotes")).to_be_visible()
    # The letter is as wide as the page's column, not a frame inside it.
    column = page.locator("main").evaluate("e => e.getBoundingClientRect().width")
    assert shown.evaluate("e => e.getBoundingClientRect().width") == column
    assert_no_sideways_scroll(page)
    assert_headings_in_order(page)
    assert_axe_passes(page)


def test_a_qa_manager_comments_on_an_item_from_a_phone(
    wide_letter, letter_in_review, page, sign_in, qa_user
):
    item = review.item_with_text(letter_in_review, review.OLD_TEXT)
    sign_in(on_a_phone(page), qa_user)
    page.goto(f"/review/{letter_in_review.visit_id}/")

    page.get_by_role("link", name="Comments and decision").click()
    expect(page).to_have_url(re.compile(r"#comments$"))
    page.get_by_label("What the comment is about", exact=True).select_option(
        label=f"{item.section.heading}: {review.OLD_TEXT}"
    )
    page.get_by_label("Comment", exact=True).fill(review.COMMENT)
    page.get_by_role("button", name="Add the comment").click()

    expect(review.success_banner(page)).to_contain_text("Comment added")
    expect(page.locator(".portal-item").filter(has_text=review.COMMENT)).to_contain_text(
        f"On: {review.OLD_TEXT}"
    )
    assert_no_sideways_scroll(page)


# The published HTML version ----------------------------------------------------------


def test_the_html_version_fits_a_phone_loads_its_font_and_links_back(
    wide_letter, letter_published, page, sign_in, authority_user
):
    version = PublishedVersion.objects.get(letter=letter_published)
    sign_in(on_a_phone(page), authority_user)
    fonts, refused = {}, []
    page.on(
        "response",
        lambda response: (
            response.url.endswith(".ttf") and fonts.setdefault(response.url, response.status)
        ),
    )
    page.on(
        "console",
        lambda message: "Content Security Policy" in message.text and refused.append(message.text),
    )

    page.goto(f"/letters/{version.pk}/")

    expect(page.locator("h1")).to_have_text(version.title)
    assert (
        page.locator('meta[name="viewport"]').get_attribute("content")
        == "width=device-width, initial-scale=1"
    )
    # Both weights of the letter's font load (from /static/, as the policy allows).
    faces = page.evaluate(
        """async () => {
            await document.fonts.ready;
            return [...document.fonts]
                .filter(face => face.family.replace(/"/g, '') === 'Letter Sans')
                .map(face => `${face.weight} ${face.status}`).sort();
        }"""
    )
    assert faces == ["400 loaded", "700 loaded"], faces
    assert sorted(fonts) == [
        f"{page.url.split('/letters/')[0]}/static/fonts/WineTahoma-{weight}.ttf"
        for weight in ("Bold", "Regular")
    ], fonts
    assert set(fonts.values()) == {200}, fonts
    for url in fonts:
        assert page.request.get(url).status == 200, url
    assert refused == []
    assert_no_sideways_scroll(page)
    assert_headings_in_order(page)
    assert_axe_passes(page)

    back = page.get_by_role("navigation", name="Published letters").get_by_role(
        "link", name="Back to published letters"
    )
    expect(back).to_be_visible()
    back.click()
    expect(page).to_have_url(re.compile(r"/letters/$"))
    expect(page.locator("h1")).to_have_text("Published letters")
    expect(page.locator("tbody tr").filter(has_text=version.title)).to_have_count(1)
