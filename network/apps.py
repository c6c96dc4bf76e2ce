from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "network"
    verbose_name = "Network"

    def ready(self):
        from django.db.models.signals import pre_save

        from core.cache import watch
        from network.scopes import city_record_scopes, city_scopes_of, remember_stored_country

        # Every record the public pages and reports show; import records are not among them. A city and the
        # records that belong to it refresh that city's pages, its country's and region's (network/scopes.py)
        # and the lists; the rest refreshes every page.
        watch(*(self.get_model(name) for name in ["Region", "Country", "CountryAlias", "Cluster"]))
        city = self.get_model("City")
        pre_save.connect(remember_stored_country, sender=city, dispatch_uid="network-city-country-was")
        watch(city, record_scopes=city_record_scopes)
        # A reminder shows on no public page, but in the reports' "last reminder" (progress reports due).
        owned = ["MembershipTerm", "ProgressReport", "Award", "ClusterMembership", "Reminder"]
        watch(*(self.get_model(name) for name in owned), record_scopes=lambda record: city_scopes_of([record.city_id]))
