from django.db import migrations, models

from accounts.roles import GROUPS

PERMISSION_NAMES = {
    "inspector": "Inspector (HMI): drafts the letters of the visits they are on",
    "qa_manager": "QA manager (Senior HMI): reviews, approves and publishes letters",
    "authority_user": "Local authority user: reads its own authority's letters",
    "administrator": "Administrator: enters reference data in the Django admin",
}


def make_role_groups(apps, schema_editor):
    """One group per role, holding the role's permission (made here: Django makes
    permissions only after all migrations have run)."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    role_type, _ = ContentType.objects.get_or_create(app_label="accounts", model="role")
    for codename, group_name in GROUPS.items():
        permission, _ = Permission.objects.get_or_create(
            content_type=role_type,
            codename=codename,
            defaults={"name": PERMISSION_NAMES[codename]},
        )
        group, _ = Group.objects.get_or_create(name=group_name)
        group.permissions.add(permission)


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.CreateModel(
            name="Role",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
            ],
            options={
                "managed": False,
                "default_permissions": (),
                "permissions": list(PERMISSION_NAMES.items()),
            },
        ),
        migrations.RunPython(make_role_groups, migrations.RunPython.noop),
    ]
