"""A large draft prints on the task worker, not while the page waits: the draft PDF is
stored, and the job's page links to it (letters.drafting.views.letter_draft_pdf)."""

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse

from jobs.services import job_task
from letters.rendering.compose import letter_queryset
from letters.rendering.pdf import letter_pdf

DRAFTS = "draft-pdfs"


def draft_folder(letter_id):
    return f"{DRAFTS}/{letter_id}"


@job_task
def print_draft(job, letter_id):
    letter = letter_queryset().get(pk=letter_id)
    job.progress("Printing the draft")
    pdf = letter_pdf(letter, draft=True)
    folder = draft_folder(letter_id)
    if default_storage.exists(folder):  # only the newest draft of a letter is kept
        for name in default_storage.listdir(folder)[1]:
            default_storage.delete(f"{folder}/{name}")
    name = default_storage.save(f"{folder}/job-{job.pk}.pdf", ContentFile(pdf))
    link = reverse("letters:letter-draft-pdf", args=[letter.visit_id])
    return {
        "file": name,
        "title": "Draft printed",
        "message": "The draft is printed.",
        "link": f"{link}?job={job.pk}",
        "link_text": "Download the draft PDF",
    }
