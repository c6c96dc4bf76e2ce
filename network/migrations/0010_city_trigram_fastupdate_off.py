"""The cities' trigram indexes write each new row into the index at once (fastupdate = off), on PostgreSQL only.

With fastupdate on, rows inserted since the last VACUUM (rolled-back imports included) wait in the GIN index's
pending list, which every query through the index scans whole: the import matcher's `search_name IN (...)`
took 3.6-7.9 s per 1,000 names after a 30,000-row insert until VACUUM (security probe 7.3). Inserts cost a
little more instead; the pending list already there is merged now.
"""

from django.db import migrations

INDEXES = ["city_search_name_trgm", "city_local_name_trgm"]
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
    dependencies = [("network", "0009_city_search_trigram")]

    operations = [migrations.RunPython(_run(POSTGRES_FORWARD), _run(POSTGRES_BACKWARD))]
