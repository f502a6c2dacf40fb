"""The public register's entries (letters.register.models.RegisterEntry), with the GIN index
of their full-text search on PostgreSQL (SQLite has no such index, and searches without).

Entries for letters published before this migration: `manage.py register_rebuild`."""

import django.contrib.postgres.indexes
import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models

INDEX = "register_entry_search"


def create_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"CREATE INDEX {INDEX} ON letters_registerentry USING gin (search)")


def drop_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("inspections", "0004_standard_focus_areas"),
        ("letters", "0005_follow_up"),
    ]

    operations = [
        migrations.CreateModel(
            name="RegisterEntry",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("number", models.PositiveIntegerField()),
                ("current", models.BooleanField(default=True)),
                ("title", models.CharField(max_length=300)),
                ("authority_name", models.CharField(max_length=200)),
                ("visit_start", models.DateField()),
                ("visit_end", models.DateField(blank=True, null=True)),
                ("letter_date", models.DateField(blank=True, null=True)),
                ("published_at", models.DateTimeField()),
                ("year", models.PositiveSmallIntegerField()),
                ("has_priority_actions", models.BooleanField()),
                ("content", models.JSONField()),
                ("text", models.TextField()),
                (
                    "search",
                    django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
                ),
                (
                    "authority",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="register_entries",
                        to="inspections.localauthority",
                    ),
                ),
                (
                    "letter",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="register_entries",
                        to="letters.letter",
                    ),
                ),
                (
                    "themes",
                    models.ManyToManyField(
                        blank=True, related_name="+", to="inspections.focusarea"
                    ),
                ),
                (
                    "version",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="register_entry",
                        to="letters.publishedversion",
                    ),
                ),
            ],
            options={
                "verbose_name_plural": "register entries",
                "ordering": ["-published_at", "-pk"],
                "indexes": [
                    models.Index(
                        condition=models.Q(("current", True)),
                        fields=["-published_at", "-id"],
                        name="register_current_newest",
                    ),
                    models.Index(
                        condition=models.Q(("current", True)),
                        fields=["authority", "year", "has_priority_actions"],
                        name="register_facets",
                    ),
                ],
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("current", True)),
                        fields=("letter",),
                        name="register_one_current_entry",
                    ),
                ],
            },
        ),
        # PostgreSQL's GIN index; in the state on every database, so the models agree.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddIndex(
                    model_name="registerentry",
                    index=django.contrib.postgres.indexes.GinIndex(fields=["search"], name=INDEX),
                ),
            ],
            database_operations=[
                migrations.RunPython(create_search_index, drop_search_index),
            ],
        ),
    ]
