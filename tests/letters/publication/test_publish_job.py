"""Publishing on the task worker: the QA manager asks, the worker prints and freezes the
letter, and the job's page follows it to the end (letters.publication.tasks)."""

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from jobs.models import Job
from letters.models import Letter, PublishedVersion
from letters.publication import services as publication
from letters.publication.tasks import publish_letter
from letters.rendering.pdf import RenderTimeout
from letters.review import services as review
from tests.factories import TeamMemberFactory, inspector_user, letter_led_by, qa_manager_user
from tests.jobs.worker import run_worker

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved():
    lead, qa = inspector_user(), qa_manager_user()
    letter = letter_led_by(lead)
    review.letter_submit(letter=letter, by=lead)
    review.letter_approve(letter=Letter.objects.get(pk=letter.pk), by=qa)
    return Letter.objects.get(pk=letter.pk), qa


def ask_to_publish(client, letter, qa):
    client.force_login(qa)
    return client.post(reverse("letters:review-publish", args=[letter.visit_id]))


def test_publishing_sends_the_qa_manager_to_the_jobs_page(client, approved):
    letter, qa = approved
    response = ask_to_publish(client, letter, qa)
    job = Job.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("jobs:status", args=[job.pk])


def test_the_job_publishes_the_letter_and_says_so(client, approved):
    letter, qa = approved
    ask_to_publish(client, letter, qa)
    job = Job.objects.get()
    page = client.get(reverse("jobs:status", args=[job.pk])).content.decode()
    assert Letter.objects.get(pk=letter.pk).status == Letter.Status.PUBLISHED
    assert "Letter published as version 1" in page
    assert "Refresh this page" not in page


def test_while_the_worker_has_not_run_the_letter_waits_approved(client, approved, database_queue):
    letter, qa = approved
    ask_to_publish(client, letter, qa)
    job = Job.objects.get()
    page = client.get(reverse("jobs:status", args=[job.pk])).content.decode()
    assert Letter.objects.get(pk=letter.pk).status == Letter.Status.APPROVED
    assert "Waiting for the next free worker." in page
    assert "Refresh this page" in page


def test_the_jobs_page_answers_its_script_in_json(client, approved, database_queue):
    letter, qa = approved
    ask_to_publish(client, letter, qa)
    job = Job.objects.get()
    url = reverse("jobs:status", args=[job.pk])
    waiting = client.get(url, headers={"Accept": "application/json"}).json()
    run_worker()
    done = client.get(url, headers={"Accept": "application/json"}).json()
    assert waiting == {
        "state": "queued",
        "finished": False,
        "says": "Waiting for the next free worker.",
    }
    assert done["finished"] is True


def test_the_worker_publishes_what_was_asked(client, approved, database_queue):
    letter, qa = approved
    ask_to_publish(client, letter, qa)
    run_worker()
    assert Letter.objects.get(pk=letter.pk).status == Letter.Status.PUBLISHED
    assert Job.objects.get().state == Job.State.DONE


def test_asking_twice_publishes_once(client, approved, database_queue):
    letter, qa = approved
    ask_to_publish(client, letter, qa)
    ask_to_publish(client, letter, qa)
    run_worker()
    assert Job.objects.count() == 1
    assert PublishedVersion.objects.filter(letter=letter).count() == 1


def test_a_publication_delivered_again_publishes_nothing_more(client, approved):
    """The worker died after publishing and before recording it: run again, the job
    finds its version."""
    letter, qa = approved
    ask_to_publish(client, letter, qa)
    job = Job.objects.get()
    Job.objects.filter(pk=job.pk).update(state=Job.State.RUNNING, result={})
    publish_letter.enqueue(job.pk, letter.pk)
    assert PublishedVersion.objects.filter(letter=letter).count() == 1
    assert Job.objects.get().result["number"] == 1


def test_a_print_that_fails_leaves_the_letter_approved_and_says_why(client, approved, monkeypatch):
    letter, qa = approved

    def too_slow(*args, **kwargs):
        raise RenderTimeout("The letter took longer than 60 seconds to print")

    monkeypatch.setattr("letters.publication.services.letter_pdf", too_slow)
    ask_to_publish(client, letter, qa)
    job = Job.objects.get()
    page = client.get(reverse("jobs:status", args=[job.pk])).content.decode()
    assert Letter.objects.get(pk=letter.pk).status == Letter.Status.APPROVED
    assert job.state == Job.State.FAILED
    assert "The letter took longer than 60 seconds to print" in page
    assert "Nothing was changed" in page
    assert reverse("letters:review-letter", args=[letter.visit_id]) in page


def test_a_letter_changed_since_approval_is_refused_before_any_job(client, approved):
    letter, qa = approved
    item = letter.sections.first().items.first()
    type(item).objects.filter(pk=item.pk).update(text="Changed after approval.")
    response = ask_to_publish(client, letter, qa)
    assert response["Location"] == reverse("letters:review-letter", args=[letter.visit_id])
    assert not Job.objects.exists()


def test_nobody_else_sees_the_jobs_page(client, approved):
    letter, qa = approved
    job = publication.letter_publish_request(letter=letter, by=qa)
    client.force_login(qa_manager_user(username="another-qa"))
    assert client.get(reverse("jobs:status", args=[job.pk])).status_code == 404


# A long draft prints on the worker too --------------------------------------------


def test_a_long_draft_is_printed_by_a_job(client, settings):
    settings.DRAFT_PDF_BACKGROUND_CHARACTERS = 10
    lead = inspector_user()
    letter = letter_led_by(lead)
    client.force_login(lead)
    response = client.get(reverse("letters:letter-draft-pdf", args=[letter.visit_id]))
    job = Job.objects.get()
    assert response["Location"] == reverse("jobs:status", args=[job.pk])
    page = client.get(response["Location"]).content.decode()
    assert "Download the draft PDF" in page
    download = client.get(job.result["link"])
    assert download["Content-Type"] == "application/pdf"
    assert download.content.startswith(b"%PDF")


def test_a_short_draft_is_printed_while_the_page_waits(client):
    lead = inspector_user()
    letter = letter_led_by(lead)
    client.force_login(lead)
    response = client.get(reverse("letters:letter-draft-pdf", args=[letter.visit_id]))
    assert response.content.startswith(b"%PDF")
    assert not Job.objects.exists()


def test_a_printed_draft_is_only_for_who_asked(client, settings):
    settings.DRAFT_PDF_BACKGROUND_CHARACTERS = 10
    lead = inspector_user()
    letter = letter_led_by(lead)
    client.force_login(lead)
    client.get(reverse("letters:letter-draft-pdf", args=[letter.visit_id]))
    link = Job.objects.get().result["link"]
    other = inspector_user(username="on-the-team-too")
    TeamMemberFactory(visit=letter.visit, inspector=other.inspector, position=9)
    client.force_login(other)
    assert client.get(link).status_code == 404


def test_printing_a_new_draft_removes_the_older_one(client, settings):
    settings.DRAFT_PDF_BACKGROUND_CHARACTERS = 10
    lead = inspector_user()
    letter = letter_led_by(lead)
    client.force_login(lead)
    client.get(reverse("letters:letter-draft-pdf", args=[letter.visit_id]))
    first = Job.objects.get().result["file"]
    Letter.objects.filter(pk=letter.pk).update(introduction="A new opening.")
    client.get(reverse("letters:letter-draft-pdf", args=[letter.visit_id]))
    assert Job.objects.count() == 2
    assert not default_storage.exists(first)
