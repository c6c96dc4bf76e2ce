"""Indexes in the orders delegates are read in: by delegation (pages, reports) and by name (changelist)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("conferences", "0004_staff_roles"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="delegate",
            index=models.Index(
                fields=["delegation", "-is_head", "full_name", "id"], name="delegate_delegation_order_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="delegate",
            index=models.Index(fields=["full_name", "-id"], name="delegate_full_name_idx"),
        ),
    ]
