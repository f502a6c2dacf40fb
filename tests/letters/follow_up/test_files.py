"""What an uploaded plan must be: a PDF or a .docx by its content, within the size limit."""

import io
import zipfile

import pytest

from letters.follow_up.files import DOCX, PDF, PlanRefused, admitted_plan
from tests.letters.follow_up.conftest import docx_bytes, pdf_bytes

NOT_A_PLAN = "The selected file must be a PDF or a Word document (.docx)"


def zipped(parts):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return out.getvalue()


def refusal(name, data):
    with pytest.raises(PlanRefused) as refused:
        admitted_plan(name, data)
    return refused.value.messages[0]


def test_a_pdf_is_admitted_as_it_is():
    """A plain PDF is stored byte for byte."""
    data = pdf_bytes()
    assert admitted_plan("Plan.PDF", data) == (data, PDF, "pdf")


def test_a_word_document_is_admitted():
    """A .docx made by Word (python-docx here) is admitted."""
    data = docx_bytes()
    assert admitted_plan("plan.docx", data) == (data, DOCX, "docx")


def test_a_program_named_pdf_is_refused():
    """An .exe renamed .pdf is refused by its content."""
    assert refusal("plan.pdf", b"MZ\x90\x00" + b"\x00" * 200) == NOT_A_PLAN


@pytest.mark.parametrize("name", ["plan.exe", "plan.zip", "plan.doc", "plan"])
def test_other_kinds_of_file_are_refused_by_name(name):
    """Only .pdf and .docx names are taken, whatever the content."""
    assert refusal(name, pdf_bytes()) == NOT_A_PLAN


def test_a_zip_named_docx_is_refused():
    """A zip without a Word document's parts is not a Word document."""
    assert refusal("plan.docx", zipped({"readme.txt": "hello"})) == NOT_A_PLAN


def test_a_pdf_named_docx_is_refused():
    """The content must be what the name says."""
    assert refusal("plan.docx", pdf_bytes()) == NOT_A_PLAN


def test_a_macro_enabled_document_named_docx_is_refused():
    """A .docm renamed .docx declares a macro-enabled main part: refused."""
    data = zipped(
        {
            "[Content_Types].xml": (
                '<Types><Override PartName="/word/document.xml" ContentType="application/'
                'vnd.ms-word.document.macroEnabled.main+xml"/></Types>'
            ),
            "word/document.xml": "<w:document/>",
            "word/vbaProject.bin": "macros",
        }
    )
    assert refusal("plan.docx", data) == NOT_A_PLAN


def test_a_damaged_pdf_is_refused_in_words():
    """A PDF that cannot be read says so."""
    assert refusal("plan.pdf", b"%PDF-1.7\nnot really").startswith("The selected file could not")


def test_a_file_over_the_limit_is_refused(settings):
    """Larger than ACTION_PLAN_MAX_BYTES: refused with the limit."""
    settings.ACTION_PLAN_MAX_BYTES = 1024 * 1024
    data = pdf_bytes() + b"\n%" + b"x" * (1024 * 1024)
    assert refusal("plan.pdf", data) == "The selected file must be smaller than 1 MB"


def test_an_empty_file_is_refused():
    """Nothing to store."""
    assert refusal("plan.pdf", b"") == "The selected file is empty"
