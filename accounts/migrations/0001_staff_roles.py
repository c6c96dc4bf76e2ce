"""The staff roles Data entry, Managers and Administrators as groups (accounts/roles.py).

On a database that had them already (made by conferences 0004 before the roles moved here) this adds nothing:
granting only adds permissions that are missing.
"""

from django.db import migrations

from accounts.roles import grant_roles, remove_roles


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("network", "0011_importrecord_moved_to_imports"),
        ("imports", "0001_initial"),
        ("conferences", "0007_delegate_trigram_fastupdate_off"),
    ]

    operations = [migrations.RunPython(grant_roles, remove_roles)]
