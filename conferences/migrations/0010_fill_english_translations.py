"""Today's titles, descriptions and outcome documents become the English ones (the other languages start empty
and fall back to English)."""

from django.db import migrations
from django.db.models import F

COPIED = {"Conference": ("title", "description", "outcome_document"), "Session": ("title", "description")}


def fill(apps, schema_editor):
    for model_name, fields in COPIED.items():
        apps.get_model("conferences", model_name).objects.update(**{f"{name}_en": F(name) for name in fields})


class Migration(migrations.Migration):
    dependencies = [("conferences", "0009_translated_fields")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
