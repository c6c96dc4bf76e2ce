from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    """Admissions: the yearly call for applications, from a mayor's form to a new member (issue #18)."""

    name = "applications"
    verbose_name = _("Admissions")

    def ready(self):
        from core.cache import watch

        # The public call pages and the pipeline report read these: a change refreshes every cached page.
        watch(*(self.get_model(name) for name in ["Call", "Application", "Endorsement", "Review", "Decision"]))
