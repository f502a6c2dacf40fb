from django.db import migrations

from audit.immutability import SchemaGuard


class Migration(migrations.Migration):
    # After both written-once tables exist, with their triggers.
    dependencies = [("audit", "0001_initial"), ("letters", "0001_initial")]

    operations = [SchemaGuard()]
