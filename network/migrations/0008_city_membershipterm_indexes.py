"""Indexes for the sorts and membership lookups of the directory, the changelists and the reports."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("network", "0007_historical_records"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="city",
            index=models.Index(fields=["name"], name="city_name_idx"),
        ),
        migrations.AddIndex(
            model_name="city",
            index=models.Index(fields=["country", "name"], name="city_country_name_idx"),
        ),
        migrations.AddIndex(
            model_name="membershipterm",
            index=models.Index(
                fields=["city", "start_date", "end_date"], include=["start_precision", "id"], name="term_city_dates_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="membershipterm",
            index=models.Index(fields=["start_date", "id"], name="term_start_date_idx"),
        ),
    ]
