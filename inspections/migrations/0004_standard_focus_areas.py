"""The standard ILACS themes a focused visit looks at, as focus areas the picker offers
first, each with the words the letter prints in its list of focus areas."""

from django.db import migrations, models

# (name, wording): the themes of the inspection of local authority children's services.
STANDARD_THEMES = [
    (
        "Front door",
        "The arrangements at the front door, including decision-making for contacts and "
        "referrals, child protection enquiries and stepping up to and down from early help.",
    ),
    (
        "Children in need and child protection",
        "The help and protection of children in need and children subject to a child "
        "protection plan, including the application of thresholds and the quality of "
        "assessments and plans.",
    ),
    (
        "Children in care",
        "The experiences and progress of children in care, including the quality of their "
        "plans and the stability of where they live.",
    ),
    (
        "Care leavers",
        "The experiences and progress of care leavers, including how well the local authority "
        "keeps in touch with them and the quality of their pathway plans.",
    ),
    (
        "Permanence",
        "Planning and decision-making for permanence for children in care, including "
        "adoption, special guardianship and long-term fostering.",
    ),
    (
        "Extra-familial risk",
        "The response to children at risk of harm outside their homes, including "
        "exploitation and children who go missing.",
    ),
    (
        "Disabled children",
        "The help and protection of disabled children, and the quality of assessment and "
        "planning for them and their families.",
    ),
]


def add_themes(apps, schema_editor):
    FocusArea = apps.get_model("inspections", "FocusArea")
    for position, (name, wording) in enumerate(STANDARD_THEMES, start=1):
        area, _ = FocusArea.objects.get_or_create(name=name, defaults={"wording": wording})
        # An area an administrator entered under the same name keeps its wording.
        area.is_standard, area.position, area.is_active = True, position, True
        area.save(update_fields=["is_standard", "position", "is_active"])


def remove_themes(apps, schema_editor):
    FocusArea = apps.get_model("inspections", "FocusArea")
    FocusArea.objects.filter(is_standard=True).update(is_standard=False, position=0)


class Migration(migrations.Migration):
    dependencies = [
        ("inspections", "0003_publication_pause"),
    ]

    operations = [
        migrations.AddField(
            model_name="focusarea",
            name="is_standard",
            field=models.BooleanField(
                default=False,
                help_text="Offered first, among the standard themes of a focused visit.",
                verbose_name="Standard ILACS theme",
            ),
        ),
        migrations.AddField(
            model_name="focusarea",
            name="position",
            field=models.PositiveSmallIntegerField(
                default=0, help_text="Where a standard theme comes in the list of themes."
            ),
        ),
        migrations.RunPython(add_themes, remove_themes),
    ]
