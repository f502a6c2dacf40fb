"""The signed-in user comes from the cache, and any change to them counts on the very next
request (accounts.user_cache)."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import roles, user_cache
from inspections.access import authority_of, inspector_of
from inspections.models import AuthorityUser
from tests.factories import InspectorFactory, LocalAuthorityFactory, UserFactory, inspector_user

pytestmark = pytest.mark.django_db

PAGE = "accounts:session"  # any page that needs a signed-in user


@pytest.fixture(autouse=True)
def user_cache_on(settings):
    settings.USER_CACHE_SECONDS = 600


def user_loads(client):
    """(the request's user, how many times it was read from auth_user with its records)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse(PAGE))
    user = response.wsgi_request.user
    bool(user)  # evaluate the lazy user while the queries are still being counted
    loads = [q for q in queries.captured_queries if '"inspections_inspector"' in q["sql"]]
    return user, len(loads)


def signed_in(client, user):
    client.force_login(user)
    user_loads(client)  # the first request stores the user in the cache
    return user


def role_holder(client):
    return signed_in(client, inspector_user())


def test_the_next_request_takes_the_user_from_the_cache(client):
    """Once loaded, the user (with roles and records) is not read again from the database."""
    role_holder(client)
    user, loads = user_loads(client)
    assert loads == 0
    assert roles.has_role(user, roles.INSPECTOR)
    assert inspector_of(user).full_name == "Robin Ashdown"


def test_a_change_is_read_afresh_once(client):
    """After a change the user is read once, then cached again."""
    user = role_holder(client)
    user.first_name = "Robin"
    user.save()
    assert user_loads(client)[1] == 1
    assert user_loads(client)[1] == 0


def test_the_cached_copy_holds_no_password_hash(client):
    """What the cache keeps leaves the password hash out."""
    user = role_holder(client)
    keys = [key for key in cache._cache if ":accounts:user:" in key]
    assert keys
    stored, _ = cache.get(keys[0].split(":", 2)[2])
    assert "password" not in stored.__dict__
    assert user.password not in repr(stored.__dict__)


def test_a_role_taken_away_counts_on_the_next_request(client):
    """user.groups.remove: the role is gone from the next request on."""
    user = role_holder(client)
    user.groups.remove(roles.role_group(roles.INSPECTOR))
    assert not roles.has_role(user_loads(client)[0], roles.INSPECTOR)


def test_a_role_taken_away_from_the_groups_side_counts(client):
    """group.user_set.remove, as the admin's group page does."""
    user = role_holder(client)
    roles.role_group(roles.INSPECTOR).user_set.remove(user)
    assert not roles.has_role(user_loads(client)[0], roles.INSPECTOR)


def test_a_group_emptied_counts(client):
    """group.user_set.clear(): every former member loses the role."""
    role_holder(client)
    roles.role_group(roles.INSPECTOR).user_set.clear()
    assert not roles.has_role(user_loads(client)[0], roles.INSPECTOR)


def test_a_groups_role_permission_taken_away_counts(client):
    """The role's permission removed from the group: its members lose the role."""
    role_holder(client)
    group = roles.role_group(roles.INSPECTOR)
    group.permissions.remove(
        Permission.objects.get(content_type__app_label="accounts", codename=roles.INSPECTOR)
    )
    assert not roles.has_role(user_loads(client)[0], roles.INSPECTOR)


def test_a_group_deleted_counts(client):
    """Deleting the role's group takes the role from its members."""
    role_holder(client)
    roles.role_group(roles.INSPECTOR).delete()
    assert not roles.has_role(user_loads(client)[0], roles.INSPECTOR)


def test_a_direct_grant_taken_away_counts(client):
    """A role granted to the user directly, then taken away."""
    user = signed_in(client, UserFactory())
    permission = Permission.objects.get(
        content_type__app_label="accounts", codename=roles.QA_MANAGER
    )
    user.user_permissions.add(permission)
    assert roles.is_qa_manager(user_loads(client)[0])
    user.user_permissions.remove(permission)
    assert not roles.is_qa_manager(user_loads(client)[0])


def test_a_role_granted_counts_on_the_next_request(client):
    """A new role is there from the next request on."""
    user = role_holder(client)
    group = Group.objects.create(name="Seniors")
    group.permissions.add(
        Permission.objects.get(content_type__app_label="accounts", codename=roles.QA_MANAGER)
    )
    user.groups.add(group)
    assert roles.is_qa_manager(user_loads(client)[0])


def test_a_deactivated_user_is_signed_out_on_the_next_request(client):
    """is_active turned off: the next request has no user, and the page sends to sign-in."""
    user = role_holder(client)
    user.is_active = False
    user.save()
    assert not user_loads(client)[0].is_authenticated
    assert client.get(reverse("letters:visit-list")).status_code == 302


def test_a_user_who_is_gone_is_not_taken_from_the_cache():
    """No user row, no user: the version read finds none, whatever the cache holds.
    (A signed-in user cannot be deleted through the ORM: the audit log refers to them.)"""
    missing = UserFactory().pk + 1000

    def load(user_id):
        raise AssertionError("a missing user is not loaded")

    assert user_cache.current_token(missing) is None
    assert user_cache.signed_in_user(missing, load=load) is None


def test_a_password_changed_elsewhere_ends_the_session(client):
    """A new password (set by an administrator, say) ends the sessions made with the old."""
    user = role_holder(client)
    user.set_password("a quite different passphrase")
    user.save()
    assert not user_loads(client)[0].is_authenticated


def test_the_session_check_follows_a_password_set_on_the_cached_user(client):
    """The request's own user given a new password checks against the new one."""
    user = role_holder(client)
    cached = user_loads(client)[0]
    before = cached.get_session_auth_hash()
    cached.set_password("a quite different passphrase")
    assert cached.get_session_auth_hash() != before
    assert before == user.get_session_auth_hash()


def test_saving_the_cached_user_keeps_the_password(client):
    """The copy without the hash, saved, leaves the stored hash as it was."""
    user = role_holder(client)
    cached = user_loads(client)[0]
    cached.first_name = "Robin"
    cached.save()
    user.refresh_from_db()
    assert user.check_password("correct horse battery staple")


def test_an_inspector_record_moved_away_counts(client):
    """The Inspector record given to another user: the first has none from the next request."""
    user = role_holder(client)
    record = user.inspector
    record.user = UserFactory()
    record.save()
    assert inspector_of(user_loads(client)[0]) is None


def test_an_inspector_record_deleted_counts(client):
    """The Inspector record removed: gone from the next request."""
    user = role_holder(client)
    user.inspector.delete()
    assert inspector_of(user_loads(client)[0]) is None


def test_an_inspector_record_given_counts(client):
    """An Inspector record linked to the user counts from the next request."""
    user = signed_in(client, UserFactory())
    roles.grant(user, roles.INSPECTOR)
    InspectorFactory(full_name="Sam Newcomer", user=user)
    assert inspector_of(user_loads(client)[0]).full_name == "Sam Newcomer"


def test_a_membership_moved_to_another_authority_counts(client):
    """An authority user moved to another authority sees that one from the next request."""
    user = UserFactory()
    roles.grant(user, roles.AUTHORITY_USER)
    membership = AuthorityUser.objects.create(user=user, authority=LocalAuthorityFactory())
    signed_in(client, user)
    membership.authority = LocalAuthorityFactory(name="Eastshire")
    membership.save()
    assert authority_of(user_loads(client)[0]).name == "Eastshire"


def test_a_membership_ended_counts(client):
    """An authority user's membership removed: no authority from the next request."""
    user = UserFactory()
    roles.grant(user, roles.AUTHORITY_USER)
    membership = AuthorityUser.objects.create(user=user, authority=LocalAuthorityFactory())
    signed_in(client, user)
    membership.delete()
    assert authority_of(user_loads(client)[0]) is None


def test_an_authority_renamed_counts_for_its_users(client):
    """The authority a user is loaded with is read again when it changes."""
    user = UserFactory()
    roles.grant(user, roles.AUTHORITY_USER)
    authority = LocalAuthorityFactory(name="Westshire")
    AuthorityUser.objects.create(user=user, authority=authority)
    signed_in(client, user)
    authority.name = "West Shire"
    authority.save()
    assert authority_of(user_loads(client)[0]).name == "West Shire"


def test_without_the_cache_the_user_is_read_every_time(client, settings):
    """USER_CACHE_SECONDS = 0 reads the user on every request."""
    settings.USER_CACHE_SECONDS = 0
    role_holder(client)
    assert user_loads(client)[1] == 1
