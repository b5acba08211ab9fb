"""A covering index for paging schools in URN order on PostgreSQL.

The council API's school list (and any URN-ordered, local-authority-scoped page) walks the
URN index to its offset and checks each school's local authority. With the authority and id
in the index, PostgreSQL answers that walk from the index alone (index-only scan), without
visiting the table: a deep page of 25,000 schools fell from about 2.6 ms to 1.6 ms
(bench/bench_api.py). SQLite has no INCLUDE columns and gets nothing here.
"""

from django.db import migrations

INDEX = "schools_school_urn_paging"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON schools_school (urn) INCLUDE (local_authority_id, id)"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("schools", "0001_initial")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
