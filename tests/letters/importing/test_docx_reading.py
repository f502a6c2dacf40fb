"""Reading a Word document's letter (letters.importing.docx_text) and the checks on the
file (letters.importing.admission.admitted_docx); parsing a whole letter's text leniently."""

import io
import zipfile

import pytest
from docx import Document
from hypothesis import given
from hypothesis import strategies as st

from letters.importing import docx_text
from letters.importing.admission import admitted_docx
from letters.importing.parse import LetterImportError, parse_letter_text, read_text
from letters.models import Item, Section
from tests.letters.importing.docx_maker import docx_from_markdown, seed_docx

LETTER_HEAD = [
    "Piccadilly Gate Store Street Manchester M1 2WD T 0300 123 1231 enquiries@ofsted.gov.uk",
    "3 March 2025",
    "Ms Alex Morgan",
    "Dear Ms Morgan",
]


def document_bytes(build):
    """A .docx made by `build(document)` with python-docx: its bytes."""
    document = Document()
    build(document)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def word_letter(document):
    for line in LETTER_HEAD:
        document.add_paragraph(line)
    document.add_heading("Focused visit to Fernshire children’s services", level=1)
    document.add_paragraph(
        "This letter summarises the findings of the focused visit to Fernshire children’s "
        "services on 4 and 5 February 2025. Her Majesty’s Inspectors were Robin Ashdown "
        "and Sam Whitlow."
    )
    document.add_paragraph("Inspectors looked at:")
    document.add_paragraph("Children in need.", style="List Bullet")
    document.add_paragraph("Care leavers.", style="List Bullet")
    document.add_paragraph("")
    document.add_heading("Headline findings", level=2)
    document.add_paragraph("Leaders know their services well.")
    document.add_paragraph("Children are seen often.")
    heading = document.add_paragraph()
    heading.add_run("Areas for improvement").bold = True
    document.add_paragraph("The quality of plans.", style="List Number")
    document.add_paragraph("The timeliness of assessments.", style="List Number")
    document.add_heading("Main findings", level=2)
    document.add_paragraph("Thresholds are well understood.", style="List Bullet")
    document.add_paragraph("Yours sincerely")
    document.add_paragraph("Robin Ashdown")
    document.add_paragraph("His Majesty’s Inspector")


def test_headings_lists_and_paragraphs_are_placed():
    """Heading styles and a bold line are sections; List Bullet and List Number their items."""
    text, left_out = docx_text.read_letter(document_bytes(word_letter))
    parsed = parse_letter_text(text, lenient=True)
    assert left_out == []
    assert parsed.title == "Focused visit to Fernshire children’s services"
    assert parsed.focus_areas == ["Children in need.", "Care leavers."]
    assert [(s.heading, s.kind) for s in parsed.sections] == [
        ("Headline findings", Section.Kind.OVERVIEW),
        ("Areas for improvement", Section.Kind.IMPROVEMENT),
        ("Main findings", Section.Kind.FINDINGS),
    ]
    assert [[(i.style, i.text) for i in s.items] for s in parsed.sections] == [
        [
            (Item.Style.PARAGRAPH, "Leaders know their services well."),
            (Item.Style.PARAGRAPH, "Children are seen often."),
        ],
        [
            (Item.Style.NUMBERED, "The quality of plans."),
            (Item.Style.NUMBERED, "The timeliness of assessments."),
        ],
        [(Item.Style.BULLET, "Thresholds are well understood.")],
    ]
    assert (parsed.sign_off, parsed.signatory) == ("Yours sincerely", "Robin Ashdown")
    assert [m.name for m in parsed.team] == ["Robin Ashdown", "Sam Whitlow"]
    assert (parsed.start_date.day, parsed.end_date.day) == (4, 5)


def test_a_paragraph_word_numbers_is_a_numbered_item_whatever_its_style():
    """A plain paragraph given decimal numbering in Word (numPr) is a numbered item."""

    def build(document):
        word_letter(document)
        num_id = document.styles["List Number"].element.pPr.numPr.numId.val
        sign_off = document.paragraphs[-3]
        paragraph = sign_off.insert_paragraph_before("A point numbered by hand.")
        numbering = paragraph._p.get_or_add_pPr().get_or_add_numPr()
        numbering.get_or_add_numId().val = num_id
        numbering.get_or_add_ilvl().val = 0

    text, _ = docx_text.read_letter(document_bytes(build))
    findings = parse_letter_text(text, lenient=True).sections[-1]
    assert [(i.style, i.text) for i in findings.items][-1] == (
        Item.Style.NUMBERED,
        "A point numbered by hand.",
    )


def test_tables_and_pictures_are_left_out_and_reported():
    """What has no place in a letter is named in the report, not silently dropped."""

    def build(document):
        word_letter(document)
        document.add_table(rows=2, cols=2)

    _, left_out = docx_text.read_letter(document_bytes(build))
    assert left_out == ["1 table"]


def test_the_seed_as_a_word_document_parses_as_the_seed_text(seed_path):
    """The seed made into a .docx reads into the same sections, items and facts."""
    from_text = parse_letter_text(read_text(seed_path))
    text, _ = docx_text.read_letter(seed_docx(seed_path))
    from_word = parse_letter_text(text, lenient=True)
    assert from_word.sections == from_text.sections
    assert from_word.focus_areas == from_text.focus_areas
    assert from_word.introduction == from_text.introduction
    assert from_word.team == from_text.team
    assert (from_word.start_date, from_word.letter_date) == (
        from_text.start_date,
        from_text.letter_date,
    )
    assert from_word.warnings == []


# The file's checks ----------------------------------------------------------------------


def zipped(parts, compression=zipfile.ZIP_DEFLATED):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return out.getvalue()


def test_a_file_that_is_not_a_zip_is_refused():
    """Content decides, not the name: text is not a Word document."""
    with pytest.raises(LetterImportError, match=r"must be a Word document \(\.docx\)"):
        admitted_docx(b"## Focused visit to Fernshire children's services\n")


def test_a_zip_without_a_word_document_is_refused():
    """A zip that holds no word/document.xml is not a Word document."""
    with pytest.raises(LetterImportError, match=r"must be a Word document \(\.docx\)"):
        admitted_docx(zipped({"notes.txt": "hello"}))


def test_a_file_over_the_size_limit_is_refused(settings):
    """Larger than IMPORT_MAX_DOCX_BYTES: refused before it is opened."""
    settings.IMPORT_MAX_DOCX_BYTES = 1024 * 1024
    with pytest.raises(LetterImportError, match="must be smaller than 1 MB"):
        admitted_docx(b"PK\x03\x04" + b"\0" * (1024 * 1024))


def test_a_zip_bomb_is_refused_before_it_is_unpacked(settings):
    """A document part that unpacks past the limit is refused from the zip's own sizes."""
    settings.IMPORT_MAX_DOCX_UNPACKED_BYTES = 1024 * 1024
    bomb = zipped({"[Content_Types].xml": "<Types/>", "word/document.xml": b"\0" * 5_000_000})
    assert len(bomb) < 50_000
    with pytest.raises(LetterImportError, match="unpacks to more than 1 MB"):
        admitted_docx(bomb)


def test_a_damaged_zip_is_refused_as_unreadable():
    """A Word document cut short cannot be read: a message, not an error page."""
    data = docx_from_markdown("## Focused visit to Fernshire children's services\n")
    with pytest.raises(LetterImportError, match="could not be read"):
        docx_text.read_letter(data[: len(data) // 2])


# Whole letters as pasted text -----------------------------------------------------------

COPIED_FROM_WORD = "\n".join(
    [
        *LETTER_HEAD,
        "Focused visit to Fernshire children’s services",
        "This letter summarises the findings of the focused visit to Fernshire children’s "
        "services on 4 February 2025. Her Majesty’s Inspectors were Robin Ashdown and Sam "
        "Whitlow.",
        "Inspectors looked at:",
        "•\tChildren in need.",
        "o\tCare leavers.",
        "Headline findings",
        "Leaders know their services well.",
        "What needs to improve in this area of social work practice?",
        "1.\tThe quality of plans.",
        "Yours sincerely",
        "Robin Ashdown",
        "His Majesty’s Inspector",
    ]
)


def test_text_copied_from_word_finds_its_headings_and_bullets():
    """One line a paragraph, no ## marks: the title, headings and bullets are found."""
    parsed = parse_letter_text(COPIED_FROM_WORD, lenient=True)
    assert parsed.title == "Focused visit to Fernshire children’s services"
    assert parsed.focus_areas == ["Children in need.", "Care leavers."]
    assert [(s.heading, [(i.style, i.text) for i in s.items]) for s in parsed.sections] == [
        ("Headline findings", [(Item.Style.PARAGRAPH, "Leaders know their services well.")]),
        (
            "What needs to improve in this area of social work practice?",
            [(Item.Style.NUMBERED, "The quality of plans.")],
        ),
    ]
    assert (parsed.sign_off, parsed.signatory) == ("Yours sincerely", "Robin Ashdown")


def test_a_letter_without_its_head_and_title_is_read_with_warnings():
    """Pasted from the introduction on: what is missing is reported, not refused."""
    text = (
        "This letter summarises the findings of a visit on 4 February 2025.\n\n"
        "## Headline findings\n\n- Leaders know their services well.\n"
    )
    parsed = parse_letter_text(text, lenient=True)
    assert [s.heading for s in parsed.sections] == ["Headline findings"]
    assert parsed.title == ""
    assert "no salutation" in parsed.warnings
    assert "no title" in parsed.warnings


def test_text_without_any_heading_is_refused():
    """Nothing to make sections of: a sentence that says so."""
    with pytest.raises(LetterImportError, match="no headings found"):
        parse_letter_text("just some words, nothing more.", lenient=True)


LINES = st.sampled_from(
    [
        "",
        "## Focused visit to Fernshire children’s services",
        "## Headline findings",
        "Focused visit of Fernshire children's services (pilot)",
        "Dear Ms Morgan",
        "3 March 2025",
        "- A bullet.",
        "1. A numbered point.",
        "•\tA Word bullet.",
        "o\tA second-level bullet.",
        "Inspectors looked at:",
        "On 4 and 5 February 2025 Her Majesty's Inspectors were Robin Ashdown and Jo Newby.",
        "Yours sincerely",
        "Robin Ashdown",
        "His Majesty’s Inspector",
        "cc someone",
        "a line that goes on from the one before.",
        "Short heading",
    ]
)


@given(st.lists(st.one_of(LINES, st.text(max_size=40)), max_size=30))
def test_any_text_is_read_or_refused_in_a_sentence(lines):
    """Whatever is pasted, lenient parsing gives a letter or a LetterImportError, never a
    crash (the page shows that as a GOV.UK error)."""
    try:
        parsed = parse_letter_text("\n".join(lines), lenient=True)
    except LetterImportError:
        return
    assert all(section.heading for section in parsed.sections)
