"""The one table of core: the versions of the page cache, kept in the database so every process shares them."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CacheVersion(models.Model):
    """The current token of one scope of the page cache (core/cache.py): "shared" (what every page shows),
    "lists" (every list and figure that sums records), or one record's own pages ("city:42"). Cache keys embed
    the tokens of the scopes a page depends on; a change writes new tokens, so the old entries are never read."""

    scope = models.CharField(max_length=100, primary_key=True)
    token = models.CharField(max_length=32)

    class Meta:
        verbose_name = _("cache version")  # internal: no admin page, so no field names

    def __str__(self):
        return f"{self.scope}: {self.token}"


class PersonalDataPurge(models.Model):
    """One record whose personal data purge_personal_data cleared (core/retention.py): which, when, what fields.
    It names the record without its personal data, so the log itself keeps none."""

    kind = models.CharField(_("kind"), max_length=50)
    model = models.CharField(_("model"), max_length=100)
    object_id = models.BigIntegerField(_("record id"))
    description = models.CharField(_("record"), max_length=300)
    fields = models.CharField(_("fields cleared"), max_length=500)
    files_removed = models.PositiveIntegerField(_("files removed"), default=0)
    purged_at = models.DateTimeField(_("cleared at"), auto_now_add=True)
    purged_by = models.CharField(_("cleared by"), max_length=150)

    class Meta:
        ordering = ["-purged_at", "id"]
        verbose_name = _("personal data purge")
        verbose_name_plural = _("personal data purges")
        indexes = [models.Index(fields=["model", "object_id"], name="purge_model_object_idx")]

    def __str__(self):
        return f"{self.description}: {self.fields} ({self.purged_at:%Y-%m-%d})"
