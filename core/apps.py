from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Plumbing with no domain: cache, history, text folding, partial dates, pagination, charts, the admin base."""

    name = "core"
    verbose_name = "Core"

    def ready(self):
        from core import checks  # noqa: F401  (registers the page-cache checks)
