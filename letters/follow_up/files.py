"""What an uploaded action plan must be: a PDF or a Word document (.docx), by its content
and not only its name, no larger than ACTION_PLAN_MAX_BYTES.

A PDF is admitted as a published letter's is (letters.importing.admission.admitted_pdf):
readable, without a password, and with any script, attachment or action removed before it
is stored. A Word document must be a zip with a Word document's parts, whose list of types
names a plain (not macro-enabled) main document, within the limits a .docx letter has.
"""

import io
import zipfile
import zlib

from django.conf import settings
from django.core.exceptions import ValidationError

from letters.importing.admission import (
    DOCX_CONTENT_TYPES,
    DOCX_DOCUMENT_PART,
    DOCX_MAX_PARTS,
    admitted_pdf,
    megabytes,
)
from letters.importing.parse import LetterImportError

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
EXTENSIONS = {"pdf": PDF, "docx": DOCX}
# The type [Content_Types].xml gives a plain Word document's main part (a macro-enabled
# one's is "...macroEnabled.main+xml").
DOCX_MAIN_TYPE = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
CONTENT_TYPES_MAX_BYTES = 1024 * 1024

NOT_A_PLAN = "The selected file must be a PDF or a Word document (.docx)"
UNREADABLE = (
    "The selected file could not be read: it may be damaged. Save it again as a PDF or a "
    "Word document (.docx) and upload that"
)


class PlanRefused(ValidationError):
    """The file is not one the portal stores as an action plan (a sentence for the user)."""


def check_plan_size(size):
    """Refuse an empty file, or one over the limit, before reading it."""
    limit = settings.ACTION_PLAN_MAX_BYTES
    if size == 0:
        raise PlanRefused("The selected file is empty")
    if size > limit:
        raise PlanRefused(f"The selected file must be smaller than {megabytes(limit)}")


def admitted_plan(name, data):
    """(the bytes to store, their content type, their extension) of an uploaded plan, or
    PlanRefused saying why not. A PDF's active content is removed (other bytes then)."""
    check_plan_size(len(data))
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in EXTENSIONS:
        raise PlanRefused(NOT_A_PLAN)
    if extension == "pdf":
        data = _admitted_pdf(data)
    else:
        _check_docx(data)
    return data, EXTENSIONS[extension], extension


def _admitted_pdf(data):
    if not data.startswith(b"%PDF-"):
        raise PlanRefused(NOT_A_PLAN)
    try:
        stored, _removed = admitted_pdf(data, source="")
    except LetterImportError as error:
        if "encrypted" in str(error):
            raise PlanRefused(
                "The selected PDF has a password. Save a copy without one and upload that"
            ) from None
        raise PlanRefused(UNREADABLE) from None
    return stored


def _check_docx(data):
    if not data.startswith(b"PK\x03\x04"):
        raise PlanRefused(NOT_A_PLAN)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
            names = {part.filename for part in parts}
            if DOCX_CONTENT_TYPES not in names or DOCX_DOCUMENT_PART not in names:
                raise PlanRefused(NOT_A_PLAN)
            unpacked = sum(part.file_size for part in parts)
            if len(parts) > DOCX_MAX_PARTS or unpacked > settings.IMPORT_MAX_DOCX_UNPACKED_BYTES:
                raise PlanRefused(
                    f"The selected file unpacks to more than "
                    f"{megabytes(settings.IMPORT_MAX_DOCX_UNPACKED_BYTES)}. Save it as a PDF "
                    "and upload that"
                )
            types = archive.getinfo(DOCX_CONTENT_TYPES)
            if types.file_size > CONTENT_TYPES_MAX_BYTES:
                raise PlanRefused(NOT_A_PLAN)
            declared = archive.read(types)
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        ValueError,
        OSError,
        EOFError,
        RuntimeError,
        NotImplementedError,
        zlib.error,
    ):
        raise PlanRefused(UNREADABLE) from None
    if DOCX_MAIN_TYPE not in declared:
        # A macro-enabled document (.docm renamed), or another kind of Office file.
        raise PlanRefused(NOT_A_PLAN)
