"""Which task backend runs the jobs, and whether it retries them."""

from asgiref.local import Local
from django.tasks import task_backends


def reset_task_backends(*, setting, **kwargs):
    """Django keeps its task backends for the life of the process; a test that changes
    TASKS (override_settings) gets the new ones."""
    if setting == "TASKS":
        task_backends.__dict__.pop("settings", None)
        task_backends._settings = None
        task_backends._connections = Local(task_backends.thread_critical)


def is_database_backend(alias):
    """True when the backend is django-tasks-db's: its tasks are run by
    `manage.py run_worker`, which retries a failed task and recovers a lost one."""
    from django_tasks_db.backend import DatabaseBackend

    return isinstance(task_backends[alias], DatabaseBackend)
