"""Template filters and tags for the public pages."""

from django import template
from django.utils.safestring import mark_safe

from core.dates import format_partial_date

register = template.Library()

_BADGES = {
    "member": mark_safe('<span class="badge badge--member">Member</span>'),
    "former": mark_safe('<span class="badge badge--former">Former member</span>'),
    "none": mark_safe('<span class="badge badge--none">Not a member</span>'),
}


@register.filter
def partial_date(value, precision):
    """{{ term.start_date|partial_date:term.start_precision }}: "2020", "February 2024" or "4 December 2025"."""
    return format_partial_date(value, precision)


# Tags rather than included templates: lists call them once per row, and an include costs ten times as much.


@register.simple_tag
def member_status(city):
    """A badge: member, former member or not a member (a city annotated by CityQuerySet.with_membership)."""
    if city.is_member:
        return _BADGES["member"]
    return _BADGES["former"] if city.has_terms else _BADGES["none"]


@register.simple_tag
def member_since(city):
    """A member's join date at its precision; for others, their status."""
    if not city.is_member:
        return member_status(city)
    if city.member_since:
        return format_partial_date(city.member_since, city.member_since_precision)
    return mark_safe('<span class="muted">join date not recorded</span>')
