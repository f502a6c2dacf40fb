"""Refused requests are audited, but cannot flood the append-only log."""

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from tests.factories import inspector_user, letter_led_by

pytestmark = pytest.mark.django_db


@pytest.fixture
def stranger(client):
    """An inspector on no visit's team, signed in."""
    user = inspector_user(username="stranger", full_name="Sol Stranger")
    client.force_login(user)
    return user


def refusals():
    return AuditEvent.objects.filter(action="access.refused").count()


def test_a_refusal_is_recorded(client, stranger):
    """Opening another team's draft is refused (404) and audited once."""
    letter = letter_led_by(inspector_user())
    client.get(reverse("letters:letter-editor", args=[letter.visit_id]))
    assert refusals() == 1


def test_a_repeated_refusal_is_written_once(client, stranger):
    """The same refused page a hundred times writes one event."""
    letter = letter_led_by(inspector_user())
    url = reverse("letters:letter-editor", args=[letter.visit_id])
    for _ in range(100):
        assert client.get(url).status_code == 404
    assert refusals() == 1


def test_one_users_refusals_are_limited_per_minute(client, stranger, settings):
    """Many different refused pages in a minute write at most the limit."""
    settings.AUDIT_REFUSALS_PER_MINUTE = 5
    letters = [letter_led_by(inspector_user(f"lead{n}", f"Lead {n}")) for n in range(8)]
    for letter in letters:
        client.get(reverse("letters:letter-editor", args=[letter.visit_id]))
    assert refusals() == 5


def test_another_users_refusals_have_their_own_limit(client, stranger, settings):
    """One user at the limit does not silence another's refusals."""
    settings.AUDIT_REFUSALS_PER_MINUTE = 1
    letters = [letter_led_by(inspector_user(f"lead{n}", f"Lead {n}")) for n in range(2)]
    for letter in letters:
        client.get(reverse("letters:letter-editor", args=[letter.visit_id]))
    client.force_login(inspector_user(username="other", full_name="Oz Other"))
    client.get(reverse("letters:letter-editor", args=[letters[0].visit_id]))
    assert refusals() == 2
