"""Dates known to a year, a month or a day: stored as the first day of the period plus a precision."""

import datetime
import re

from django.db import models
from django.db.models import Case, Func, When
from django.db.models.functions import Left
from django.utils.dateformat import format as date_format


class DatePrecision(models.TextChoices):
    YEAR = "year", "Year"
    MONTH = "month", "Month"
    DAY = "day", "Day"


MONTHS = {
    name.lower(): number
    for number, names in enumerate(
        [
            ("January", "Jan"),
            ("February", "Feb"),
            ("March", "Mar"),
            ("April", "Apr"),
            ("May",),
            ("June", "Jun"),
            ("July", "Jul"),
            ("August", "Aug"),
            ("September", "Sep", "Sept"),
            ("October", "Oct"),
            ("November", "Nov"),
            ("December", "Dec"),
        ],
        start=1,
    )
    for name in names
}

_ISO_YEAR = re.compile(r"^(\d{4})$")
_ISO_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_ISO_DAY = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_NAMED_MONTH = re.compile(r"^([A-Za-z]+)\.?\s+(\d{4})$")
_NAMED_DAY = re.compile(r"^(\d{1,2})\s+([A-Za-z]+)\.?\s+(\d{4})$")


def truncate(value: datetime.date, precision: str) -> datetime.date:
    """The first day of the period that `value` stands for at `precision`."""
    if precision == DatePrecision.YEAR:
        return value.replace(month=1, day=1)
    if precision == DatePrecision.MONTH:
        return value.replace(day=1)
    return value


def format_partial_date(value: datetime.date | None, precision: str) -> str:
    """ "2020", "February 2024" or "4 December 2025"; never a day that was not recorded."""
    if value is None:
        return ""
    if precision == DatePrecision.YEAR:
        return str(value.year)
    if precision == DatePrecision.MONTH:
        return date_format(value, "F Y")
    return date_format(value, "j F Y")


def parse_partial_date(text: str) -> tuple[datetime.date, str]:
    """Read "2024", "2024-02", "February 2024", "2024-02-14" or "14 February 2024".

    Raises ValueError with a message fit to show a person.
    """
    text = (text or "").strip()
    try:
        if match := _ISO_YEAR.match(text):
            return datetime.date(int(match[1]), 1, 1), DatePrecision.YEAR
        if match := _ISO_MONTH.match(text):
            return datetime.date(int(match[1]), int(match[2]), 1), DatePrecision.MONTH
        if match := _ISO_DAY.match(text):
            return datetime.date(int(match[1]), int(match[2]), int(match[3])), DatePrecision.DAY
        if (match := _NAMED_MONTH.match(text)) and match[1].lower() in MONTHS:
            return datetime.date(int(match[2]), MONTHS[match[1].lower()], 1), DatePrecision.MONTH
        if (match := _NAMED_DAY.match(text)) and match[2].lower() in MONTHS:
            return datetime.date(int(match[3]), MONTHS[match[2].lower()], int(match[1])), DatePrecision.DAY
    except ValueError:
        pass
    raise ValueError(f"'{text}' is not a date (use 2024, 2024-02, February 2024 or 2024-02-14)")


class IsoDate(Func):
    """A date as 2024-12-03 text in SQL, whatever the server's DateStyle (SQLite stores dates so)."""

    output_field = models.CharField()
    template = "%(expressions)s"

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="to_char(%(expressions)s, 'YYYY-MM-DD')", **extra)


def partial_date_text(date_field: str, precision_field: str) -> Case:
    """In SQL: "2020", "2024-02" or "2024-02-14", the date at the precision it is known, never a made-up day."""
    iso = IsoDate(date_field)
    return Case(
        When(**{precision_field: DatePrecision.YEAR}, then=Left(iso, 4)),
        When(**{precision_field: DatePrecision.MONTH}, then=Left(iso, 7)),
        default=iso,
        output_field=models.CharField(),
    )


def iso_partial_date(value: datetime.date | None, precision: str) -> str:
    """ "2020", "2024-02" or "2024-02-14": what partial_date_text() gives in SQL, for exports."""
    if value is None:
        return ""
    lengths: dict[str, int] = {DatePrecision.YEAR: 4, DatePrecision.MONTH: 7}
    return value.isoformat()[: lengths.get(precision, 10)]
