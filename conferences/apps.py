from django.apps import AppConfig


class ConferencesConfig(AppConfig):
    name = "conferences"
    verbose_name = "Conferences"

    def ready(self):
        from core.cache import watch

        watch(*(self.get_model(name) for name in ["Venue", "Conference", "Session"]))
        # A delegation shows on its city's profile, and so do its delegates' counts.
        watch(self.get_model("Delegation"), record_scopes=lambda delegation: [f"city:{delegation.city_id}"])
        watch(self.get_model("Delegate"), record_scopes=delegate_scopes)


def delegate_scopes(delegate) -> list[str]:
    """The pages of the city that sent the delegate (the delegation may be gone when deleted with it)."""
    from conferences.models import Delegate, Delegation

    if Delegate._meta.get_field("delegation").is_cached(delegate):
        return [f"city:{delegate.delegation.city_id}"]
    city_ids = Delegation.objects.filter(pk=delegate.delegation_id).values_list("city_id", flat=True)
    return [f"city:{city_id}" for city_id in city_ids]
