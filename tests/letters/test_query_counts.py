"""Each page's number of database queries does not grow with visits, sections or items."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import (
    FocusAreaFactory,
    InspectorFactory,
    ItemFactory,
    SectionFactory,
    TeamMemberFactory,
    VisitFocusAreaFactory,
    inspector_user,
    letter_led_by,
)

PAGES = [
    ("letters:visit-list", False),
    ("letters:visit-detail", True),
    ("letters:visit-edit", True),
    ("letters:visit-recipient", True),
    ("letters:visit-team", True),
    ("letters:visit-focus-areas", True),
    ("letters:letter-editor", True),
    ("letters:letter-opening", True),
    ("letters:letter-closing", True),
    ("letters:letter-preview", True),
    ("letters:letter-checks", True),
    ("letters:section-add", True),
]


def build(user, *, visits, sections, items, team, areas):
    """The inspector's visits; the last one has the given size."""
    for _ in range(visits - 1):
        letter_led_by(user)
    letter = letter_led_by(user)
    visit = letter.visit
    for _ in range(team):
        TeamMemberFactory(visit=visit, inspector=InspectorFactory())
    for _ in range(areas):
        VisitFocusAreaFactory(visit=visit, focus_area=FocusAreaFactory())
    for s in range(sections):
        section = SectionFactory(letter=letter, position=10 + s, heading=f"Section {s}")
        for i in range(items):
            ItemFactory(section=section, position=i + 1)
    return letter


def count(client, name, letter, with_pk):
    url = reverse(name, args=[letter.visit.pk] if with_pk else [])
    client.get(url)  # warm caches that are per process, not per request
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.django_db
@pytest.mark.parametrize("name,with_pk", PAGES, ids=[name for name, _ in PAGES])
def test_queries_do_not_grow_with_data(client, name, with_pk):
    """The same page costs the same number of queries for a small and a large letter."""
    small_user = inspector_user("small", "Small Inspector")
    small = build(small_user, visits=1, sections=0, items=0, team=0, areas=0)
    large_user = inspector_user("large", "Large Inspector")
    large = build(large_user, visits=25, sections=8, items=12, team=4, areas=5)
    client.force_login(small_user)
    small_count = count(client, name, small, with_pk)
    client.force_login(large_user)
    large_count = count(client, name, large, with_pk)
    assert large_count == small_count, f"{name}: {small_count} queries, then {large_count}"
