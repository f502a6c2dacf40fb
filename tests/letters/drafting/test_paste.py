"""Pasting a whole section: the splitter, the service that saves its items, the pages."""

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from audit.models import AuditEvent
from letters import limits
from letters.bullets import strip_glyphs
from letters.drafting import services as drafting
from letters.drafting.paste import BULLET, NUMBERED, PARAGRAPH, PastedItem, split_pasted
from letters.importing import parse, pdf_text
from letters.models import Item, Letter, Section
from letters.review import services as review
from tests.factories import inspector_user, letter_led_by

# The splitter --------------------------------------------------------------------------


def split(text):
    return [(item.text, item.style) for item in split_pasted(text)]


@pytest.mark.parametrize(
    ("pasted", "expected"),
    [
        pytest.param(
            "•\tLeaders know their services.\r\n•\tSocial workers see children.\r\n",
            [("Leaders know their services.", BULLET), ("Social workers see children.", BULLET)],
            id="word-bullets-with-tabs-and-crlf",
        ),
        pytest.param(
            "● First point\n● Second point",
            [("First point", BULLET), ("Second point", BULLET)],
            id="google-docs-black-circles",
        ),
        pytest.param(
            "- First point\n- Second point\n* Third point\n+ Fourth point",
            [(p, BULLET) for p in ("First point", "Second point", "Third point", "Fourth point")],
            id="markdown-bullets",
        ),
        pytest.param(
            "◦ Hollow\n▪ Square\n· Middle dot\n‣ Triangle\n– En dash",
            [(p, BULLET) for p in ("Hollow", "Square", "Middle dot", "Triangle", "En dash")],
            id="other-symbol-bullets",
        ),
        pytest.param(
            "\uf0b7\tSymbol font bullet\n\uf0a7\tWingdings square\n\uf0d8\tWingdings arrow",
            [(p, BULLET) for p in ("Symbol font bullet", "Wingdings square", "Wingdings arrow")],
            id="word-private-use-bullets",
        ),
        pytest.param(
            "\ue123 Any private-use glyph followed by a space",
            [("Any private-use glyph followed by a space", BULLET)],
            id="private-use-range",
        ),
        pytest.param(
            "•\tTop level\no\tSecond level\no Another",
            [("Top level", BULLET), ("Second level", BULLET), ("Another", BULLET)],
            id="word-o-sub-bullets",
        ),
        pytest.param(
            "1. One\n2) Two\n(3) Three\na) Four\n(b) Five",
            [(p, NUMBERED) for p in ("One", "Two", "Three", "Four", "Five")],
            id="numbered",
        ),
        pytest.param(
            "First paragraph\nstill the first.\n\nSecond paragraph.\n\n\n\nThird.",
            [
                ("First paragraph still the first.", PARAGRAPH),
                ("Second paragraph.", PARAGRAPH),
                ("Third.", PARAGRAPH),
            ],
            id="paragraphs-separated-by-blank-lines",
        ),
        pytest.param(
            "• A bullet that the e-mail\n  wrapped onto\n  three lines\n• The next",
            [("A bullet that the e-mail wrapped onto three lines", BULLET), ("The next", BULLET)],
            id="soft-line-breaks-joined",
        ),
        pytest.param(
            "Lead-in sentence:\n• A bullet\n\nA closing paragraph.",
            [
                ("Lead-in sentence:", PARAGRAPH),
                ("A bullet", BULLET),
                ("A closing paragraph.", PARAGRAPH),
            ],
            id="paragraphs-and-bullets-mixed",
        ),
        pytest.param(
            "•\nThe glyph was on its own line\n•\n\n•   \n• Last",
            [("The glyph was on its own line", BULLET), ("Last", BULLET)],
            id="stray-glyphs-alone-on-a-line",
        ),
        pytest.param(
            "• • Doubled glyph\n1. • Numbered, with a glyph",
            [("Doubled glyph", BULLET), ("Numbered, with a glyph", NUMBERED)],
            id="glyphs-after-the-marker-stripped",
        ),
        pytest.param(
            "•Without a space",
            [("Without a space", BULLET)],
            id="symbol-bullet-without-a-space",
        ),
        pytest.param(
            "-5 degrees is cold\n*emphasis* stays\no'clock stays",
            [("-5 degrees is cold *emphasis* stays o'clock stays", PARAGRAPH)],
            id="hyphen-asterisk-and-o-need-a-space",
        ),
        pytest.param(
            "\u200bA\u00a0non-breaking\u2007space\u200d and zero\ufeffwidth\u00ad.",
            [("A non-breaking space and zerowidth.", PARAGRAPH)],
            id="invisible-characters-and-odd-spaces",
        ),
        pytest.param(
            "Line one\u2028line two\u2029Next paragraph\x0bafter a manual break",
            [("Line one line two", PARAGRAPH), ("Next paragraph after a manual break", PARAGRAPH)],
            id="unicode-and-word-line-breaks",
        ),
        pytest.param(
            "   \n\t\n  Trimmed   text   \n   ",
            [("Trimmed text", PARAGRAPH)],
            id="whitespace-trimmed",
        ),
        pytest.param(
            "First\n---\nSecond", [("First", PARAGRAPH), ("Second", PARAGRAPH)], id="rule"
        ),
        pytest.param("", [], id="empty"),
        pytest.param("•\n◦\n\uf0b7\n-", [], id="only-glyphs"),
    ],
)
def test_pasted_text_splits_into_items(pasted, expected):
    """Each bullet style, numbering, paragraph and oddity of pasted text, as items."""
    assert split(pasted) == expected


def test_the_styles_are_the_item_styles():
    assert {BULLET, NUMBERED, PARAGRAPH} == set(Item.Style.values)


def test_the_importers_share_the_bullet_glyphs():
    """The text and PDF importers know the glyphs the splitter knows (letters.bullets)."""
    for glyph in ("•", "●", "◦", "\uf0b7", "\uf0a7", "\ue123"):
        assert parse.BULLET_RE.match(f"{glyph} Point")[1] == "Point"
        assert pdf_text.BULLET_RE.match(f"{glyph} Point")[1] == "Point"


# Properties: a glyph never reaches an item, and no word is lost.

# What no item may start with: a symbol bullet, Word's private-use bullets, or any
# private-use character followed by white space (written out here, not imported).
GLYPH_START = re.compile("^(?:[•◦▪■◼●○·‣∙⁃◆◇❖➢➤►▸\uf0b7\uf0a7\uf0d8]|[\ue000-\uf8ff](?:\\s|$))")

MARKERS = [
    "•", "◦", "o", "-", "*", "▪", "·", "‣", "–", "●", "\uf0b7", "\uf0a7", "\uf0d8", "\ue123",
    "1.", "12)", "(3)", "b)", "(c)",
]  # fmt: skip
SPACES = st.sampled_from([" ", "\t", "\u00a0", "  ", " \t"])
# Words that are never markers themselves: two characters or more, no glyph, no bracket.
LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
WORDS = st.builds(
    str.__add__,
    st.sampled_from(LETTERS),
    st.text(alphabet=LETTERS + "’',.;:!?", min_size=1, max_size=10),
)
INVISIBLE = st.sampled_from(["", "", "", "\u200b", "\ufeff", "\u200d"])


@st.composite
def pasted_documents(draw):
    """A pasted text built line by line, and the words it holds, in order."""
    lines, words = [], []
    for _ in range(draw(st.integers(0, 12))):
        if draw(st.booleans()) and lines:
            lines.append(draw(st.sampled_from(["", " ", "\t"])))  # a blank line
        marker = draw(st.none() | st.sampled_from(MARKERS))
        line_words = draw(st.lists(WORDS, max_size=6))
        if marker is None and not line_words:
            continue
        parts = [draw(SPACES) if draw(st.booleans()) else ""]
        if marker is not None:
            parts += [marker, draw(SPACES)]
        for word in line_words:
            parts += [draw(INVISIBLE), word, draw(SPACES)]
        lines.append("".join(parts))
        words += line_words
    ending = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    return ending.join(lines), words


@given(pasted_documents())
def test_no_word_is_lost_and_no_marker_is_kept(document):
    """Every word of the pasted text is in the items, in order; no marker is."""
    text, words = document
    items = split_pasted(text)
    assert " ".join(item.text for item in items).split() == words


@given(st.text())
def test_no_item_starts_with_a_glyph_whatever_is_pasted(text):
    """Whatever is pasted: no empty item, no item with white space at its ends or a
    bullet glyph at its start, and nothing in the items that was not in the text."""
    items = split_pasted(text)
    for item in items:
        assert item.text and item.text == item.text.strip()
        assert not GLYPH_START.match(item.text), item.text
        assert item.style in Item.Style.values
    given_chars = iter(char for char in text if not char.isspace())
    made = [char for item in items for char in item.text if not char.isspace()]
    assert all(char in given_chars for char in made)  # a subsequence: nothing invented


def test_strip_glyphs_leaves_other_text_alone():
    assert strip_glyphs(" • ◦ Point • inside") == "Point • inside"
    assert strip_glyphs("\ue123Icon") == "\ue123Icon"
    assert strip_glyphs("-5 degrees") == "-5 degrees"


# The service ---------------------------------------------------------------------------

ITEMS = [
    PastedItem("First finding.", BULLET),
    PastedItem("Second finding.", NUMBERED),
    PastedItem("A paragraph.", PARAGRAPH),
]


@pytest.fixture
def author():
    return inspector_user()


@pytest.fixture
def letter(author):
    return letter_led_by(author)


def items_of(section):
    return list(section.items.order_by("position").values_list("text", "style"))


def events():
    return list(AuditEvent.objects.filter(action="section.paste"))


@pytest.mark.django_db
def test_paste_into_a_new_section_adds_it_last_with_its_items_in_order(letter, author):
    section = drafting.section_paste(
        letter=letter, by=author, items=ITEMS, heading="Main findings", kind=Section.Kind.FINDINGS
    )
    assert section.position == letter.sections.count()
    assert (section.heading, section.kind) == ("Main findings", Section.Kind.FINDINGS)
    assert items_of(section) == [(item.text, item.style) for item in ITEMS]


@pytest.mark.django_db
def test_paste_replaces_the_items_of_a_section(letter, author):
    section = letter.sections.get(position=1)
    drafting.section_paste(letter=letter, by=author, items=ITEMS, section=section, based_on=1)
    assert items_of(section) == [(item.text, item.style) for item in ITEMS]
    assert Section.objects.get(pk=section.pk).revision == 2
    assert section.revision == 2


@pytest.mark.django_db
def test_paste_writes_one_audit_event(letter, author):
    section = letter.sections.get(position=1)
    drafting.section_paste(letter=letter, by=author, items=ITEMS, section=section, based_on=1)
    (event,) = events()
    assert event.actor == author
    assert event.detail["items"] == 3
    assert event.detail["replaced"] is True
    assert event.detail["removed"] == 1
    assert event.detail["section"] == section.pk


@pytest.mark.django_db
def test_paste_into_a_new_section_is_audited_as_not_replacing(letter, author):
    drafting.section_paste(letter=letter, by=author, items=ITEMS, heading="Also", kind="other")
    (event,) = events()
    assert (event.detail["replaced"], event.detail["removed"]) == (False, 0)


@pytest.mark.django_db
def test_paste_based_on_an_old_revision_is_refused(letter, author):
    section = letter.sections.get(position=1)
    Section.objects.filter(pk=section.pk).update(heading="Theirs", revision=2)
    before = items_of(section)
    with pytest.raises(drafting.StaleEdit) as refused:
        drafting.section_paste(letter=letter, by=author, items=ITEMS, section=section, based_on=1)
    assert refused.value.current.heading == "Theirs"
    assert items_of(section) == before
    assert not events()


@pytest.mark.django_db
def test_paste_past_a_letter_limit_writes_nothing(letter, author, monkeypatch):
    count = Item.objects.filter(section__letter=letter).count()
    sections = letter.sections.count()
    monkeypatch.setattr(limits, "ITEMS_PER_LETTER", count + 2)
    with pytest.raises(limits.LetterTooLong):
        drafting.section_paste(letter=letter, by=author, items=ITEMS, heading="New", kind="other")
    assert letter.sections.count() == sections
    assert Item.objects.filter(section__letter=letter).count() == count
    assert not events()


@pytest.mark.django_db
def test_paste_of_an_item_past_the_item_limit_writes_nothing(letter, author):
    section = letter.sections.get(position=1)
    before = items_of(section)
    too_long = [PastedItem("x" * (limits.ITEM + 1), BULLET)]
    with pytest.raises(limits.LetterTooLong):
        drafting.section_paste(
            letter=letter, by=author, items=too_long, section=section, based_on=1
        )
    assert items_of(section) == before
    assert Section.objects.get(pk=section.pk).revision == 1


@pytest.mark.django_db
def test_paste_is_refused_to_an_inspector_not_on_the_team(letter):
    stranger = inspector_user(username="stranger", full_name="Lee Stranger")
    sections = letter.sections.count()
    with pytest.raises(PermissionDenied):
        drafting.section_paste(letter=letter, by=stranger, items=ITEMS, heading="X", kind="other")
    assert letter.sections.count() == sections
    assert not events()


@pytest.mark.django_db
def test_paste_is_refused_once_the_letter_is_submitted(letter, author):
    Letter.objects.filter(pk=letter.pk).update(status=Letter.Status.IN_REVIEW)
    section = letter.sections.get(position=1)
    with pytest.raises(PermissionDenied):
        drafting.section_paste(letter=letter, by=author, items=ITEMS, section=section, based_on=1)


@pytest.mark.django_db
def test_paste_of_no_items_is_refused(letter, author):
    with pytest.raises(ValidationError):
        drafting.section_paste(letter=letter, by=author, items=[], heading="X", kind="other")


# The pages -----------------------------------------------------------------------------

PASTED = (
    "•\tLeaders know their services.\r\n•\tSocial workers\r\nsee children.\r\n\r\n"
    "1. A numbered point"
)
MADE = [
    ("Leaders know their services.", BULLET),
    ("Social workers see children.", BULLET),
    ("A numbered point", NUMBERED),
]


@pytest.fixture
def lead(client, author):
    client.force_login(author)
    return author


def new_url(letter):
    return reverse("letters:section-paste-new", args=[letter.visit_id])


def replace_url(letter, section):
    return reverse("letters:section-paste", args=[letter.visit_id, section.pk])


def new_data(text=PASTED, **changes):
    return {"kind": Section.Kind.FINDINGS, "heading": "Main findings", "text": text, **changes}


def previewed(response):
    return re.search(r'name="previewed" value="([0-9a-f]+)"', response.content.decode())[1]


def preview_and_save(client, url, data):
    preview = client.post(url, data)
    return client.post(url, {**data, "save": "1", "previewed": previewed(preview)})


@pytest.mark.django_db
def test_the_paste_page_asks_for_the_text(client, lead, letter):
    content = client.get(new_url(letter)).content.decode()
    assert "Paste a whole section" in content
    assert 'name="text"' in content
    assert "Preview the split" in content


@pytest.mark.django_db
def test_the_preview_shows_the_split_and_saves_nothing(client, lead, letter):
    sections, items = letter.sections.count(), Item.objects.count()
    response = client.post(new_url(letter), new_data())
    content = response.content.decode()
    assert response.status_code == 200
    assert "Check the 3 items" in content
    for text, _ in MADE:
        assert text in content
    assert "Numbered paragraph" in content
    assert "Save these 3 items" in content
    assert (
        "Social workers\r\nsee children." in content or "Social workers\nsee children." in content
    )
    assert (letter.sections.count(), Item.objects.count()) == (sections, items)
    assert not events()


@pytest.mark.django_db
def test_saving_makes_the_items_in_order(client, lead, letter):
    response = preview_and_save(client, new_url(letter), new_data())
    section = letter.sections.order_by("position").last()
    assert response.status_code == 302
    assert response["Location"].endswith(f"#section-{section.pk}")
    assert section.heading == "Main findings"
    assert items_of(section) == MADE
    assert len(events()) == 1


@pytest.mark.django_db
def test_a_blank_heading_takes_the_usual_heading_of_its_kind(client, lead, letter):
    preview_and_save(client, new_url(letter), new_data(heading="", kind=Section.Kind.IMPROVEMENT))
    assert letter.sections.order_by("position").last().heading == "Areas for improvement"


@pytest.mark.django_db
def test_text_changed_after_the_preview_is_previewed_again_not_saved(client, lead, letter):
    preview = client.post(new_url(letter), new_data())
    data = {**new_data(text="• Something else"), "save": "1", "previewed": previewed(preview)}
    sections = letter.sections.count()
    response = client.post(new_url(letter), data)
    content = response.content.decode()
    assert "The text changed after the preview" in content
    assert "Check the 1 item" in content
    assert letter.sections.count() == sections


@pytest.mark.django_db
def test_saving_replaces_the_items_of_a_section(client, lead, letter):
    section = letter.sections.get(position=1)
    preview = client.post(replace_url(letter, section), {"text": PASTED, "revision": 1})
    assert "They will replace the 1 item of" in preview.content.decode()
    data = {"text": PASTED, "revision": 1, "save": "1", "previewed": previewed(preview)}
    response = client.post(replace_url(letter, section), data)
    assert response.status_code == 302
    assert items_of(section) == MADE


@pytest.mark.django_db
def test_a_section_changed_meanwhile_is_shown_and_not_replaced(client, lead, letter):
    section = letter.sections.get(position=1)
    preview = client.post(replace_url(letter, section), {"text": PASTED, "revision": 1})
    Section.objects.filter(pk=section.pk).update(revision=2)
    data = {"text": PASTED, "revision": 1, "save": "1", "previewed": previewed(preview)}
    content = client.post(replace_url(letter, section), data).content.decode()
    assert "Someone else changed this section while you were writing" in content
    assert "Leaders know their services well." in content  # its item now
    assert items_of(section) == [("Leaders know their services well.", BULLET)]
    assert 'name="revision" value="2"' in content
    client.post(replace_url(letter, section), {**data, "revision": 2})
    assert items_of(section) == MADE


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Paste the text of the section"),
        ("   \n\t", "Paste the text of the section"),
        ("•\n\uf0b7\n–", "The text has no words to make items of"),
        ("• Short\n• " + "x" * (limits.ITEM + 1), f"Item 2 has {limits.ITEM + 1:,} characters"),
    ],
)
def test_text_that_makes_no_good_items_gets_a_govuk_error(client, lead, letter, text, message):
    sections = letter.sections.count()
    response = client.post(new_url(letter), {**new_data(text=text), "save": "1"})
    content = response.content.decode()
    assert "There is a problem" in content
    assert 'href="#id_text"' in content
    assert message in content
    assert "Save these" not in content
    assert letter.sections.count() == sections


@pytest.mark.django_db
def test_text_past_the_whole_letter_limit_is_refused_and_kept(client, lead, letter, monkeypatch):
    count = Item.objects.filter(section__letter=letter).count()
    monkeypatch.setattr(limits, "ITEMS_PER_LETTER", count + 1)
    preview = client.post(new_url(letter), new_data())  # 3 items: fewer than the limit alone
    data = {**new_data(), "save": "1", "previewed": previewed(preview)}
    content = client.post(new_url(letter), data).content.decode()
    assert "There is a problem" in content
    assert f"A letter can have at most {count + 1} items" in content
    assert "Leaders know their services." in content  # the text, kept in its box
    assert Item.objects.filter(section__letter=letter).count() == count


@pytest.mark.django_db
def test_too_many_items_for_a_letter_is_refused_on_the_form(client, lead, letter, monkeypatch):
    monkeypatch.setattr(limits, "ITEMS_PER_LETTER", 2)
    content = client.post(new_url(letter), new_data()).content.decode()
    assert "The text makes 3 items. A letter can have at most 2 items" in content


@pytest.mark.django_db
def test_a_save_refused_because_the_letter_was_submitted_keeps_the_text(client, lead, letter):
    preview = client.post(new_url(letter), new_data())
    review.letter_submit(letter=letter, by=lead)
    data = {**new_data(), "save": "1", "previewed": previewed(preview)}
    response = client.post(new_url(letter), data)
    content = response.content.decode()
    assert response.status_code == 409
    assert "submitted for quality assurance while you were writing" in content
    assert "Leaders know their services." in content
    assert "Previewed" not in content and ">Save<" not in content


@pytest.mark.django_db
def test_the_editor_links_to_the_paste_pages(client, lead, letter):
    section = letter.sections.get(position=1)
    content = client.get(reverse("letters:letter-editor", args=[letter.visit_id])).content.decode()
    assert new_url(letter) in content
    assert "Paste a whole section" in content
    assert replace_url(letter, section) in content
    assert "by pasting" in content


@pytest.mark.django_db
def test_the_editor_offers_no_paste_once_the_letter_is_submitted(client, lead, letter):
    review.letter_submit(letter=letter, by=lead)
    content = client.get(reverse("letters:letter-editor", args=[letter.visit_id])).content.decode()
    assert "Paste a whole section" not in content
    assert "by pasting" not in content


@pytest.mark.django_db
def test_a_section_deleted_meanwhile_shows_the_text_to_copy(client, lead, letter):
    section = letter.sections.get(position=1)
    preview = client.post(replace_url(letter, section), {"text": PASTED, "revision": 1})
    Section.objects.filter(pk=section.pk).delete()
    data = {"text": PASTED, "revision": 1, "save": "1", "previewed": previewed(preview)}
    response = client.post(replace_url(letter, section), data)
    content = response.content.decode()
    assert response.status_code == 409
    assert "deleted what you were changing" in content
    assert "Leaders know their services." in content


@pytest.mark.django_db
def test_a_heading_on_two_lines_is_refused(client, lead, letter):
    content = client.post(new_url(letter), new_data(heading="Main\nfindings")).content.decode()
    assert "Enter this on one line, without line breaks" in content
    assert "Save these" not in content
