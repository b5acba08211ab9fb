"""Make the database refuse overlapping primary postings of an officer to a school.

PostgreSQL has exclusion constraints over date ranges (with btree_gist for the equality
parts); SQLite has none, so there the same rule is two triggers. Either way the rule
holds for every writer, not only for code that remembers to call ``Posting.clean``.
"""

from django.db import migrations

PG_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS btree_gist",
    """
    ALTER TABLE officers_posting ADD CONSTRAINT posting_no_overlapping_primary
    EXCLUDE USING gist (
        officer_id WITH =,
        school_id WITH =,
        daterange(start_date, end_date, '[]') WITH &&
    ) WHERE (role = 'primary')
    """,
]
PG_BACKWARD = ["ALTER TABLE officers_posting DROP CONSTRAINT posting_no_overlapping_primary"]

SQLITE_OVERLAP_CHECK = """
    SELECT RAISE(ABORT, 'posting_no_overlapping_primary')
    WHERE NEW.role = 'primary' AND EXISTS (
        SELECT 1 FROM officers_posting p
        WHERE p.officer_id = NEW.officer_id
          AND p.school_id = NEW.school_id
          AND p.role = 'primary'
          AND p.id IS NOT NEW.id
          AND (p.end_date IS NULL OR p.end_date >= NEW.start_date)
          AND (NEW.end_date IS NULL OR p.start_date <= NEW.end_date)
    );
"""
SQLITE_FORWARD = [
    "CREATE TRIGGER posting_no_overlapping_primary_insert BEFORE INSERT ON officers_posting "
    f"BEGIN {SQLITE_OVERLAP_CHECK} END",
    "CREATE TRIGGER posting_no_overlapping_primary_update BEFORE UPDATE ON officers_posting "
    f"BEGIN {SQLITE_OVERLAP_CHECK} END",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER posting_no_overlapping_primary_insert",
    "DROP TRIGGER posting_no_overlapping_primary_update",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("officers", "0002_initial")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": PG_FORWARD, "sqlite": SQLITE_FORWARD}),
            _run({"postgresql": PG_BACKWARD, "sqlite": SQLITE_BACKWARD}),
        )
    ]
