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
