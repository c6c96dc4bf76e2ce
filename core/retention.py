"""Personal data that does not outstay its purpose: each app declares what it keeps about people and for how long
(a `retention.py` module, autodiscovered like `reports.py`); `purge_personal_data` clears what has expired, in the
records and in their history, and logs it; `subject_access_export` gathers everything held about one e-mail address.

A rule names a kind of personal data, the model, the fields cleared (names the record needs are not among them),
the rows whose time has run out on a day, and optionally the rows held about an e-mail address. Core knows no app:
the apps declare; `tests/test_layout.py` keeps it so.
"""

import datetime
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

_RULES: dict[str, "RetentionRule"] = {}


def retention_years(kind: str, default: int) -> int:
    """Years `kind` is kept (setting PERSONAL_DATA_RETENTION_YEARS, a dict by kind), else `default`."""
    return getattr(settings, "PERSONAL_DATA_RETENTION_YEARS", {}).get(kind, default)


def years_before(day: datetime.date, years: int) -> datetime.date:
    """The same day `years` earlier (29 February falls back to the 28th)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


@dataclass(frozen=True)
class RetentionRule:
    """One kind of personal data and when it expires.

    kind: a slug ("delegate-contact"), the key of its setting and of the log.
    model: the model holding it; it must have django-simple-history's `history` (core.history.record_history).
    fields: the fields cleared: text set to "", nullable fields to None. Names the record needs stay.
    expired(today): a queryset of `model` whose data has expired on `today` and is not yet cleared.
    describe(obj): how the log and the dry run name a row without its personal data ("Delegate 12 of ICLC 6").
    subject_field: the e-mail field that identifies the person (for the subject-access export).
    also_clear(queryset): removes what else the rows hold (attached files); returns {pk: how many it removed}.
    mark_field: a datetime field set when the row is cleared, if the model has one.
    """

    kind: str
    model: type[models.Model]
    fields: tuple[str, ...]
    expired: Callable[[datetime.date], models.QuerySet]
    describe: Callable[[models.Model], str]
    subject_field: str = ""
    also_clear: Callable[[models.QuerySet], dict[int, int]] | None = None
    mark_field: str = ""
    exported_fields: tuple[str, ...] = field(default=())

    def blank_values(self) -> dict:
        blank = {}
        for name in self.fields:
            model_field = self.model._meta.get_field(name)
            blank[name] = None if getattr(model_field, "null", False) else ""
        return blank


def register(rule: RetentionRule) -> RetentionRule:
    """Declare a rule (from an app's retention.py); a second rule of the same kind replaces the first."""
    _RULES[rule.kind] = rule
    return rule


def rules() -> list[RetentionRule]:
    return sorted(_RULES.values(), key=lambda rule: rule.kind)


@dataclass(frozen=True)
class Expired:
    """What a rule would clear on a day: the rows, each described without its personal data."""

    rule: RetentionRule
    rows: list[tuple[int, str]]


def expired_data(today: datetime.date) -> Iterator[Expired]:
    """For each rule, the rows whose personal data has expired on `today`."""
    for rule in rules():
        objects = list(rule.expired(today).order_by("pk"))
        yield Expired(rule, [(obj.pk, rule.describe(obj)) for obj in objects])


def purge(today: datetime.date, *, user_name: str = "purge_personal_data") -> list["Expired"]:
    """Clear every expired row's personal fields, in the record and in all its historical versions, remove what
    `also_clear` removes, and log each row (core.models.PersonalDataPurge). One transaction per rule.
    Returns what was cleared."""
    from core.models import PersonalDataPurge

    done = []
    for found in expired_data(today):
        if not found.rows:
            continue
        rule, pks = found.rule, [pk for pk, _ in found.rows]
        with transaction.atomic():
            rows = rule.model._default_manager.filter(pk__in=pks)
            removed = rule.also_clear(rows) if rule.also_clear else {}
            values = rule.blank_values()
            if rule.mark_field:
                values[rule.mark_field] = timezone.now()
            # update() writes no history row: the versions are cleared below, none is added holding the data.
            rows.update(**values)
            model: Any = rule.model  # its `history` manager comes from django-simple-history, untyped
            model.history.model.objects.filter(**{f"{rule.model._meta.pk.attname}__in": pks}).update(
                **rule.blank_values()
            )
            PersonalDataPurge.objects.bulk_create(
                PersonalDataPurge(
                    kind=rule.kind,
                    model=rule.model._meta.label,
                    object_id=pk,
                    description=description,
                    fields=", ".join(rule.fields),
                    files_removed=removed.get(pk, 0),
                    purged_by=user_name,
                )
                for pk, description in found.rows
            )
        done.append(found)
    return done


def subject_records(email: str) -> list[dict]:
    """Everything the rules' models hold about the person with this e-mail address (case ignored): each record's
    exported fields and every historical version of them. [{kind, model, id, fields, history: [...]}]"""
    found = []
    for rule in rules():
        if not rule.subject_field:
            continue
        names = rule.exported_fields or tuple(f.name for f in rule.model._meta.concrete_fields)
        objects = rule.model._default_manager.filter(**{f"{rule.subject_field}__iexact": email}).order_by("pk")
        for obj in objects:
            record: Any = obj
            versions = record.history.order_by("history_date")
            found.append(
                {
                    "kind": rule.kind,
                    "model": rule.model._meta.label,
                    "id": obj.pk,
                    "fields": {name: _plain(getattr(obj, name)) for name in names},
                    "history": [
                        {
                            "date": version.history_date.isoformat(),
                            "change": version.get_history_type_display(),
                            "fields": {name: _plain(getattr(version, name, None)) for name in names},
                        }
                        for version in versions
                    ],
                }
            )
    return found


def _plain(value):
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if isinstance(value, models.Model):
        return str(value)
    if hasattr(value, "name") and hasattr(value, "url"):  # a file
        return value.name or ""
    return value
