"""Each page's number of database queries does not grow with visits, sections or items."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from inspections.models import TeamMember
from letters.models import Comment, Letter
from tests.factories import (
    FocusAreaFactory,
    InspectorFactory,
    ItemFactory,
    SectionFactory,
    TeamMemberFactory,
    UserFactory,
    VisitFactory,
    VisitFocusAreaFactory,
    complete_letter,
    force_status,
    inspector_user,
    letter_led_by,
    qa_manager_user,
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


# What every signed-in page costs before its own queries: the session and the user, who
# arrives with the Inspector record, the authority and the roles in one query
# (accounts.backends). At most: a session store in a cache costs no query at all.
SIGNED_IN = 2


def queries_of(client, url):
    client.get(url)  # warm caches that are per process, not per request
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def visit_without_letter(user):
    visit = VisitFactory()
    TeamMemberFactory(visit=visit, inspector=user.inspector, role=TeamMember.Role.LEAD)
    return visit


@pytest.mark.django_db
def test_the_visit_list_costs_the_same_for_3_visits_and_for_30(client):
    """The list's own queries are its page of visits (with the count of them all, the
    authority, the letter with the dates its deadlines count from, and the lead inspector)
    and the publication pauses: never one more a visit."""
    user = inspector_user()
    for _ in range(2):
        letter_led_by(user)
    visit_without_letter(user)
    client.force_login(user)
    url = reverse("letters:visit-list")
    with_3 = queries_of(client, url)
    colleague = inspector_user("colleague", "Sam Whitlow")
    for _ in range(26):  # led by a colleague, with the user on the team
        visit = letter_led_by(colleague).visit
        TeamMemberFactory(visit=visit, inspector=user.inspector)
    visit_without_letter(user)
    with_30 = queries_of(client, url)
    assert with_30 == with_3, f"{with_3} queries for 3 visits, {with_30} for 30"
    assert queries_of(client, f"{url}?page=2") == with_3
    assert with_30 <= SIGNED_IN + 2


def comment_on(letter, item=None, *, resolved=False):
    author = UserFactory()
    return Comment.objects.create(
        letter=letter,
        item=item,
        item_text=item.text if item else "",
        author=author,
        text="Say more about this.",
        resolved_at=timezone.now() if resolved else None,
        resolved_by=author if resolved else None,
    )


@pytest.mark.django_db
@pytest.mark.parametrize("status", [Letter.Status.DRAFT, Letter.Status.IN_REVIEW])
def test_the_editor_costs_the_same_for_any_number_of_sections_items_and_comments(client, status):
    """The editor's own queries: the letter with its visit, its authority and whether it
    has open comments, the team, the sections with their items (one query) and the open
    comments (each with its author)."""
    counts = []
    for size in (1, 8):
        user = inspector_user(f"size{size}", f"Inspector {size}")
        letter = letter_led_by(user)
        for s in range(size):
            section = SectionFactory(letter=letter, position=10 + s, heading=f"Section {s}")
            for i in range(size * 2):
                item = ItemFactory(section=section, position=i + 1)
                if i % 3 == 0:
                    comment_on(letter, item)
                    comment_on(letter, item, resolved=True)
            comment_on(letter)
        for _ in range(size):
            TeamMemberFactory(visit=letter.visit, inspector=InspectorFactory())
        letter = force_status(letter, status)
        client.force_login(user)
        counts.append(queries_of(client, reverse("letters:letter-editor", args=[letter.visit_id])))
    assert counts[0] == counts[1], f"{counts} queries for 1 and 8 sections"
    assert counts[0] <= SIGNED_IN + 4


@pytest.mark.django_db
def test_the_editor_asks_for_no_comments_when_none_is_open(client):
    """A letter whose comments are all resolved costs one query fewer than one with an
    open comment: the letter's own query says whether it has any."""
    user = inspector_user()
    letter = letter_led_by(user)
    comment_on(letter, resolved=True)
    client.force_login(user)
    url = reverse("letters:letter-editor", args=[letter.visit_id])
    without = queries_of(client, url)
    comment_on(letter)
    assert queries_of(client, url) == without + 1


@pytest.mark.django_db
def test_the_review_queue_costs_the_same_for_3_letters_and_for_30(client):
    """The QA manager's list: one query for the letters awaiting review (visit, authority
    and QA manager with them), one for those awaiting publication, one for the publication
    pauses (the next deadlines); never one a letter."""
    qa = qa_manager_user()
    client.force_login(qa)
    url = reverse("letters:review-queue")

    def add(count):
        for _ in range(count):
            force_status(complete_letter(), Letter.Status.IN_REVIEW)

    add(2)
    force_status(complete_letter(), Letter.Status.APPROVED)
    with_3 = queries_of(client, url)
    add(25)
    for _ in range(2):
        force_status(complete_letter(), Letter.Status.APPROVED)
    with_30 = queries_of(client, url)
    assert with_30 == with_3, f"{with_3} queries for 3 letters, {with_30} for 30"
    assert with_30 <= SIGNED_IN + 2
