import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import inspector_user, letter_led_by


@pytest.fixture
def inspector():
    return inspector_user()


@pytest.fixture
def letter(inspector):
    return letter_led_by(inspector)


@pytest.fixture
def client_of():
    def signed_in(user):
        client = Client()
        client.force_login(user)
        return client

    return signed_in


@pytest.fixture
def item(letter):
    return letter.sections.order_by("position").first().items.order_by("position").first()


@pytest.fixture
def item_url(letter, item):
    return reverse("letters:item-edit", args=[letter.visit_id, item.pk])


def item_fields(item, **changes):
    """The item form's fields as a browser posts them."""
    return {
        "text": item.text,
        "style": item.style,
        "cross_reference": item.cross_reference,
        "footnote": item.footnote,
        "revision": str(item.revision),
        **changes,
    }
