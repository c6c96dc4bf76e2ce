"""Template filters for the public pages."""

from django import template

from network.partial_dates import format_partial_date

register = template.Library()


@register.filter
def partial_date(value, precision):
    """{{ term.start_date|partial_date:term.start_precision }}: "2020", "February 2024" or "4 December 2025"."""
    return format_partial_date(value, precision)
