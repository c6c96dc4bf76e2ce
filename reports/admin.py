"""The admin actions "Export selected as CSV / XLSX", built from the report classes of the Reports section."""

from django.contrib import admin
from django.contrib.admin import helpers
from django.core.exceptions import ImproperlyConfigured
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reports.base import VIEW_REPORTS, Report
from reports.export import Export
from reports.models import SavedReport


class ExportActionsMixin:
    """Give a ModelAdmin the two export actions of `export_report` (a list report over its model)."""

    export_report: type[Report] | None = None
    actions = ["export_selected_csv", "export_selected_xlsx"]

    def action_checkbox(self, obj):
        # Django's own renders a form widget through a template, a third of a changelist's time on 100 rows;
        # this writes the same tag directly.
        label = format_html(_("Select this object for an action - {}"), str(obj))
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            helpers.ACTION_CHECKBOX_NAME,
            obj.pk,
            label,
        )

    def has_export_permission(self, request):
        return request.user.has_perm(VIEW_REPORTS)

    def _export(self, request, queryset, fmt):
        report_class = self.export_report
        if report_class is None:
            raise ImproperlyConfigured(
                f"{type(self).__name__} has export actions but no export_report."
            )  # for developers
        permission = report_class.personal_data_permission
        personal = bool(permission) and request.user.has_perm(permission)
        report = report_class({}, include_personal_data=personal, selection=queryset)
        made_by = request.user.get_username()
        return Export(
            report, fmt, made_by=made_by, source=_("the rows ticked in %(path)s") % {"path": request.path}
        ).response()

    @admin.action(description=gettext_lazy("Export selected as CSV"), permissions=["export"])
    def export_selected_csv(self, request, queryset):
        return self._export(request, queryset, "csv")

    @admin.action(description=gettext_lazy("Export selected as XLSX"), permissions=["export"])
    def export_selected_xlsx(self, request, queryset):
        return self._export(request, queryset, "xlsx")


@admin.register(SavedReport)
class SavedReportAdmin(admin.ModelAdmin):
    """Saved reports and their schedules; each user sees and changes their own, a superuser all."""

    list_display = ["name", "report", "filters", "frequency", "format", "last_sent_at", "owner"]
    list_select_related = ["owner"]
    list_filter = ["frequency", "format"]
    search_fields = ["name", "report"]
    ordering = ["name"]
    fields = ["name", "report", "filters", "frequency", "format", "recipients", "last_sent_at"]
    readonly_fields = ["last_sent_at"]
    date_hierarchy = "created_at"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset if request.user.is_superuser else queryset.filter(owner=request.user)

    def has_module_permission(self, request):
        return request.user.has_perm(VIEW_REPORTS)

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm(VIEW_REPORTS)

    has_add_permission = has_change_permission = has_delete_permission = has_view_permission

    def save_model(self, request, obj, form, change):
        if obj.owner_id is None:
            obj.owner = request.user
        super().save_model(request, obj, form, change)
