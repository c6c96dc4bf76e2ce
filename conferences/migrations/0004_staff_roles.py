"""The staff roles Data entry, Managers and Administrators as groups (conferences/roles.py)."""

from django.db import migrations

from conferences.roles import grant_roles, remove_roles


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("network", "0007_historical_records"),
        ("conferences", "0003_historical_records"),
    ]

    operations = [migrations.RunPython(grant_roles, remove_roles)]
