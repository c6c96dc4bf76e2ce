from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "network"
    verbose_name = "Network"

    def ready(self):
        from core.cache import watch

        # Every record the public pages and reports show; import records are not among them. A city and the
        # records that belong to it refresh that city's pages and the lists; the rest refreshes every page.
        watch(*(self.get_model(name) for name in ["Region", "Country", "CountryAlias", "Cluster"]))
        watch(self.get_model("City"), record_scopes=lambda city: [f"city:{city.pk}"])
        owned = ["MembershipTerm", "ProgressReport", "Award", "ClusterMembership"]
        watch(*(self.get_model(name) for name in owned), record_scopes=lambda record: [f"city:{record.city_id}"])
