"""The admin base every record's ModelAdmin builds on.

RecordAdmin = text normalised and searched folded (core/admin/text_input.py) + safe input (hostile filters,
ids and lookups on private fields answered with a message, never a 500 or a leak: core/admin/safe_input.py) +
history (each version kept and compared, contact fields hidden: core/admin/history.py) + URLs typed without a
scheme read as https. Domain admins add their app's mixins (export actions from reports/admin.py, import views
from imports/admin.py) in front of it.
"""

from core.admin.history import RecordHistoryAdmin
from core.admin.safe_input import SafeInputAdminMixin
from core.admin.text_input import FoldedSearchMixin, NormalisedTextMixin
from core.admin.translated import TranslatedFieldsAdmin


class RecordAdmin(FoldedSearchMixin, NormalisedTextMixin, SafeInputAdminMixin, RecordHistoryAdmin):
    """The ModelAdmin base for the project's records (every model with history)."""


class ReadOnlyAdminMixin:
    """For a ModelAdmin of a log kept as it was written (import history, personal data purges): its records are
    listed and read, never added, changed or deleted here, not even by a superuser."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class TranslatedRecordAdmin(RecordAdmin, TranslatedFieldsAdmin):
    """RecordAdmin for a model with fields in several languages (registered in its app's translation.py)."""


from core.admin import purges  # noqa: E402, F401  (registers the purge log, which this package must not import first)
