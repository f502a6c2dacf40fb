from django.contrib import admin

from audit.admin import ReadOnlyAdmin
from jobs.models import Job, WorkerBeat


@admin.register(Job)
class JobAdmin(ReadOnlyAdmin):
    """Jobs are made by the services that ask for them; administrators read them."""

    list_display = ["label", "state", "attempts", "requested_by", "requested_at", "finished_at"]
    list_filter = ["state"]
    search_fields = ["label", "key"]


@admin.register(WorkerBeat)
class WorkerBeatAdmin(ReadOnlyAdmin):
    list_display = ["worker_id", "host", "pid", "started_at", "beat_at"]
