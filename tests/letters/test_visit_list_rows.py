"""An inspector's visit list, read a page at a time (letters.selectors.InspectorVisitRows):
the SQL the ORM built once a process, run with each inspector's id, offset and limit."""

import datetime

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from inspections.models import TeamMember
from letters.selectors import visits_of_inspector
from tests.factories import (
    InspectorFactory,
    TeamMemberFactory,
    UserFactory,
    VisitFactory,
    force_status,
    inspector_user,
    letter_led_by,
)

pytestmark = pytest.mark.django_db


def visit_on(user, *, start, role=TeamMember.Role.INSPECTOR):
    visit = VisitFactory(start_date=start, end_date=start)
    TeamMemberFactory(visit=visit, inspector=user.inspector, role=role)
    return visit


def test_the_count_is_the_inspectors_visits_and_no_others():
    user = inspector_user()
    for day in range(1, 4):
        visit_on(user, start=datetime.date(2025, 1, day))
    visit_on(inspector_user("colleague", "Sam Whitlow"), start=datetime.date(2025, 2, 1))
    assert visits_of_inspector(user=user).count() == 3


def test_pages_are_newest_first_and_do_not_overlap():
    user = inspector_user()
    made = [visit_on(user, start=datetime.date(2025, 1, day)).pk for day in range(1, 6)]
    rows = visits_of_inspector(user=user)
    pages = [[row["pk"] for row in rows[start : start + 2]] for start in (0, 2, 4)]
    assert pages == [made[4:2:-1], made[2:0:-1], made[:1]]


def test_a_paginator_reads_the_rows():
    user = inspector_user()
    for day in range(1, 4):
        visit_on(user, start=datetime.date(2025, 1, day))
    page = Paginator(visits_of_inspector(user=user), 2).get_page(2)
    assert page.paginator.num_pages == 2
    assert [row["start_date"] for row in page.object_list] == [datetime.date(2025, 1, 1)]


def test_a_row_has_the_visits_authority_lead_and_letter():
    user = inspector_user()
    letter = letter_led_by(user)
    force_status(letter, "in_review", submitted_at=timezone.now())
    [row] = visits_of_inspector(user=user)[0:20]
    assert row["authority_name"] == letter.visit.authority.name
    assert row["authority_id"] == letter.visit.authority_id
    assert row["lead_name"] == "Robin Ashdown"
    assert row["letter_status"] == "in_review"


def test_times_are_read_aware_as_the_orm_reads_them():
    """SQLite gives plain SQL's times naive; the rows hold them as the ORM would."""
    user = inspector_user()
    submitted = timezone.now().replace(microsecond=0)
    force_status(letter_led_by(user), "in_review", submitted_at=submitted)
    [row] = visits_of_inspector(user=user)[0:1]
    assert timezone.is_aware(row["letter_submitted_at"])
    assert row["letter_submitted_at"] == submitted


def test_a_visit_without_a_letter_or_lead_is_listed():
    user = inspector_user()
    visit_on(user, start=datetime.date(2025, 1, 1))
    [row] = visits_of_inspector(user=user)[0:20]
    assert row["letter_status"] is None
    assert row["lead_name"] is None


def test_a_user_who_is_no_inspector_has_an_empty_list():
    rows = visits_of_inspector(user=UserFactory())
    assert rows.count() == 0
    assert rows[0:20] == []


def test_an_inspector_on_no_team_has_an_empty_list():
    InspectorFactory()
    user = inspector_user()
    assert visits_of_inspector(user=user).count() == 0


def test_rows_are_read_by_slices_only():
    with pytest.raises(TypeError):
        visits_of_inspector(user=inspector_user())[0]


def sql_of(action):
    with CaptureQueriesContext(connection) as queries:
        action()
    return [query["sql"] for query in queries.captured_queries]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements: PostgreSQL")
def test_on_postgresql_a_page_is_planned_once_a_connection():
    user = inspector_user()
    visit_on(user, start=datetime.date(2025, 1, 1))
    visits_of_inspector(user=user)[0:20]
    rows = visits_of_inspector(user=user)  # another list, on the same connection
    again = sql_of(lambda: rows[0:20])
    assert [sql.split()[0] for sql in again] == ["EXECUTE"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM pg_prepared_statements")
        assert "letters_visit_list_20_0" in {name for (name,) in cursor.fetchall()}


def test_with_prepared_statements_off_the_query_runs_as_it_is(settings):
    settings.DB_PREPARED_STATEMENTS = False
    user = inspector_user()
    visit_on(user, start=datetime.date(2025, 1, 1))
    rows = visits_of_inspector(user=user)
    [sql] = sql_of(lambda: rows[0:20])
    assert sql.startswith("SELECT")
    assert "LIMIT 20 OFFSET 0" in sql


def test_a_page_read_first_brings_the_count_with_it():
    user = inspector_user()
    for day in range(1, 4):
        visit_on(user, start=datetime.date(2025, 1, day))
    rows = visits_of_inspector(user=user)
    assert len(sql_of(lambda: rows.read_page("2", 2))) == 1
    assert sql_of(lambda: rows.count()) == []
    assert rows.count() == 3


def test_a_page_past_the_end_leaves_the_count_to_its_own_query():
    user = inspector_user()
    visit_on(user, start=datetime.date(2025, 1, 1))
    rows = visits_of_inspector(user=user)
    assert rows.read_page(5, 20) == []
    assert rows.count() == 1


@pytest.mark.parametrize("number", [None, "", "abc", "0", "-3"])
def test_anything_not_a_page_number_reads_the_first_page(number):
    user = inspector_user()
    visit_on(user, start=datetime.date(2025, 1, 1))
    [row] = visits_of_inspector(user=user).read_page(number, 20)
    assert row["start_date"] == datetime.date(2025, 1, 1)


def test_the_paginator_uses_the_page_already_read():
    user = inspector_user()
    for day in range(1, 4):
        visit_on(user, start=datetime.date(2025, 1, day))
    rows = visits_of_inspector(user=user)
    rows.read_page("2", 2)
    assert sql_of(lambda: list(Paginator(rows, 2).get_page("2").object_list)) == []


def test_a_page_number_too_large_for_the_database_shows_the_last_page(client):
    user = inspector_user()
    visit_on(user, start=datetime.date(2025, 1, 1))
    client.force_login(user)
    response = client.get("/visits/", {"page": "9" * 30})
    assert response.status_code == 200
    assert response.context["page"].number == 1
    assert len(response.context["page"].object_list) == 1


def test_only_the_first_pages_are_prepared_statements():
    """However many pages are asked for, a connection keeps PREPARED_PAGES statements a
    page length at most; pages after those run as they are."""
    user = inspector_user()
    for day in range(1, 16):
        visit_on(user, start=datetime.date(2025, 1, day))
    for number in range(1, 16):
        visits_of_inspector(user=user).read_page(number, 1)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT name FROM pg_prepared_statements")
            names = {
                name for (name,) in cursor.fetchall() if name.startswith("letters_visit_list_1_")
            }
        assert names == {f"letters_visit_list_1_{offset}" for offset in range(10)}
    assert [row["start_date"].day for row in visits_of_inspector(user=user)[11:13]] == [4, 3]
