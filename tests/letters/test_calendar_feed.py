"""The calendar feed of a user's deadlines: its address (shown once, renewed, stopped, all
audited) and its content (iCalendar, only what that user may see now)."""

import datetime

import icalendar
import pytest
from django.test import Client
from django.urls import reverse

from accounts import feeds, roles
from accounts.models import FeedToken
from audit.models import AuditEvent
from inspections.models import AuthorityUser, TeamMember
from letters import clock
from letters.follow_up.models import FollowUp
from letters.models import Letter
from tests.factories import (
    LocalAuthorityFactory,
    TeamMemberFactory,
    UserFactory,
    complete_letter,
    force_status,
    inspector_user,
    letter_led_by,
    qa_manager_user,
)
from tests.letters.test_query_counts import queries_of

pytestmark = pytest.mark.django_db

D = datetime.date
S = Letter.Status


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: D(2024, 3, 11))


def authority_user(authority, username="la"):
    user = UserFactory(username=username)
    roles.grant(user, roles.AUTHORITY_USER)
    AuthorityUser.objects.create(user=user, authority=authority)
    return user


def feed_url(user):
    return reverse("letters:deadline-feed", args=[feeds.feed_token_renew(user=user, by=user)])


def events(response):
    """{SUMMARY: the event} of a feed."""
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    feed = icalendar.Calendar.from_ical(response.content)
    return {str(event["SUMMARY"]): event for event in feed.walk("VEVENT")}


# The feed's content.


def test_the_feed_lists_a_team_letters_deadlines_as_all_day_events():
    """An inspector's feed: each step to come of their letter, on its day, with a link."""
    user = inspector_user()
    letter = letter_led_by(user, authority__name="Fernshire")
    found = events(Client().get(feed_url(user)))
    event = found["Letter due for quality assurance: Fernshire"]
    assert event.decoded("DTSTART") == D(2024, 3, 20)
    assert event.decoded("DTEND") == D(2024, 3, 21)
    assert event["DTSTART"].params["VALUE"] == "DATE"
    assert str(event["URL"]) == f"http://testserver/visits/{letter.visit_id}/"
    assert str(event["UID"]) == f"letter-{letter.pk}-submission@focused-visit-letters"
    assert "Factual accuracy deadline: Fernshire" in found
    assert "Publication target: Fernshire" in found
    assert "Last day on site: Fernshire" not in found


def test_the_feeds_uids_stay_the_same_from_one_fetch_to_the_next():
    """A calendar app moves an event rather than adding another: stable UIDs."""
    user = inspector_user()
    letter_led_by(user)
    url = feed_url(user)
    first = {str(e["UID"]) for e in events(Client().get(url)).values()}
    second = {str(e["UID"]) for e in events(Client().get(url)).values()}
    assert first == second and len(first) == 6


def test_steps_taken_leave_the_feed():
    """A letter in factual accuracy check: its earlier steps are done, and gone."""
    user = qa_manager_user()
    force_status(
        complete_letter(authority__name="Fernshire"), S.FACTUAL_ACCURACY, fa_deadline=D(2024, 3, 13)
    )
    found = events(Client().get(feed_url(user)))
    assert set(found) == {
        "Factual accuracy deadline: Fernshire",
        "Final letter sign-off due: Fernshire",
        "Publication target: Fernshire",
    }
    assert found["Factual accuracy deadline: Fernshire"].decoded("DTSTART") == D(2024, 3, 13)


def test_a_qa_managers_feed_has_every_letter_in_flight_and_no_published_one():
    """Every letter not yet published, linked to its review page."""
    user = qa_manager_user()
    draft = complete_letter(authority__name="Ashby")
    force_status(complete_letter(authority__name="Burnham"), S.IN_REVIEW)
    force_status(complete_letter(authority__name="Published-shire"), S.PUBLISHED)
    found = events(Client().get(feed_url(user)))
    authorities = {summary.split(": ")[1] for summary in found}
    assert authorities == {"Ashby", "Burnham"}
    event = found["Letter due for quality assurance: Ashby"]
    assert str(event["URL"]) == f"http://testserver/review/{draft.visit_id}/"


def test_another_teams_letters_are_not_in_an_inspectors_feed():
    """An inspector's feed has the letters of their visits only."""
    user = inspector_user()
    letter_led_by(user, authority__name="Mine")
    complete_letter(authority__name="Theirs")
    found = events(Client().get(feed_url(user)))
    assert {summary.split(": ")[1] for summary in found} == {"Mine"}


def test_a_letter_leaves_the_feed_of_an_inspector_who_leaves_its_team():
    """The feed lists what the user may see now, not when the address was made."""
    user = inspector_user()
    lead = inspector_user("lead", "Lee Lead")
    letter = letter_led_by(lead)
    TeamMemberFactory(visit=letter.visit, inspector=user.inspector)
    url = feed_url(user)
    assert events(Client().get(url))
    TeamMember.objects.filter(visit=letter.visit, inspector=user.inspector).delete()
    assert events(Client().get(url)) == {}


def test_an_authority_user_sees_only_its_own_factual_accuracy_deadline_and_publication():
    """Its own letters, from the factual-accuracy check on, with its deadline and the
    publication date; not the QA steps, not another authority's, not a draft."""
    fernshire = LocalAuthorityFactory(name="Fernshire")
    checking = force_status(
        complete_letter(authority=fernshire), S.FACTUAL_ACCURACY, fa_deadline=D(2024, 3, 13)
    )
    complete_letter(authority=fernshire)  # a draft: not shared with the authority
    force_status(
        complete_letter(authority__name="Elsewhere"), S.FACTUAL_ACCURACY, fa_deadline=D(2024, 3, 12)
    )
    found = events(Client().get(feed_url(authority_user(fernshire))))
    assert set(found) == {"Factual accuracy deadline: Fernshire", "Publication target: Fernshire"}
    event = found["Factual accuracy deadline: Fernshire"]
    assert str(event["URL"]) == f"http://testserver/authority/letters/{checking.visit_id}/"


def test_a_final_letters_publication_date_is_in_the_authoritys_feed():
    """Once signed off: the publication date itself."""
    fernshire = LocalAuthorityFactory(name="Fernshire")
    force_status(complete_letter(authority=fernshire), S.FINAL, publication_date=D(2024, 4, 3))
    found = events(Client().get(feed_url(authority_user(fernshire))))
    assert set(found) == {"Publication: Fernshire"}
    assert found["Publication: Fernshire"].decoded("DTSTART") == D(2024, 4, 3)


# The address.


def test_an_unknown_token_is_not_found():
    """A made-up address answers 404."""
    response = Client().get(reverse("letters:deadline-feed", args=["not-a-real-token"]))
    assert response.status_code == 404


def test_a_revoked_token_is_not_found():
    """Making a new address stops the old one."""
    user = inspector_user()
    old = feed_url(user)
    new = feed_url(user)
    assert Client().get(old).status_code == 404
    assert Client().get(new).status_code == 200


def test_an_inactive_users_feed_is_not_found():
    """A user switched off loses their feed with their account."""
    user = inspector_user()
    url = feed_url(user)
    user.is_active = False
    user.save()
    assert Client().get(url).status_code == 404


def test_only_the_hash_of_the_token_is_kept():
    """The database holds the token's SHA-256, not the token."""
    user = inspector_user()
    token = feeds.feed_token_renew(user=user, by=user)
    stored = FeedToken.objects.get(user=user).token_hash
    assert stored == feeds.digest(token) and token not in stored


def test_nobody_makes_another_users_address():
    """The service refuses an address made for someone else, and writes nothing."""
    from django.core.exceptions import PermissionDenied

    user, other = inspector_user(), qa_manager_user()
    with pytest.raises(PermissionDenied):
        feeds.feed_token_renew(user=user, by=other)
    assert not FeedToken.objects.exists()


def test_the_feed_page_shows_a_new_address_once(client):
    """Making an address shows it on the page; coming back shows only when it was made."""
    user = inspector_user()
    client.force_login(user)
    page = reverse("letters:calendar-feed")
    assert "Make an address" in client.get(page).content.decode()
    made = client.post(page).content.decode()
    token = FeedToken.objects.get(user=user)
    url_start = "http://testserver/calendar/"
    assert url_start in made and "It is not shown again" in made
    shown = made.split(url_start, 1)[1].split("/", 1)[0]
    assert feeds.digest(shown) == token.token_hash
    again = client.get(page).content.decode()
    assert url_start not in again and "Make a new address" in again


def test_making_a_new_address_revokes_the_old_one_and_is_audited(client):
    """Make a new address: the old one stops working; each is one audit event."""
    user = inspector_user()
    client.force_login(user)
    page = reverse("letters:calendar-feed")
    client.post(page)
    first = FeedToken.objects.get(user=user).token_hash
    response = client.post(page)
    assert "Your old address no longer works" in response.content.decode()
    assert FeedToken.objects.get(user=user).token_hash != first
    assert list(
        AuditEvent.objects.filter(action="feed.new_address").values_list("detail", flat=True)
    ) == [{"replaced": False}, {"replaced": True}]


def test_stopping_the_feed_revokes_its_address(client):
    """Stop the feed: the address answers 404, and the stop is audited."""
    user = inspector_user()
    url = feed_url(user)
    client.force_login(user)
    response = client.post(reverse("letters:calendar-feed"), {"action": "stop"})
    assert response.status_code == 302
    assert Client().get(url).status_code == 404
    assert AuditEvent.objects.filter(action="feed.revoke", actor=user).count() == 1


def test_the_feed_costs_the_same_for_3_letters_and_for_30():
    """The user with roles (by the token's hash), the letters, the pauses, the follow-ups:
    no query a letter."""
    user = qa_manager_user()
    url = feed_url(user)
    client = Client()
    for _ in range(3):
        complete_letter()
    with_3 = queries_of(client, url)
    for _ in range(27):
        force_status(complete_letter(), S.IN_REVIEW)
    assert queries_of(client, url) == with_3
    assert with_3 <= 4


def follow_up_of(authority, state=FollowUp.State.OPEN):
    """A published letter's priority-action follow-up, told to the DfE on 4 March 2024."""
    letter = force_status(complete_letter(authority=authority), S.PUBLISHED)
    return FollowUp.objects.create(
        letter=letter,
        dfe_told_on=D(2024, 3, 4),
        early_draft_due=D(2024, 4, 3),
        action_plan_due=D(2024, 6, 12),
        state=state,
    )


def test_an_action_plans_due_dates_are_in_the_authoritys_feed():
    """The early draft's and the plan's due dates, for its own authority's users only."""
    fernshire = LocalAuthorityFactory(name="Fernshire")
    follow_up = follow_up_of(fernshire)
    found = events(Client().get(feed_url(authority_user(fernshire))))
    assert found["Action plan early draft due: Fernshire"].decoded("DTSTART") == D(2024, 4, 3)
    assert found["Action plan due: Fernshire"].decoded("DTSTART") == D(2024, 6, 12)
    assert str(found["Action plan due: Fernshire"]["UID"]).startswith(
        f"follow-up-{follow_up.pk}-action_plan@"
    )
    elsewhere = authority_user(LocalAuthorityFactory(name="Elsewhere"), username="other")
    assert not events(Client().get(feed_url(elsewhere)))


def test_an_accepted_action_plan_leaves_the_feed():
    """Once the plan is accepted its dates are no longer deadlines."""
    fernshire = LocalAuthorityFactory(name="Fernshire")
    follow_up_of(fernshire, state=FollowUp.State.ACCEPTED)
    assert not events(Client().get(feed_url(authority_user(fernshire))))
