"""Load UNESCO's five regions, its member states and associate members, and the thematic clusters."""

import csv
from pathlib import Path

from django.db import migrations
from django.utils.text import slugify

COUNTRIES_CSV = Path(__file__).resolve().parent.parent / "data" / "countries.csv"

REGIONS = [
    ("Africa", "africa"),
    ("Arab States", "arab-states"),
    ("Asia and the Pacific", "asia-pacific"),
    ("Europe and North America", "europe-north-america"),
    ("Latin America and the Caribbean", "latin-america-caribbean"),
]

CLUSTERS = [
    "Education for sustainable development",
    "Equity and inclusion",
    "Educational planning, monitoring and evaluation",
    "Global citizenship education",
    "Entrepreneurship",
    "Learning for health and well-being",
    "Literacy",
]


def load(apps, schema_editor):
    Region = apps.get_model("network", "Region")
    Country = apps.get_model("network", "Country")
    CountryAlias = apps.get_model("network", "CountryAlias")
    Cluster = apps.get_model("network", "Cluster")

    regions = {name: Region.objects.get_or_create(slug=slug, defaults={"name": name})[0] for name, slug in REGIONS}
    with COUNTRIES_CSV.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            country, _ = Country.objects.get_or_create(
                code=row["code"],
                defaults={
                    "name": row["name"],
                    "formal_name": row["formal_name"],
                    "slug": slugify(row["name"].replace("'", "")) or row["code"].lower(),
                    "region": regions[row["region"]],
                },
            )
            for alias in filter(None, row["aliases"].split(";")):
                CountryAlias.objects.get_or_create(country=country, name=alias.strip())
    for name in CLUSTERS:
        Cluster.objects.get_or_create(slug=slugify(name), defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("network", "0002_membershipterm_no_overlap")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
