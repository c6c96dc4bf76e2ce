from django.apps import AppConfig


class ImportsConfig(AppConfig):
    """The import framework (upload, preview, apply) and the record of every imported file."""

    name = "imports"
    verbose_name = "Imports"

    def ready(self):
        from django.utils.module_loading import autodiscover_modules

        # Each domain app declares its Importer subclasses in importers.py; importing them registers their kinds.
        autodiscover_modules("importers")

        from core.cache import watch

        # The dashboard counts the imports previewed and never applied: a record stored or dropped refreshes the
        # lists (no public page shows one).
        watch(self.get_model("ImportRecord"), record_scopes=lambda record: [])
