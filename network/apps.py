from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "network"
    verbose_name = "Network"

    def ready(self):
        from django.utils.module_loading import autodiscover_modules

        # Each app's reports.py registers its reports, as admin.py registers ModelAdmins.
        autodiscover_modules("reports")
