"""The focus-area picker: the standard ILACS themes and the catalogue, one in the
inspector's own words, the order they print in, and the words the letter prints."""

import importlib

import pytest
from django.apps import apps as django_apps
from django.urls import reverse

from audit.models import AuditEvent
from inspections.models import FocusArea, Visit, VisitFocusArea
from letters.models import Letter
from tests.factories import FocusAreaFactory, force_status, inspector_user, letter_led_by

pytestmark = pytest.mark.django_db

THEMES = [
    "Front door",
    "Children in need and child protection",
    "Children in care",
    "Care leavers",
    "Permanence",
    "Extra-familial risk",
    "Disabled children",
    "Pandemic arrangements",
]


@pytest.fixture
def inspector(client):
    user = inspector_user()
    client.force_login(user)
    return user


@pytest.fixture
def visit(inspector):
    visit = letter_led_by(inspector).visit
    VisitFocusArea.objects.filter(visit=visit).delete()
    return Visit.objects.get(pk=visit.pk)


def theme(name):
    return FocusArea.objects.get(name=name, is_standard=True)


def picker(visit):
    return reverse("letters:visit-focus-areas", args=[visit.pk])


def printed(visit):
    entries = VisitFocusArea.objects.filter(visit=visit).order_by("position", "pk")
    return [entry.printed_wording for entry in entries]


def test_the_standard_themes_exist_after_migrating():
    """The migrations add the eight ILACS themes, in order, each with printed words."""
    standard = FocusArea.objects.filter(is_standard=True).order_by("position")
    assert [area.name for area in standard] == THEMES
    assert all(area.wording.endswith(".") and area.is_active for area in standard)


def test_the_theme_migration_keeps_an_administrators_wording():
    """Run again over an area an administrator named like a theme, it marks it standard
    and keeps its words."""
    FocusArea.objects.filter(name="Permanence").update(
        is_standard=False, wording="Our permanence words."
    )
    migration = importlib.import_module("inspections.migrations.0004_standard_focus_areas")
    migration.add_themes(django_apps, None)
    area = FocusArea.objects.get(name="Permanence")
    assert area.is_standard and area.wording == "Our permanence words."


def test_the_picker_shows_each_themes_printed_words_as_a_hint(client, visit):
    """Each standard theme is a checkbox whose hint is the wording the letter prints."""
    page = client.get(picker(visit)).text
    front_door = theme("Front door")
    assert f'value="{front_door.pk}" aria-describedby="focus-area-{front_door.pk}-hint"' in page
    assert f"Prints: {front_door.wording}" in page
    assert "Standard ILACS themes" in page


def test_the_picker_saves_chosen_themes_and_own_words(client, visit):
    """Ticked themes and an own focus area are saved, the own one last, and printed."""
    response = client.post(
        picker(visit),
        {
            "focus_areas": [theme("Care leavers").pk, theme("Front door").pk],
            "own_wording": "  The support for  young carers. ",
            "revision": visit.revision,
        },
    )
    assert response.status_code == 302
    assert printed(visit) == [
        theme("Front door").wording,
        theme("Care leavers").wording,
        "The support for young carers.",
    ]
    own = FocusArea.objects.get(wording="The support for young carers.")
    assert not own.is_active and not own.is_standard
    assert AuditEvent.objects.filter(action="visit.focus_area_own").count() == 1


def test_an_own_focus_area_is_offered_to_its_visit_only(client, visit, inspector):
    """The own focus area is ticked on its visit's picker and not offered on another's."""
    client.post(
        picker(visit), {"own_wording": "The support for young carers.", "revision": visit.revision}
    )
    assert "The support for young carers." in client.get(picker(visit)).text
    other = letter_led_by(inspector).visit
    assert "The support for young carers." not in client.get(picker(other)).text


def test_a_move_button_saves_the_page_and_reorders(client, visit):
    """Move up puts an area before the one above it, keeps what was ticked, and comes
    back to the picker, whose printed list is in the new order."""
    client.post(
        picker(visit),
        {"focus_areas": [theme("Front door").pk, theme("Care leavers").pk], "revision": 1},
    )
    visit.refresh_from_db()
    care_leavers = VisitFocusArea.objects.get(visit=visit, focus_area=theme("Care leavers"))
    response = client.post(
        picker(visit),
        {
            "focus_areas": [theme("Front door").pk, theme("Care leavers").pk],
            "revision": visit.revision,
            "move": f"{care_leavers.pk}:up",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == picker(visit) + "#order"
    assert printed(visit) == [theme("Care leavers").wording, theme("Front door").wording]
    page = client.get(picker(visit)).text
    shown = page[page.index('id="printed-focus-areas"') :]
    assert shown.index("care leavers") < shown.index("front door")


def test_moving_the_first_area_up_changes_nothing(client, visit):
    """The first area cannot go higher: the order stays as it was."""
    client.post(
        picker(visit),
        {"focus_areas": [theme("Front door").pk, theme("Care leavers").pk], "revision": 1},
    )
    visit.refresh_from_db()
    first = VisitFocusArea.objects.filter(visit=visit).order_by("position").first()
    client.post(
        picker(visit),
        {
            "focus_areas": [theme("Front door").pk, theme("Care leavers").pk],
            "revision": visit.revision,
            "move": f"{first.pk}:up",
        },
    )
    assert printed(visit) == [theme("Front door").wording, theme("Care leavers").wording]


def test_the_page_shows_what_the_letter_prints(client, visit):
    """The printed list is the letter's lead-in and each area's words, in order."""
    VisitFocusArea.objects.create(visit=visit, focus_area=theme("Permanence"), position=0)
    page = client.get(picker(visit)).text
    shown = page[page.index('id="printed-focus-areas"') :]
    assert theme("Permanence").wording in shown
    assert "On this focused visit, inspectors examined the local authority" in shown


def test_the_catalogues_other_areas_are_offered(client, visit):
    """Active areas from the catalogue are offered beside the themes; retired ones not."""
    FocusAreaFactory(name="Young carers", wording="The support for young carers.")
    FocusAreaFactory(name="Retired", wording="An old area.", is_active=False)
    page = client.get(picker(visit)).text
    assert "Other focus areas" in page
    assert "Young carers" in page
    assert "An old area." not in page


def test_a_stale_save_keeps_the_choice_and_shows_theirs(client, visit, inspector):
    """A save based on an older revision writes nothing and shows both versions."""
    client.post(picker(visit), {"focus_areas": [theme("Front door").pk], "revision": 1})
    response = client.post(
        picker(visit),
        {"focus_areas": [theme("Permanence").pk], "own_wording": "Mine.", "revision": 1},
    )
    assert response.status_code == 200
    assert "Someone else saved a change" in response.text
    assert printed(visit) == [theme("Front door").wording]
    assert "Mine." in response.text


def test_another_inspectors_visit_is_not_found(client, inspector):
    """The picker of a visit the inspector is not on answers 404 and writes nothing."""
    other = letter_led_by(inspector_user("other", "Other Person")).visit
    assert client.get(picker(other)).status_code == 404
    response = client.post(picker(other), {"own_wording": "Sneaky.", "revision": other.revision})
    assert response.status_code == 404
    assert not FocusArea.objects.filter(wording="Sneaky.").exists()


def test_a_letter_in_review_keeps_its_focus_areas(client, visit):
    """While the letter is with quality assurance, a posted choice is not saved and the
    page shows what was typed (409)."""
    force_status(Letter.objects.get(visit=visit), Letter.Status.IN_REVIEW)
    response = client.post(
        picker(visit),
        {"focus_areas": [theme("Front door").pk], "own_wording": "Typed.", "revision": 1},
    )
    assert response.status_code == 409
    assert "Typed." in response.text
    assert printed(visit) == []
    assert not FocusArea.objects.filter(wording="Typed.").exists()
