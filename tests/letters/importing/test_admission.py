"""Hostile or oversized PDFs are refused or cleaned before they become published letters."""

import io

import pytest
from django.core.management import CommandError, call_command
from pypdf import PdfReader, PdfWriter
from pypdf.actions import JavaScript

from inspections.models import Visit
from letters.models import PublishedVersion
from tests.conftest import shared_file
from tests.letters.importing.test_pdf_import import CORPUS

pytestmark = pytest.mark.django_db


def corpus_pdf(n=0):
    return shared_file(f"corpus/{CORPUS[n]}").read_bytes()


def rewritten(data, change):
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    change(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def import_(path):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_letter", str(path), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def stored_pdf():
    version = PublishedVersion.objects.get()
    with version.pdf.open("rb") as stored:
        return stored.read()


def nothing_written():
    return not Visit.objects.exists() and not PublishedVersion.objects.exists()


def test_an_encrypted_pdf_is_refused_in_one_line(tmp_path):
    """A PDF with a password is refused with a one-line reason; nothing is written."""
    path = tmp_path / "letter.pdf"
    path.write_bytes(rewritten(corpus_pdf(), lambda w: w.encrypt("secret", "owner")))
    with pytest.raises(CommandError) as refused:
        import_(path)
    assert "encrypted" in str(refused.value)
    assert "\n" not in str(refused.value).strip()
    assert nothing_written()


def test_an_oversized_pdf_is_refused_before_it_is_read(tmp_path, settings):
    """A file over the limit is refused by its size alone."""
    settings.IMPORT_MAX_PDF_BYTES = 1000
    path = tmp_path / "letter.pdf"
    path.write_bytes(corpus_pdf())
    with pytest.raises(CommandError) as refused:
        import_(path)
    assert "too large" in str(refused.value)
    assert nothing_written()


def test_javascript_and_attachments_are_removed_and_the_text_kept(tmp_path):
    """A letter carrying a script on opening and an HTML attachment is stored without
    them, with its pages and words."""

    def arm(writer):
        writer.add_open_action(JavaScript("app.alert('hello');"))
        writer.add_attachment("payload.html", b"<script>alert(1)</script>")

    original = corpus_pdf()
    path = tmp_path / "letter.pdf"
    path.write_bytes(rewritten(original, arm))
    _, err = import_(path)
    stored = PdfReader(io.BytesIO(stored_pdf()))
    root = stored.trailer["/Root"]
    names = root.get("/Names", {})
    assert "/OpenAction" not in root
    assert "/JavaScript" not in names and "/EmbeddedFiles" not in names
    assert b"payload.html" not in stored_pdf()
    assert len(stored.pages) == len(PdfReader(io.BytesIO(original)).pages)
    assert "removed from the stored PDF" in err


def test_a_plain_letter_is_stored_byte_for_byte(tmp_path):
    """Nothing to remove: the original bytes are kept, with their SHA-256."""
    path = tmp_path / "letter.pdf"
    path.write_bytes(corpus_pdf())
    import_(path)
    assert stored_pdf() == corpus_pdf()


def test_the_same_pdf_imported_twice_is_refused(tmp_path):
    """The second import of one file is refused in one line, and nothing more written."""
    path = tmp_path / "letter.pdf"
    path.write_bytes(corpus_pdf())
    import_(path)
    with pytest.raises(CommandError) as refused:
        import_(path)
    assert "already imported" in str(refused.value)
    assert Visit.objects.count() == 1


def test_the_same_letter_in_another_file_is_refused(tmp_path):
    """The same authority and visit dates, from a re-saved copy, is refused too."""
    first = tmp_path / "letter.pdf"
    first.write_bytes(corpus_pdf())
    import_(first)
    copy = tmp_path / "copy.pdf"
    copy.write_bytes(rewritten(corpus_pdf(), lambda w: w.add_metadata({"/Title": "Copy"})))
    with pytest.raises(CommandError) as refused:
        import_(copy)
    assert "has a letter already" in str(refused.value)
    assert Visit.objects.count() == 1


def test_a_folder_import_goes_on_past_a_bad_file(tmp_path):
    """An encrypted file in a folder is reported, and the others are imported."""
    (tmp_path / "a-encrypted.pdf").write_bytes(
        rewritten(corpus_pdf(0), lambda w: w.encrypt("secret", "owner"))
    )
    (tmp_path / "b-good.pdf").write_bytes(corpus_pdf(1))
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError) as summary:
        call_command("import_letter", str(tmp_path), stdout=out, stderr=err)
    assert "1 of 2 letters imported, 1 failed" in str(summary.value)
    assert "a-encrypted.pdf: failed" in err.getvalue()
    assert "b-good.pdf: visit" in out.getvalue()
    assert Visit.objects.count() == 1
