"""Publication on the task worker: the letter is printed and frozen there, not while the
QA manager's page waits (jobs). Asking twice for the same letter at the same revision
finds the same job; a job delivered again after its worker died finds the version it
already published and publishes nothing more."""

from django.urls import reverse

from jobs.services import job_task
from letters.models import Letter
from letters.publication import services


def _outcome(version):
    return {
        "version": version.pk,
        "number": version.number,
        "title": "Letter published",
        "message": f"Letter published as version {version.number}. "
        "The local authority can now download it.",
        "link": reverse("letters:review-queue"),
        "link_text": "Back to letters to review",
    }


@job_task
def publish_letter(job, letter_id):
    letter = Letter.objects.get(pk=letter_id)
    done = services.version_published_for(job, letter)
    if done is not None:  # this job published it, and its worker died before saying so
        return _outcome(done)
    job.progress("Printing the letter")
    version = services.letter_publish(letter=letter, by=job.requested_by)
    return _outcome(version)
