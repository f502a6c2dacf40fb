import pytest
from django.urls import reverse

from tests.factories import inspector_user, letter_led_by

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path",
    [
        "/visits/99999999999999999999/",
        "/visits/1/letter/items/99999999999999999999/",
        "/letters/123456789012345678901234567890/pdf/",
        "/review/99999999999999999999/",
    ],
)
def test_an_id_out_of_range_is_not_found(client, path):
    """An id no database column can hold answers 404, not a server error."""
    client.force_login(inspector_user())
    assert client.get(path).status_code == 404


def test_the_largest_id_a_url_carries_still_resolves(client):
    """Ids of up to 18 digits reach the view (which then finds no such visit)."""
    lead = inspector_user()
    letter = letter_led_by(lead)
    client.force_login(lead)
    assert client.get(reverse("letters:visit-detail", args=[letter.visit_id])).status_code == 200
    assert client.get("/visits/999999999999999999/").status_code == 404
