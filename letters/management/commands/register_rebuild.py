from django.core.management.base import BaseCommand

from letters.register.entries import register_rebuild


class Command(BaseCommand):
    help = (
        "Make the public register's entries for published letters that have none (those "
        "published before the register). Safe to run again."
    )

    def handle(self, *args, **options):
        made = register_rebuild()
        self.stdout.write(f"{made} letters added to the register.")
