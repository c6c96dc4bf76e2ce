from django.apps import AppConfig


class ConferencesConfig(AppConfig):
    name = "conferences"
    verbose_name = "Conferences"

    def ready(self):
        from core.cache import watch

        watch(*(self.get_model(name) for name in ["Venue", "Conference", "Session", "Delegation", "Delegate"]))
