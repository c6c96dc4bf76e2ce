"""Dates in the reader's language for templates: {% date_range conference.start_date conference.end_date %}."""

import datetime

from django import template

from core.dates import DatePrecision, format_date_range, format_partial_date

register = template.Library()


@register.simple_tag
def date_range(start: datetime.date | None, end: datetime.date | None, precision: str = DatePrecision.DAY) -> str:
    """core.dates.format_date_range as a tag; `{% date_range a b precision as dates %}` keeps it for a filter."""
    return format_date_range(start, end, precision)


@register.filter
def day(value: datetime.date | None) -> str:
    """A date as the reader's language writes a day: "1 May 2017", "1 mai 2017", "1 de mayo de 2017"; "" for None."""
    return format_partial_date(value, DatePrecision.DAY)
