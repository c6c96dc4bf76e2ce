"""Today's values become the English ones; country names in French, Spanish and Arabic come from CLDR (Babel),
the five regions' names are UNESCO's own in each language (unesco.org/fr, /es, /ar)."""

from babel import Locale
from django.db import migrations
from django.db.models import F

COPIED = {
    "Region": ("name",),
    "Country": ("name",),
    "City": ("description",),
    "Award": ("citation",),
    "Cluster": ("name", "description"),
}
REGION_NAMES = {
    "africa": {"fr": "Afrique", "es": "África", "ar": "أفريقيا"},
    "arab-states": {"fr": "États arabes", "es": "Estados Árabes", "ar": "الدول العربية"},
    "asia-pacific": {"fr": "Asie et Pacifique", "es": "Asia y el Pacífico", "ar": "آسيا والمحيط الهادئ"},
    "europe-north-america": {
        "fr": "Europe et Amérique du Nord",
        "es": "Europa y América del Norte",
        "ar": "أوروبا وأمريكا الشمالية",
    },
    "latin-america-caribbean": {
        "fr": "Amérique latine et Caraïbes",
        "es": "América Latina y el Caribe",
        "ar": "أمريكا اللاتينية والكاريبي",
    },
}
LANGUAGES = ("fr", "es", "ar")


def fill(apps, schema_editor):
    for model_name, fields in COPIED.items():
        apps.get_model("network", model_name).objects.update(**{f"{name}_en": F(name) for name in fields})
    Region = apps.get_model("network", "Region")
    for slug, names in REGION_NAMES.items():
        Region.objects.filter(slug=slug).update(**{f"name_{lang}": name for lang, name in names.items()})
    territories = {lang: Locale(lang).territories for lang in LANGUAGES}
    Country = apps.get_model("network", "Country")
    for country in Country.objects.all():
        for lang in LANGUAGES:
            setattr(country, f"name_{lang}", territories[lang].get(country.code))
        country.save(update_fields=[f"name_{lang}" for lang in LANGUAGES])


class Migration(migrations.Migration):
    dependencies = [("network", "0014_translated_fields")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
