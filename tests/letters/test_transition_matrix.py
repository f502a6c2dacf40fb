"""Every status, transition and role: who may make each move, from which state.

The table below is written out by hand, from the workflow as the README describes it;
the rules under test are derived from the transitions declared on Letter. Each cell is
checked twice: by the rule (letters.permissions, through django-fsm-2) and by the
service that makes the move, which must refuse exactly where the rule does.
"""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django_fsm import has_transition_perm

from inspections.models import Involvement, TeamMember
from letters.models import Letter
from letters.publication import services as publication
from letters.rendering.compose import letter_queryset
from letters.review import services as review
from tests.factories import (
    LocalAuthorityFactory,
    UserFactory,
    force_status,
    inspector_user,
    letter_led_by,
    qa_manager_user,
)

pytestmark = pytest.mark.django_db

STATES = [status for status, _ in Letter.Status.choices]
ROLES = ["lead", "other inspector", "QA manager", "involved QA manager", "authority", "admin"]

# transition: (the states it starts from, the roles that may make it)
EXPECTED = {
    "submit": ({"draft", "returned"}, {"lead"}),
    "return_to_team": ({"in_review"}, {"QA manager"}),
    "approve": ({"in_review"}, {"QA manager"}),
    "publish": ({"approved"}, {"QA manager"}),
    "start_correction": ({"published"}, {"lead", "QA manager", "involved QA manager"}),
    "publish_imported": ({"draft"}, {"admin"}),
}


@pytest.fixture
def world():
    from accounts import roles

    lead = inspector_user()
    letter = letter_led_by(lead)
    involved = qa_manager_user(username="involved", full_name="Ira Involved")
    Involvement.objects.create(
        visit=letter.visit, kind=Involvement.Kind.TEAM, inspector=involved.inspector
    )
    authority_user = UserFactory(username="la")
    roles.grant(authority_user, roles.AUTHORITY_USER)
    authority_user.authority_membership = None
    LocalAuthorityFactory()
    admin = UserFactory(username="admin", is_staff=True)
    roles.grant(admin, roles.ADMINISTRATOR)
    users = {
        "lead": lead,
        "other inspector": inspector_user(username="other", full_name="Olu Other"),
        "QA manager": qa_manager_user(),
        "involved QA manager": involved,
        "authority": authority_user,
        "admin": admin,
    }
    return letter, users


def fresh(letter, status):
    force_status(letter, status)
    return letter_queryset().get(pk=letter.pk)


@pytest.mark.parametrize("transition", list(EXPECTED))
@pytest.mark.parametrize("status", STATES)
def test_the_rule_of_every_transition_in_every_state_for_every_role(world, status, transition):
    """has_transition_perm answers as the table says, for each role."""
    letter, users = world
    letter = fresh(letter, status)
    sources, allowed = EXPECTED[transition]
    for role in ROLES:
        user = users[role]
        for attribute in ("_roles", "_inspector", "_authority"):
            user.__dict__.pop(attribute, None)
        expected = status in sources and role in allowed
        got = has_transition_perm(getattr(letter, transition), user)
        assert got == expected, f"{role} {transition} from {status}: expected {expected}"


@pytest.mark.parametrize("status", STATES)
def test_no_transition_is_open_to_an_anonymous_user(world, status):
    """Signed out, nobody moves a letter (the importer's command passes None, not this)."""
    letter, _ = world
    letter = fresh(letter, status)
    for transition in EXPECTED:
        assert not has_transition_perm(getattr(letter, transition), AnonymousUser())


SERVICES = {
    "submit": lambda letter, user: review.letter_submit(letter=letter, by=user),
    "return_to_team": lambda letter, user: review.letter_return(letter=letter, by=user),
    "approve": lambda letter, user: review.letter_approve(letter=letter, by=user),
    "publish": lambda letter, user: publication.letter_publish(letter=letter, by=user),
    "start_correction": lambda letter, user: publication.letter_start_correction(
        letter=letter, by=user
    ),
}


@pytest.mark.parametrize("transition", list(SERVICES))
@pytest.mark.parametrize("role", ROLES)
def test_each_service_refuses_where_the_rule_does(world, role, transition):
    """From each source state, the service moves the letter exactly when the table allows."""
    letter, users = world
    sources, allowed = EXPECTED[transition]
    status = sorted(sources)[0]
    letter = fresh(letter, status)
    user = users[role]
    if role in allowed:
        SERVICES[transition](letter, user)
        assert Letter.objects.get(pk=letter.pk).status != status
    else:
        with pytest.raises(PermissionDenied):
            SERVICES[transition](letter, user)
        assert Letter.objects.get(pk=letter.pk).status == status


def test_a_team_member_added_as_qa_manager_is_not_independent(world):
    """The QA manager named on the visit but put on its team cannot approve."""
    letter, users = world
    qa = users["QA manager"]
    TeamMember.objects.create(visit=letter.visit, inspector=qa.inspector, position=5)
    letter = fresh(letter, Letter.Status.IN_REVIEW)
    assert not has_transition_perm(letter.approve, qa)
