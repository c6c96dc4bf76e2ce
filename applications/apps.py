from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    """Admissions: the yearly call for applications, from a mayor's form to a new member (issue #18)."""

    name = "applications"
    verbose_name = _("Admissions")
