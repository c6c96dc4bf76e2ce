"""Trigram indexes for the delegates changelist's search (name, organisation, e-mail), on PostgreSQL only.

The expressions are the ones Django writes for `icontains`, so a search reads these indexes, never the
million-row table; see network/migrations/0008 for the cities'.
"""

from django.db import migrations

COLUMNS = ["full_name", "organisation", "email"]
POSTGRES_FORWARD = (
    ["CREATE EXTENSION IF NOT EXISTS pg_trgm"]
    + [
        f"CREATE INDEX IF NOT EXISTS delegate_{column}_trgm ON conferences_delegate "
        f"USING gin ((UPPER({column}::text)) gin_trgm_ops)"
        for column in COLUMNS
    ]
    + ["ANALYZE conferences_delegate"]
)  # statistics on the indexed expressions, or LIKE estimates are guesses
POSTGRES_BACKWARD = [f"DROP INDEX IF EXISTS delegate_{column}_trgm" for column in COLUMNS]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("conferences", "0005_delegate_indexes")]

    operations = [migrations.RunPython(_run(POSTGRES_FORWARD), _run(POSTGRES_BACKWARD))]
