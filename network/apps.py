from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "network"
    verbose_name = "Network"

    def ready(self):
        from django.utils.module_loading import autodiscover_modules

        from network.cache import watch

        # Each app's reports.py registers its reports, as admin.py registers ModelAdmins.
        autodiscover_modules("reports")
        # Every record the public pages and reports show; import records are not among them.
        records = ["Region", "Country", "CountryAlias", "City", "MembershipTerm", "ProgressReport", "Award"]
        watch(*(self.get_model(name) for name in [*records, "Cluster", "ClusterMembership"]))
