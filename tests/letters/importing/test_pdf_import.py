"""Importing letters as Ofsted published them: the six corpus PDFs, folders, refusals."""

import datetime
import difflib
import io

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import timezone
from pypdf import PdfWriter

from audit.models import AuditEvent
from inspections.models import Inspector, TeamMember, Visit
from inspections.services import authorities_load
from letters.importing.pdf_text import reading_words
from letters.models import Letter, PublishedVersion, Section
from letters.rendering.compose import letter_queryset
from letters.rendering.pdf import html_to_pdf, letter_pdf
from tests.conftest import shared_file
from tests.letters.importing.test_text_import import row_counts

# The module-scoped fixtures below need the test database, which pytest-django creates
# only when a selected test is marked: without this, `pytest -k` on them alone fails.
pytestmark = pytest.mark.django_db

CORPUS = [
    "2532287-bournemouth-christchurch-poole-27-november-2020.pdf",
    "80462-doncaster-04-january-2019.pdf",
    "80534-nottinghamshire-22-february-2018.pdf",
    "80553-slough-12-january-2026.pdf",
    "80563-stockton-on-tees-26-october-2022.pdf",
    "80575-warrington-23-february-2018.pdf",
]


def section_of(letter, predicate):
    """A section of a prefetched letter, found without a query."""
    return next(s for s in letter.sections.all() if predicate(s))


def run_import(path):
    """Run the command; returns (stdout, stderr)."""
    stdout, stderr = io.StringIO(), io.StringIO()
    call_command("import_letter", str(path), stdout=stdout, stderr=stderr)
    return stdout.getvalue(), stderr.getvalue()


@pytest.fixture(scope="module")
def imported(django_db_setup, django_db_blocker, tmp_path_factory):
    """Each corpus letter imported, its original and its re-rendered PDF; then rolled back."""
    results = {}
    with django_db_blocker.unblock(), transaction.atomic():
        authorities_load(by=None)
        for name in CORPUS:
            path = shared_file(f"corpus/{name}")
            stdout, stderr = run_import(path)
            letter = letter_queryset().get(visit_id=int(stdout.splitlines()[-1]))
            version = letter.versions.get()
            results[name] = {
                "stderr": stderr,
                "letter": letter,
                "visit": letter.visit,
                "sections": [(s.kind, s.heading) for s in letter.sections.all()],
                "page_breaks": [s.heading for s in letter.sections.all() if s.page_break_before],
                "version": (version.imported, version.published_at, version.sha256),
                "stored": version.pdf.read(),
                "original": path.read_bytes(),
                "rendered": letter_pdf(letter),
                "ons_code": letter.visit.authority.ons_code,
                "themes": [
                    (entry.focus_area.name, entry.listed)
                    for entry in letter.visit.visit_focus_areas.filter(
                        focus_area__is_standard=True
                    ).order_by("focus_area__position")
                ],
                "team": [m.inspector.pk for m in letter.visit.team.all()],
            }
        results["inspectors"] = {i.pk: i.full_name for i in Inspector.objects.all()}
        transaction.set_rollback(True)
    return results


@pytest.mark.parametrize("name", CORPUS)
def test_corpus_letter_imports_without_a_warning(imported, name):
    """Nothing is left unplaced: stderr is empty."""
    assert imported[name]["stderr"] == ""


CORPUS_CODES = {
    CORPUS[0]: "E06000058",  # Bournemouth, Christchurch and Poole
    CORPUS[1]: "E08000017",  # Doncaster
    CORPUS[2]: "E10000024",  # Nottinghamshire County Council
    CORPUS[3]: "E06000039",  # Slough Borough Council
    CORPUS[4]: "E06000004",  # Stockton-on-Tees
    CORPUS[5]: "E06000007",  # Warrington
}
CIN_CP = "Children in need and child protection"
CORPUS_THEMES = {
    CORPUS[0]: [CIN_CP, "Children in care", "Care leavers", "Pandemic arrangements"],
    CORPUS[1]: [CIN_CP, "Children in care", "Disabled children"],
    CORPUS[2]: ["Care leavers"],
    CORPUS[3]: ["Care leavers"],
    CORPUS[4]: ["Front door"],
    CORPUS[5]: [CIN_CP],
}
CORPUS_TEAMS = {
    CORPUS[0]: ["Neil Penswick", "Louise Hollick", "Peter McEntee", "Jan Edwards", "Chris Smith"],
    CORPUS[1]: ["Neil Penswick", "Jan Edwards"],
    CORPUS[2]: ["John Roughton", "Caroline Walsh"],
    CORPUS[3]: ["Christine Kennet", "David Cohen", "Penny Ademuyiwa"],
    CORPUS[4]: ["Jo Warburton", "Victoria Horsefield"],
    CORPUS[5]: ["Lorna Schlechte", "Neil Penswick"],
}


@pytest.mark.parametrize("name", CORPUS)
def test_corpus_letter_authority_matches_its_ons_code(imported, name):
    """The letter's authority, however the title writes it, is the canonical record."""
    assert imported[name]["ons_code"] == CORPUS_CODES[name]


@pytest.mark.parametrize("name", CORPUS)
def test_corpus_letter_themes_are_recognised(imported, name):
    """The ILACS themes the scope sentence, list or pandemic preface names are the visit's."""
    assert [theme for theme, _ in imported[name]["themes"]] == CORPUS_THEMES[name]


@pytest.mark.parametrize("name", CORPUS)
def test_corpus_letter_team_has_one_record_per_person(imported, name):
    """Everyone the introduction names is on the team once, under one record shared
    with the other letters they inspected."""
    names = [imported["inspectors"][pk] for pk in imported[name]["team"]]
    assert names == CORPUS_TEAMS[name]
    everyone = list(imported["inspectors"].values())
    assert len(everyone) == len(set(everyone))


def test_a_theme_named_only_in_the_scope_sentence_is_not_printed_as_a_list(imported):
    """Nottinghamshire names care leavers in a sentence: the theme is on the visit, unlisted."""
    assert imported[CORPUS[2]]["themes"] == [("Care leavers", False)]
    assert not imported[CORPUS[2]]["letter"].list_focus_areas


@pytest.mark.parametrize("name", CORPUS)
def test_rerendered_letter_reproduces_the_original_text(imported, name):
    """Word-sequence similarity of the re-rendered letter to the original is at least 0.98."""
    original = reading_words(imported[name]["original"])
    rendered = reading_words(imported[name]["rendered"])
    ratio = difflib.SequenceMatcher(None, original, rendered, autojunk=False).ratio()
    print(f"{name}: similarity {ratio:.4f}")
    assert ratio >= 0.98


@pytest.mark.parametrize("name", CORPUS)
def test_imported_letter_is_published_with_its_original_bytes(imported, name):
    """Published, one imported version dated the letter's date, holding the original PDF."""
    result = imported[name]
    assert result["letter"].status == Letter.Status.PUBLISHED
    is_imported, published_at, _ = result["version"]
    assert is_imported is True
    local = timezone.localtime(published_at)  # midnight where the letter was dated
    assert local.date() == result["visit"].letter_date
    assert (local.hour, local.minute) == (0, 0)
    assert result["stored"] == result["original"]


def test_stockton_hidden_recipient_block_is_left_out(imported):
    """The clipped-out duplicate block (no name) is not read as the recipient."""
    visit = imported["80563-stockton-on-tees-26-october-2022.pdf"]["visit"]
    assert visit.recipient_lines == [
        "Martin Gray",
        "Director of Children’s Services",
        "Municipal Buildings",
        "Church Road",
        "Stockton-on-Tees",
        "TS18 1LD",
    ]
    assert visit.salutation == "Dear Martin"
    assert visit.office.address_lines[0] == "Piccadilly Gate"


def test_slough_heading_footnote_and_cross_references(imported):
    """The footnote sits on its heading, its link on the words it was on; items keep their
    cross-references."""
    letter = imported["80553-slough-12-january-2026.pdf"]["letter"]
    section = section_of(letter, lambda s: s.heading.startswith("What needs to improve"))
    assert section.heading.endswith("practice?")
    assert section.heading_footnote.startswith("The areas for improvement")
    assert (
        " the [Children’s Social Care: National Framework](https://www.gov.uk/government/"
        "publications/childrens-social-care-national-framework). This statutory guidance"
    ) in section.heading_footnote
    assert [item.cross_reference for item in section.items.all()] == [
        "(enabler 2, national framework)",
        "(enabler 2, national framework)",
        "(enabler 3, national framework)",
        "(enabler 2, national framework)",
    ]


def test_bournemouth_numbered_findings_and_five_inspectors(imported):
    """22 numbered findings paragraphs; five inspectors; the DfE paragraph closes."""
    result = imported["2532287-bournemouth-christchurch-poole-27-november-2020.pdf"]
    letter = result["letter"]
    findings = section_of(letter, lambda s: s.heading == "Findings")
    assert [item.style for item in findings.items.all()] == ["numbered"] * 22
    assert len(result["visit"].team.all()) == 5
    assert letter.closing.startswith("We have notified the DfE")
    priority = section_of(letter, lambda s: s.kind == Section.Kind.PRIORITY_ACTIONS)
    assert priority.lead_in.endswith("areas of weakness in:")


def test_warrington_none_statement_and_lead_inspector_note(imported):
    """'There are no priority actions...' is the statement; '(Lead Inspector)' the note."""
    letter = imported["80575-warrington-23-february-2018.pdf"]["letter"]
    priority = section_of(letter, lambda s: s.kind == Section.Kind.PRIORITY_ACTIONS)
    assert priority.none_statement.startswith("There are no priority actions")
    assert letter.signatory_note == "(Lead Inspector)"
    lead = next(m for m in letter.visit.team.all() if m.role == TeamMember.Role.LEAD)
    assert lead.inspector.full_name == "Lorna Schlechte"
    assert len(letter.visit.visit_focus_areas.all()) == 5


def test_doncaster_cc_line(imported):
    visit = imported["80462-doncaster-04-january-2019.pdf"]["visit"]
    assert visit.cc_lines.startswith("cc Paul Moffat")
    assert visit.start_date == datetime.date(2018, 12, 4)


@pytest.mark.django_db
def test_folder_import_prints_a_line_a_file_and_a_summary(tmp_path):
    """A folder: one line per file, then the summary; a bad file fails the run, alone."""
    for name in CORPUS[:2]:
        (tmp_path / name).write_bytes(shared_file(f"corpus/{name}").read_bytes())
    (tmp_path / "zz-broken.pdf").write_bytes(b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n")
    stdout, stderr = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match="2 of 3 letters imported, 1 failed"):
        call_command("import_letter", str(tmp_path), stdout=stdout, stderr=stderr)
    lines = stdout.getvalue().splitlines()
    assert [line.split(":")[0] for line in lines] == CORPUS[:2]
    assert stderr.getvalue().startswith("zz-broken.pdf: failed:")
    assert Visit.objects.count() == 2
    assert PublishedVersion.objects.filter(imported=True).count() == 2


def not_a_letter_pdf():
    html = "<html><body><h1>Minutes of the meeting</h1><p>Nothing to see.</p></body></html>"
    return html_to_pdf(html)


def blank_pdf():
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "make, reason",
    [
        (not_a_letter_pdf, "no salutation"),
        (blank_pdf, "no text layer"),
        (lambda: shared_file(f"corpus/{CORPUS[1]}").read_bytes()[:5000], "PDF"),
        (lambda: b"%PDF-1.4\n" + b"\x00garbage" * 50, "PDF"),
    ],
    ids=["not-a-letter", "blank", "truncated", "garbage"],
)
def test_pdf_that_is_not_a_letter_is_refused_and_leaves_nothing(tmp_path, make, reason):
    """A one-line error naming the file, and no rows and no stored file behind it."""
    path = tmp_path / "letter.pdf"
    path.write_bytes(make())
    before = row_counts()
    with pytest.raises(CommandError) as refused:
        run_import(path)
    message = str(refused.value)
    assert reason in message
    assert str(path) in message
    assert "\n" not in message.strip()
    assert row_counts() == before
    assert PublishedVersion.objects.count() == 0


@pytest.mark.django_db
def test_failure_while_storing_leaves_no_rows_and_no_file(tmp_path, monkeypatch, settings):
    """A failure after the PDF is stored rolls back the rows and removes the file."""
    path = shared_file(f"corpus/{CORPUS[1]}")

    def fail(*args, **kwargs):
        raise RuntimeError("audit went away")

    # The publication's audit event comes after the PDF is stored.
    monkeypatch.setattr("letters.review.services.record", fail)
    with pytest.raises(RuntimeError, match="audit went away"):
        run_import(path)
    assert Visit.objects.count() == 0
    published = settings.MEDIA_ROOT / "published"
    assert not published.exists() or not any(published.rglob("*.pdf"))


@pytest.mark.django_db
def test_an_imported_letter_is_published_through_its_declared_transition():
    """The import makes a draft and publishes it by the publish_imported transition: one
    import event, then one publication event from draft to published."""
    stdout, _ = run_import(shared_file(f"corpus/{CORPUS[0]}"))
    letter = Letter.objects.get(visit_id=int(stdout.splitlines()[-1]))
    events = list(
        AuditEvent.objects.filter(target_id=letter.pk).values_list(
            "action", "from_state", "to_state"
        )
    )
    assert events == [
        ("letter.import", "", ""),
        ("letter.publish_imported", Letter.Status.DRAFT, Letter.Status.PUBLISHED),
    ]
