"""Tasks for the worker's tests: each counts its runs, and fails as told."""

from collections import Counter

from django.core.exceptions import PermissionDenied

from jobs.services import job_task

RUNS = Counter()
DONE = Counter()
GAVE_UP = []


class Flaky(Exception):
    """A failure that may pass (a mail server away)."""


def _gave_up(job, error, *args):
    GAVE_UP.append((job.key, type(error).__name__, args))


@job_task(on_failure=_gave_up)
def fails_then_works(job, failures):
    """Fails `failures` times, then works."""
    RUNS[job.key] += 1
    if RUNS[job.key] <= failures:
        raise Flaky(f"Run {RUNS[job.key]} failed")
    DONE[job.key] += 1
    return {"message": "Done it"}


@job_task(on_failure=_gave_up)
def refused(job):
    RUNS[job.key] += 1
    raise PermissionDenied("You may not do this")


@job_task(on_failure=_gave_up)
def works(job, note):
    RUNS[job.key] += 1
    job.progress("Working")
    DONE[job.key] += 1
    return {"note": note}


def reset():
    RUNS.clear()
    DONE.clear()
    GAVE_UP.clear()
