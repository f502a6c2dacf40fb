"""Making a user in the admin is one page: their e-mail address, their role, and the
record the role needs, through inspections.services.user_create, audited."""

from html.parser import HTMLParser

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts import roles
from audit.models import AuditEvent
from inspections import services
from inspections.models import AuthorityUser, Inspector
from tests.factories import LocalAuthorityFactory, UserFactory, inspector_user

pytestmark = pytest.mark.django_db

User = get_user_model()
ADD = reverse("admin:auth_user_add")
PASSWORD = "a long and unusual passphrase 7"


@pytest.fixture
def admin_client(client):
    superuser = UserFactory(username="admin", is_superuser=True, is_staff=True)
    client.force_login(superuser)
    client.superuser = superuser
    return client


def post(client, **fields):
    data = {
        "username": "rashdown",
        "email": "robin.ashdown@example.org",
        "usable_password": "true",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "role": roles.INSPECTOR,
        "full_name": "Robin Ashdown",
        "grade": "",
        "authority": "",
        "_save": "Save",
    }
    data.update(fields)
    return client.post(ADD, data)


def written():
    """The audit events but the superuser's sign-in."""
    return AuditEvent.objects.exclude(action__startswith="auth.").order_by("pk")


def form_errors(response):
    assert response.status_code == 200
    return response.context["adminform"].form.errors


def test_one_post_makes_an_inspector(admin_client):
    """The user, their role, their Inspector record and the audit events, in one request."""
    response = post(admin_client)
    assert response.status_code == 302, form_errors(response)
    user = User.objects.get(username="rashdown")
    assert user.email == "robin.ashdown@example.org"
    assert user.check_password(PASSWORD)
    assert (user.first_name, user.last_name, user.get_full_name()) == (
        "Robin",
        "Ashdown",
        "Robin Ashdown",
    )
    assert roles.has_role(User.objects.get(pk=user.pk), roles.INSPECTOR)
    assert not user.is_staff
    inspector = Inspector.objects.get(user=user)
    assert (inspector.full_name, inspector.grade) == ("Robin Ashdown", Inspector.Grade.HMI)
    events = written()
    assert {e.actor for e in events} == {admin_client.superuser}
    assert [(e.action, e.target_id) for e in events] == [
        ("user.create", user.pk),
        ("inspector.create", inspector.pk),
    ]
    assert events[0].detail["role"] == roles.INSPECTOR
    assert PASSWORD not in str(events[0].detail)


def test_the_new_inspector_can_sign_in_and_see_their_visits(admin_client, client):
    post(admin_client)
    client.logout()
    client.post(reverse("accounts:login"), {"username": "rashdown", "password": PASSWORD})
    assert client.get(reverse("letters:visit-list")).status_code == 200


def test_a_qa_manager_is_a_senior_hmi_unless_told(admin_client):
    post(admin_client, username="hpenrose", role=roles.QA_MANAGER, full_name="Hazel Penrose")
    user = User.objects.get(username="hpenrose")
    assert roles.has_role(user, roles.QA_MANAGER)
    assert user.inspector.grade == Inspector.Grade.SENIOR_HMI


def test_the_grade_chosen_is_kept(admin_client):
    post(admin_client, grade=Inspector.Grade.HMI_DESIGNATE)
    assert Inspector.objects.get().grade == Inspector.Grade.HMI_DESIGNATE


def test_an_authority_user_belongs_to_the_authority_chosen(admin_client):
    authority = LocalAuthorityFactory()
    response = post(
        admin_client,
        username="la-reader",
        role=roles.AUTHORITY_USER,
        full_name="",
        authority=str(authority.pk),
    )
    assert response.status_code == 302, form_errors(response)
    user = User.objects.get(username="la-reader")
    assert roles.has_role(user, roles.AUTHORITY_USER)
    assert AuthorityUser.objects.get(user=user).authority == authority
    assert not Inspector.objects.exists()
    actions = list(written().values_list("action", flat=True))
    assert actions == ["user.create", "authorityuser.create"]


def test_an_administrator_can_reach_the_admin(admin_client):
    post(admin_client, username="office-admin", role=roles.ADMINISTRATOR, full_name="")
    user = User.objects.get(username="office-admin")
    assert roles.is_administrator(user)
    assert user.is_staff and not user.is_superuser
    assert list(written().values_list("action", flat=True)) == ["user.create"]


def test_without_an_e_mail_address_nothing_is_made(admin_client):
    errors = form_errors(post(admin_client, email=""))
    assert "email" in errors
    assert not User.objects.filter(username="rashdown").exists()
    assert not written().exists()


def test_an_authority_user_must_name_their_authority(admin_client):
    errors = form_errors(post(admin_client, role=roles.AUTHORITY_USER))
    assert errors["authority"] == ["Choose the local authority they work for"]
    assert not User.objects.filter(username="rashdown").exists()


def test_an_inspector_must_have_a_full_name(admin_client):
    errors = form_errors(post(admin_client, full_name="  "))
    assert "full_name" in errors
    assert not Inspector.objects.exists()


def test_only_an_authority_user_has_an_authority(admin_client):
    errors = form_errors(post(admin_client, authority=str(LocalAuthorityFactory().pk)))
    assert "authority" in errors


def test_a_role_must_be_chosen(admin_client):
    assert "role" in form_errors(post(admin_client, role=""))


def test_the_password_rules_still_hold(admin_client):
    errors = form_errors(post(admin_client, password1="short", password2="short"))
    assert "password2" in errors


def test_the_service_refuses_someone_who_may_not_add_users():
    with pytest.raises(PermissionDenied):
        services.user_create(
            by=inspector_user(),
            username="someone",
            email="someone@example.org",
            password=PASSWORD,
            role=roles.ADMINISTRATOR,
        )
    assert not User.objects.filter(username="someone").exists()
    assert not AuditEvent.objects.exists()


def test_the_service_checks_the_role_as_the_form_does():
    with pytest.raises(ValidationError) as refused:
        services.user_create(
            by=UserFactory(is_superuser=True),
            username="someone",
            email="someone@example.org",
            password=None,
            role=roles.INSPECTOR,
        )
    assert "full_name" in refused.value.message_dict
    assert not User.objects.filter(username="someone").exists()


class Fields(HTMLParser):
    """The form's fields and the labels on the page."""

    def __init__(self):
        super().__init__()
        self.fields, self.labelled = [], set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "label" and attrs.get("for"):
            self.labelled.add(attrs["for"])
        elif tag in ("input", "select", "textarea") and attrs.get("type") not in (
            "hidden",
            "submit",
        ):
            self.fields.append(attrs)


def test_every_field_of_the_add_page_has_a_label(admin_client):
    page = admin_client.get(ADD)
    assert page.status_code == 200
    parser = Fields()
    parser.feed(page.content.decode())
    names = {field.get("name") for field in parser.fields}
    assert {"username", "email", "password1", "password2", "role", "full_name"} <= names
    assert {"grade", "authority", "usable_password"} <= names
    unlabelled = [
        field
        for field in parser.fields
        if field.get("id") not in parser.labelled and not field.get("aria-label")
    ]
    assert unlabelled == []


def change_user(client, user, **fields):
    """Post the admin's change form for `user` with its current values and `fields`."""
    # The form shows the date joined to the second: stored so, it is not a change.
    user.date_joined = user.date_joined.replace(microsecond=0)
    user.save(update_fields=["date_joined"])
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on" if user.is_active else "",
        "groups": list(user.groups.values_list("pk", flat=True)),
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": timezone.localtime(user.date_joined).strftime("%d/%m/%Y"),
        "date_joined_1": timezone.localtime(user.date_joined).strftime("%H:%M:%S"),
        "_save": "Save",
    }
    # As the page sends them: the date joined's initial value beside it (show_hidden_initial).
    data |= {f"initial-{name}": data[name] for name in ("date_joined_0", "date_joined_1")}
    data.update(fields)
    data = {key: value for key, value in data.items() if value not in ("", [])}
    return client.post(reverse("admin:auth_user_change", args=[user.pk]), data)


def test_changing_a_user_in_the_admin_is_audited_with_the_fields_changed(admin_client):
    """A change of e-mail address writes "user.change" naming the field, not its value."""
    user = inspector_user(username="pat")
    response = change_user(admin_client, user, email="pat.new@example.org")
    assert response.status_code == 302
    event = written().get(action="user.change")
    assert event.detail["fields"] == ["email"]
    assert "pat.new@example.org" not in str(event.detail)
    assert User.objects.get(pk=user.pk).email == "pat.new@example.org"


def test_taking_a_role_away_in_the_admin_is_audited(admin_client):
    """Removing the user's group writes "user.roles" with the role removed."""
    user = inspector_user(username="pat")
    response = change_user(admin_client, user, groups=[])
    assert response.status_code == 302
    event = written().get(action="user.roles")
    assert event.detail["removed"] == [roles.GROUPS[roles.INSPECTOR]]
    assert event.detail["added"] == []
    assert not User.objects.get(pk=user.pk).groups.exists()
