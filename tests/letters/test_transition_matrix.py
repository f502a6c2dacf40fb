"""Every status, transition and role: who may make each move, from which state.

The table below is written out by hand, from the workflow as the README describes it;
the rules under test are derived from the transitions declared on Letter. Each cell is
checked twice: by the rule (letters.permissions, through django-fsm-2) and by the
service that makes the move, which must refuse exactly where the rule does.
"""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django_fsm import has_transition_perm

from audit.models import AuditEvent
from inspections.models import AuthorityUser, Involvement, TeamMember
from letters import clock
from letters.factual_accuracy import services as factual_accuracy
from letters.models import FactualAccuracyComment, Letter
from letters.publication import schedule
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
ROLES = [
    "lead",
    "other inspector",
    "QA manager",
    "involved QA manager",
    "authority",  # an authority user of no authority
    "own authority",  # a user of the letter's own authority
    "admin",
]

# transition: (the states it starts from, the roles that may make it)
EXPECTED = {
    "submit": ({"draft", "returned"}, {"lead"}),
    "return_to_team": ({"in_review"}, {"QA manager"}),
    "approve": ({"in_review"}, {"QA manager"}),
    "send_for_factual_accuracy": ({"approved"}, {"QA manager"}),
    "respond_to_factual_accuracy": ({"factual_accuracy"}, {"own authority"}),
    "answer_factual_accuracy": ({"fa_responded"}, {"lead"}),
    "sign_off_final": ({"fa_responded"}, {"QA manager"}),
    # A final letter on its publication date (fresh() gives it today's).
    "publish": ({"approved", "final"}, {"QA manager"}),
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
    own_authority = UserFactory(username="own-la")
    roles.grant(own_authority, roles.AUTHORITY_USER)
    AuthorityUser.objects.create(user=own_authority, authority=letter.visit.authority)
    users = {
        "lead": lead,
        "other inspector": inspector_user(username="other", full_name="Olu Other"),
        "QA manager": qa_manager_user(),
        "involved QA manager": involved,
        "authority": authority_user,
        "own authority": own_authority,
        "admin": admin,
    }
    return letter, users


def fresh(letter, status):
    """The letter in `status`, with what that state carries: a factual-accuracy round and
    its deadline from the check on, a publication date (today) once final."""
    fields = {}
    if status in Letter.SHARED_WITH_AUTHORITY:
        fields = {"fa_round": 1, "fa_deadline": clock.today() + datetime.timedelta(days=7)}
    if status == Letter.Status.FINAL:
        fields["publication_date"] = clock.today()
    force_status(letter, status, **fields)
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
    "send_for_factual_accuracy": lambda letter, user: (
        factual_accuracy.letter_send_for_factual_accuracy(letter=letter, by=user)
    ),
    "respond_to_factual_accuracy": lambda letter, user: (
        factual_accuracy.letter_respond_to_factual_accuracy(letter=letter, by=user)
    ),
    "answer_factual_accuracy": lambda letter, user: factual_accuracy.factual_accuracy_answer(
        comment=letter.factual_accuracy_comments.get(),
        by=user,
        answer=FactualAccuracyComment.Answer.NOT_ACCEPTED,
        reason="The letter is right.",
    ),
    "sign_off_final": lambda letter, user: factual_accuracy.letter_sign_off(
        letter=letter, by=user, publication_date=schedule.default_publication_date(letter)
    ),
}


def made(transition, letter, status):
    """Whether the service made its move: the state changed, or, for the move that keeps
    it (the team's answer), the answer is written."""
    if transition == "answer_factual_accuracy":
        return letter.factual_accuracy_comments.get().answer != ""
    return Letter.objects.get(pk=letter.pk).status != status


@pytest.mark.parametrize("transition", list(SERVICES))
@pytest.mark.parametrize("role", ROLES)
def test_each_service_refuses_where_the_rule_does(world, role, transition):
    """From each source state, the service moves the letter exactly when the table allows."""
    letter, users = world
    sources, allowed = EXPECTED[transition]
    status = sorted(sources)[0]
    letter = fresh(letter, status)
    if transition == "answer_factual_accuracy":
        FactualAccuracyComment.objects.create(
            letter=letter, round=1, author=users["own authority"], text="The date is wrong."
        )
    user = users[role]
    events = AuditEvent.objects.count()
    if role in allowed:
        SERVICES[transition](letter, user)
        assert made(transition, letter, status)
    else:
        with pytest.raises(PermissionDenied):
            SERVICES[transition](letter, user)
        assert not made(transition, letter, status)
        assert AuditEvent.objects.count() == events, "a refusal writes nothing"


def test_a_team_member_added_as_qa_manager_is_not_independent(world):
    """The QA manager named on the visit but put on its team cannot approve."""
    letter, users = world
    qa = users["QA manager"]
    TeamMember.objects.create(visit=letter.visit, inspector=qa.inspector, position=5)
    letter = fresh(letter, Letter.Status.IN_REVIEW)
    assert not has_transition_perm(letter.approve, qa)


def test_a_final_letter_is_not_published_before_its_date(world, monkeypatch):
    """The independent QA manager cannot publish a final letter until its day has come."""
    letter, users = world
    letter = fresh(letter, Letter.Status.FINAL)
    monkeypatch.setattr(clock, "today", lambda: letter.publication_date - datetime.timedelta(1))
    assert not has_transition_perm(letter.publish, users["QA manager"])
    with pytest.raises(PermissionDenied):
        publication.letter_publish(letter=letter, by=users["QA manager"])
    assert Letter.objects.get(pk=letter.pk).status == Letter.Status.FINAL


def test_the_team_edits_the_letter_while_it_answers_the_authority(world):
    """The drafting rule opens again in fa_responded, for the team only, and nowhere else
    after approval."""
    from letters import permissions

    letter, users = world
    for status in STATES:
        letter = fresh(letter, status)
        expected = status in {"draft", "returned", "fa_responded"}
        assert permissions.can_edit_letter(users["lead"], letter) == expected, status
        assert not permissions.can_edit_letter(users["QA manager"], letter), status
