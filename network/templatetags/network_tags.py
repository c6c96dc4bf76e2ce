"""Template filters and tags for the public pages."""

import functools

from django import template
from django.utils.html import format_html
from django.utils.translation import get_language, gettext

from core.dates import format_partial_date
from network.membership import MembershipStatus, status_of

register = template.Library()

# The CSS classes predate the status names.
_BADGE_CSS = {MembershipStatus.CURRENT: "member", MembershipStatus.FORMER: "former", MembershipStatus.NEVER: "none"}


@functools.cache
def _badge(status: MembershipStatus, language: str | None) -> str:
    """Built once per status and language: lists draw one per row."""
    return format_html('<span class="badge badge--{}">{}</span>', _BADGE_CSS[status], status.label)


@register.filter
def partial_date(value, precision):
    """{{ term.start_date|partial_date:term.start_precision }}: "2020", "February 2024" or "4 December 2025"."""
    return format_partial_date(value, precision)


# Tags rather than included templates: lists call them once per row, and an include costs ten times as much.


@register.simple_tag
def member_status(city):
    """A badge: member, former member or not a member (a city annotated by CityQuerySet.with_membership)."""
    return _badge(status_of(is_member=city.is_member, has_terms=city.has_terms), get_language())


@register.simple_tag
def member_since(city):
    """A member's join date at its precision; for others, their status."""
    if not city.is_member:
        return member_status(city)
    if city.member_since:
        return format_partial_date(city.member_since, city.member_since_precision)
    return format_html('<span class="muted">{}</span>', gettext("join date not recorded"))
