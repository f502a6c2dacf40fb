"""One-line fields refuse line breaks; an e-mail's subject is always one line."""

import pytest
from django.core import mail
from django.urls import reverse

from letters.models import Letter
from letters.notifications import _send
from tests.factories import inspector_user, letter_led_by, qa_manager_user

pytestmark = pytest.mark.django_db


def test_a_title_with_a_line_break_is_refused_with_a_govuk_error(client):
    """The opening form refuses a title of two lines and keeps what was typed."""
    lead = inspector_user()
    letter = letter_led_by(lead)
    client.force_login(lead)
    response = client.post(
        reverse("letters:letter-opening", args=[letter.visit_id]),
        {"title": "First line\nSecond line", "list_focus_areas": "on", "revision": 1},
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in content
    assert "Enter this on one line, without line breaks" in content
    assert "Second line" in content
    assert Letter.objects.get(pk=letter.pk).title == ""


def test_a_heading_with_a_line_break_is_refused():
    """The model itself refuses it, for the admin's forms too."""
    from django.core.exceptions import ValidationError

    letter = letter_led_by(inspector_user())
    section = letter.sections.first()
    section.heading = "Over\r\ntwo lines"
    with pytest.raises(ValidationError):
        section.full_clean()


def test_a_subject_with_a_line_break_still_sends(django_capture_on_commit_callbacks):
    """A line break in a subject becomes a space: the e-mail goes, it is not dropped."""
    with django_capture_on_commit_callbacks(execute=True):
        _send("Letter to review:\nFernshire", "Body.", ["qa@example.org"], about=None)
    assert [message.subject for message in mail.outbox] == ["Letter to review: Fernshire"]


def test_a_notification_that_fails_is_recorded_and_shown_on_the_letters_page(
    client, settings, django_capture_on_commit_callbacks
):
    """A mail server that refuses leaves an event, and the visit's page says so."""
    from audit.models import AuditEvent
    from letters.review import services as review

    settings.MAILERS = {"default": {"BACKEND": "tests.letters.test_one_line_fields.Refusing"}}
    lead = inspector_user()
    letter = letter_led_by(lead)
    qa = qa_manager_user()
    qa.email = "qa@example.org"
    qa.save()
    letter.visit.qa_manager = qa.inspector
    letter.visit.save()
    with django_capture_on_commit_callbacks(execute=True):
        review.letter_submit(letter=letter, by=lead)
    event = AuditEvent.objects.get(action="notification.failed")
    assert event.detail["recipients"] == ["qa@example.org"]
    client.force_login(lead)
    page = client.get(reverse("letters:visit-detail", args=[letter.visit_id])).content.decode()
    assert "could not be sent" in page
    assert "qa@example.org" in page


class Refusing:
    """A mail backend whose server is down."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("the mail server is down")


def test_a_failed_notification_is_sent_again_once_the_server_is_back(
    settings, django_capture_on_commit_callbacks
):
    """send_failed_notifications sends it, records it, and does not send it twice."""
    from django.core.management import call_command

    from audit.models import AuditEvent

    settings.MAILERS = {"default": {"BACKEND": "tests.letters.test_one_line_fields.Refusing"}}
    with django_capture_on_commit_callbacks(execute=True):
        _send("Letter approved: Fernshire", "Body.", ["lead@example.org"], about=None)
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    call_command("send_failed_notifications")
    call_command("send_failed_notifications")
    assert [m.subject for m in mail.outbox] == ["Letter approved: Fernshire"]
    assert AuditEvent.objects.filter(action="notification.sent").count() == 1


def test_the_letters_page_stops_warning_once_the_mail_is_sent(
    settings, django_capture_on_commit_callbacks
):
    """A failure that was sent since is no longer shown."""
    from django.core.management import call_command

    from letters.notifications import failed_notifications

    letter = letter_led_by(inspector_user())
    settings.MAILERS = {"default": {"BACKEND": "tests.letters.test_one_line_fields.Refusing"}}
    with django_capture_on_commit_callbacks(execute=True):
        _send("Letter approved: Fernshire", "Body.", ["lead@example.org"], about=letter)
    assert len(failed_notifications(letter)) == 1
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    call_command("send_failed_notifications")
    assert failed_notifications(letter) == []
