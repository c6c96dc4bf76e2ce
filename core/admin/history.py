"""The admin's history pages: each version of a record, who made it, when, why, and what changed."""

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

EMPTY = _("(empty)")
# Django 6.0's default, asked for by name: a URL typed without a scheme ("example.org") is saved as https://example.org.
HTTPS_URL_FORMFIELDS: Mapping[type[models.Field], Mapping[str, Any]] = {models.URLField: {"assume_scheme": "https"}}


class ChangeDisplay(HistoricalRecordContextHelper):
    """Old and new values as staff read them: a choice's label, not its code; yes or no; "(empty)" for no value."""

    def prepare_delta_change_value(self, change, value):
        field = self.model._meta.get_field(change.field)
        if value is None or value == "":
            return EMPTY
        if isinstance(value, bool):
            return gettext("yes") if value else gettext("no")
        if field.choices:
            return dict(field.flatchoices).get(value, value)
        return super().prepare_delta_change_value(change, value)


class RecordHistoryAdmin(SimpleHistoryAdmin):
    """A ModelAdmin with the history page of django-simple-history, read-only.

    The history page lists versions newest first, each compared field by field with the version before it.
    Its forms read a URL typed without a scheme as https (`HTTPS_URL_FORMFIELDS`).
    """

    formfield_overrides = HTTPS_URL_FORMFIELDS
    history_list_per_page = 50
    # Paths to load with each version, for foreign keys whose names reach further (a venue names its city).
    history_select_related: tuple[str, ...] = ()

    def history_hidden_fields(self, request) -> tuple[str, ...]:
        """Fields whose old and new values this user may not see (a delegate's contact details, say)."""
        return ()

    def get_history_queryset(self, request, history_manager, pk_name, object_id):
        queryset = super().get_history_queryset(request, history_manager, pk_name, object_id)
        # Not select_related() with nothing: that would replace the relations simple-history already joins.
        return queryset.select_related(*self.history_select_related) if self.history_select_related else queryset

    def get_historical_record_context_helper(self, request, historical_record):
        return ChangeDisplay(self.model, historical_record)

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        hidden = self.history_hidden_fields(request)
        # Numbered from the oldest, so "version 3" names the same version on every page.
        number = historical_records.paginator.count - historical_records.start_index() + 1
        previous = None
        for current in historical_records:
            current.version = number
            number -= 1
            if previous is not None:
                delta = previous.diff_against(
                    current, excluded_fields=hidden, foreign_keys_are_objs=foreign_keys_are_objs
                )
                helper = self.get_historical_record_context_helper(request, previous)
                previous.history_delta_changes = helper.context_for_delta_changes(delta)
                previous.compared = True
            previous = current

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # simple-history would save a posted form here checking only the view permission: history is read-only.
        if request.method != "GET":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)
