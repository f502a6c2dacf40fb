from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from accounts import roles
from inspections.models import AuthorityUser, Inspector
from inspections.services import authorities_load, reference_save
from letters.importing import demo_letters
from letters.importing.parse import parse_letter_text
from letters.importing.services import import_letter_file, letter_import
from letters.models import Letter
from letters.publication.services import letter_publish
from letters.review.services import letter_approve, letter_submit

DEMO_LETTER = (
    Path(__file__).resolve().parents[2] / "importing" / "demo" / "fernshire-focused-visit.md"
)
DEMO_PASSWORD = "focused-visit-demo"  # For local use only; printed by `make run`.


class Command(BaseCommand):
    help = (
        "Load the demo data: a fictional authority and its draft letter, published letters "
        "with fictional findings for the public register, and one user per role (admin, "
        "inspector, qa-manager, la-user). Safe to run again."
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
        qa_manager = self.user("qa-manager", roles.QA_MANAGER, inspector=visit.qa_manager)
        la_user = self.user("la-user", roles.AUTHORITY_USER)
        AuthorityUser.objects.update_or_create(
            user=la_user, defaults={"authority": visit.authority}
        )
        published = self.register_letters(qa_manager)
        self.stdout.write(
            f"Demo data ready: {visit} (visit {visit.pk}), {published} letters published "
            f"for the register. Users admin, inspector, qa-manager and la-user, password "
            f"{DEMO_PASSWORD}"
        )

    def register_letters(self, qa_manager):
        """The register's fictional letters (letters.importing.demo_letters), each
        imported, submitted by the register's HMI, approved and published by the QA
        manager, who was on none of their teams. A letter loaded before is left alone."""
        hmi = Inspector.objects.filter(full_name=demo_letters.REGISTER_HMI).first()
        if hmi is None:
            hmi = Inspector.objects.create(full_name=demo_letters.REGISTER_HMI)
        # No password: the demo's users are the four above; this one only submits.
        author = self.user("register-hmi", roles.INSPECTOR, inspector=hmi, password=None)
        published = 0
        for demo in demo_letters.LETTERS:
            if Letter.objects.filter(visit__imported_from=demo.source).exists():
                continue
            parsed = parse_letter_text(demo_letters.letter_text(demo), source=demo.source)
            letter = letter_import(parsed=parsed, source=demo.source).letter
            # A fictional authority is in no list of England's: its region is the demo's.
            authority = letter.visit.authority
            if authority.region != demo.region:
                authority.region = demo.region
                reference_save(instance=authority, by=None, changed=["region"])
            letter_submit(letter=letter, by=author)
            letter_approve(letter=letter, by=qa_manager)
            letter_publish(letter=letter, by=qa_manager)
            published += 1
        return published

    def user(self, username, group, *, inspector=None, password=DEMO_PASSWORD, **flags):
        user, _ = get_user_model().objects.update_or_create(
            username=username, defaults={"email": f"{username}@example.org", **flags}
        )
        user.set_password(password)
        user.save()
        roles.grant(user, group)
        if inspector is not None:
            Inspector.objects.filter(user=user).exclude(pk=inspector.pk).update(user=None)
            inspector.user = user
            inspector.save(update_fields=["user"])
        return user
