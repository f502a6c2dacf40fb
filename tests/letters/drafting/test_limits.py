"""Limits a real letter never reaches, refused with GOV.UK messages and nothing lost."""

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from letters import limits
from letters.models import Item
from tests.factories import inspector_user, letter_led_by

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead(client):
    user = inspector_user()
    client.force_login(user)
    return user


@pytest.fixture
def letter(lead):
    return letter_led_by(lead)


def add_item(client, letter, text):
    section = letter.sections.order_by("position").first()
    url = reverse("letters:item-add", args=[letter.visit_id, section.pk])
    return client.post(url, {"text": text, "style": "bullet"})


def test_an_item_over_the_field_limit_gets_a_govuk_message(client, letter):
    """Text past the item's limit is refused by the form, in GOV.UK's words."""
    before = Item.objects.count()
    response = add_item(client, letter, "x" * (limits.ITEM + 1))
    content = response.content.decode()
    assert "There is a problem" in content
    assert f"Text must be {limits.ITEM:,} characters or fewer" in content
    assert Item.objects.count() == before


def test_an_item_past_the_letters_item_limit_is_refused_and_kept(client, letter, monkeypatch):
    """One item too many: the page says so, keeps the typed text, and adds nothing."""
    count = Item.objects.filter(section__letter=letter).count()
    monkeypatch.setattr(limits, "ITEMS_PER_LETTER", count)
    response = add_item(client, letter, "One finding too many.")
    content = response.content.decode()
    assert response.status_code == 200
    assert f"A letter can have at most {count} items" in content
    assert "One finding too many." in content
    assert Item.objects.filter(section__letter=letter).count() == count


def test_an_edit_past_the_letters_character_limit_is_refused(client, letter, monkeypatch):
    """An edit that makes the letter too long is not saved; the item keeps its text."""
    item = Item.objects.filter(section__letter=letter).first()
    monkeypatch.setattr(limits, "LETTER_CHARACTERS", 200)
    url = reverse("letters:item-edit", args=[letter.visit_id, item.pk])
    response = client.post(url, {"text": "y" * 300, "style": "bullet", "revision": 1})
    assert "characters in all" in response.content.decode()
    item.refresh_from_db()
    assert item.revision == 1
    assert item.text != "y" * 300


def test_an_imported_letter_with_a_huge_item_is_refused(tmp_path):
    """The importer holds a letter to the same limits, in one line, writing nothing."""
    text = (
        "Ofsted\n\n1 January 2024\n\nMs Alex Morgan\nDirector of Children's Services\n\n"
        "Dear Ms Morgan\n\n## Focused visit to Fernshire children's services\n\n"
        "This letter summarises the findings of a focused visit to Fernshire children's "
        "services on 5 and 6 December 2023, by Robin Ashdown, Her Majesty's Inspector.\n\n"
        "## Overview\n\n- " + "z" * (limits.ITEM + 1) + "\n\nYours sincerely\n\nRobin Ashdown\n"
        "Her Majesty's Inspector\n"
    )
    path = tmp_path / "letter.md"
    path.write_text(text)
    with pytest.raises(CommandError) as refused:
        call_command("import_letter", str(path))
    assert f"An item can have at most {limits.ITEM:,} characters" in str(refused.value)
    assert not Item.objects.exists()
