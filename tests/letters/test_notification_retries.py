"""E-mail goes by the task worker: a mail server that is away is tried again, and only
an e-mail that never went is recorded as failed (letters.notifications)."""

import pytest
from django.core import mail

from audit.models import AuditEvent
from letters.notifications import _send
from tests.factories import complete_letter
from tests.jobs.worker import run_worker

pytestmark = pytest.mark.django_db


class AwayThenBack:
    """A mail server that refuses the first `AwayThenBack.refusals` messages."""

    refusals = 0
    refused = 0

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        if AwayThenBack.refused < AwayThenBack.refusals:
            AwayThenBack.refused += 1
            raise ConnectionRefusedError("the mail server is down")
        mail.outbox.extend(messages)
        return len(messages)


@pytest.fixture
def worker_queue(database_queue, settings):
    settings.MAILERS = {
        "default": {"BACKEND": "tests.letters.test_notification_retries.AwayThenBack"}
    }
    AwayThenBack.refused = 0


def send_one(capture):
    letter = complete_letter()
    with capture(execute=True):
        _send("Letter to review", "Body.", ["qa@example.org"], about=letter)
    return letter


def test_an_email_waits_for_the_worker(worker_queue, django_capture_on_commit_callbacks):
    send_one(django_capture_on_commit_callbacks)
    assert mail.outbox == []


def test_an_email_goes_once_the_server_is_back(worker_queue, django_capture_on_commit_callbacks):
    AwayThenBack.refusals = 2
    send_one(django_capture_on_commit_callbacks)
    run_worker()
    assert [m.subject for m in mail.outbox] == ["Letter to review"]
    assert not AuditEvent.objects.filter(action="notification.failed").exists()


def test_an_email_that_never_goes_is_recorded_once(
    worker_queue, django_capture_on_commit_callbacks
):
    AwayThenBack.refusals = 99
    letter = send_one(django_capture_on_commit_callbacks)
    run_worker()
    assert AwayThenBack.refused == 3
    failed = AuditEvent.objects.get(action="notification.failed")
    assert failed.target_id == str(letter.pk) or failed.target_id == letter.pk
    assert failed.detail["recipients"] == ["qa@example.org"]
