"""The worker processes' half of a folder import (letters.importing.folder).

A spawned worker unpickles its functions by importing this module before Django is set
up, so it imports nothing of Django or the project at the top: setup() does that.
"""

import signal
from pathlib import Path


def setup():
    """A worker's start: Ctrl+C is the parent's to handle; Django for the model imports
    the parser needs (it never queries the database)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    import django

    django.setup()


def parse_file(path):
    """("parsed", parsed letter, bytes to store) or ("refused", reason).

    Never raises, so one bad file cannot break the pool."""
    from letters.importing.admission import admitted_pdf
    from letters.importing.parse import LetterImportError, parse_letter_pdf

    path = Path(path)
    try:
        data = path.read_bytes()
        if not data.startswith(b"%PDF"):
            raise LetterImportError("not a PDF")
        stored, removed = admitted_pdf(data, source=path.name)
        parsed = parse_letter_pdf(stored, source=path.name)
        if removed:
            parsed.warnings.append(f"removed from the stored PDF: {', '.join(removed)}")
        return ("parsed", parsed, stored)
    except LetterImportError as error:
        return ("refused", reason(error, path.name))
    except Exception as error:  # a parser bug on one file: report it, go on
        return ("refused", f"{type(error).__name__}: {error}")


def reason(error, name):
    """The error's text without the file name it starts with."""
    text = str(error)
    return text[len(name) + 2 :] if text.startswith(f"{name}: ") else text
