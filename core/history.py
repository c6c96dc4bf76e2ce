"""Who changed which record, when, and what the values were: django-simple-history set up for the registry."""

from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

BATCH_SIZE = 1000


class HistoricalRecordBase(models.Model):
    """Fields every historical table adds to simple-history's own (who, when, how, why)."""

    history_user_name = models.CharField(
        _("changed by"), max_length=150, blank=True, help_text=_("Kept if the account is deleted.")
    )

    # The foreign key simple-history adds to each historical model (a user, or None).
    history_user: Any

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        # simple-history passes the user object itself, so reading its name costs no query.
        if not self.history_user_name and self.history_user is not None:
            self.history_user_name = self.history_user.get_username()
        super().save(*args, **kwargs)


class RegistryHistoricalRecords(HistoricalRecords):
    """simple-history's records, which leave out the per-language columns django-modeltranslation adds (title_fr):
    they join the model after its historical table is built; the history keeps the field itself (title)."""

    def fields_included(self, model):
        return [field for field in super().fields_included(model) if not hasattr(field, "translated_field")]


def record_history(**options) -> HistoricalRecords:
    """The history of a model: one row per create, change and delete, with the user and the reason."""
    # A big key, like every other table's (DEFAULT_AUTO_FIELD): history grows faster than the records.
    return RegistryHistoricalRecords(
        bases=[HistoricalRecordBase], history_id_field=models.BigAutoField(primary_key=True), **options
    )


@dataclass(frozen=True)
class ChangeNote:
    """Who made a set of bulk changes and why, as the history shows them ("Import #12: cohort-2024.csv").

    Model.objects.bulk_create() and bulk_update() send no signals, so they would leave no history;
    these write the rows and their history together.
    """

    user: Any = None  # a user (anything with get_username()), or None
    user_name: str = ""
    reason: str = ""

    def _attrs(self) -> dict:
        name = self.user_name or (self.user.get_username() if self.user is not None else "")
        return {"history_user_name": name}

    def bulk_create(self, model, objs: list, *, batch_size: int = BATCH_SIZE) -> list:
        if not objs:
            return []
        return bulk_create_with_history(
            objs,
            model,
            batch_size=batch_size,
            default_user=self.user,
            default_change_reason=self.reason,
            custom_historical_attrs=self._attrs(),
        )

    def bulk_update(self, model, objs: list, fields: list[str], *, batch_size: int = BATCH_SIZE) -> int:
        if not objs:
            return 0
        return bulk_update_with_history(
            objs,
            model,
            fields,
            batch_size=batch_size,
            default_user=self.user,
            default_change_reason=self.reason,
            custom_historical_attrs=self._attrs(),
        )
