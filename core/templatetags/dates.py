"""Dates in the reader's language for templates: {% date_range conference.start_date conference.end_date %}."""

import datetime

from django import template

from core.dates import DatePrecision, format_date_range

register = template.Library()


@register.simple_tag
def date_range(start: datetime.date | None, end: datetime.date | None, precision: str = DatePrecision.DAY) -> str:
    """core.dates.format_date_range as a tag; `{% date_range a b precision as dates %}` keeps it for a filter."""
    return format_date_range(start, end, precision)
