"""Trigram indexes for searching city names anywhere in the name ("dec" finds "Sa Đéc"), on PostgreSQL only.

A LIKE '%text%' cannot use a B-tree index; pg_trgm's GIN indexes serve it. The expressions are the ones
Django writes for `contains` and `icontains`. SQLite has no such index and scans its small tables.
"""

from django.db import migrations

POSTGRES_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS city_search_name_trgm ON network_city USING gin ((search_name::text) gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS city_local_name_trgm ON network_city USING gin ((UPPER(local_name::text)) gin_trgm_ops)",
    "ANALYZE network_city",  # statistics on the indexed expressions, or LIKE estimates are guesses
]
POSTGRES_BACKWARD = ["DROP INDEX IF EXISTS city_search_name_trgm", "DROP INDEX IF EXISTS city_local_name_trgm"]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("network", "0008_city_membershipterm_indexes")]

    operations = [migrations.RunPython(_run(POSTGRES_FORWARD), _run(POSTGRES_BACKWARD))]
