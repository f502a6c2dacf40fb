"""manage.py load_authorities: the canonical list of English local authorities with
children's services (inspections/data/authorities.csv). Safe to run again."""

from django.core.management.base import BaseCommand

from inspections.services import authorities_load


class Command(BaseCommand):
    help = (
        "Load the English local authorities with children's services: ONS code, name, "
        "region. Existing records get their code and region and keep their names."
    )

    def handle(self, *args, **options):
        counts = authorities_load(by=None)
        self.stdout.write(
            f"Authorities: {len(counts['created'])} added, {len(counts['updated'])} given "
            f"their code or region, {counts['unchanged']} unchanged."
        )
        for code in counts["conflicts"]:
            self.stderr.write(
                f"{code}: its name is taken by an authority with another ONS code; not loaded"
            )
