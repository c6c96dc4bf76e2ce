from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Plumbing with no domain: cache, history, text folding, partial dates, pagination, charts, the admin base."""

    name = "core"
    verbose_name = "Core"

    def ready(self):
        from django.db.backends.signals import connection_created
        from django.utils.module_loading import autodiscover_modules

        from core import checks  # noqa: F401  (registers the page-cache checks)
        from core.translation import register_sqlite_collation

        connection_created.connect(register_sqlite_collation, dispatch_uid="core_sqlite_collation")
        # Each app's retention.py declares the personal data it keeps and for how long (core/retention.py).
        autodiscover_modules("retention")
