"""The log of personal data purges (core.models.PersonalDataPurge), read-only in the admin: what
purge_personal_data cleared, when and by whom. Nobody adds, changes or deletes a line of it here."""

from django.contrib import admin

from core.admin import ReadOnlyAdminMixin
from core.models import PersonalDataPurge


@admin.register(PersonalDataPurge)
class PersonalDataPurgeAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["purged_at", "kind", "description", "fields", "files_removed", "purged_by"]
    list_filter = ["kind", "model"]
    search_fields = ["description", "kind", "purged_by"]
    date_hierarchy = "purged_at"
    readonly_fields = [field.name for field in PersonalDataPurge._meta.fields]
