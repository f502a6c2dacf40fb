"""What a PDF must be to be imported as a published letter, and what is taken out of it;
what a Word document must be for its text to be read into a visit's letter.

A published letter is served to the authority and the public as it is stored, so the
stored file must be a plain document: no password, no script, no attachment, within a
size no real letter nears (IMPORT_MAX_PDF_BYTES). Active content is removed and the
pages and their text are kept; a file that cannot be opened is refused in one line.

A Word document (.docx) is a zip of XML parts. Only its text is read, never stored, but
reading unpacks it, so it must be a zip within IMPORT_MAX_DOCX_BYTES whose parts unpack
to at most IMPORT_MAX_DOCX_UNPACKED_BYTES (a zip bomb is refused before anything is
unpacked: the sizes are the zip's own, and reading never unpacks more than they say),
with the main document part a Word document has.
"""

import io
import zipfile

from django.conf import settings
from pypdf import PdfReader, PdfWriter
from pypdf.errors import PyPdfError
from pypdf.generic import NameObject

from letters.importing.parse import LetterImportError

# Catalogue entries that act on opening, or hold files or scripts.
ACTIVE_IN_CATALOGUE = {
    "/OpenAction": "an action on opening",
    "/AA": "actions",
    "/AcroForm": "a form",
}
ACTIVE_IN_NAMES = ("/JavaScript", "/EmbeddedFiles")
# Annotations that carry a file, a film or a sound; links that run or launch something.
ACTIVE_ANNOTATIONS = ("/FileAttachment", "/Screen", "/Movie", "/Sound", "/RichMedia")
ACTIVE_ACTIONS = ("/JavaScript", "/Launch", "/SubmitForm", "/ImportData", "/GoToE")


def check_size(path):
    size = path.stat().st_size
    limit = settings.IMPORT_MAX_PDF_BYTES
    if size > limit:
        raise LetterImportError(
            f"{path}: too large to be a letter ({size / 1e6:.1f} MB; the limit is "
            f"{limit / 1e6:.0f} MB)"
        )


def admitted_pdf(data, *, source):
    """The bytes to store for a published letter, and what was removed (a list of words).

    The original bytes when there is nothing to remove, so a plain letter keeps its
    SHA-256; otherwise a copy without the active content.
    """
    try:
        reader = PdfReader(io.BytesIO(data))
        encrypted = reader.is_encrypted
    except (PyPdfError, ValueError, KeyError, TypeError, OSError) as error:
        raise LetterImportError(f"{source}: not a readable PDF ({error})") from None
    if encrypted:
        raise LetterImportError(
            f"{source}: the PDF is encrypted; save a copy without a password and import that"
        )
    try:
        found = active_content(reader)
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError) as error:
        raise LetterImportError(f"{source}: not a readable PDF ({error})") from None
    if not found:
        return data, []
    return without_active_content(reader), sorted(found)


def active_content(reader):
    found = set()
    root = reader.trailer["/Root"]
    found.update(word for key, word in ACTIVE_IN_CATALOGUE.items() if key in root)
    names = root.get("/Names")
    if names is not None:
        names = names.get_object()
        if "/JavaScript" in names:
            found.add("JavaScript")
        if "/EmbeddedFiles" in names:
            found.add("attachments")
    for page in reader.pages:
        if "/AA" in page:
            found.add("actions")
        annotations = page.get("/Annots")
        for annotation in annotations.get_object() if annotations is not None else []:
            word = annotation_content(annotation.get_object())
            if word:
                found.add(word)
    return found


def annotation_content(annotation):
    """What is active in an annotation, in a word, or None: a file it carries, or a link
    that runs or launches something."""
    if annotation.get("/Subtype") in ACTIVE_ANNOTATIONS:
        return "attachments"
    action = annotation.get("/A")
    kind = action.get_object().get("/S") if action is not None else None
    if kind in ACTIVE_ACTIONS:
        return "JavaScript" if kind == "/JavaScript" else "actions"
    return None


def without_active_content(reader):
    writer = PdfWriter(clone_from=reader)
    root = writer._root_object
    for key in ACTIVE_IN_CATALOGUE:
        root.pop(NameObject(key), None)
    names = root.get("/Names")
    if names is not None:
        names = names.get_object()
        for key in ACTIVE_IN_NAMES:
            names.pop(NameObject(key), None)
    for page in writer.pages:
        page.pop(NameObject("/AA"), None)
        annotations = page.get("/Annots")
        if annotations is None:
            continue
        kept = [a for a in annotations.get_object() if not annotation_content(a.get_object())]
        page[NameObject("/Annots")] = type(annotations.get_object())(kept)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# A Word document's parts: the main one, and the list of parts and their types.
DOCX_DOCUMENT_PART = "word/document.xml"
DOCX_CONTENT_TYPES = "[Content_Types].xml"
# More parts than any letter has (a letter has about 15).
DOCX_MAX_PARTS = 1000

NOT_DOCX_MESSAGE = "The selected file must be a Word document (.docx)"
UNREADABLE_MESSAGE = (
    "The selected file could not be read: it may be damaged. Open it in Word, save it "
    "as a Word document (.docx) and upload that"
)


def megabytes(size):
    return f"{size / (1024 * 1024):.0f} MB"


def check_docx_size(size):
    """Refuse a file larger than a Word letter ever is, before reading it."""
    limit = settings.IMPORT_MAX_DOCX_BYTES
    if size > limit:
        raise LetterImportError(f"The selected file must be smaller than {megabytes(limit)}")
    if size == 0:
        raise LetterImportError("The selected file is empty")


def admitted_docx(data):
    """Raise LetterImportError (a sentence for the user) unless `data` is a zip, within the
    limits, that holds a Word document's parts."""
    check_docx_size(len(data))
    if not data.startswith(b"PK\x03\x04"):
        raise LetterImportError(NOT_DOCX_MESSAGE)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        raise LetterImportError(UNREADABLE_MESSAGE) from None
    names = {part.filename for part in parts}
    if DOCX_CONTENT_TYPES not in names or DOCX_DOCUMENT_PART not in names:
        raise LetterImportError(NOT_DOCX_MESSAGE)
    unpacked = sum(part.file_size for part in parts)
    document = next(part for part in parts if part.filename == DOCX_DOCUMENT_PART)
    limit = settings.IMPORT_MAX_DOCX_UNPACKED_BYTES
    if len(parts) > DOCX_MAX_PARTS or unpacked > limit or document.file_size > limit:
        raise LetterImportError(
            f"The selected file unpacks to more than {megabytes(limit)}, more than a "
            "letter ever is. Save the letter's text in a new Word document and upload that"
        )
