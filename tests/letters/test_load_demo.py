from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from letters.models import Letter, PublishedVersion
from letters.register.selectors import register_entries, with_themes

pytestmark = pytest.mark.django_db


def load_demo():
    call_command("load_demo", stdout=StringIO())


def test_load_demo_fills_the_register_over_authorities_themes_and_years():
    """load_demo publishes enough letters for the register's filters to show something:
    authorities (fictional) in several regions, themes, years, priority actions."""
    load_demo()
    entries = list(with_themes(register_entries()))
    assert len(entries) >= 10
    assert len({entry.authority_id for entry in entries}) >= 3
    assert len({entry.authority.region for entry in entries} - {""}) >= 3
    assert len({theme.pk for entry in entries for theme in entry.standard_themes}) >= 3
    assert len({entry.year for entry in entries}) >= 3
    assert any(entry.has_priority_actions for entry in entries)


def test_load_demo_twice_publishes_no_more_letters():
    """Running load_demo again adds no letters, versions or register entries."""
    load_demo()
    counts = (Letter.objects.count(), PublishedVersion.objects.count(), register_entries().count())
    load_demo()
    assert (
        Letter.objects.count(),
        PublishedVersion.objects.count(),
        register_entries().count(),
    ) == counts


def test_the_public_register_page_lists_the_demo_letters(client):
    """After load_demo, the public register shows the demo's authorities to anyone."""
    load_demo()
    response = client.get(reverse("letters:register"))
    assert response.status_code == 200
    for authority in ("Eastmarsh", "Dervenford", "Tynemouth Reach", "Severnport"):
        assert f"Focused visit to {authority} children" in response.content.decode()
