"""The record of every imported file, from its preview to its application."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class ImportRecord(models.Model):
    """One uploaded file: kept from its preview so that apply reads exactly what was previewed, and
    afterwards as the record of who imported which changes, when, and from which file."""

    class Status(models.TextChoices):
        PREVIEWED = "previewed", _("Previewed, not applied")
        APPLIED = "applied", _("Applied")

    # The importer's `kind` ("members", "delegations"): the domain apps declare their importers, this app knows none.
    kind = models.CharField(verbose_name=_("kind"), max_length=20)
    status = models.CharField(verbose_name=_("status"), max_length=10, choices=Status.choices, default=Status.PREVIEWED)
    file_name = models.CharField(verbose_name=_("file name"), max_length=255)
    file_size = models.PositiveIntegerField(verbose_name=_("file size"))
    file_sha256 = models.CharField(_("SHA-256 of the file"), max_length=64)
    content = models.BinaryField(verbose_name=_("content"), editable=False)
    encoding = models.CharField(
        verbose_name=_("encoding"),
        max_length=60,
        blank=True,
        help_text=_("The text encoding a CSV file was read in; empty for XLSX."),
    )
    options = models.JSONField(
        verbose_name=_("options"),
        default=dict,
        blank=True,
        help_text=_("What the import was for, e.g. the conference."),
    )
    context = models.CharField(
        verbose_name=_("context"), max_length=200, blank=True, help_text=_("Shown in the history, e.g. ICLC 6.")
    )
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="import_records",
    )
    imported_by_name = models.CharField(
        verbose_name=_("imported by name"), max_length=150, help_text=_("Kept if the account is deleted.")
    )
    created_at = models.DateTimeField(_("previewed at"), auto_now_add=True)
    applied_at = models.DateTimeField(verbose_name=_("applied at"), null=True, blank=True)
    created_count = models.PositiveIntegerField(_("rows created"), default=0)
    updated_count = models.PositiveIntegerField(_("rows updated"), default=0)
    unchanged_count = models.PositiveIntegerField(_("rows unchanged"), default=0)
    changes = models.JSONField(
        verbose_name=_("changes"),
        default=list,
        blank=True,
        help_text=_("Each created or updated row and what changed."),
    )

    class Meta:
        verbose_name = _("import record")
        verbose_name_plural = _("import records")
        db_table = "network_importrecord"  # the table from before the import framework had its own app
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="previewed") | Q(applied_at__isnull=False),
                name="importrecord_applied_has_time",
                violation_error_message=_("An applied import records when it was applied."),
            ),
        ]

    def __str__(self):
        return gettext("%(kind)s from %(file)s") % {"kind": self.kind_label, "file": self.file_name}

    @property
    def kind_label(self) -> str:
        """What the importer of this kind reads ("Member cities and membership terms"), or the kind itself."""
        from imports.workflow import importer_title

        return importer_title(self.kind)
