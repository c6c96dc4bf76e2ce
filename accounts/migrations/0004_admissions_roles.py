"""Roles get the permissions of admissions (applications 0001): Data entry keeps applications, Managers read them
and announce the cohort, Administrators hold every permission."""

from django.db import migrations

from accounts.roles import grant_roles


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_follow_up_permissions"),
        ("applications", "0001_initial"),
    ]

    operations = [migrations.RunPython(grant_roles, migrations.RunPython.noop)]
