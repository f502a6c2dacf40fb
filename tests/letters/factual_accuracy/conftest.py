import datetime

import pytest

from accounts import roles
from inspections.models import AuthorityUser
from letters import clock
from tests.factories import (
    LocalAuthorityFactory,
    UserFactory,
    force_status,
    inspector_user,
    letter_led_by,
    qa_manager_user,
)


def authority_user(username, authority, email=""):
    user = UserFactory(username=username, email=email or f"{username}@fernshire.example")
    roles.grant(user, roles.AUTHORITY_USER)
    AuthorityUser.objects.create(user=user, authority=authority)
    return user


class Day:
    """Sets today's date for the letters' deadlines and publication (letters.clock)."""

    def __init__(self, monkeypatch):
        self.monkeypatch = monkeypatch

    def __call__(self, day):
        self.monkeypatch.setattr(clock, "today", lambda: day)
        return day


@pytest.fixture
def today(monkeypatch):
    return Day(monkeypatch)


@pytest.fixture
def world(db):
    """An approved letter of authority A: its lead, an independent QA manager (the visit's),
    a user of authority A and one of authority B."""
    lead = inspector_user(username="lead", full_name="Robin Ashdown")
    lead.email = "lead@ofsted.example"
    lead.save()
    qa = qa_manager_user(username="qa", full_name="Hazel Penrose")
    qa.email = "qa@ofsted.example"
    qa.save()
    authority_a = LocalAuthorityFactory(name="Fernshire")
    letter = letter_led_by(
        lead,
        authority=authority_a,
        start_date=datetime.date(2024, 11, 26),
        end_date=datetime.date(2024, 11, 28),
    )
    letter.visit.qa_manager = qa.inspector
    letter.visit.save()
    letter = force_status(letter, "approved")
    return {
        "letter": letter,
        "lead": lead,
        "qa": qa,
        "la": authority_user("la-a", authority_a),
        "other_la": authority_user("la-b", LocalAuthorityFactory(name="Marshton")),
    }
