"""Authorities' ONS codes and regions (the canonical list: inspections/data/authorities.csv,
loaded by `manage.py load_authorities`), the pandemic arrangements as a standard theme, and
whether a visit's focus area prints in the letter's list (a theme an imported letter names
only in its scope sentence does not)."""

from django.db import migrations, models

import govuk.validators

PANDEMIC = (
    "Pandemic arrangements",
    "The local authority's arrangements for children's services during the COVID-19 "
    "(coronavirus) pandemic, including how it kept children safe and in touch.",
)


def add_pandemic_theme(apps, schema_editor):
    FocusArea = apps.get_model("inspections", "FocusArea")
    name, wording = PANDEMIC
    area, _ = FocusArea.objects.get_or_create(name=name, defaults={"wording": wording})
    if not area.is_standard:
        last = (
            FocusArea.objects.filter(is_standard=True)
            .order_by("-position")
            .values_list("position", flat=True)
            .first()
        )
        area.is_standard, area.position = True, (last or 0) + 1
        area.save(update_fields=["is_standard", "position"])


def remove_pandemic_theme(apps, schema_editor):
    FocusArea = apps.get_model("inspections", "FocusArea")
    FocusArea.objects.filter(name=PANDEMIC[0]).update(is_standard=False, position=0)


class Migration(migrations.Migration):
    dependencies = [
        ("inspections", "0004_standard_focus_areas"),
    ]

    operations = [
        migrations.AddField(
            model_name="localauthority",
            name="ons_code",
            field=models.CharField(
                blank=True,
                help_text="The Office for National Statistics' code, e.g. 'E06000001'.",
                max_length=9,
                validators=[govuk.validators.OneLine()],
                verbose_name="ONS code",
            ),
        ),
        migrations.AddField(
            model_name="localauthority",
            name="region",
            field=models.CharField(
                blank=True,
                choices=[
                    ("north-east", "North East"),
                    ("north-west", "North West"),
                    ("yorkshire-and-the-humber", "Yorkshire and The Humber"),
                    ("east-midlands", "East Midlands"),
                    ("west-midlands", "West Midlands"),
                    ("east-of-england", "East of England"),
                    ("london", "London"),
                    ("south-east", "South East"),
                    ("south-west", "South West"),
                ],
                max_length=30,
            ),
        ),
        migrations.AddConstraint(
            model_name="localauthority",
            constraint=models.UniqueConstraint(
                condition=models.Q(("ons_code", ""), _negated=True),
                fields=("ons_code",),
                name="authority_ons_code_unique",
                violation_error_message="Another authority has this ONS code.",
            ),
        ),
        migrations.AddField(
            model_name="visitfocusarea",
            name="listed",
            field=models.BooleanField(
                default=True,
                help_text=(
                    "Printed in the letter's list of focus areas. Not for a theme the letter "
                    "names only in a sentence (an imported letter's scope)."
                ),
                verbose_name="Printed in the list",
            ),
        ),
        migrations.RunPython(add_pandemic_theme, remove_pandemic_theme),
    ]
