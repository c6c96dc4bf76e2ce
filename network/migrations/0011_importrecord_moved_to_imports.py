"""ImportRecord now belongs to the `imports` app (its migration 0001 takes over the table); nothing in the database changes."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("network", "0010_city_trigram_fastupdate_off"),
        ("imports", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[migrations.DeleteModel(name="ImportRecord")]),
    ]
