from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class ImportsConfig(AppConfig):
    """The import framework (upload, preview, apply) and the record of every imported file."""

    name = "imports"
    verbose_name = "Imports"

    def ready(self):
        from django.utils.module_loading import autodiscover_modules

        # Each domain app declares its Importer subclasses in importers.py; importing them registers their kinds.
        autodiscover_modules("importers")

        # The staff dashboard counts the imports previewed and never applied; no other page shows them.
        record = self.get_model("ImportRecord")
        post_save.connect(_import_records_changed, sender=record, dispatch_uid="imports-record-saved")
        post_delete.connect(_import_records_changed, sender=record, dispatch_uid="imports-record-deleted")


def _import_records_changed(sender, **kwargs) -> None:
    from core.cache import IMPORTS, bump

    bump([IMPORTS])
