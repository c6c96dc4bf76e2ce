"""What membership means, said once: the status vocabulary, and when two date spans overlap.

A city's status is derived from its membership terms (DOMAIN.md: "membership is a history of terms"): a
member holds a term covering the day; a former member held terms, none covering it; a city that never held
one is not a member (observers and candidates appear because they attended a conference). The admin's
filter, the directory, the reports and the public badges all take their words from here.
"""

import datetime

from django.db import models
from django.db.models import Case, CharField, Q, Value, When
from django.utils.translation import gettext_lazy as _


class MembershipStatus(models.TextChoices):
    """A city's membership on a given day; the label is what one city is ("Former member")."""

    CURRENT = "current", _("Member")
    FORMER = "former", _("Former member")
    NEVER = "never", _("Not a member")

    @property
    def plural(self) -> str:
        """The label of a filter choice: "Current members", "Former members", "Never members"."""
        plurals = {"current": _("Current members"), "former": _("Former members"), "never": _("Never members")}
        return plurals[self.value]


# Current and former members together: what the directory's "all" offers (it lists no city that never joined).
EVER = "ever"
EVER_LABEL = _("Current and former")


def status_of(*, is_member: bool, has_terms: bool) -> MembershipStatus:
    """The status of a city annotated by CityQuerySet.with_membership() (`is_member`, `has_terms`)."""
    if is_member:
        return MembershipStatus.CURRENT
    return MembershipStatus.FORMER if has_terms else MembershipStatus.NEVER


def status_label_sql(is_member: str = "is_member", has_terms: str = "has_terms") -> Case:
    """status_of() in SQL over the with_membership() annotations, giving the label (for report columns) in the
    language active when the query is compiled (the CharField makes the lazy label a str then)."""
    return Case(
        When(**{is_member: True}, then=Value(MembershipStatus.CURRENT.label, output_field=CharField())),
        When(**{has_terms: True}, then=Value(MembershipStatus.FORMER.label, output_field=CharField())),
        default=Value(MembershipStatus.NEVER.label, output_field=CharField()),
    )


Day = datetime.date | None


def spans_overlap(a: tuple[Day, Day], b: tuple[Day, Day]) -> bool:
    """Two (start, end) date spans share at least one day; both ends are inclusive and None is an open end.

    The Python twin of overlapping(); used where the spans are not in the database yet (a posted formset,
    a generator's plan).
    """
    (start, end), (other_start, other_end) = a, b
    return (start is None or other_end is None or start <= other_end) and (
        other_start is None or end is None or other_start <= end
    )


def overlapping(start, end, prefix: str = "") -> Q:
    """Rows whose span [start_date, end_date] shares a day with [start, end], as a Q.

    `start` and `end` are dates, expressions (OuterRef("conference__start_date")) or None for an open end;
    a row with no start_date (not recorded) counts from the beginning, one with no end_date is still open.
    `prefix` reaches the span through a relation ("membership_terms__").
    """
    q = Q()
    if end is not None:
        q &= Q(**{f"{prefix}start_date__isnull": True}) | Q(**{f"{prefix}start_date__lte": end})
    if start is not None:
        q &= Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gte": start})
    return q
