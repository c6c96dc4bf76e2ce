"""The delegates' trigram indexes write each new row into the index at once (fastupdate = off), on PostgreSQL
only: as network/migrations/0010 for the cities', so that a search right after a large participant-list
import does not scan a pending list of every row inserted since the last VACUUM.
"""

from django.db import migrations

INDEXES = [f"delegate_{column}_trgm" for column in ("full_name", "organisation", "email")]
POSTGRES_FORWARD = [f"ALTER INDEX IF EXISTS {index} SET (fastupdate = off)" for index in INDEXES] + [
    f"SELECT gin_clean_pending_list(to_regclass('{index}')) WHERE to_regclass('{index}') IS NOT NULL"
    for index in INDEXES
]
POSTGRES_BACKWARD = [f"ALTER INDEX IF EXISTS {index} RESET (fastupdate)" for index in INDEXES]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("conferences", "0006_delegate_search_trigram")]

    operations = [migrations.RunPython(_run(POSTGRES_FORWARD), _run(POSTGRES_BACKWARD))]
