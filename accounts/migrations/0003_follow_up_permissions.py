"""Roles get the permissions of the reminder log (network 0013), and Managers may record progress reports and
send reminders from the follow-up lists."""

from django.db import migrations

from accounts.roles import grant_roles


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_merge_city_permission"),
        ("network", "0013_city_contact_email_reminder"),
    ]

    operations = [migrations.RunPython(grant_roles, migrations.RunPython.noop)]
