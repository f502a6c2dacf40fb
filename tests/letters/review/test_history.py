"""The letter's history reads in words, with people by name."""

import pytest

from audit.models import AuditEvent
from letters.drafting import services as drafting
from letters.review.history import history
from tests.factories import UserFactory, inspector_user, letter_led_by

pytestmark = pytest.mark.django_db


def sentences():
    return [row["sentence"] for row in history(AuditEvent.objects.order_by("pk"))]


def test_an_edit_names_the_inspector_and_the_fields():
    """An item's change reads 'Robin Ashdown changed an item: text'."""
    lead = inspector_user()
    letter = letter_led_by(lead)
    item = letter.sections.first().items.first()
    drafting.item_update(item=item, by=lead, based_on=1, values={"text": "New words."})
    assert sentences() == ["Robin Ashdown changed an item: text"]


def test_a_user_without_an_inspector_record_is_named_by_their_name():
    """Anyone else by their full name, and the portal itself as 'The portal'."""
    from audit.services import record

    record("letter.approve", by=UserFactory(first_name="Jo", last_name="Admin"))
    record("letter.import", source="letter.pdf")
    assert sentences() == [
        "Jo Admin approved the letter",
        "The portal imported the letter from letter.pdf",
    ]
