"""A job: work someone asked for that runs on the task worker (printing a letter for
publication, a large draft PDF, an e-mail), with its progress in words for the page
that waits for it.

One job per key: asking again for the same thing (the same letter at the same revision)
finds the job already asked for, so the work is never queued twice; and a task delivered
twice (its worker died after finishing) finds its job done and does nothing.
"""

from django.conf import settings
from django.db import models


class Job(models.Model):
    class State(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "In progress"
        DONE = "done", "Done"
        FAILED = "failed", "Could not be done"

    key = models.CharField(max_length=200, unique=True)
    label = models.CharField(max_length=300)
    state = models.CharField(max_length=10, choices=State, default=State.QUEUED)
    stage = models.CharField(max_length=200, blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # On failure, one line for the person who asked: what happened and what to do.
    message = models.TextField(blank=True)
    # On success: {"message": ..., "link": ..., "link_text": ...} and the task's own data.
    result = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self):
        return f"{self.label} ({self.get_state_display().lower()})"

    @property
    def finished(self):
        return self.state in {self.State.DONE, self.State.FAILED}

    def progress(self, stage):
        """Say what the job is doing now, for the page that waits for it."""
        self.stage = stage[:200]
        Job.objects.filter(pk=self.pk).update(stage=self.stage)


class WorkerBeat(models.Model):
    """A worker's heartbeat: a running task whose worker has not beaten for
    TASK_WORKER_LOST_SECONDS is taken to be lost with its worker, and run again."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    host = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField(auto_now_add=True)
    beat_at = models.DateTimeField()

    def __str__(self):
        return f"{self.worker_id} on {self.host} (pid {self.pid})"
