from django.apps import AppConfig


class DevtoolsConfig(AppConfig):
    """Demo data, synthetic networks and benchmarks: commands for developers, imported by no other app."""

    name = "devtools"
    verbose_name = "Developer tools"
