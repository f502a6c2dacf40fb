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


@pytest.mark.parametrize(
    "name,args,under,under_args,suffix",
    [
        ("letters:visit-detail", [12], "letters:visit-list", [], "12/"),
        ("letters:section-move", [12, 345], "letters:section-edit", [12, 345], "move/"),
        ("letters:section-delete", [12, 345], "letters:section-edit", [12, 345], "delete/"),
        ("letters:item-add", [12, 345], "letters:section-edit", [12, 345], "items/new/"),
        ("letters:item-edit", [12, 345], "letters:letter-editor", [12], "items/345/"),
        ("letters:item-move", [12, 345], "letters:letter-editor", [12], "items/345/move/"),
        ("letters:item-delete", [12, 345], "letters:letter-editor", [12], "items/345/delete/"),
        ("letters:section-edit", [12, 345], "letters:letter-editor", [12], "sections/345/"),
        ("letters:section-paste", [12, 345], "letters:section-edit", [12, 345], "paste/"),
        ("letters:section-add", [12], "letters:letter-editor", [12], "sections/new/"),
        ("letters:section-paste-new", [12], "letters:letter-editor", [12], "sections/paste/"),
        ("letters:letter-import", [12], "letters:letter-editor", [12], "import/"),
        ("letters:letter-checks", [12], "letters:letter-editor", [12], "checks/"),
        ("letters:letter-draft-pdf", [12], "letters:letter-editor", [12], "draft.pdf"),
        ("letters:letter-preview", [12], "letters:letter-editor", [12], "preview/"),
        ("letters:letter-correct", [12], "letters:letter-editor", [12], "correct/"),
        ("letters:letter-opening", [12], "letters:letter-editor", [12], "opening/"),
        ("letters:letter-template", [12], "letters:letter-editor", [12], "template/"),
        ("letters:letter-closing", [12], "letters:letter-editor", [12], "closing/"),
    ],
)
def test_the_lists_links_are_under_a_url_reversed_once(name, args, under, under_args, suffix):
    """The visit list and the editor reverse one URL and write these pages' URLs as that
    URL and a suffix, not reversing each row's (templates/letters/visits/visit_list.html,
    templates/letters/drafting/editor.html)."""
    assert reverse(name, args=args) == reverse(under, args=under_args) + suffix
