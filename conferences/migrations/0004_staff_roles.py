"""Once made the staff roles; they are now made by accounts/migrations/0001_staff_roles.py, after every model.

Kept, empty, so that databases migrated before the move and new ones share one migration history.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("network", "0007_historical_records"),
        ("conferences", "0003_historical_records"),
    ]

    operations = []
