import pytest
from django.test import Client
from django.urls import reverse

from letters.models import Item, Letter, Section
from tests.factories import ItemFactory, inspector_user, letter_led_by, qa_manager_user

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


def item_data(item, **changes):
    data = {"text": item.text, "style": item.style, "cross_reference": "", "footnote": ""}
    return {**data, "revision": item.revision, **changes}


def texts(section):
    return list(section.items.order_by("position").values_list("text", flat=True))


def test_editor_lists_sections_and_items(client, letter):
    """The editor shows every section heading and item of the letter."""
    content = client.get(url("letters:letter-editor", letter)).content.decode()
    assert "Areas for improvement" in content
    assert "Leaders know their services well." in content


def test_add_item_appends_it_to_the_section(client, letter):
    """A new item goes at the end of its section."""
    section = letter.sections.get(position=1)
    client.post(
        url("letters:item-add", letter, section.pk), {"text": "A new finding.", "style": "bullet"}
    )
    assert texts(section)[-1] == "A new finding."


def test_add_item_without_text_shows_the_govuk_error(client, letter):
    """An empty item is refused with 'Enter the text of the item' and nothing is added."""
    section = letter.sections.get(position=1)
    response = client.post(
        url("letters:item-add", letter, section.pk), {"text": "", "style": "bullet"}
    )
    content = response.content.decode()
    assert "There is a problem" in content
    assert 'href="#id_text"' in content
    assert "Enter the text of the item" in content
    assert section.items.count() == 1


def test_edit_item_saves_and_moves_on_its_revision(client, letter):
    """Saving an item stores the text and increments its revision."""
    item = Item.objects.filter(section__letter=letter).first()
    client.post(url("letters:item-edit", letter, item.pk), item_data(item, text="Rewritten."))
    item.refresh_from_db()
    assert item.text == "Rewritten."
    assert item.revision == 2


def test_stale_item_save_is_refused_and_the_first_is_kept(client, letter, inspector):
    """Two people edit one item: the second save is refused and the first stays."""
    item = Item.objects.filter(section__letter=letter).first()
    colleague = Client()
    colleague.force_login(inspector)
    first = item_data(item, text="First save.")
    second = item_data(item, text="Second save.")  # based on the same revision
    colleague.post(url("letters:item-edit", letter, item.pk), first)
    response = client.post(url("letters:item-edit", letter, item.pk), second)
    content = response.content.decode()
    item.refresh_from_db()
    assert item.text == "First save."
    assert "Someone else saved a change" in content
    assert "First save." in content  # their version
    assert "Second save." in content  # yours, kept in the form


def test_saving_after_a_conflict_replaces_their_version_knowingly(client, letter):
    """After seeing the conflict, saving again (on the new revision) is accepted."""
    item = Item.objects.filter(section__letter=letter).first()
    Item.objects.filter(pk=item.pk).update(text="Theirs.", revision=2)
    response = client.post(url("letters:item-edit", letter, item.pk), item_data(item, text="Mine."))
    form = response.context["form"]
    client.post(url("letters:item-edit", letter, item.pk), {**form.data.dict()})
    item.refresh_from_db()
    assert item.text == "Mine."


def test_delete_item_after_confirmation(client, letter):
    """Deleting an item removes it."""
    item = Item.objects.filter(section__letter=letter).first()
    client.post(url("letters:item-delete", letter, item.pk), {"revision": item.revision})
    assert not Item.objects.filter(pk=item.pk).exists()


def test_delete_of_a_changed_item_is_refused(client, letter):
    """An item changed since the confirmation page was shown is not deleted."""
    item = Item.objects.filter(section__letter=letter).first()
    Item.objects.filter(pk=item.pk).update(revision=5)
    client.post(url("letters:item-delete", letter, item.pk), {"revision": 1})
    assert Item.objects.filter(pk=item.pk).exists()


def test_move_item_down_and_up(client, letter):
    """Move down swaps an item with the next; move up brings it back."""
    section = letter.sections.get(position=1)
    second = ItemFactory(section=section, position=2, text="Second.")
    first_text = texts(section)[0]
    client.post(url("letters:item-move", letter, second.pk), {"direction": "up"})
    assert texts(section) == ["Second.", first_text]
    client.post(url("letters:item-move", letter, second.pk), {"direction": "down"})
    assert texts(section) == [first_text, "Second."]


def test_move_first_item_up_changes_nothing(client, letter):
    """The first item cannot go higher."""
    section = letter.sections.get(position=1)
    ItemFactory(section=section, position=2, text="Second.")
    before = texts(section)
    client.post(url("letters:item-move", letter, section.items.first().pk), {"direction": "up"})
    assert texts(section) == before


def test_move_section_up(client, letter):
    """A section moved up takes the place of the one before it."""
    improvement = letter.sections.get(position=2)
    client.post(url("letters:section-move", letter, improvement.pk), {"direction": "up"})
    headings = list(letter.sections.order_by("position").values_list("heading", flat=True))
    assert headings == ["Areas for improvement", "Overview"]


def test_add_section_takes_the_usual_heading_of_its_kind(client, letter):
    """A section added without a heading gets its kind's usual heading, at the end."""
    client.post(url("letters:section-add", letter), {"kind": "priority", "heading": ""})
    last = letter.sections.order_by("position").last()
    assert last.heading == "Areas for priority action"


def test_add_other_section_needs_a_heading(client, letter):
    """A section of kind 'other' must be given a heading."""
    response = client.post(url("letters:section-add", letter), {"kind": "other", "heading": ""})
    assert "Enter the section&#x27;s heading" in response.content.decode()


def test_change_section_heading(client, letter):
    """The heading wording is stored per letter."""
    section = letter.sections.get(position=1)
    client.post(
        url("letters:section-edit", letter, section.pk),
        {"kind": "overview", "heading": "Headline findings", "revision": section.revision},
    )
    section.refresh_from_db()
    assert section.heading == "Headline findings"


def test_delete_section_removes_its_items(client, letter):
    """Deleting a section deletes its items with it."""
    section = letter.sections.get(position=1)
    client.post(url("letters:section-delete", letter, section.pk), {"revision": section.revision})
    assert not Section.objects.filter(pk=section.pk).exists()
    assert not Item.objects.filter(section_id=section.pk).exists()


def test_opening_offers_the_standard_wording(client, letter):
    """'Put the standard wording in the boxes' fills the introduction to edit."""
    response = client.get(url("letters:letter-opening", letter) + "?start=standard")
    assert "This letter summarises the findings" in response.context["form"]["introduction"].value()


def test_opening_saves_the_introduction(client, letter):
    """A written introduction replaces the standard one in the letter."""
    data = {
        "title": "",
        "introduction": "Our own introduction.",
        "scope_lead_in": "",
        "list_focus_areas": "on",
        "preamble": "",
        "revision": letter.revision,
    }
    client.post(url("letters:letter-opening", letter), data)
    assert Letter.objects.get(pk=letter.pk).introduction == "Our own introduction."
    preview = client.get(url("letters:letter-preview", letter)).content.decode()
    assert "Our own introduction." in preview


def test_closing_saves_the_signatory_note(client, letter):
    """The closing page stores the note printed after the signatory's name."""
    data = {
        "closing": "Closing words.",
        "sign_off": "Yours sincerely",
        "signatory_note": "(Lead Inspector)",
        "signatory_title": "",
        "revision": letter.revision,
    }
    client.post(url("letters:letter-closing", letter), data)
    assert "(Lead Inspector)" in client.get(url("letters:letter-preview", letter)).content.decode()


def test_preview_is_the_letter_marked_draft(client, letter):
    """The preview is the HTML letter, marked DRAFT, framable only by the portal."""
    response = client.get(url("letters:letter-preview", letter))
    content = response.content.decode()
    assert '<html lang="en-GB">' in content
    assert "DRAFT" in content
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert "no-store" in response["Cache-Control"]


def test_draft_pdf_downloads_with_a_readable_name(client, letter):
    """The draft PDF is an attachment named after the authority and visit date."""
    response = client.get(url("letters:letter-draft-pdf", letter))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="draft-focused-visit-')
    assert response.content.startswith(b"%PDF")


def test_checks_page_links_each_problem_to_its_page(client, letter):
    """A letter without a letter date is sent to the visit details' date field."""
    letter.visit.__class__.objects.filter(pk=letter.visit.pk).update(letter_date=None)
    content = client.get(url("letters:letter-checks", letter)).content.decode()
    target = reverse("letters:visit-edit", args=[letter.visit.pk]) + "#id_letter_date_0"
    assert f'href="{target}"' in content
    assert "Enter the letter date" in content


def test_checks_page_says_a_complete_letter_is_ready(client, letter):
    """A complete letter passes every check."""
    content = client.get(url("letters:letter-checks", letter)).content.decode()
    assert "The letter is ready for quality assurance" in content
    assert "govuk-error-summary" not in content


# The live preview: a form posted with _preview=1 shows the letter with the form's
# changes and saves nothing.


def preview(client, address, data):
    return client.post(address, {**data, "_preview": "1"})


def test_item_preview_shows_the_unsaved_text_as_a_preview(client, letter):
    item = Item.objects.get(text="The timeliness of assessments.")
    response = preview(
        client, url("letters:item-edit", letter, item.pk), item_data(item, text="Typed, not saved.")
    )
    content = response.content.decode()
    assert response["X-Letter-Preview"] == "1"
    assert "Typed, not saved." in content
    assert "The timeliness of assessments." not in content


def test_item_preview_saves_nothing(client, letter):
    item = Item.objects.get(text="The timeliness of assessments.")
    preview(
        client, url("letters:item-edit", letter, item.pk), item_data(item, text="Typed, not saved.")
    )
    item.refresh_from_db()
    assert (item.text, item.revision) == ("The timeliness of assessments.", 1)


def test_item_preview_keeps_the_saved_value_of_a_field_that_is_not_valid(client, letter):
    item = Item.objects.get(text="The timeliness of assessments.")
    content = preview(
        client, url("letters:item-edit", letter, item.pk), item_data(item, text="")
    ).content.decode()
    assert "The timeliness of assessments." in content


def test_new_item_preview_prints_the_item_last_in_its_section(client, letter):
    overview = letter.sections.get(kind=Section.Kind.OVERVIEW)
    content = preview(
        client,
        url("letters:item-add", letter, overview.pk),
        {"text": "A finding being written.", "style": "bullet"},
    ).content.decode()
    written = content.index("A finding being written.")
    assert content.index("Leaders know their services well.") < written
    assert written < content.index("Areas for improvement")
    assert overview.items.count() == 1


def test_new_section_preview_prints_the_section_last(client, letter):
    content = preview(
        client,
        url("letters:section-add", letter),
        {"kind": Section.Kind.IMPROVEMENT, "heading": "A heading being written"},
    ).content.decode()
    assert content.index("Areas for improvement") < content.index("A heading being written")
    assert letter.sections.count() == 2


def test_section_preview_shows_the_unsaved_heading(client, letter):
    section = letter.sections.get(kind=Section.Kind.IMPROVEMENT)
    content = preview(
        client,
        url("letters:section-edit", letter, section.pk),
        {"kind": section.kind, "heading": "Renamed, not saved", "revision": section.revision},
    ).content.decode()
    assert "Renamed, not saved" in content
    section.refresh_from_db()
    assert section.heading == "Areas for improvement"


def test_closing_preview_shows_the_unsaved_closing(client, letter):
    content = preview(
        client,
        url("letters:letter-closing", letter),
        {"closing": "A closing being typed.", "sign_off": "Yours sincerely", "revision": 1},
    ).content.decode()
    assert "A closing being typed." in content


def test_recipient_preview_shows_the_unsaved_recipient(client, letter):
    visit = letter.visit
    content = preview(
        client,
        reverse("letters:visit-recipient", args=[visit.pk]),
        {"recipient_name": "Jo Typed", "salutation": "Dear Jo", "revision": visit.revision},
    ).content.decode()
    assert "Jo Typed" in content
    visit.refresh_from_db()
    assert visit.recipient_name != "Jo Typed"


def test_preview_is_refused_to_a_user_who_may_not_edit(client, letter):
    """A QA manager may read the draft but not change it, so not preview changes either."""
    client.force_login(qa_manager_user())
    item = Item.objects.get(text="The timeliness of assessments.")
    response = preview(client, url("letters:item-edit", letter, item.pk), item_data(item, text="X"))
    assert response.status_code in (403, 404)
    assert "X-Letter-Preview" not in response


def test_form_page_shows_the_preview_beside_the_form(client, letter):
    item = Item.objects.get(text="The timeliness of assessments.")
    content = client.get(url("letters:item-edit", letter, item.pk)).content.decode()
    assert 'data-letter-preview="letter-preview"' in content
    assert f'id="letter-preview" src="{url("letters:letter-preview", letter)}"' in content


def test_editor_shows_footnotes_with_their_links(client, letter):
    """The heading's and the item's footnotes show in the editor, links as links."""
    url_ = "https://www.gov.uk/government/publications/childrens-social-care-national-framework"
    section = letter.sections.get(kind=Section.Kind.IMPROVEMENT)
    Section.objects.filter(pk=section.pk).update(heading_footnote=f"See the [framework]({url_}).")
    section.items.update(footnote=f"Also {url_}")
    content = client.get(url("letters:letter-editor", letter)).content.decode()
    assert f'Footnote to the heading: See the <a href="{url_}">framework</a>.' in content
    assert f'Footnote: Also <a href="{url_}"' in content
