"""The three staff roles as groups of permissions: Data entry, Managers, Administrators.

Used by a data migration, so it reads models from the `apps` it is given, never imports them. It only adds
permissions: it can run again (a later migration that adds a model calls grant_roles to include it), and
permissions someone granted a group by hand stay.
"""

from django.contrib.auth.management import create_permissions
from django.db import DEFAULT_DB_ALIAS

DATA_ENTRY, MANAGERS, ADMINISTRATORS = "Data entry", "Managers", "Administrators"
ROLES = [DATA_ENTRY, MANAGERS, ADMINISTRATORS]
RECORD_APPS = ["network", "conferences", "imports", "applications"]

# Data entry may delete a record entered by mistake, but not the records others hang on (cities, conferences)
# nor reference data (regions, countries, clusters). Deleting a record that others point at is refused anyway.
DATA_ENTRY_DELETES = {
    "network": {"membershipterm", "award", "progressreport", "clustermembership", "countryalias"},
    "conferences": {"venue", "session", "delegation", "delegate"},
    "applications": {"review", "attachment"},
}
# UNESCO's five regions are fixed, import records are written only by importing, and status changes only by
# moving an application (applications/workflow.py).
DATA_ENTRY_VIEW_ONLY = {"network": {"region"}, "imports": {"importrecord"}, "applications": {"transition"}}
# Managers act on the follow-up lists: they record the reports cities send and remind the cities that owe one;
# they announce a call's cohort.
MANAGER_EXTRAS = [
    "network.view_reports",
    "network.add_progressreport",
    "network.add_reminder",
    "applications.announce_cohort",
]
# Administrators manage accounts and roles; they hold every permission of the record apps besides.
ADMINISTRATOR_EXTRAS = {"auth": {"user", "group"}}


def _record_models(apps, app_label: str) -> set[str]:
    """The app's own models, without the historical tables django-simple-history adds beside them."""
    names = {model._meta.model_name for model in apps.get_app_config(app_label).get_models()}
    return {name for name in names if not (name.startswith("historical") and name[10:] in names)}


class _Permissions:
    def __init__(self, apps, using: str):
        self.queryset = apps.get_model("auth", "Permission").objects.using(using).select_related("content_type")

    def of_models(self, app_label: str, actions: set[str], models: set[str]) -> list:
        wanted = {f"{action}_{model}" for action in actions for model in models}
        return list(self.queryset.filter(content_type__app_label=app_label, codename__in=wanted))

    def of_app(self, app_label: str) -> list:
        return list(self.queryset.filter(content_type__app_label=app_label))

    def by_label(self, labels: list[str]) -> list:
        pairs = [label.split(".") for label in labels]
        return [self.queryset.get(content_type__app_label=app, codename=codename) for app, codename in pairs]


def role_permissions(apps, using: str = DEFAULT_DB_ALIAS) -> dict[str, list]:
    """The permissions of each role, from the models the given app registry holds."""
    permissions = _Permissions(apps, using)
    data_entry, managers, administrators = [], [], []
    for app_label in RECORD_APPS:
        models = _record_models(apps, app_label)
        view_only = DATA_ENTRY_VIEW_ONLY.get(app_label, set())
        data_entry += permissions.of_models(app_label, {"view"}, models)
        data_entry += permissions.of_models(app_label, {"add", "change"}, models - view_only)
        data_entry += permissions.of_models(app_label, {"delete"}, DATA_ENTRY_DELETES.get(app_label, set()))
        managers += permissions.of_models(app_label, {"view"}, models)
        administrators += permissions.of_app(app_label)
    managers += permissions.by_label(MANAGER_EXTRAS)
    for app_label, models in ADMINISTRATOR_EXTRAS.items():
        administrators += permissions.of_models(app_label, {"view", "add", "change", "delete"}, models)
    return {DATA_ENTRY: data_entry, MANAGERS: managers, ADMINISTRATORS: administrators}


def grant_roles(apps, schema_editor) -> None:
    """Create the groups, and the permissions first: post_migrate, which usually makes them, runs after."""
    using = schema_editor.connection.alias
    for app_config in apps.get_app_configs():
        # create_permissions skips apps without a models module, which a migration's app states never have.
        models_module, app_config.models_module = getattr(app_config, "models_module", None), True
        create_permissions(app_config, verbosity=0, using=using, apps=apps)
        app_config.models_module = models_module
    Group = apps.get_model("auth", "Group")
    for name, permissions in role_permissions(apps, using).items():
        group, _ = Group.objects.using(using).get_or_create(name=name)
        group.permissions.add(*permissions)


def remove_roles(apps, schema_editor) -> None:
    apps.get_model("auth", "Group").objects.using(schema_editor.connection.alias).filter(name__in=ROLES).delete()
