"""The import_letters command: a folder imported in parallel, resumable, with a summary."""

import io

import pytest
from django.core.management import CommandError, call_command

from inspections.models import Visit
from letters.importing import folder as folder_import
from letters.importing.folder import warning_class
from letters.models import PublishedVersion
from letters.rendering.pdf import html_to_pdf
from tests.conftest import shared_file
from tests.letters.importing.test_pdf_import import CORPUS

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus_folder(tmp_path):
    """The six corpus PDFs, copied into a folder of their own."""
    folder = tmp_path / "letters"
    folder.mkdir()
    for name in CORPUS:
        (folder / name).write_bytes(shared_file(f"corpus/{name}").read_bytes())
    return folder


def run(folder, *, workers=1):
    """Run the command; returns (stdout lines, the CommandError or None)."""
    out = io.StringIO()
    try:
        call_command("import_letters", str(folder), f"--workers={workers}", stdout=out)
    except CommandError as error:
        return out.getvalue().splitlines(), error
    return out.getvalue().splitlines(), None


def test_a_folder_imports_with_a_line_per_letter_and_a_summary(corpus_folder):
    """Each letter has its numbered line, then the counts; every letter is saved."""
    lines, error = run(corpus_folder)
    assert error is None
    for n, name in enumerate(CORPUS, start=1):
        assert lines[n - 1].startswith(f"[{n}/6] {name}: imported as visit ")
    assert "Imported 6, already there 0, refused 0 (of 6 files)." in lines
    assert Visit.objects.count() == 6
    assert PublishedVersion.objects.count() == 6


def test_a_second_run_imports_none_and_reports_them_already_there(corpus_folder):
    """Run again, nothing is imported twice and nothing counts as a failure."""
    run(corpus_folder)
    lines, error = run(corpus_folder)
    assert error is None
    assert all(line.endswith("already imported") for line in lines[:6])
    assert "Imported 0, already there 6, refused 0 (of 6 files)." in lines
    assert Visit.objects.count() == 6


def test_a_stopped_run_resumed_imports_the_rest_exactly_once(corpus_folder, monkeypatch):
    """Ctrl+C during the third save keeps the first two; the re-run imports the other four."""
    real_save = folder_import.letter_import_published
    calls = []

    def interrupted(**kwargs):
        calls.append(kwargs["source"])
        if len(calls) == 3:
            raise KeyboardInterrupt
        return real_save(**kwargs)

    monkeypatch.setattr(folder_import, "letter_import_published", interrupted)
    lines, error = run(corpus_folder)
    assert error is not None and error.returncode == 130
    assert "stopped after 2 of 6 files" in str(error)
    assert "Imported 2, already there 0, refused 0 (of 6 files)." in lines
    assert Visit.objects.count() == 2
    monkeypatch.setattr(folder_import, "letter_import_published", real_save)
    lines, error = run(corpus_folder)
    assert error is None
    assert "Imported 4, already there 2, refused 0 (of 6 files)." in lines
    assert Visit.objects.count() == 6
    assert (
        sorted(PublishedVersion.objects.values_list("letter__visit__imported_from", flat=True))
        == CORPUS
    )


def test_a_file_that_is_not_a_letter_is_refused_and_counted(corpus_folder):
    """A PDF that is no letter and a text file are refused, the rest imported, exit non-zero."""
    html = "<html><body><h1>Minutes of the meeting</h1><p>Nothing to see.</p></body></html>"
    (corpus_folder / "minutes.pdf").write_bytes(html_to_pdf(html))
    (corpus_folder / "notes.txt").write_text("Remember the milk.")
    lines, error = run(corpus_folder)
    assert error is not None and error.returncode == 1
    assert "2 of 8 files refused" in str(error)
    assert any(line.startswith("[7/8] minutes.pdf: refused: ") for line in lines)
    assert "[8/8] notes.txt: refused: not a PDF" in lines
    assert "Imported 6, already there 0, refused 2 (of 8 files)." in lines
    assert Visit.objects.count() == 6


@pytest.mark.parametrize("workers", [1, 2])
def test_one_worker_and_two_workers_give_the_same_result(corpus_folder, workers):
    """Parsing in two spawned processes saves the same letters, in file order."""
    (corpus_folder / "notes.txt").write_text("Remember the milk.")
    lines, error = run(corpus_folder, workers=workers)
    assert [line.split(": ")[0:2] for line in lines[:7]] == [
        *(
            [f"[{n}/7] {name}", "imported as visit " + str(visit.pk)]
            for n, (name, visit) in enumerate(
                zip(CORPUS, Visit.objects.order_by("pk"), strict=True), 1
            )
        ),
        ["[7/7] notes.txt", "refused"],
    ]
    assert [v.imported_from for v in Visit.objects.order_by("pk")] == CORPUS
    assert "1 of 7 files refused" in str(error)


def test_warnings_of_one_kind_are_counted_as_one_class():
    """Quoted names and numbers do not split a class; the text after the colon is dropped."""
    assert warning_class("'Barset' is not a known local authority: added as a new one") == (
        warning_class("'Wessex' is not a known local authority: added as a new one")
    )
    assert warning_class("page 3: a line not placed") == "page N"


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_on_a_terminal_progress_is_one_updating_bar(corpus_folder):
    """A terminal gets a bar redrawn with \\r (count, rate, time left), not a line a letter."""
    out = Terminal()
    call_command("import_letters", str(corpus_folder), "--workers=1", stdout=out)
    text = out.getvalue()
    assert "imported as visit" not in text
    bars = text.split("\n")[0].split("\r")[1:]
    assert len(bars) == 6
    assert "] 6/6 " in bars[-1] and "letters/s" in bars[-1] and "left" in bars[-1]
    assert "Imported 6, already there 0, refused 0 (of 6 files)." in text
