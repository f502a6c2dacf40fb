"""Asking for a job, running it, retrying it and recovering it when its worker dies.

The task worker is `manage.py run_worker` (django-tasks-db's worker, with retries and
recovery added). A task that fails for a reason that may pass (a mail server down, a
database restart) is run again after TASK_RETRY_SECONDS, doubling, up to
TASK_MAX_ATTEMPTS runs in all; one refused for a reason that will not pass (no
permission, content changed, a letter too large to print) fails at once. A task whose
worker stops beating is put back in the queue for another worker.
"""

import datetime
import logging

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.tasks import TaskResultStatus, task
from django.utils import timezone
from django.utils.module_loading import import_string

from jobs.backends import is_database_backend
from jobs.models import Job, WorkerBeat

logger = logging.getLogger(__name__)

# Failures that running again cannot mend.
PERMANENT = (PermissionDenied, ValidationError, ObjectDoesNotExist)


def may_retry(error_class):
    """Whether a failure of this class may pass if the task runs again."""
    if error_class is None or issubclass(error_class, PERMANENT):
        return False
    return getattr(error_class, "retry", True)


def will_retry(error_class, runs):
    """Whether a task that failed with error_class on its runs-th run is run again: the
    one decision the task (for its job's state) and the worker (for the queue) share."""
    return may_retry(error_class) and runs < settings.TASK_MAX_ATTEMPTS


def error_class_at(path):
    try:
        found = import_string(path)
    except ImportError:
        return None
    return found if isinstance(found, type) else None


def describe(error):
    """One line for the person who asked."""
    if isinstance(error, ValidationError):
        return error.messages[0]
    text = str(error) or type(error).__name__
    if isinstance(error, PermissionDenied | ObjectDoesNotExist) or hasattr(error, "retry"):
        return text[:300]
    return f"Something went wrong ({type(error).__name__})."


def submit(task_, *, key, label, by=None, args=(), back=""):
    """Queue `task_` for the job `key`, once: while a job with this key is waiting,
    running or done, asking again returns it. A failed job is queued again.
    `back`: where the job's page sends its reader if the job fails."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                job = Job.objects.create(
                    key=key, label=label[:300], requested_by=by, result={"back": back}
                )
        except IntegrityError:
            job = Job.objects.select_for_update().get(key=key)
            if job.state != Job.State.FAILED:
                return job
            job.state, job.stage, job.message, job.attempts = Job.State.QUEUED, "", "", 0
            job.task_id, job.finished_at, job.requested_by = "", None, by
            job.result = {"back": back}
            job.save()
        result = task_.enqueue(job.pk, *args)
        Job.objects.filter(pk=job.pk, task_id="").update(task_id=str(result.id)[:64])
    job.refresh_from_db()
    return job


def job_task(function=None, *, on_failure=None):
    """Make `function(job, *args)` a task run for a Job (see submit).

    It records the job's start, progress and outcome; a job already done is not done
    again. On a failure that will not be retried, on_failure(job, error, *args) runs.
    """

    def wrap(function):
        def run(context, job_id, *args):
            job = Job.objects.filter(pk=job_id).first()
            if job is None or job.state == Job.State.DONE:
                return job.result if job else None
            attempt = context.attempt
            started = timezone.now()
            Job.objects.filter(pk=job_id).update(
                state=Job.State.RUNNING, attempts=attempt, started_at=started
            )
            job.state, job.attempts, job.started_at = Job.State.RUNNING, attempt, started
            try:
                result = function(job, *args) or {}
            except Exception as error:
                final = not (
                    is_database_backend(context.task_result.backend)
                    and will_retry(type(error), attempt)
                )
                Job.objects.filter(pk=job_id).update(
                    state=Job.State.FAILED if final else Job.State.QUEUED,
                    message=describe(error),
                    finished_at=timezone.now() if final else None,
                )
                if final and on_failure is not None:
                    on_failure(job, error, *args)
                raise
            Job.objects.filter(pk=job_id).update(
                state=Job.State.DONE, stage="", result=result, finished_at=timezone.now()
            )
            return result

        # Named as the function, so the worker finds the task at its module path (not
        # functools.wraps: the task framework reads the signature, which must be run's).
        run.__name__, run.__qualname__ = function.__name__, function.__qualname__
        run.__module__, run.__doc__ = function.__module__, function.__doc__
        return task(takes_context=True)(run)

    return wrap(function) if function is not None else wrap


def retry_if_failed(db_result):
    """After a run: put a failed task back in the queue if its failure may pass and it
    has runs left, after TASK_RETRY_SECONDS doubled for each run so far."""
    db_result.refresh_from_db()
    if db_result.status != TaskResultStatus.FAILED:
        return False
    attempts = len(db_result.worker_ids)
    if not will_retry(error_class_at(db_result.exception_class_path), attempts):
        return False
    delay = settings.TASK_RETRY_SECONDS * 2 ** (attempts - 1)
    db_result.status = TaskResultStatus.READY
    db_result.run_after = timezone.now() + datetime.timedelta(seconds=delay)
    db_result.finished_at = None
    db_result.save(update_fields=["status", "run_after", "finished_at"])
    logger.warning("Task %s failed (run %d); runs again in %ss", db_result.id, attempts, delay)
    return True


def beat(worker_id, *, host, pid):
    WorkerBeat.objects.update_or_create(
        worker_id=worker_id, defaults={"host": host, "pid": pid, "beat_at": timezone.now()}
    )


def recover_lost():
    """Put back in the queue each running task whose worker has stopped beating (it
    died, or its machine did); a task that has lost TASK_MAX_ATTEMPTS workers fails.
    Returns how many were put back."""
    from django_tasks_db.models import DBTaskResult

    lost_before = timezone.now() - datetime.timedelta(seconds=settings.TASK_WORKER_LOST_SECONDS)
    alive = set(
        WorkerBeat.objects.filter(beat_at__gte=lost_before).values_list("worker_id", flat=True)
    )
    requeued = 0
    with transaction.atomic():
        running = DBTaskResult.objects.select_for_update(skip_locked=True).filter(
            status=TaskResultStatus.RUNNING, started_at__lt=lost_before
        )
        for db_result in running:
            if db_result.worker_ids and db_result.worker_ids[-1] in alive:
                continue
            if len(db_result.worker_ids) >= settings.TASK_MAX_ATTEMPTS:
                db_result.status = TaskResultStatus.FAILED
                db_result.finished_at = timezone.now()
                db_result.exception_class_path = "jobs.services.WorkerLost"
                db_result.traceback = "The worker running this task stopped, too many times."
                db_result.save(
                    update_fields=["status", "finished_at", "exception_class_path", "traceback"]
                )
                Job.objects.filter(task_id=str(db_result.id)).update(
                    state=Job.State.FAILED,
                    message="The worker doing this stopped too many times. Try again later.",
                    finished_at=timezone.now(),
                )
                continue
            db_result.status = TaskResultStatus.READY
            db_result.started_at = None
            db_result.save(update_fields=["status", "started_at"])
            Job.objects.filter(task_id=str(db_result.id), state=Job.State.RUNNING).update(
                state=Job.State.QUEUED, stage="Waiting for another worker"
            )
            logger.warning("Task %s lost its worker; queued again", db_result.id)
            requeued += 1
    return requeued


class WorkerLost(Exception):
    """The worker running the task stopped before it finished."""
