from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "network"
    verbose_name = "Network"

    def ready(self):
        from core.cache import watch

        # Every record the public pages and reports show; import records are not among them.
        records = ["Region", "Country", "CountryAlias", "City", "MembershipTerm", "ProgressReport", "Award"]
        watch(*(self.get_model(name) for name in [*records, "Cluster", "ClusterMembership"]))
