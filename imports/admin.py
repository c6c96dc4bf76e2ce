"""Admin pages for bulk imports (upload, preview, apply, templates) and the import history."""

import hashlib
from typing import TYPE_CHECKING

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ImproperlyConfigured, ObjectDoesNotExist, PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.http import content_disposition_header
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.admin import ReadOnlyAdminMixin
from core.admin.safe_input import SafeInputAdminMixin
from imports.models import ImportRecord
from imports.spreadsheets import human_size, max_file_size, template_csv, template_xlsx
from imports.workflow import (
    PREVIEW_LIFETIME,
    Importer,
    import_apply,
    import_preview,
    import_previewed,
    import_store,
)

if TYPE_CHECKING:
    # What the import mixin extends, for the type checker; at run time it is mixed into one.
    _ModelAdminBase = admin.ModelAdmin
else:
    _ModelAdminBase = object

ROWS_SHOWN = 1000


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV or XLSX file"), allow_empty_file=True, help_text=_("The first row names the columns.")
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > max_file_size():
            raise forms.ValidationError(
                gettext("The file is %(size)s; the limit is %(limit)s. Split it into smaller files.")
                % {"size": human_size(upload.size), "limit": human_size(max_file_size())}
            )
        return upload


class ImportAdminMixin(_ModelAdminBase):
    """Adds import/ pages to a ModelAdmin; the importer says what a row means, the mixin runs the workflow.

    The admin sets `importer_class` (an Importer subclass); without one, creating the admin (registering it)
    raises ImproperlyConfigured naming it.
    """

    importer_class: type[Importer]
    import_form_class = ImportForm
    import_permissions: list[str] = []

    def __init__(self, *args, **kwargs):
        if getattr(self, "importer_class", None) is None:
            raise ImproperlyConfigured(f"{type(self).__name__} imports with no importer_class: set one.")
        super().__init__(*args, **kwargs)

    def has_import_permission(self, request) -> bool:
        return request.user.is_active and request.user.is_staff and request.user.has_perms(self.import_permissions)

    def get_importer(self, form) -> Importer:
        return self.importer_class()

    def get_urls(self):
        name = f"{self.opts.app_label}_{self.opts.model_name}_import"
        view = self.admin_site.admin_view
        return [
            path("import/", view(self.import_view), name=name),
            path("import/<int:record_id>/", view(self.import_preview_view), name=f"{name}_preview"),
            path("import/<int:record_id>/apply/", view(self.import_apply_view), name=f"{name}_apply"),
            path("import/template.<str:file_format>", view(self.import_template_view), name=f"{name}_template"),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = extra_context or {}
        if self.has_import_permission(request):
            extra_context["import_url"] = reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_import")
        return super().changelist_view(request, extra_context)

    def _check(self, request) -> None:
        if not self.has_import_permission(request):
            raise PermissionDenied

    def _context(self, request, **context):
        url_name = f"admin:{self.opts.app_label}_{self.opts.model_name}"
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Import %(what)s") % {"what": str(self.importer_class.title).lower()},
            "columns": self.importer_class.columns,
            "import_url": reverse(f"{url_name}_import"),
            "template_csv_url": reverse(f"{url_name}_import_template", args=["csv"]),
            "template_xlsx_url": reverse(f"{url_name}_import_template", args=["xlsx"]),
            "max_size": human_size(max_file_size()),
            "rows_shown": ROWS_SHOWN,
            **context,
        }

    def import_view(self, request):
        self._check(request)
        form = self.import_form_class(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            data, importer = upload.read(), self.get_importer(form)
            preview = import_preview(importer=importer, data=data, file_name=upload.name)
            if preview.error:
                form.add_error("file", preview.error)
            elif not preview.is_valid:
                return self._render_preview(request, preview, record=None)
            else:
                record = import_store(
                    importer=importer, preview=preview, data=data, file_name=upload.name, user=request.user
                )
                return HttpResponseRedirect(record_url(self.opts, record, "preview"))
        return TemplateResponse(request, "admin/import/upload.html", self._context(request, form=form))

    def _record(self, request, record_id: int) -> ImportRecord:
        record = get_object_or_404(
            ImportRecord,
            pk=record_id,
            kind=self.importer_class.kind,
            status=ImportRecord.Status.PREVIEWED,
            imported_by=request.user,
        )
        if hashlib.sha256(bytes(record.content)).hexdigest() != record.file_sha256:
            raise Http404(gettext("The stored file does not match its checksum."))
        return record

    def _expired(self, request, record) -> HttpResponseRedirect | None:
        if record.created_at >= timezone.now() - PREVIEW_LIFETIME:
            return None
        messages.error(request, gettext("This preview is more than a day old; upload the file again."))
        return HttpResponseRedirect(reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_import"))

    def _importer(self, record: ImportRecord) -> Importer:
        try:
            return self.importer_class.from_options(record.options)
        except ObjectDoesNotExist:
            raise Http404(gettext("What this file was uploaded for (its conference) no longer exists.")) from None

    def import_preview_view(self, request, record_id: int):
        self._check(request)
        record = self._record(request, record_id)
        if expired := self._expired(request, record):
            return expired
        importer = self._importer(record)
        preview = import_preview(importer=importer, data=bytes(record.content), file_name=record.file_name)
        if preview.is_valid:
            import_previewed(record=record, preview=preview)  # what Apply below is held to
        return self._render_preview(request, preview, record=record if preview.is_valid else None)

    def import_apply_view(self, request, record_id: int):
        self._check(request)
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        record = self._record(request, record_id)
        if expired := self._expired(request, record):
            return expired
        importer = self._importer(record)
        preview = import_apply(
            importer=importer, data=bytes(record.content), file_name=record.file_name, user=request.user, record=record
        )
        if not preview.applied:
            # The file is still stored and previewed: a new preview shows it against the records as they are now.
            still = ImportRecord.objects.filter(pk=record.pk, status=ImportRecord.Status.PREVIEWED).exists()
            return self._render_preview(request, preview, record=None, preview_again=record if still else None)
        counts = preview.counts
        messages.success(
            request,
            gettext("Imported %(file)s: %(created)s created, %(updated)s updated, %(unchanged)s unchanged.")
            % {
                "file": record.file_name,
                "created": counts["create"],
                "updated": counts["update"],
                "unchanged": counts["unchanged"],
            },
        )
        if request.user.has_perm("imports.view_importrecord"):
            return HttpResponseRedirect(reverse("admin:imports_importrecord_change", args=[record.pk]))
        return HttpResponseRedirect(reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist"))

    def _render_preview(self, request, preview, record, preview_again=None):
        context = self._context(
            request,
            preview=preview,
            record=record,
            changes=preview.changes[:ROWS_SHOWN],
            problems=preview.problems,
            apply_url=record_url(self.opts, record, "apply") if record else "",
            preview_again_url=record_url(self.opts, preview_again, "preview") if preview_again else "",
        )
        return TemplateResponse(request, "admin/import/preview.html", context)

    def import_template_view(self, request, file_format: str):
        self._check(request)
        stem = f"{self.importer_class.kind}-import-template"
        if file_format == "csv":
            response = HttpResponse(template_csv(self.importer_class.columns), content_type="text/csv; charset=utf-8")
        elif file_format == "xlsx":
            response = HttpResponse(
                template_xlsx(self.importer_class.columns),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
        else:
            raise Http404(gettext("Templates come as csv or xlsx."))
        response["Content-Disposition"] = f'attachment; filename="{stem}.{file_format}"'
        return response


def record_url(opts, record: ImportRecord, step: str) -> str:
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_import_{step}", args=[record.pk])


@admin.register(ImportRecord)
class ImportRecordAdmin(ReadOnlyAdminMixin, SafeInputAdminMixin, admin.ModelAdmin):
    """The import history: read-only, and never deleted from the admin, since it is the audit trail."""

    list_display = ["created_at", "kind", "context", "file_name", "imported_by_name", "status", "counts"]
    list_filter = ["status", "kind"]
    search_fields = ["file_name", "imported_by_name", "context"]
    ordering = ["-created_at"]
    date_hierarchy = "created_at"
    fields = [
        ("kind", "context", "status"),
        ("imported_by_name", "created_at", "applied_at"),
        ("file_name", "file_size", "file_sha256", "download"),
        "encoding",
        ("created_count", "updated_count", "unchanged_count"),
        "changes_display",
    ]
    readonly_fields = [name for line in fields for name in ((line,) if isinstance(line, str) else line)]

    def get_queryset(self, request):
        return super().get_queryset(request).defer("content", "changes")

    def get_urls(self):
        view = self.admin_site.admin_view(self.download_view)
        return [path("<int:record_id>/file/", view, name="imports_importrecord_file"), *super().get_urls()]

    @admin.display(description=_("created / updated / unchanged"))
    def counts(self, obj):
        return f"{obj.created_count} / {obj.updated_count} / {obj.unchanged_count}"

    @admin.display(description=_("file"))
    def download(self, obj):
        url = reverse("admin:imports_importrecord_file", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, gettext("download"))

    @admin.display(description=_("changes"))
    def changes_display(self, obj):
        if not obj.changes:
            return gettext("No record was created or changed.")
        items = format_html_join(
            "",
            "<li>" + gettext("Row {}: {} {}{}") + "</li>",
            (
                (c["row"], c["action"], c["record"], (": " + "; ".join(c["details"])) if c["details"] else "")
                for c in obj.changes
            ),
        )
        return format_html("<ul>{}</ul>", items)

    def may_download(self, request, record: ImportRecord) -> bool:
        """The file as uploaded (a participant list holds contact details) goes to those who may import its kind."""
        for model_admin in self.admin_site._registry.values():
            if isinstance(model_admin, ImportAdminMixin) and model_admin.importer_class.kind == record.kind:
                return model_admin.has_import_permission(request)
        return False

    def download_view(self, request, record_id: int):
        if not self.has_view_permission(request):
            raise PermissionDenied
        record = get_object_or_404(ImportRecord, pk=record_id)
        if not self.may_download(request, record):
            raise PermissionDenied
        response = HttpResponse(bytes(record.content), content_type="application/octet-stream")
        # django-stubs allows None, which Django returns only for an inline disposition without a file name.
        response["Content-Disposition"] = content_disposition_header(True, record.file_name)  # type: ignore[assignment]
        return response
