"""Roles are permissions, granted through groups: the rules read the permission."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from accounts import roles
from inspections.access import inspector_of, is_inspector
from letters import permissions
from tests.factories import (
    InspectorFactory,
    TeamMemberFactory,
    UserFactory,
    inspector_user,
    letter_led_by,
)

pytestmark = pytest.mark.django_db


def reloaded(user):
    return type(user).objects.get(pk=user.pk)


def test_renaming_a_group_keeps_its_role():
    """An administrator renames the Inspectors group: its members are still inspectors."""
    user = inspector_user()
    Group.objects.filter(name=roles.GROUPS[roles.INSPECTOR]).update(name="HMI")
    assert is_inspector(reloaded(user))


def test_a_group_named_like_a_role_without_its_permission_grants_nothing():
    """The name alone is not the role: a new group called 'QA managers' gives no rights."""
    user = UserFactory()
    Group.objects.filter(name=roles.GROUPS[roles.QA_MANAGER]).update(name="Old QA")
    impostor = Group.objects.create(name=roles.GROUPS[roles.QA_MANAGER])
    user.groups.add(impostor)
    assert not roles.is_qa_manager(reloaded(user))


def test_a_role_can_be_granted_to_one_user_directly():
    """The role's permission given to a user, without a group, is the role."""
    user = UserFactory()
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="accounts", codename=roles.QA_MANAGER)
    )
    assert roles.is_qa_manager(reloaded(user))


def test_a_superuser_holds_no_portal_role_but_administrator():
    """has_perm is true of everything for a superuser; the portal's roles are not."""
    user = UserFactory(is_superuser=True, is_staff=True)
    assert roles.is_administrator(user)
    assert not roles.is_qa_manager(user)
    assert not roles.has_role(user, roles.INSPECTOR)


def test_the_migrations_make_one_group_per_role():
    """Each role's group exists and holds the role's permission."""
    for role, name in roles.GROUPS.items():
        group = Group.objects.get(name=name)
        assert group.permissions.filter(codename=role).exists()


def test_an_inspector_record_gives_a_local_authority_user_no_inspector_rights():
    """An authority's account linked to an Inspector record and put on another authority's
    visit does not read or edit its draft: the role decides, not the link."""
    la_user = UserFactory(username="la")
    roles.grant(la_user, roles.AUTHORITY_USER)
    inspector = InspectorFactory(user=la_user)
    letter = letter_led_by(inspector_user())
    TeamMemberFactory(visit=letter.visit, inspector=inspector)
    la_user = reloaded(la_user)
    assert inspector_of(la_user) is None
    assert not permissions.can_view_draft(la_user, letter)
    assert not permissions.can_edit_letter(la_user, letter)


def test_an_inspector_record_opens_no_draft_page_to_a_local_authority_user(client):
    """The same, through the pages: the draft answers 404."""
    la_user = UserFactory(username="la")
    roles.grant(la_user, roles.AUTHORITY_USER)
    inspector = InspectorFactory(user=la_user)
    letter = letter_led_by(inspector_user())
    TeamMemberFactory(visit=letter.visit, inspector=inspector)
    client.force_login(la_user)
    response = client.get(reverse("letters:letter-editor", args=[letter.visit_id]))
    assert response.status_code == 404


def test_staff_in_no_group_need_the_second_factor(client, settings):
    """Anyone who can reach the admin proves a one-time code first, group or none."""
    settings.PORTAL_REQUIRE_SECOND_FACTOR = True
    staff = UserFactory(username="staff", is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_letter"))
    client.force_login(staff)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:two-factor"))


def test_the_signed_in_user_arrives_with_the_roles_their_groups_and_grants_give():
    """The backend reads the roles in the query that loads the user (accounts.roles
    .with_roles): the same roles as the user's groups and own permissions give, for every
    way of holding one, and none from a group that only has a role's name."""
    from accounts.backends import PortalBackend

    Group.objects.filter(name=roles.GROUPS[roles.INSPECTOR]).update(name="HMI")
    Group.objects.create(name=roles.GROUPS[roles.AUTHORITY_USER] + " (old)").user_set.add(
        nobody := UserFactory(username="nobody")
    )
    both_ways = UserFactory(username="both")
    roles.grant(both_ways, roles.QA_MANAGER)
    both_ways.user_permissions.add(
        Permission.objects.get(content_type__app_label="accounts", codename=roles.QA_MANAGER),
        Permission.objects.get(content_type__app_label="accounts", codename=roles.ADMINISTRATOR),
    )
    several = UserFactory(username="several")
    for role in (roles.INSPECTOR, roles.AUTHORITY_USER):
        roles.grant(several, role)
    several.user_permissions.add(Permission.objects.get(codename="view_letter"))
    cases = {
        nobody: set(),
        both_ways: {roles.QA_MANAGER, roles.ADMINISTRATOR},
        several: {roles.INSPECTOR, roles.AUTHORITY_USER},
        UserFactory(username="none"): set(),
    }
    for user, expected in cases.items():
        signed_in = PortalBackend().get_user(user.pk)
        assert roles.roles_of(signed_in) == expected, user.username
        assert roles.roles_of(reloaded(user)) == expected, user.username


def test_a_role_taken_away_counts_from_the_next_request():
    """The roles are read with the user on every request, not kept from the last one."""
    from accounts.backends import PortalBackend

    user = inspector_user()
    assert is_inspector(PortalBackend().get_user(user.pk))
    user.groups.clear()
    assert not is_inspector(PortalBackend().get_user(user.pk))
