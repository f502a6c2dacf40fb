from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from accounts import roles
from inspections.models import AuthorityUser, Inspector
from inspections.services import authorities_load
from letters.importing.services import import_letter_file
from letters.models import Letter

DEMO_LETTER = (
    Path(__file__).resolve().parents[2] / "importing" / "demo" / "fernshire-focused-visit.md"
)
DEMO_PASSWORD = "focused-visit-demo"  # For local use only; printed by `make run`.


class Command(BaseCommand):
    help = (
        "Load the demo data: a fictional authority and its letter, and one user per role "
        "(admin, inspector, qa-manager, la-user). Safe to run again."
    )

    @transaction.atomic
    def handle(self, *args, **options):
        authorities_load(by=None)
        letter = Letter.objects.filter(visit__imported_from=DEMO_LETTER.name).first()
        if letter is None:
            visit, _ = import_letter_file(DEMO_LETTER)
            letter = visit.letter
        visit = letter.visit
        lead = visit.team.get(role="lead").inspector
        self.user("admin", roles.ADMINISTRATOR, is_staff=True, is_superuser=True)
        self.user("inspector", roles.INSPECTOR, inspector=lead)
        self.user("qa-manager", roles.QA_MANAGER, inspector=visit.qa_manager)
        la_user = self.user("la-user", roles.AUTHORITY_USER)
        AuthorityUser.objects.update_or_create(
            user=la_user, defaults={"authority": visit.authority}
        )
        self.stdout.write(
            f"Demo data ready: {visit} (visit {visit.pk}). Users admin, inspector, "
            f"qa-manager and la-user, password {DEMO_PASSWORD}"
        )

    def user(self, username, group, *, inspector=None, **flags):
        user, _ = get_user_model().objects.update_or_create(
            username=username, defaults={"email": f"{username}@example.org", **flags}
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
        roles.grant(user, group)
        if inspector is not None:
            Inspector.objects.filter(user=user).exclude(pk=inspector.pk).update(user=None)
            inspector.user = user
            inspector.save(update_fields=["user"])
        return user
