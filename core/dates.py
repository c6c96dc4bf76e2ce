"""Dates known to a year, a month or a day: stored as the first day of the period plus a precision."""

import datetime
import functools
import re

from django.db import models
from django.db.models import Case, Func, When
from django.db.models.functions import Left
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

from core.text import fold


class DatePrecision(models.TextChoices):
    YEAR = "year", _("Year")
    MONTH = "month", _("Month")
    DAY = "day", _("Day")


# Languages whose month names a join date may be written in: the six UN languages, German and Portuguese.
MONTH_LANGUAGES = ("en", "fr", "es", "ru", "ar", "zh", "de", "pt")
# Words around a date that carry nothing: "14 de febrero de 2024", "14 февраля 2024 г.", "the 14th of February".
_FILLERS = {"de", "del", "of", "the", "г", "года", "год", "le", "am", "em", "st", "nd", "rd", "th", "er"}
_ISO_YEAR = re.compile(r"^(\d{4})$")
_ISO_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_ISO_DAY = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_CJK = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*日)?$")
_TOKEN = re.compile(r"\d+|[^\W\d_]+")


@functools.cache
def month_names() -> dict[str, int]:
    """Folded month name or abbreviation -> month number, in MONTH_LANGUAGES ("fevrier": 2, "февраля": 2).

    From CLDR (Babel): format and stand-alone forms, wide and abbreviated, without their final dot. A name that
    means two different months in two languages would be dropped; none does among these languages.
    """
    from babel import Locale

    found: dict[str, set[int]] = {}
    for language in MONTH_LANGUAGES:
        months = Locale(language).months
        for context in ("format", "stand-alone"):
            for width in ("wide", "abbreviated"):
                for number, name in months[context][width].items():
                    found.setdefault(fold(name).rstrip("."), set()).add(number)
    found.setdefault("sept", {9})
    return {name: numbers.pop() for name, numbers in found.items() if len(numbers) == 1 and not name.isdigit()}


def add_years(date: datetime.date, years: int) -> datetime.date:
    """The same day `years` later (earlier if negative); 29 February gives 28 February; beyond the calendar,
    its first or last day, which compares the same."""
    if not datetime.MINYEAR <= date.year + years <= datetime.MAXYEAR:
        return datetime.date.min if years < 0 else datetime.date.max
    try:
        return date.replace(year=date.year + years)
    except ValueError:  # 29 February
        return date.replace(year=date.year + years, day=28)


def truncate(value: datetime.date, precision: str) -> datetime.date:
    """The first day of the period that `value` stands for at `precision`."""
    if precision == DatePrecision.YEAR:
        return value.replace(month=1, day=1)
    if precision == DatePrecision.MONTH:
        return value.replace(day=1)
    return value


def _day_month_year() -> str:
    # A format for the translators: "j F Y" ("3 December 2024", "3 décembre 2024"), "j \\d\\e F \\d\\e Y" in Spanish.
    return pgettext("date format (Django's date filter): a day, its month and year", "j F Y")


def _month_year() -> str:
    return pgettext("date format (Django's date filter): a month and its year", "F Y")


def format_partial_date(value: datetime.date | None, precision: str) -> str:
    """ "2020", "February 2024" or "4 December 2025" in the active language ("février 2024"); never a day that
    was not recorded."""
    if value is None:
        return ""
    if precision == DatePrecision.YEAR:
        return str(value.year)
    if precision == DatePrecision.MONTH:
        return date_format(value, _month_year())
    return date_format(value, _day_month_year())


def format_date_range(
    start: datetime.date | None, end: datetime.date | None, precision: str = DatePrecision.DAY
) -> str:
    """A conference's dates in the active language, the shared parts written once: "3–5 December 2024",
    "3–5 décembre 2024", "3 November – 2 December 2024", "28 December 2024 – 2 January 2025".

    `start` None: "dates to be announced". A start known only to the month or year, or no end: the start alone
    at its precision ("December 2024"). The patterns are translatable (context "date range"), so a language may
    reorder them."""
    if start is None:
        return gettext("dates to be announced")
    if precision != DatePrecision.DAY or end is None or end == start:
        return format_partial_date(start, precision)
    full = _day_month_year()
    if (start.year, start.month) == (end.year, end.month):
        pattern = pgettext("date range within one month: 3–5 December 2024", "%(start_day)s–%(end)s")
        return pattern % {"start_day": start.day, "end": date_format(end, full)}
    if start.year == end.year:
        day_month = pgettext("date format (Django's date filter): a day and its month", "j F")
        pattern = pgettext("date range within one year: 3 November – 2 December 2024", "%(start)s – %(end)s")
        return pattern % {"start": date_format(start, day_month), "end": date_format(end, full)}
    pattern = pgettext("date range over two years: 28 December 2024 – 2 January 2025", "%(start)s – %(end)s")
    return pattern % {"start": date_format(start, full), "end": date_format(end, full)}


def parse_partial_date(text: str) -> tuple[datetime.date, str]:
    """Read "2024", "2024-02", "2024-02-14", a month or a day with a month name in any of MONTH_LANGUAGES
    ("February 2024", "14 février 2024", "febrero de 2024", "14 февраля 2024 г.", "2024年2月14日").

    Returns the first day of the period and its DatePrecision. Raises ValueError with a message fit to show a person.
    """
    text = (text or "").strip()
    try:
        if found := _numeric_date(text) or _named_date(text):
            return found
    except ValueError:
        pass
    raise ValueError(
        gettext("'%(text)s' is not a date (use 2024, 2024-02, February 2024 or 2024-02-14)") % {"text": text}
    )


def _numeric_date(text: str) -> tuple[datetime.date, str] | None:
    if match := _ISO_YEAR.match(text):
        return datetime.date(int(match[1]), 1, 1), DatePrecision.YEAR
    if match := _ISO_MONTH.match(text):
        return datetime.date(int(match[1]), int(match[2]), 1), DatePrecision.MONTH
    if (match := _ISO_DAY.match(text)) or (match := _CJK.match(text)):
        if match[3] is None:
            return datetime.date(int(match[1]), int(match[2]), 1), DatePrecision.MONTH
        return datetime.date(int(match[1]), int(match[2]), int(match[3])), DatePrecision.DAY
    return None


def _named_date(text: str) -> tuple[datetime.date, str] | None:
    """[day] month year or month [day] year, the month by its name; None when the text is not one."""
    tokens = [token for token in _TOKEN.findall(fold(text)) if token not in _FILLERS]
    months = month_names()
    words = [index for index, token in enumerate(tokens) if not token.isdigit()]
    if len(words) != 1 or tokens[words[0]] not in months or not 2 <= len(tokens) <= 3:
        return None
    month = months[tokens.pop(words[0])]
    if len(tokens[-1]) != 4:
        return None
    if len(tokens) == 1:
        return datetime.date(int(tokens[0]), month, 1), DatePrecision.MONTH
    if len(tokens[0]) > 2:
        return None
    return datetime.date(int(tokens[1]), month, int(tokens[0])), DatePrecision.DAY


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
