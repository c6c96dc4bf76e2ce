from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """The report framework and the export engine; each domain app declares its reports in `reports.py`."""

    name = "reports"
    verbose_name = "Reports"

    def ready(self):
        from django.utils.module_loading import autodiscover_modules

        # Each app's reports.py registers its reports, as admin.py registers ModelAdmins.
        autodiscover_modules("reports", "dashboard")
