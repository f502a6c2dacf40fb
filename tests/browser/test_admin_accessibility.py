"""axe-core on the Django admin: every list, add and change page an administrator uses."""

import datetime

import pytest
from django.contrib import admin
from django.urls import reverse

from audit.services import record
from inspections.models import PublicationPause
from jobs.models import Job
from letters.models import Comment
from tests.browser.axe import describe, serious_violations
from tests.factories import UserFactory, complete_letter

pytestmark = pytest.mark.django_db(transaction=True)

# The portal's own reference data and letters, and the users an administrator makes.
APPS = {"auth", "inspections", "letters", "audit", "jobs"}


@pytest.fixture
def administrator():
    return UserFactory(username="admin", is_staff=True, is_superuser=True)


@pytest.fixture
def records(administrator):
    """One of each record, so every change page has something to show."""
    letter = complete_letter()
    Comment.objects.create(letter=letter, author=administrator, text="Check the dates.")
    PublicationPause.objects.create(
        start_date=datetime.date(2026, 5, 1),
        end_date=datetime.date(2026, 5, 8),
        kind=PublicationPause.Kind.PRE_ELECTION,
        reason="Local elections",
    )
    record("letter.create", by=administrator, target=letter)
    Job.objects.create(key="print:1", label="Printing", requested_by=administrator)
    return letter


def admin_pages():
    for model in list(admin.site._registry):
        if model._meta.app_label not in APPS:
            continue
        info = model._meta.app_label, model._meta.model_name
        yield f"admin:{info[0]}_{info[1]}_changelist", model
        yield f"admin:{info[0]}_{info[1]}_add", model


def admin_urls():
    yield reverse("admin:index")
    for name, model in admin_pages():
        yield reverse(name)
        first = model._default_manager.order_by("pk").first()
        if name.endswith("_changelist") and first is not None:
            opts = model._meta
            yield reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[first.pk])


def test_admin_pages_have_no_serious_accessibility_problems(page, sign_in, administrator, records):
    """The index, each list, each add page and each first record's change page pass axe."""
    sign_in(page, administrator)
    problems = []
    for url in admin_urls():
        response = page.goto(url)
        if response.status == 403 and url.endswith("/add/"):
            continue  # written only through the portal (audit events, jobs, versions)
        assert response.ok, f"{url} answered {response.status}"
        if found := serious_violations(page):
            problems.append(f"{url}\n{describe(found)}")

    assert not problems, "\n".join(problems)
