"""The page that waits for a job: what it is doing, then its outcome.

With scripts it follows the job by itself (static/portal/job-status.js asks for the
job's state as JSON); without, it has a link to refresh it. There is no timed refresh
of the page (WCAG 2.2.1). Only the person who asked for the job may see it.
"""

from django.http import Http404, JsonResponse
from django.shortcuts import render

from audit.services import record_refusal
from jobs.models import Job

REFRESH_SECONDS = 2


def says(job):
    """What the page says of a job still in hand, in one sentence."""
    if job.stage:
        return f"{job.stage}."
    if job.state == Job.State.QUEUED:
        return "Waiting for the next free worker."
    return "Working on it."


def job_status(request, pk):
    job = Job.objects.filter(pk=pk, requested_by=request.user).first()
    if job is None:
        if Job.objects.filter(pk=pk).exists():  # someone else's: the same 404, audited
            record_refusal(by=request.user, key=f"job:{pk}", target=(Job, pk))
        raise Http404("No such job")
    if "application/json" in request.headers.get("Accept", ""):
        return JsonResponse(
            {"state": job.state, "finished": job.finished, "says": says(job)},
            headers={"Cache-Control": "no-store"},
        )
    return render(
        request,
        "jobs/status.html",
        {"job": job, "says": says(job), "refresh": REFRESH_SECONDS},
    )
