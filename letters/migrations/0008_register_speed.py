"""The register's search vectors kept in the entry's row (PostgreSQL).

An entry's content, text and search vector together are wider than PostgreSQL's 2 kB
row threshold, so the vector was moved out of the row (TOAST): every search read it back
from the TOAST table for every matching letter, three page reads each (bench/search.py:
35 ms to rank a common word's 9,000 letters). With STORAGE MAIN the vector stays in
the row, compressed, and the wide content and text go out of it first: the same ranking
reads the table alone (about 5 ms). The UPDATE rewrites the existing vectors so that
they move too (the setting applies to values written after it).
"""

from django.db import migrations


def keep_vector_in_row(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE letters_registerentry ALTER COLUMN search SET STORAGE MAIN"
        )
        schema_editor.execute(
            "UPDATE letters_registerentry SET search = search || ''::tsvector "
            "WHERE search IS NOT NULL"
        )


def vector_stored_as_before(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE letters_registerentry ALTER COLUMN search SET STORAGE EXTENDED"
        )


class Migration(migrations.Migration):
    dependencies = [("letters", "0007_section_page_break")]

    operations = [migrations.RunPython(keep_vector_in_row, vector_stored_as_before)]
