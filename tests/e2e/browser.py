"""What the browser tests share: where Chromium is, where screenshots go, and the reference data to restore."""

from importlib import import_module
from pathlib import Path

from django.apps import apps
from django.conf import settings

from network.models import Country

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def restore_reference_data():
    """Put back the regions, countries and clusters a migration loads: each live-server test ends by emptying
    every table. (Serialized rollback cannot do it here: Playwright's event loop gives this thread a
    connection of its own, without the serialized copy.)"""
    if not Country.objects.exists():
        import_module("network.migrations.0003_load_regions_countries_clusters").load(apps, None)
