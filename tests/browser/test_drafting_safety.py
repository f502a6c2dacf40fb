"""Drafting as it really happens: an item deleted from another tab while it is being
written, QA comments beside the items they are about, and the editor with scripts off."""

import re

import pytest
from playwright.sync_api import expect

from accounts import roles
from letters.models import Comment, Item, Letter
from tests.browser.axe import assert_no_serious_violations
from tests.browser.conftest import TIMEOUT_MS
from tests.factories import UserFactory, force_status

pytestmark = pytest.mark.django_db(transaction=True)


def first_item(letter):
    return Item.objects.filter(section__letter=letter).order_by("section__position", "position")[0]


def test_a_save_refused_because_the_item_was_deleted_keeps_the_text(signed_in_page, drafted_letter):
    """Deleted from another tab while being written: saving says so and shows the text."""
    page = signed_in_page
    item = first_item(drafted_letter)
    page.goto(f"/visits/{drafted_letter.visit.pk}/letter/items/{item.pk}/")
    typed = "A careful paragraph about the quality of plans for children in need."
    page.get_by_label("Text", exact=True).fill(typed)
    item.delete()  # the other tab's delete
    page.get_by_role("button", name="Save").click()

    expect(page.locator("h1")).to_have_text("Your change was not saved")
    expect(page.get_by_text("Someone else deleted what you were changing")).to_be_visible()
    expect(page.get_by_label("Text")).to_have_value(typed)
    assert_no_serious_violations(page)
    assert not Item.objects.filter(text=typed).exists()


@pytest.fixture
def returned_with_comments(drafted_letter):
    """Returned by QA with one comment on the first item and one on the letter."""
    qa_manager = UserFactory(username="hazel", first_name="Hazel", last_name="Penrose")
    roles.grant(qa_manager, roles.QA_MANAGER)
    item = first_item(drafted_letter)
    Comment.objects.create(
        letter=drafted_letter,
        item=item,
        item_text=item.text,
        author=qa_manager,
        text="Say which services leaders know well.",
    )
    Comment.objects.create(
        letter=drafted_letter, author=qa_manager, text="Check the letter date with the team."
    )
    force_status(drafted_letter, Letter.Status.RETURNED)
    return item


def test_comments_appear_beside_their_item_and_are_counted(
    signed_in_page, drafted_letter, returned_with_comments
):
    """The editor counts the open comments, links each to its place, and shows the item's
    comment beside the item and on its form."""
    page = signed_in_page
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"/visits/{drafted_letter.visit.pk}/letter/")

    banner = page.locator("#open-comments")
    expect(banner).to_contain_text("2 open comments")
    item = page.locator(f"#item-{returned_with_comments.pk}")
    expect(item).to_contain_text("Say which services leaders know well.")
    expect(page.locator("#comments").locator("..")).to_contain_text("Check the letter date")
    assert_no_serious_violations(page)

    banner.get_by_role("link", name=re.compile("on the item")).click()
    expect(page).to_have_url(re.compile(rf"#item-{returned_with_comments.pk}$"))
    page.goto(f"/visits/{drafted_letter.visit.pk}/letter/items/{returned_with_comments.pk}/")
    expect(page.locator("#comments")).to_have_text("1 open comment on this item")
    expect(page.get_by_text("Say which services leaders know well.")).to_be_visible()
    assert_no_serious_violations(page)


def test_the_editor_works_without_javascript(
    browser, live_server, sign_in, inspector, drafted_letter
):
    """With scripts off an item is edited, moved and deleted (after its confirmation)."""
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    context.set_default_timeout(TIMEOUT_MS)
    try:
        page = sign_in(context.new_page(), inspector)
        page.set_viewport_size({"width": 375, "height": 800})
        item = first_item(drafted_letter)
        page.goto(f"/visits/{drafted_letter.visit.pk}/letter/items/{item.pk}/")
        page.get_by_label("Text", exact=True).fill("Leaders know their services very well.")
        page.get_by_role("button", name="Save").click()
        expect(page.locator(f"#item-{item.pk}")).to_contain_text("very well")

        page.locator(f"#item-{item.pk}").get_by_role("button", name=re.compile("Move down")).click()
        assert (
            list(
                Item.objects.filter(section=item.section)
                .order_by("position")
                .values_list("pk", flat=True)
            )[1]
            == item.pk
        )

        page.locator(f"#item-{item.pk}").get_by_role("link", name=re.compile("Delete")).click()
        page.get_by_role("button", name=re.compile("Delete")).click()
        expect(page.locator(f"#item-{item.pk}")).to_have_count(0)
        assert not Item.objects.filter(pk=item.pk).exists()
    finally:
        context.close()
