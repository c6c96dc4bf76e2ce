"""Indexes in the orders delegates are read in; the composite one replaces the foreign key's own index."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("conferences", "0002_delegate_export_personal_data"),
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
        migrations.AlterField(
            model_name="delegate",
            name="delegation",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="delegates",
                to="conferences.delegation",
            ),
        ),
    ]
