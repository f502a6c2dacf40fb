"""Deadlines on each role's start page, the QA managers' letters in flight (sorted without
JavaScript), the letter's timeline, and what they cost in queries."""

import datetime
import html as html_text
import re

import pytest
from django.urls import reverse

from accounts import roles
from inspections.models import AuthorityUser, PublicationPause
from letters import clock, deadlines
from letters.models import Letter
from tests.factories import (
    LocalAuthorityFactory,
    UserFactory,
    complete_letter,
    force_status,
    inspector_user,
    letter_led_by,
    qa_manager_user,
)
from tests.letters.test_query_counts import SIGNED_IN, queries_of

pytestmark = pytest.mark.django_db

D = datetime.date
S = Letter.Status
# The factories' visits end on Wednesday 6 March 2024: the letter is due for quality
# assurance 10 working days later, on Wednesday 20 March.
SUBMISSION_DUE = D(2024, 3, 20)


@pytest.fixture
def today(monkeypatch):
    """Set the day every deadline is counted from."""

    def set_day(day):
        monkeypatch.setattr(clock, "today", lambda: day)

    set_day(D(2024, 3, 11))
    return set_day


def at(day):
    return datetime.datetime.combine(day, datetime.time(10), tzinfo=datetime.UTC)


def authority_user(authority, username="la"):
    user = UserFactory(username=username)
    roles.grant(user, roles.AUTHORITY_USER)
    AuthorityUser.objects.create(user=user, authority=authority)
    return user


def rows(response):
    """The table body's rows, as text without tags and runs of spaces."""
    body = response.content.decode().split('<tbody class="govuk-table__body">', 1)[1]
    body = body.split("</tbody>", 1)[0]
    return [
        " ".join(html_text.unescape(re.sub(r"<[^>]+>", " ", row)).split())
        for row in body.split("</tr>")
        if "<t" in row
    ]


@pytest.mark.parametrize(
    "day,words,colour",
    [
        (D(2024, 3, 11), "On track", "govuk-tag--green"),
        (D(2024, 3, 18), "Due soon", "govuk-tag--yellow"),
        (D(2024, 3, 21), "Overdue", "govuk-tag--red"),
    ],
)
def test_the_visit_list_shows_each_letters_next_deadline_with_its_tag(
    client, today, day, words, colour
):
    """The inspector's visits: the next deadline's step, date, working days left and a
    tag in words and colour."""
    today(day)
    user = inspector_user()
    letter_led_by(user)
    client.force_login(user)
    response = client.get(reverse("letters:visit-list"))
    html = response.content.decode()
    assert "Next deadline</th>" in html
    assert f'<strong class="govuk-tag {colour}">{words}</strong>' in html
    (row,) = rows(response)
    assert "Letter submitted for quality assurance: 20 Mar 2024" in row
    assert "The visit's team" in row


def test_the_visit_list_counts_working_days_left(client, today):
    """On Monday 11 March, 7 working days are left to Wednesday 20 March."""
    user = inspector_user()
    letter_led_by(user)
    client.force_login(user)
    (row,) = rows(client.get(reverse("letters:visit-list")))
    assert "7 working days left On track" in row


def test_the_visit_list_counts_a_pause_out_of_the_working_days(client, today):
    """A national pause over 12 to 14 March moves the target to 25 March."""
    PublicationPause.objects.create(
        start_date=D(2024, 3, 12), end_date=D(2024, 3, 14), kind="other", reason="Test"
    )
    user = inspector_user()
    letter_led_by(user)
    client.force_login(user)
    (row,) = rows(client.get(reverse("letters:visit-list")))
    assert "25 Mar 2024" in row and "7 working days left" in row


def test_a_pause_declared_after_the_list_was_seen_counts_on_the_next_view(client, today):
    """The list remembers what it worked out, but a pause saved since counts at once."""
    user = inspector_user()
    letter_led_by(user)
    client.force_login(user)
    (before,) = rows(client.get(reverse("letters:visit-list")))
    PublicationPause.objects.create(
        start_date=D(2024, 3, 12), end_date=D(2024, 3, 14), kind="other", reason="Test"
    )
    (after,) = rows(client.get(reverse("letters:visit-list")))
    assert "20 Mar 2024" in before
    assert "25 Mar 2024" in after


def test_the_next_day_the_list_counts_from_the_next_day(client, today):
    """What the list remembers is for the day it was worked out on."""
    user = inspector_user()
    letter_led_by(user)
    client.force_login(user)
    (monday,) = rows(client.get(reverse("letters:visit-list")))
    today(D(2024, 3, 12))
    (tuesday,) = rows(client.get(reverse("letters:visit-list")))
    assert "7 working days left" in monday
    assert "6 working days left" in tuesday


def test_a_list_seen_again_works_nothing_out_again(client, today, monkeypatch):
    """The second view of the same list takes each next deadline and row as made."""
    user = inspector_user()
    letter_led_by(user)
    client.force_login(user)
    first = rows(client.get(reverse("letters:visit-list")))
    worked_out = []
    original = deadlines._next_step_of
    monkeypatch.setattr(
        deadlines, "_next_step_of", lambda *a, **k: worked_out.append(1) or original(*a, **k)
    )
    assert rows(client.get(reverse("letters:visit-list"))) == first
    assert worked_out == []


def test_a_changed_letter_shows_changed_on_the_list(client, today):
    """A row is made again once anything it shows has changed: here the letter's state."""
    user = inspector_user()
    letter = letter_led_by(user)
    client.force_login(user)
    (draft,) = rows(client.get(reverse("letters:visit-list")))
    force_status(letter, S.IN_REVIEW, submitted_at=at(D(2024, 3, 11)))
    (in_review,) = rows(client.get(reverse("letters:visit-list")))
    assert "Draft" in draft and "Letter submitted for quality assurance" in draft
    assert "In QA review" in in_review and "Quality assurance decision" in in_review


def test_a_published_letter_has_no_next_deadline_on_the_visit_list(client, today):
    """Once published, the row says None."""
    user = inspector_user()
    force_status(letter_led_by(user), S.PUBLISHED)
    client.force_login(user)
    (row,) = rows(client.get(reverse("letters:visit-list")))
    assert row.endswith("Published None")


def test_the_review_queue_shows_the_qa_decision_deadline(client, today):
    """The QA manager's queue: the decision due 5 working days after submission."""
    letter = force_status(
        complete_letter(),
        S.IN_REVIEW,
        submitted_at=datetime.datetime(2024, 3, 8, 10, tzinfo=datetime.UTC),
    )
    assert letter.status == S.IN_REVIEW
    client.force_login(qa_manager_user())
    (row,) = rows(client.get(reverse("letters:review-queue")))
    assert "Quality assurance decision: 15 Mar 2024" in row
    assert "4 working days left On track" in row


def in_flight(**visit):
    """Letters in four states, soonest deadline last-made."""
    published = force_status(complete_letter(authority__name="Published-shire"), S.PUBLISHED)
    late = force_status(
        complete_letter(authority__name="Ashby", start_date=D(2024, 1, 8), end_date=D(2024, 1, 9)),
        S.DRAFT,
    )
    checking = force_status(
        complete_letter(authority__name="Burnham"), S.FACTUAL_ACCURACY, fa_deadline=D(2024, 3, 13)
    )
    final = force_status(
        complete_letter(authority__name="Cowley"), S.FINAL, publication_date=D(2024, 4, 3)
    )
    return published, late, checking, final


def test_letters_in_flight_lists_every_unpublished_letter_soonest_deadline_first(client, today):
    """Every letter not yet published, by next deadline: overdue first, published absent."""
    in_flight()
    client.force_login(qa_manager_user())
    response = client.get(reverse("letters:letters-in-flight"))
    listed = rows(response)
    assert [row.split()[0] for row in listed] == ["Ashby", "Burnham", "Cowley"]
    assert "Overdue" in listed[0] and "Due soon" in listed[1] and "On track" in listed[2]
    assert "Factual accuracy deadline: 13 Mar 2024" in listed[1]
    assert "The local authority" in listed[1]
    assert "Published-shire" not in response.content.decode()
    assert 'aria-sort="ascending"' in response.content.decode()


@pytest.mark.parametrize(
    "sort,order,aria",
    [
        ("deadline", ["Ashby", "Burnham", "Cowley"], "ascending"),
        ("deadline-latest", ["Cowley", "Burnham", "Ashby"], "descending"),
        ("authority", ["Ashby", "Burnham", "Cowley"], "ascending"),
        ("nonsense", ["Ashby", "Burnham", "Cowley"], "ascending"),
    ],
)
def test_letters_in_flight_sort_by_the_sort_parameter(client, today, sort, order, aria):
    """?sort= orders the table without JavaScript, and the header says which way."""
    in_flight()
    client.force_login(qa_manager_user())
    response = client.get(reverse("letters:letters-in-flight"), {"sort": sort})
    assert [row.split()[0] for row in rows(response)] == order
    assert f'aria-sort="{aria}"' in response.content.decode()


def test_the_deadline_header_turns_the_order_round(client, today):
    """Sorted soonest first, the header links to latest first, and back."""
    in_flight()
    client.force_login(qa_manager_user())
    url = reverse("letters:letters-in-flight")
    assert f'href="{url}?sort=deadline-latest"' in client.get(url).content.decode()
    latest = client.get(url, {"sort": "deadline-latest"}).content.decode()
    assert f'href="{url}?sort=deadline"' in latest


def test_letters_in_flight_is_for_qa_managers(client):
    """An inspector is refused."""
    client.force_login(inspector_user())
    assert client.get(reverse("letters:letters-in-flight")).status_code == 403


def test_the_qa_navigation_links_to_letters_in_flight(client):
    """The QA manager's menu has Letters in flight."""
    client.force_login(qa_manager_user())
    html = client.get(reverse("letters:review-queue")).content.decode()
    assert f'href="{reverse("letters:letters-in-flight")}">Letters in flight</a>' in html


def test_the_authority_sees_its_own_letters_deadlines_only(client, today):
    """Its factual accuracy deadline and its publication date; another authority's
    letter is not there."""
    fernshire = LocalAuthorityFactory(name="Fernshire")
    force_status(
        complete_letter(authority=fernshire), S.FACTUAL_ACCURACY, fa_deadline=D(2024, 3, 13)
    )
    force_status(complete_letter(authority=fernshire), S.FINAL, publication_date=D(2024, 4, 3))
    force_status(
        complete_letter(authority__name="Elsewhere"), S.FACTUAL_ACCURACY, fa_deadline=D(2024, 3, 12)
    )
    client.force_login(authority_user(fernshire))
    listed = rows(client.get(reverse("letters:authority-letters")))
    assert len(listed) == 2
    assert "Factual accuracy deadline: 13 Mar 2024" in listed[0] and "Due soon" in listed[0]
    assert "Publication: 3 Apr 2024" in listed[1] and "On track" in listed[1]
    assert "12 Mar 2024" not in " ".join(listed)


def test_the_visit_page_shows_the_letters_timeline(client, today):
    """Past and future dates in order, done steps marked with the day they were taken."""
    user = inspector_user()
    letter = force_status(
        letter_led_by(user),
        S.IN_REVIEW,
        submitted_at=datetime.datetime(2024, 3, 8, 10, tzinfo=datetime.UTC),
    )
    client.force_login(user)
    html = client.get(reverse("letters:visit-detail", args=[letter.visit_id])).content.decode()
    timeline = html.split('id="dates"', 1)[1].split("</dl>", 1)[0]
    text = " ".join(re.sub(r"<[^>]+>", " ", timeline).split())
    labels = [
        "Last day on site",
        "Letter submitted for quality assurance",
        "Quality assurance decision",
        "Sent to the local authority for factual accuracy check",
        "Factual accuracy deadline",
        "Final letter signed off",
        "Publication target",
    ]
    positions = [text.index(label) for label in labels]
    assert positions == sorted(positions)
    assert "Wednesday 6 March 2024" in text
    assert "Done on 8 March 2024" in text
    assert "Friday 15 March 2024 4 working days left On track" in text
    # 21 working days after 6 March, Good Friday and Easter Monday skipped.
    assert "Monday 8 April 2024" in text


def test_the_review_page_shows_the_timeline(client, today):
    """The QA manager reads the same dates on the review page."""
    letter = force_status(complete_letter(), S.IN_REVIEW)
    client.force_login(qa_manager_user())
    html = client.get(reverse("letters:review-letter", args=[letter.visit_id])).content.decode()
    assert 'id="dates"' in html and "Quality assurance decision" in html


# What the pages cost.


def test_letters_in_flight_costs_the_same_for_3_letters_and_for_30(client, today):
    """The letters (visit and authority with them) and the pauses: never one a letter."""
    client.force_login(qa_manager_user())
    url = reverse("letters:letters-in-flight")
    for _ in range(3):
        force_status(complete_letter(), S.IN_REVIEW)
    with_3 = queries_of(client, url)
    for _ in range(27):
        force_status(complete_letter(), S.FACTUAL_ACCURACY, fa_deadline=D(2024, 3, 13))
    assert queries_of(client, url) == with_3
    assert with_3 <= SIGNED_IN + 2


def test_the_authority_letters_page_costs_the_same_for_1_letter_and_for_10(client, today):
    """The authority's letters before publication and their deadlines: no query a letter."""
    fernshire = LocalAuthorityFactory()
    client.force_login(authority_user(fernshire))
    url = reverse("letters:authority-letters")
    force_status(
        complete_letter(authority=fernshire), S.FACTUAL_ACCURACY, fa_deadline=D(2024, 3, 13)
    )
    with_1 = queries_of(client, url)
    for _ in range(9):
        force_status(complete_letter(authority=fernshire), S.FINAL, publication_date=D(2024, 4, 3))
    assert queries_of(client, url) == with_1
