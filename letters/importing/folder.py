"""Importing a folder of letter PDFs as Ofsted published them (the import_letters command).

Reading and parsing a PDF is the slow part, so it runs in worker processes (started
with "spawn": each sets Django up and never touches the database); the parent saves
the parsed letters in file order, one transaction each, so the database sees one
writer. A file whose SHA-256 is already stored is skipped before it is parsed: a run
that was stopped imports the rest when it is run again, and nothing twice.
"""

import hashlib
import multiprocessing
import os
import re
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from letters.importing.admission import check_size
from letters.importing.parse import LetterImportError
from letters.importing.services import AlreadyImported, letter_import_published
from letters.importing.worker import parse_file, reason, setup
from letters.models import PublishedVersion

IMPORTED, ALREADY, REFUSED = "imported", "already imported", "refused"


@dataclass
class Outcome:
    name: str
    status: str
    detail: str = ""
    visit_id: int | None = None
    warnings: list = field(default_factory=list)

    def line(self):
        if self.status == IMPORTED:
            return f"{self.name}: imported as visit {self.visit_id}"
        if self.status == ALREADY:
            return f"{self.name}: already imported" + (f" ({self.detail})" if self.detail else "")
        return f"{self.name}: refused: {self.detail}"


@dataclass
class Tally:
    total: int
    outcomes: list = field(default_factory=list)

    def count(self, status):
        return sum(1 for outcome in self.outcomes if outcome.status == status)

    def warning_classes(self):
        """(class, count), most frequent first: see warning_class."""
        counts = Counter(
            warning_class(text) for outcome in self.outcomes for text in outcome.warnings
        )
        return sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))


def warning_class(text):
    """A warning's kind: its words before the first colon, with quoted names and numbers
    replaced, so "'Barset' is not a known local authority: ..." and the same of another
    authority count as one."""
    head = text.split(":", 1)[0]
    head = re.sub(r"'[^']*'|\"[^\"]*\"|“[^”]*”|‘[^’]*’", "'…'", head)
    head = re.sub(r"\d+", "N", head)
    return " ".join(head.split())


def letter_files(folder):
    """The folder's files in name order, hidden files left out."""
    return sorted(p for p in Path(folder).iterdir() if p.is_file() and not p.name.startswith("."))


def default_workers():
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def import_folder(folder, *, workers=None, by=None, report=lambda outcome, tally: None):
    """Import every file of the folder; report(outcome, tally) after each, in file order.

    Returns the Tally. KeyboardInterrupt propagates after the letters finished so far
    are saved (each in its own transaction); the tally so far is on the exception as
    `.tally`."""
    files = letter_files(folder)
    tally = Tally(total=len(files))
    known = set(PublishedVersion.objects.values_list("sha256", flat=True))
    to_parse = []
    early = {}
    for path in files:
        try:
            check_size(path)
        except LetterImportError as error:
            early[path] = Outcome(path.name, REFUSED, reason(error, str(path)))
            continue
        if hashlib.sha256(path.read_bytes()).hexdigest() in known:
            early[path] = Outcome(path.name, ALREADY)
        else:
            to_parse.append(path)
    workers = max(1, min(workers or default_workers(), len(to_parse) or 1))
    executor = None
    try:
        if workers > 1:
            executor = ProcessPoolExecutor(
                max_workers=workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=setup,
            )
            results = {p: executor.submit(parse_file, p) for p in to_parse}
            result_of = lambda p: results[p].result()  # noqa: E731
        else:
            result_of = parse_file
        for path in files:
            outcome = early.get(path) or save(path, result_of(path), by=by)
            tally.outcomes.append(outcome)
            report(outcome, tally)
    except KeyboardInterrupt as stop:
        stop.tally = tally
        raise
    finally:
        if executor is not None:
            executor.shutdown(wait=False, cancel_futures=True)
    return tally


def save(path, result, *, by):
    """The parent's half: a parsed letter saved in its own transaction."""
    if result[0] == "refused":
        return Outcome(path.name, REFUSED, result[1])
    _, parsed, stored = result
    try:
        visit = letter_import_published(parsed=parsed, pdf=stored, by=by, source=path.name)
    except AlreadyImported as error:
        return Outcome(
            path.name, ALREADY, reason(error, path.name).removeprefix("already imported, ")
        )
    except LetterImportError as error:
        return Outcome(path.name, REFUSED, reason(error, path.name))
    return Outcome(path.name, IMPORTED, visit_id=visit.pk, warnings=list(parsed.warnings))
