"""ImportRecord moves from `network` to `imports`: the table stays, only Django's picture of it and its content type move.

Existing databases keep every row, and the permissions granted on import records (they hang on the content type)
stay with the groups that had them.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def move_content_type(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    if not ContentType.objects.using(db).filter(app_label="imports", model="importrecord").exists():
        ContentType.objects.using(db).filter(app_label="network", model="importrecord").update(app_label="imports")


def restore_content_type(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    ContentType.objects.using(db).filter(app_label="imports", model="importrecord").update(app_label="network")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("network", "0009_city_search_trigram"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ImportRecord",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "kind",
                            models.CharField(max_length=20),
                        ),
                        (
                            "status",
                            models.CharField(
                                choices=[("previewed", "Previewed, not applied"), ("applied", "Applied")],
                                default="previewed",
                                max_length=10,
                            ),
                        ),
                        ("file_name", models.CharField(max_length=255)),
                        ("file_size", models.PositiveIntegerField()),
                        ("file_sha256", models.CharField(max_length=64, verbose_name="SHA-256 of the file")),
                        ("content", models.BinaryField()),
                        (
                            "options",
                            models.JSONField(
                                blank=True, default=dict, help_text="What the import was for, e.g. the conference."
                            ),
                        ),
                        (
                            "context",
                            models.CharField(
                                blank=True, help_text="Shown in the history, e.g. ICLC 6.", max_length=200
                            ),
                        ),
                        (
                            "imported_by_name",
                            models.CharField(help_text="Kept if the account is deleted.", max_length=150),
                        ),
                        ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="previewed at")),
                        ("applied_at", models.DateTimeField(blank=True, null=True)),
                        ("created_count", models.PositiveIntegerField(default=0, verbose_name="rows created")),
                        ("updated_count", models.PositiveIntegerField(default=0, verbose_name="rows updated")),
                        ("unchanged_count", models.PositiveIntegerField(default=0, verbose_name="rows unchanged")),
                        (
                            "changes",
                            models.JSONField(
                                blank=True, default=list, help_text="Each created or updated row and what changed."
                            ),
                        ),
                        (
                            "imported_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="import_records",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "network_importrecord",
                        "ordering": ["-created_at"],
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(
                                    ("status", "previewed"), ("applied_at__isnull", False), _connector="OR"
                                ),
                                name="importrecord_applied_has_time",
                                violation_error_message="An applied import records when it was applied.",
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_type, restore_content_type),
    ]
