"""The import_letter command: the seed letter read into a visit, and refusals."""

import datetime
import io
import os
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command

from inspections.models import (
    FocusArea,
    Inspector,
    LocalAuthority,
    Office,
    TeamMember,
    Visit,
)
from letters.models import Item, Letter, Section
from tests.conftest import PROJECT_ROOT

# Every table the importer writes to: a refused import leaves all of them as they were.
IMPORTED_MODELS = (Visit, Letter, Section, Item, LocalAuthority, Inspector, Office, FocusArea)


def row_counts():
    return {model.__name__: model.objects.count() for model in IMPORTED_MODELS}


def import_letter(path):
    """Run the command; returns (stdout, stderr)."""
    stdout, stderr = io.StringIO(), io.StringIO()
    call_command("import_letter", str(path), stdout=stdout, stderr=stderr)
    return stdout.getvalue(), stderr.getvalue()


@pytest.fixture
def seed_visit(db, seed_path):
    """The seed imported once for a test: the new visit."""
    stdout, _ = import_letter(seed_path)
    return Visit.objects.get(pk=int(stdout.splitlines()[-1]))


@pytest.mark.django_db
def test_import_prints_the_new_visit_id_alone_on_the_last_line(seed_path):
    """The command's last line of output is the new visit's id and nothing else."""
    stdout, _ = import_letter(seed_path)
    visit = Visit.objects.get()
    assert stdout.endswith("\n")
    assert stdout.splitlines()[-1] == str(visit.pk)


def test_import_reads_the_authority_kind_and_dates(seed_visit):
    """Isle of Wight, a pilot visit on 1 August 2017, letter dated 24 August 2017."""
    assert seed_visit.authority.name == "Isle of Wight"
    assert seed_visit.kind == Visit.Kind.PILOT
    assert seed_visit.start_date == datetime.date(2017, 8, 1)
    assert seed_visit.end_date is None
    assert seed_visit.letter_date == datetime.date(2017, 8, 24)


def test_import_makes_the_signatory_the_lead_inspector(seed_visit):
    """Linda Steele leads; Andy Whippy is a team inspector."""
    team = [(m.inspector.full_name, m.role) for m in seed_visit.team.order_by("position")]
    assert team == [
        ("Linda Steele", TeamMember.Role.LEAD),
        ("Andy Whippy", TeamMember.Role.INSPECTOR),
    ]


def test_import_reads_the_qa_manager_with_grade(seed_visit):
    """Janet Fraser, Senior HMI, quality assured the visit."""
    assert seed_visit.qa_manager.full_name == "Janet Fraser"
    assert seed_visit.qa_manager.grade == Inspector.Grade.SENIOR_HMI


def test_import_reads_the_focus_areas(seed_visit):
    """The three bulleted focus areas are the visit's, in order."""
    areas = [vfa.printed_wording for vfa in seed_visit.visit_focus_areas.order_by("position")]
    assert len(areas) == 3
    assert areas[0].startswith("The application of thresholds")
    assert areas[1].startswith("The effectiveness of assessment and planning")
    assert areas[2].startswith("The quality of management oversight")


def test_import_reads_the_sections_and_their_bullets(seed_visit):
    """Overview, Areas of strength, Areas for improvement with 3, 12 and 6 bullets."""
    sections = seed_visit.letter.sections.order_by("position")
    assert [(s.heading, s.kind) for s in sections] == [
        ("Overview", Section.Kind.OVERVIEW),
        ("Areas of strength", Section.Kind.STRENGTHS),
        ("Areas for improvement", Section.Kind.IMPROVEMENT),
    ]
    assert [s.items.count() for s in sections] == [3, 12, 6]
    assert set(Item.objects.values_list("style", flat=True)) == {Item.Style.BULLET}


def test_import_rejoins_sentences_broken_across_pages(seed_visit):
    """A bullet that the source breaks across a page is one item again."""
    overview_first = Item.objects.get(section__heading="Overview", position=1)
    assert (
        "Effective systems are in place to ensure that these actions and decisions are "
        "reviewed and, when necessary, challenged." in overview_first.text
    )
    improvement_fourth = Item.objects.get(section__heading="Areas for improvement", position=4)
    assert "Senior managers recognise that they now need to shift" in improvement_fourth.text
    assert Item.objects.filter(section__letter__visit=seed_visit).count() == 21


def test_import_reads_the_recipient_block(seed_visit):
    """Steve Crocker, Director of Children's Services, at PO30 1UD; 'Dear Mr Crocker'."""
    assert seed_visit.recipient_name == "Steve Crocker"
    assert seed_visit.recipient_job_title == "Director of Children's Services"
    assert seed_visit.recipient_postcode == "PO30 1UD"
    assert seed_visit.recipient_lines == [
        "Steve Crocker",
        "Director of Children's Services",
        "County Hall",
        "Newport",
        "Isle of Wight",
        "PO30 1UD",
    ]
    assert seed_visit.salutation == "Dear Mr Crocker"


def test_import_keeps_the_seed_without_a_closing(seed_visit):
    """The seed has no closing paragraph, so none is added; it signs off 'Yours sincerely'."""
    letter = seed_visit.letter
    assert letter.closing == ""
    assert letter.sign_off == "Yours sincerely"
    assert letter.title == "Focused visit of Isle of Wight children's services (pilot)"


def write_seed_without(tmp_path, seed_path, drop):
    """The seed's text with some lines changed, written beside the test."""
    lines = [drop(line) for line in seed_path.read_text(encoding="utf-8").splitlines()]
    path = tmp_path / "letter.md"
    path.write_text("\n".join(line for line in lines if line is not None), encoding="utf-8")
    return path


@pytest.fixture(params=["missing", "binary", "pdf", "no-title", "no-dear"])
def unreadable_letter(request, tmp_path, seed_path):
    """A file that is not a letter the importer can read, and words its error names."""
    kind = request.param
    if kind == "missing":
        return tmp_path / "missing.md", "no such file"
    if kind == "binary":
        path = tmp_path / "letter.md"
        path.write_bytes(b"\xff\xd8\xff\xe0 not text \x00\x81\xfe")
        return path, "not a text file"
    if kind == "pdf":
        path = tmp_path / "letter.md"
        path.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n")
        return path, "PDF"
    if kind == "no-title":
        # The seed with its headings written as plain paragraphs.
        path = write_seed_without(tmp_path, seed_path, lambda line: line.lstrip("# "))
        return path, "no title heading"
    path = write_seed_without(
        tmp_path, seed_path, lambda line: None if line.startswith("Dear ") else line
    )
    return path, "no salutation"


@pytest.mark.django_db
def test_unreadable_letter_is_refused_with_a_one_line_error(unreadable_letter):
    """A file that is not a readable letter raises CommandError with one line naming why."""
    path, reason = unreadable_letter
    with pytest.raises(CommandError) as refused:
        import_letter(path)
    message = str(refused.value)
    assert reason in message
    assert str(path) in message
    assert "\n" not in message.strip()


@pytest.mark.django_db
def test_unreadable_letter_leaves_no_rows(unreadable_letter):
    """A refused import writes nothing to any table."""
    path, _ = unreadable_letter
    before = row_counts()
    with pytest.raises(CommandError):
        import_letter(path)
    # The standard focus-area themes are there from the migrations; nothing else is.
    assert row_counts() == before
    assert before["Visit"] == before["Letter"] == 0


@pytest.mark.django_db
def test_unreadable_file_is_refused_with_a_one_line_error(tmp_path, monkeypatch):
    """A file the importer may not read raises CommandError, not a traceback."""
    path = tmp_path / "letter.md"
    path.write_text("## Focused visit to Fernshire children's services\n", encoding="utf-8")

    def refuse(self):
        raise PermissionError(13, "Permission denied", str(self))

    # Tests may run as root, who can read a chmod 000 file: refuse the read instead.
    monkeypatch.setattr("letters.importing.parse.Path.read_bytes", refuse)
    with pytest.raises(CommandError) as refused:
        import_letter(path)
    assert "\n" not in str(refused.value).strip()


@pytest.mark.django_db
def test_error_while_saving_leaves_nothing_half_imported(seed_path, monkeypatch):
    """A failure after the visit is written rolls back the whole import."""

    def fail(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr("letters.importing.services.Item.objects.bulk_create", fail)
    before = row_counts()
    with pytest.raises(RuntimeError, match="database went away"):
        import_letter(seed_path)
    assert row_counts() == before


def test_command_line_import_of_a_missing_file_fails_with_one_line():
    """Run as a program, a missing file exits non-zero with one line on stderr."""
    # DATABASE_URL, when set, reaches the program too; a key, a mail server and a web
    # address of its own, as production has (commands refuse to run on development settings).
    env = os.environ | {
        "DJANGO_SECRET_KEY": "a" * 50,
        "DJANGO_EMAIL_HOST": "localhost",
        "DJANGO_PORTAL_URL": "https://letters.example.gov.uk",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "import_letter", "missing.md"],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == ["CommandError: missing.md: no such file"]
    assert result.stdout == ""
