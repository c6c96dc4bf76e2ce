"""Membership terms of one city may not overlap, enforced by the database itself.

PostgreSQL gets an exclusion constraint over date ranges; SQLite, which has none, gets triggers.
An empty start counts as an open lower bound, an empty end as an open upper bound; bounds are inclusive.
"""

from django.db import migrations

POSTGRES_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS btree_gist",
    """
    ALTER TABLE network_membershipterm ADD CONSTRAINT membershipterm_no_overlap
    EXCLUDE USING gist (city_id WITH =, daterange(start_date, end_date, '[]') WITH &&)
    """,
]
POSTGRES_BACKWARD = ["ALTER TABLE network_membershipterm DROP CONSTRAINT membershipterm_no_overlap"]

SQLITE_OVERLAP = """
    EXISTS (
        SELECT 1 FROM network_membershipterm AS other
        WHERE other.city_id = NEW.city_id {exclude_self}
        AND COALESCE(other.start_date, '0001-01-01') <= COALESCE(NEW.end_date, '9999-12-31')
        AND COALESCE(NEW.start_date, '0001-01-01') <= COALESCE(other.end_date, '9999-12-31')
    )
"""
SQLITE_FORWARD = [
    f"""
    CREATE TRIGGER membershipterm_no_overlap_insert BEFORE INSERT ON network_membershipterm
    WHEN {SQLITE_OVERLAP.format(exclude_self="")}
    BEGIN SELECT RAISE(ABORT, 'membershipterm_no_overlap: membership terms of a city may not overlap'); END
    """,
    f"""
    CREATE TRIGGER membershipterm_no_overlap_update BEFORE UPDATE ON network_membershipterm
    WHEN {SQLITE_OVERLAP.format(exclude_self="AND other.id != NEW.id")}
    BEGIN SELECT RAISE(ABORT, 'membershipterm_no_overlap: membership terms of a city may not overlap'); END
    """,
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS membershipterm_no_overlap_insert",
    "DROP TRIGGER IF EXISTS membershipterm_no_overlap_update",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("network", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRES_FORWARD, "sqlite": SQLITE_FORWARD}),
            _run({"postgresql": POSTGRES_BACKWARD, "sqlite": SQLITE_BACKWARD}),
        ),
    ]
