"""The live preview: a letter form posted with _preview=1 shows the letter with the
form's changes and saves nothing."""

import pytest
from django.urls import reverse

from findings.models import Item, Section
from tests.factories import inspector_user, letter_led_by, qa_manager_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def inspector(client):
    user = inspector_user()
    client.force_login(user)
    return user


@pytest.fixture
def letter(inspector):
    return letter_led_by(inspector)


def url(name, letter, *args):
    return reverse(name, args=[letter.visit.pk, *args])


def preview(client, address, data):
    return client.post(address, {**data, "_preview": "1"})


def item_data(item, **changes):
    data = {"text": item.text, "style": item.style, "cross_reference": "", "footnote": ""}
    return {**data, "revision": item.revision, **changes}


def test_item_preview_shows_the_unsaved_text_as_a_preview(client, letter):
    item = Item.objects.get(text="The timeliness of assessments.")
    response = preview(
        client, url("item-edit", letter, item.pk), item_data(item, text="Typed, not saved.")
    )
    content = response.content.decode()
    assert response["X-Letter-Preview"] == "1"
    assert "Typed, not saved." in content
    assert "The timeliness of assessments." not in content


def test_item_preview_saves_nothing(client, letter):
    item = Item.objects.get(text="The timeliness of assessments.")
    preview(client, url("item-edit", letter, item.pk), item_data(item, text="Typed, not saved."))
    item.refresh_from_db()
    assert (item.text, item.revision) == ("The timeliness of assessments.", 1)


def test_item_preview_keeps_the_saved_value_of_a_field_that_is_not_valid(client, letter):
    item = Item.objects.get(text="The timeliness of assessments.")
    content = preview(
        client, url("item-edit", letter, item.pk), item_data(item, text="")
    ).content.decode()
    assert "The timeliness of assessments." in content


def test_new_item_preview_prints_the_item_last_in_its_section(client, letter):
    overview = letter.sections.get(kind=Section.Kind.OVERVIEW)
    content = preview(
        client,
        url("item-add", letter, overview.pk),
        {"text": "A finding being written.", "style": "bullet"},
    ).content.decode()
    written = content.index("A finding being written.")
    assert content.index("Leaders know their services well.") < written
    assert written < content.index("Areas for improvement")
    assert overview.items.count() == 1


def test_new_section_preview_prints_the_section_last(client, letter):
    content = preview(
        client,
        url("section-add", letter),
        {"kind": Section.Kind.IMPROVEMENT, "heading": "A heading being written"},
    ).content.decode()
    assert content.index("Areas for improvement") < content.index("A heading being written")
    assert letter.sections.count() == 2


def test_section_preview_shows_the_unsaved_heading(client, letter):
    section = letter.sections.get(kind=Section.Kind.IMPROVEMENT)
    content = preview(
        client,
        url("section-edit", letter, section.pk),
        {"kind": section.kind, "heading": "Renamed, not saved", "revision": section.revision},
    ).content.decode()
    assert "Renamed, not saved" in content
    section.refresh_from_db()
    assert section.heading == "Areas for improvement"


def test_closing_preview_shows_the_unsaved_closing(client, letter):
    content = preview(
        client,
        url("letter-closing", letter),
        {"closing": "A closing being typed.", "sign_off": "Yours sincerely", "revision": 1},
    ).content.decode()
    assert "A closing being typed." in content


def test_recipient_preview_shows_the_unsaved_recipient(client, letter):
    visit = letter.visit
    content = preview(
        client,
        reverse("visit-recipient", args=[visit.pk]),
        {"recipient_name": "Jo Typed", "salutation": "Dear Jo", "revision": visit.revision},
    ).content.decode()
    assert "Jo Typed" in content
    visit.refresh_from_db()
    assert visit.recipient_name != "Jo Typed"


def test_preview_is_refused_to_a_user_who_may_not_edit(client, letter):
    """A QA manager may read the draft but not change it, so not preview changes either."""
    client.force_login(qa_manager_user())
    item = Item.objects.get(text="The timeliness of assessments.")
    response = preview(client, url("item-edit", letter, item.pk), item_data(item, text="X"))
    assert response.status_code in (403, 404)
    assert "X-Letter-Preview" not in response


def test_form_page_shows_the_preview_beside_the_form(client, letter):
    item = Item.objects.get(text="The timeliness of assessments.")
    content = client.get(url("item-edit", letter, item.pk)).content.decode()
    assert 'data-letter-preview="letter-preview"' in content
    assert f'id="letter-preview" src="{url("letter-preview", letter)}"' in content
