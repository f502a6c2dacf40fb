"""The editor's list of sections and items (letters/templatetags/letter_editor.py) and the
one query that loads them (letters.selectors.sections_with_items)."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from letters.models import Comment, Item, Letter, Section
from letters.selectors import sections_with_items
from tests.factories import (
    ItemFactory,
    SectionFactory,
    force_status,
    inspector_user,
    letter_led_by,
    qa_manager_user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def inspector(client):
    user = inspector_user()
    client.force_login(user)
    return user


@pytest.fixture
def letter(inspector):
    return letter_led_by(inspector)


def editor(client, letter):
    response = client.get(reverse("letters:letter-editor", args=[letter.visit_id]))
    assert response.status_code == 200
    return response.content.decode()


def part(content, element_id):
    """The HTML of the section or item with this id: up to the next section (and for an
    item, the next item), or to the closing's heading after the last."""
    start = content.index(f'id="{element_id}"')
    marks = ['class="portal-section"', 'id="closing"']
    if element_id.startswith("item-"):
        marks.append('class="portal-item"')
    return content[start : min(i for i in (content.find(m, start) for m in marks) if i != -1)]


def test_each_field_loads_into_its_own_attribute(letter):
    """The sections' and items' fields come from one row each and land where the ORM puts
    them, even where the letter has a section without items."""
    section = SectionFactory(
        letter=letter,
        position=5,
        kind=Section.Kind.FINDINGS,
        heading="The heading",
        heading_footnote="The heading's footnote",
        lead_in="The lead-in",
        none_statement="The none statement",
    )
    ItemFactory(
        section=section,
        position=1,
        style=Item.Style.NUMBERED,
        text="The text",
        cross_reference="(the cross-reference)",
        footnote="The footnote",
    )
    SectionFactory(letter=letter, position=6, heading="Empty")
    fields = ["kind", "heading", "heading_footnote", "lead_in", "none_statement"]
    item_fields = ["section_id", "style", "text", "cross_reference", "footnote"]
    loaded = sections_with_items(letter=letter)
    expected = list(letter.sections.order_by("position"))
    assert [s.pk for s in loaded] == [s.pk for s in expected]
    for got, want in zip(loaded, expected, strict=True):
        assert [getattr(got, f) for f in fields] == [getattr(want, f) for f in fields]
        want_items = list(want.items.order_by("position"))
        assert [i.pk for i in got.item_list] == [i.pk for i in want_items]
        for got_item, want_item in zip(got.item_list, want_items, strict=True):
            assert [getattr(got_item, f) for f in item_fields] == [
                getattr(want_item, f) for f in item_fields
            ]
    assert loaded[-1].item_list == []


def test_sections_and_items_show_in_their_positions(client, letter):
    """Sections by their position, and each section's items by theirs, whatever order
    they were made in."""
    later = SectionFactory(letter=letter, position=9, heading="Later section")
    earlier = SectionFactory(letter=letter, position=3, heading="Earlier section")
    ItemFactory(section=later, position=2, text="Second of later.")
    ItemFactory(section=later, position=1, text="First of later.")
    ItemFactory(section=earlier, position=1, text="Only of earlier.")
    content = editor(client, letter)
    order = ["Earlier section", "Only of earlier.", "Later section", "First of later."]
    order.append("Second of later.")
    places = [content.index(text) for text in order]
    assert places == sorted(places)


def test_a_section_without_items_says_what_it_says_or_that_it_has_none(client, letter):
    """The section's none statement, else 'No items yet.'; and pasting adds, not replaces."""
    stated = SectionFactory(letter=letter, position=5, none_statement="There are none.")
    bare = SectionFactory(letter=letter, position=6)
    content = editor(client, letter)
    assert "There are none." in part(content, f"section-{stated.pk}")
    assert "No items yet." in part(content, f"section-{bare.pk}")
    assert "Paste the items" in part(content, f"section-{bare.pk}")
    full = letter.sections.get(position=1)
    assert "Replace the items" in part(content, f"section-{full.pk}")


def test_items_move_up_and_down_but_not_past_either_end(client, letter):
    """The first item has no 'Move up', the last no 'Move down'; each posts to the item's
    own move page with the page's CSRF token."""
    section = letter.sections.get(position=1)
    second = ItemFactory(section=section, position=2)
    third = ItemFactory(section=section, position=3)
    first = section.items.get(position=1)
    content = editor(client, letter)
    top, middle, bottom = (part(content, f"item-{item.pk}") for item in (first, second, third))
    assert "Move up" not in top and "Move down" in top
    assert "Move up" in middle and "Move down" in middle
    assert "Move up" in bottom and "Move down" not in bottom
    move = reverse("letters:item-move", args=[letter.visit_id, second.pk])
    assert f'action="{move}"' in middle
    tokens = set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', content))
    assert len(tokens) == 1


def test_an_item_shows_its_style_and_its_cross_reference_or_that_one_is_missing(client):
    """A paragraph says so; a cross-reference follows the words; without one, in the areas
    for improvement of a letter whose template cross-references them, a tag says so."""
    user = inspector_user()
    client.force_login(user)
    letter = letter_led_by(user)
    Letter.objects.filter(pk=letter.pk).update(template="2025")
    overview = letter.sections.get(kind=Section.Kind.OVERVIEW)
    improvement = letter.sections.get(kind=Section.Kind.IMPROVEMENT)
    paragraph = ItemFactory(section=overview, position=2, style=Item.Style.PARAGRAPH)
    referenced = ItemFactory(
        section=improvement, position=2, text="Plans.", cross_reference="(enabler 2)"
    )
    missing = improvement.items.get(position=1)
    content = editor(client, letter)
    assert '<strong class="govuk-tag govuk-tag--grey">Paragraph</strong> ' in content
    assert "Paragraph" in part(content, f"item-{paragraph.pk}")
    assert "Plans. (enabler 2)</p>" in part(content, f"item-{referenced.pk}")
    assert "cross-reference to add" in part(content, f"item-{missing.pk}")
    assert "cross-reference to add" not in part(content, f"item-{paragraph.pk}")


def test_an_open_comment_shows_beside_its_item_for_the_team_to_resolve(client, letter):
    qa = qa_manager_user()
    item = letter.sections.get(position=1).items.get()
    comment = Comment.objects.create(letter=letter, item=item, author=qa, text="Which ones?")
    Comment.objects.create(
        letter=letter, item=item, author=qa, text="Done.", resolved_at=timezone.now()
    )
    content = editor(client, letter)
    beside = part(content, f"item-{item.pk}")
    assert "Which ones?" in beside and "Done." not in beside
    resolve = reverse("letters:comment-resolve", args=[letter.visit_id, comment.pk])
    assert f'action="{resolve}"' in beside


def test_who_may_not_change_the_letter_sees_it_without_actions(client, letter):
    """A letter in review: its team reads each section and item, with nothing to change."""
    letter = force_status(letter, Letter.Status.IN_REVIEW)
    content = editor(client, letter)
    assert "Leaders know their services well." in content
    assert "Move up" not in content and "Move down" not in content
    assert "items/new/" not in content
