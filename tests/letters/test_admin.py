import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from tests.factories import UserFactory, complete_letter

MODELS = [model for model in admin.site._registry]


class Superuser:
    is_active = is_staff = is_superuser = True

    def has_perm(self, perm, obj=None):
        return True


def can_add(model):
    request = RequestFactory().get("/")
    request.user = Superuser()
    return admin.site._registry[model].has_add_permission(request)


# Records that only services write (versions, audit events, django-axes's attempts)
# have no add page.
ADDABLE = [model for model in MODELS if can_add(model)]


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.mark.django_db
@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.label)
def test_changelist_answers_200(admin_client, model):
    """Every model's changelist opens for an administrator, with data in it."""
    complete_letter()
    response = admin_client.get(admin_url(model, "changelist"))
    assert response.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("model", ADDABLE, ids=lambda m: m._meta.label)
def test_add_page_answers_200(admin_client, model):
    """Every model's add page opens for an administrator."""
    response = admin_client.get(admin_url(model, "add"))
    assert response.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.label)
def test_changelist_search_answers_200(admin_client, model):
    """Searching a changelist works (search fields name real columns)."""
    complete_letter()
    response = admin_client.get(admin_url(model, "changelist"), {"q": "Ashdown"})
    assert response.status_code == 200


@pytest.mark.django_db
def test_letter_change_page_shows_its_sections(admin_client):
    """The letter's change page lists its sections inline."""
    letter = complete_letter()
    response = admin_client.get(admin_url(type(letter), "change", letter.pk))
    assert response.status_code == 200
    assert "Areas for improvement" in response.content.decode()


@pytest.mark.django_db
def test_admin_downloads_the_draft_pdf(admin_client):
    """The letter's PDF link in the admin answers with a PDF that is not cached."""
    letter = complete_letter()
    response = admin_client.get(reverse("admin:letters_letter_pdf", args=[letter.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    assert response.content.startswith(b"%PDF")


@pytest.mark.django_db
def test_admin_pages_refuse_an_inspector(client):
    """A signed-in user who is not staff is sent to the admin's sign-in page."""
    client.force_login(UserFactory(username="plain"))
    response = client.get(reverse("admin:letters_letter_changelist"))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "model", sorted(set(MODELS) - set(ADDABLE), key=str), ids=lambda m: m._meta.label
)
def test_service_records_cannot_be_added_in_the_admin(admin_client, model):
    """Published versions, audit events, submissions, comments, sign-in attempts: no add page."""
    assert admin_client.get(admin_url(model, "add")).status_code == 403


def test_admin_sign_in_is_the_portals_sign_in(client):
    """The admin has no sign-in form of its own: it forwards to the portal's."""
    response = client.get(reverse("admin:login") + "?next=/admin/")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login") + "?next=/admin/"
