"""Administrators get the new "Can merge duplicate cities" permission (network 0012), as they hold every
permission of the record apps; granting only adds what is missing."""

from django.db import migrations

from accounts.roles import grant_roles


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_staff_roles"),
        ("network", "0012_one_city_one_record"),
        ("conferences", "0008_internal_notes"),
    ]

    operations = [migrations.RunPython(grant_roles, migrations.RunPython.noop)]
