"""A whole letter's text into an existing visit: the service
(letters.importing.into_visit.letter_replace_from_import) and its page."""

import datetime
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.models import AuditEvent
from inspections.models import FocusArea, Inspector, TeamMember, Visit
from letters import limits
from letters.drafting import services as drafting
from letters.importing.into_visit import letter_replace_from_import, letter_state
from letters.importing.parse import parse_letter_text, read_text
from letters.models import Item, Letter, Section
from letters.review import services as review
from tests.factories import inspector_user, letter_led_by, qa_manager_user
from tests.letters.importing.docx_maker import docx_from_markdown, seed_docx

pytestmark = pytest.mark.django_db

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture
def author():
    return inspector_user()


@pytest.fixture
def letter(author):
    return letter_led_by(author)


@pytest.fixture
def seed_text(seed_path):
    return read_text(seed_path)


def contents(letter):
    """The letter's sections and items as stored: [(heading, [(style, text), ...])]."""
    return [
        (s.heading, list(s.items.order_by("position").values_list("style", "text")))
        for s in Section.objects.filter(letter=letter).order_by("position")
    ]


def events():
    return list(AuditEvent.objects.filter(action="letter.import_text"))


def replace(letter, author, text, **kwargs):
    current = Letter.objects.get(pk=letter.pk)
    return letter_replace_from_import(
        letter=current,
        by=author,
        parsed=parse_letter_text(text, lenient=True),
        based_on=current.revision,
        **kwargs,
    )


# The service --------------------------------------------------------------------------


def test_the_seed_text_becomes_the_letter_and_its_sections(letter, author, seed_text):
    """Its three sections replace the letter's, with 3, 12 and 6 bullets, in order."""
    replace(letter, author, seed_text)
    stored = contents(letter)
    assert [(heading, len(items)) for heading, items in stored] == [
        ("Overview", 3),
        ("Areas of strength", 12),
        ("Areas for improvement", 6),
    ]
    assert {style for _, items in stored for style, _ in items} == {Item.Style.BULLET}
    saved = Letter.objects.get(pk=letter.pk)
    assert saved.title == "Focused visit of Isle of Wight children's services (pilot)"
    assert saved.introduction.startswith("This letter summarises the findings")
    assert saved.closing == ""
    assert saved.revision == letter.revision + 1


def test_the_seed_sets_the_focus_areas_in_order(letter, author, seed_text):
    """The three bulleted focus areas replace the visit's; new ones are not offered to others."""
    replace(letter, author, seed_text)
    visit = Visit.objects.get(pk=letter.visit_id)
    areas = [v.printed_wording for v in visit.visit_focus_areas.order_by("position")]
    assert [a.split()[:3] for a in areas] == [
        ["The", "application", "of"],
        ["The", "effectiveness", "of"],
        ["The", "quality", "of"],
    ]
    assert not FocusArea.objects.filter(wording=areas[0]).get().is_active


def test_the_inspectors_named_join_the_team_and_the_lead_stays(letter, author, seed_text):
    """Linda Steele and Andy Whippy join as team inspectors; the lead is still the author."""
    replace(letter, author, seed_text)
    team = TeamMember.objects.filter(visit=letter.visit_id).order_by("position")
    roles = {m.inspector.full_name: m.role for m in team}
    assert roles["Robin Ashdown"] == TeamMember.Role.LEAD
    assert roles["Linda Steele"] == TeamMember.Role.INSPECTOR
    assert roles["Andy Whippy"] == TeamMember.Role.INSPECTOR
    assert "Sam Whitlow" in roles  # nobody is removed


def test_the_dates_and_recipient_fill_what_the_visit_lacks(letter, author, seed_text):
    """The letter date and QA manager are taken; the visit's own dates stay."""
    Visit.objects.filter(pk=letter.visit_id).update(letter_date=None, qa_manager=None)
    visit = Visit.objects.get(pk=letter.visit_id)
    replace(letter, author, seed_text)
    saved = Visit.objects.get(pk=letter.visit_id)
    assert saved.letter_date == datetime.date(2017, 8, 24)
    assert saved.qa_manager.full_name == "Janet Fraser"
    assert saved.start_date == visit.start_date


def test_the_visit_dates_are_taken_when_asked(letter, author, seed_text):
    """take_visit_facts: the visit's dates and recipient become the text's."""
    replace(letter, author, seed_text, take_visit_facts=True)
    saved = Visit.objects.get(pk=letter.visit_id)
    assert (saved.start_date, saved.end_date) == (datetime.date(2017, 8, 1), None)
    assert saved.salutation == "Dear Mr Crocker"
    assert saved.recipient_postcode == "PO30 1UD"


def test_the_import_writes_one_audit_event_with_a_summary(letter, author, seed_text):
    """One "letter.import_text" event: sections, item count, who joined."""
    replace(letter, author, seed_text, source="seed.docx")
    (event,) = events()
    assert event.actor == author
    assert event.detail["sections"] == ["Overview", "Areas of strength", "Areas for improvement"]
    assert event.detail["items"] == 21
    assert event.detail["team_added"] == ["Linda Steele", "Andy Whippy"]
    assert event.detail["source"] == "seed.docx"
    assert AuditEvent.objects.count() == 1


def test_a_stale_revision_is_refused_and_nothing_written(letter, author, seed_text):
    """The letter changed since the preview (its revision): StaleEdit, nothing written."""
    before = contents(letter)
    with pytest.raises(drafting.StaleEdit):
        letter_replace_from_import(
            letter=letter,
            by=author,
            parsed=parse_letter_text(seed_text, lenient=True),
            based_on=letter.revision - 1 if letter.revision > 1 else letter.revision + 5,
        )
    assert contents(letter) == before
    assert not events()


def test_a_section_changed_since_the_preview_is_refused(letter, author, seed_text):
    """An item added after the preview changes the state: StaleEdit, it is kept."""
    seen = letter_state(letter)
    section = letter.sections.get(position=1)
    drafting.item_add(section=section, by=author, text="Someone else's point.")
    with pytest.raises(drafting.StaleEdit):
        replace(letter, author, seed_text, seen=seen)
    assert Item.objects.filter(text="Someone else's point.").exists()
    assert not events()


def test_a_letter_past_its_limits_is_refused_and_nothing_written(
    letter, author, seed_text, monkeypatch
):
    """More items than a letter may have: LetterTooLong, the letter as it was."""
    monkeypatch.setattr(limits, "ITEMS_PER_LETTER", 10)
    before = contents(letter)
    with pytest.raises(limits.LetterTooLong):
        replace(letter, author, seed_text)
    assert contents(letter) == before
    assert not events()


def test_a_heading_too_long_for_its_field_is_refused(letter, author):
    """A part longer than its field is refused with a sentence, before anything is written."""
    text = f"## Focused visit to Fernshire children's services\n\n## {'Long ' * 80}\n\n- Item\n"
    before = contents(letter)
    with pytest.raises(ValidationError, match="can have at most 300"):
        replace(letter, author, text)
    assert contents(letter) == before


@pytest.mark.parametrize("who", ["stranger", "qa"])
def test_someone_not_on_the_team_is_refused(letter, seed_text, who):
    """Another inspector or a QA manager may not replace the letter: nothing written."""
    user = (
        inspector_user(username="stranger", full_name="Lee Stranger")
        if who == "stranger"
        else qa_manager_user()
    )
    before = contents(letter)
    with pytest.raises(PermissionDenied):
        replace(letter, user, seed_text)
    assert contents(letter) == before


def test_a_letter_in_review_is_refused(letter, author, seed_text):
    """Once submitted, the letter's text cannot be replaced."""
    review.letter_submit(letter=letter, by=author)
    with pytest.raises(PermissionDenied):
        replace(letter, author, seed_text)
    assert not events()


# The page ------------------------------------------------------------------------------


@pytest.fixture
def lead(client, author):
    client.force_login(author)
    return author


def url(letter):
    return reverse("letters:letter-import", args=[letter.visit_id])


def hidden(response, name):
    return re.search(rf'name="{name}" value="([^"]*)"', response.content.decode())[1]


def upload(client, letter, data, name="letter.docx"):
    start = client.get(url(letter))
    return client.post(
        url(letter),
        {
            "upload": "1",
            "revision": hidden(start, "revision"),
            "previewed": hidden(start, "previewed"),
            "document": SimpleUploadedFile(name, data, content_type=DOCX),
        },
    )


def save_from(client, letter, preview, text, **extra):
    """Confirm a preview: the text it carries and its hidden fields, posted again."""
    data = {
        "text": text,
        "revision": hidden(preview, "revision"),
        "previewed": hidden(preview, "previewed"),
        "save": "1",
        **extra,
    }
    return client.post(url(letter), data)


def preview_text(preview):
    """The text the preview carries in its textarea, as the browser would post it."""
    import html

    found = re.search(
        r'<textarea[^>]*name="text"[^>]*>(.*?)</textarea>', preview.content.decode(), re.S
    )
    return html.unescape(found[1]).removeprefix("\n")


def test_the_page_offers_upload_and_paste(client, lead, letter):
    """One page, two ways in: a file input and a textarea."""
    content = client.get(url(letter)).content.decode()
    assert 'type="file"' in content and 'name="document"' in content
    assert 'name="text"' in content
    assert 'enctype="multipart/form-data"' in content


def test_the_visit_page_and_the_editor_link_to_it(client, lead, letter):
    """Both pages an inspector writes from lead to the page."""
    for name in ("letters:visit-detail", "letters:letter-editor"):
        content = client.get(reverse(name, args=[letter.visit_id])).content.decode()
        assert url(letter) in content


def test_an_uploaded_docx_is_previewed_and_nothing_saved(client, lead, letter, seed_path):
    """The preview lists the sections with their item counts, the team and the report."""
    before = contents(letter)
    response = upload(client, letter, seed_docx(seed_path))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Check where the letter’s text goes" in content
    assert re.search(r"Areas of strength</th>\s*<td[^>]*>[^<]*</td>\s*<td[^>]*>12</td>", content)
    assert "Linda Steele (joins as team inspector)" in content
    assert "Everything in the text has a place in the letter" not in content  # signatory
    assert "it is signed by Linda Steele" in content
    assert contents(letter) == before
    assert not events()


def test_confirming_an_upload_saves_the_letter_without_the_file(client, lead, letter, seed_path):
    """The confirmation posts the text the preview carried, not the file."""
    preview = upload(client, letter, seed_docx(seed_path))
    response = save_from(client, letter, preview, preview_text(preview))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("letters:letter-editor", args=[letter.visit_id]))
    assert [(h, len(items)) for h, items in contents(letter)] == [
        ("Overview", 3),
        ("Areas of strength", 12),
        ("Areas for improvement", 6),
    ]
    assert len(events()) == 1


def test_pasting_the_seed_then_confirming_saves_it(client, lead, letter, seed_text):
    """Paste, preview, confirm: the seed's sections are the letter's."""
    start = client.get(url(letter))
    preview = client.post(
        url(letter),
        {
            "text": seed_text,
            "revision": hidden(start, "revision"),
            "previewed": hidden(start, "previewed"),
        },
    )
    assert "Check where the letter’s text goes" in preview.content.decode()
    response = save_from(client, letter, preview, seed_text)
    assert response.status_code == 302
    assert [h for h, _ in contents(letter)] == [
        "Overview",
        "Areas of strength",
        "Areas for improvement",
    ]


def test_text_changed_after_the_preview_is_previewed_again(client, lead, letter, seed_text):
    """Saving text other than the previewed shows the new preview; nothing is saved."""
    start = client.get(url(letter))
    preview = client.post(
        url(letter),
        {
            "text": seed_text,
            "revision": hidden(start, "revision"),
            "previewed": hidden(start, "previewed"),
        },
    )
    before = contents(letter)
    changed = seed_text.replace("## **Areas of strength**", "## Strengths")
    response = save_from(client, letter, preview, changed)
    content = response.content.decode()
    assert response.status_code == 200
    assert "The text changed after the preview" in content
    assert "Strengths" in content
    assert contents(letter) == before


def test_a_change_by_someone_else_shows_the_conflict_and_keeps_the_text(
    client, lead, letter, author, seed_text
):
    """Saved over a newer letter: the page says so, keeps the text, saves nothing."""
    start = client.get(url(letter))
    preview = client.post(
        url(letter),
        {
            "text": seed_text,
            "revision": hidden(start, "revision"),
            "previewed": hidden(start, "previewed"),
        },
    )
    drafting.item_add(section=letter.sections.get(position=1), by=author, text="Theirs.")
    before = contents(letter)
    response = save_from(client, letter, preview, seed_text)
    content = response.content.decode()
    assert response.status_code == 200
    assert "Someone else changed the letter" in content
    assert "Her Majesty&#x27;s Inspectors (HMI) Linda Steele" in content
    assert contents(letter) == before
    again = save_from(client, letter, response, seed_text)
    assert again.status_code == 302  # saving again replaces it knowingly


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("letter.docx", b"## Focused visit\n", "The selected file must be a Word document (.docx)"),
        ("letter.pdf", b"%PDF-1.7\n", "The selected file must be a Word document (.docx)"),
        ("letter.docx", b"PK\x03\x04 not really a zip", "The selected file could not be read"),
    ],
    ids=["text-named-docx", "pdf", "corrupt-zip"],
)
def test_a_file_that_is_no_word_document_gets_a_govuk_error(
    client, lead, letter, name, data, message
):
    """Refused with a GOV.UK error summary linked to the file input; nothing changed."""
    before = contents(letter)
    response = upload(client, letter, data, name=name)
    content = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in content
    assert message in content
    assert 'href="#upload-document"' in content
    assert contents(letter) == before
    assert not events()


def test_an_oversized_file_gets_a_govuk_error(client, lead, letter, settings, seed_path):
    """Larger than the limit: refused with the limit in words; nothing changed."""
    settings.IMPORT_MAX_DOCX_BYTES = 1024 * 1024
    data = seed_docx(seed_path) + b"\0" * (1024 * 1024)
    before = contents(letter)
    content = upload(client, letter, data).content.decode()
    assert "The selected file must be smaller than 1 MB" in content
    assert contents(letter) == before


def test_a_zip_bomb_gets_a_govuk_error(client, lead, letter, settings):
    """A document part that unpacks past the limit: refused, nothing read or changed."""
    import io
    import zipfile

    settings.IMPORT_MAX_DOCX_UNPACKED_BYTES = 1024 * 1024
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b" " * 20_000_000)
    before = contents(letter)
    content = upload(client, letter, out.getvalue()).content.decode()
    assert "unpacks to more than 1 MB" in content
    assert contents(letter) == before


def test_a_text_past_the_letter_limits_gets_a_govuk_error_and_is_kept(
    client, lead, letter, seed_text, monkeypatch
):
    """More items than a letter may have: the error on the form, the text kept, no save."""
    monkeypatch.setattr(limits, "ITEMS_PER_LETTER", 10)
    start = client.get(url(letter))
    before = contents(letter)
    response = client.post(
        url(letter),
        {
            "text": seed_text,
            "revision": hidden(start, "revision"),
            "previewed": hidden(start, "previewed"),
        },
    )
    content = response.content.decode()
    assert "govuk-error-summary" in content
    assert "A letter can have at most 10 items" in content
    assert "Linda Steele and Andy Whippy undertook the visit" in content
    assert contents(letter) == before


def test_a_docx_with_no_headings_gets_a_govuk_error(client, lead, letter):
    """A Word document whose text makes no sections says why."""
    content = upload(client, letter, docx_from_markdown("Just a note.\n")).content.decode()
    assert "govuk-error-summary" in content
    assert "no headings found" in content


def test_a_save_refused_because_the_letter_was_submitted_keeps_the_text(
    client, lead, letter, author, seed_text
):
    """Submitted from another tab between preview and save: 409 with the text to copy."""
    start = client.get(url(letter))
    preview = client.post(
        url(letter),
        {
            "text": seed_text,
            "revision": hidden(start, "revision"),
            "previewed": hidden(start, "previewed"),
        },
    )
    review.letter_submit(letter=letter, by=author)
    response = save_from(client, letter, preview, seed_text)
    assert response.status_code == 409
    assert "submitted for quality assurance while you were writing" in response.content.decode()
    assert "Linda Steele and Andy Whippy" in response.content.decode()


def test_a_refused_upload_lists_no_button_as_typed_text(client, lead, letter, author):
    """The refusal page shows what was typed, not the upload button's value."""
    start = client.get(url(letter))
    review.letter_submit(letter=letter, by=author)
    response = client.post(
        url(letter),
        {
            "upload": "1",
            "take_visit_facts": "on",
            "revision": hidden(start, "revision"),
            "previewed": hidden(start, "previewed"),
        },
    )
    assert response.status_code == 409
    assert "Upload" not in response.content.decode()
    assert "Take visit facts" not in response.content.decode()


@pytest.mark.parametrize("who", ["stranger", "qa", "authority"])
def test_others_cannot_use_the_page(client, letter, seed_text, who):
    """A QA manager is refused; another inspector and an authority user find no page (it
    is a draft they may not read); a post from any of them writes nothing."""
    from accounts import roles
    from inspections.models import AuthorityUser
    from tests.factories import UserFactory

    if who == "stranger":
        user = inspector_user(username="stranger", full_name="Lee Stranger")
    elif who == "qa":
        user = qa_manager_user()
    else:
        user = UserFactory(username="la")
        roles.grant(user, roles.AUTHORITY_USER)
        AuthorityUser.objects.create(user=user, authority=letter.visit.authority)
    client.force_login(user)
    assert client.get(url(letter)).status_code == (403 if who == "qa" else 404)
    before = contents(letter)
    response = client.post(url(letter), {"text": seed_text, "revision": 1, "save": "1"})
    # Refused: 403/404, or the page that shows the text not saved (409).
    assert response.status_code in (403, 404, 409)
    assert contents(letter) == before
    assert not Inspector.objects.filter(full_name="Linda Steele").exists()
    assert not events()
