"""Filters and annotations for conferences and the delegations cities send to them."""

from django.db import models
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from network.models import MembershipTerm


class ConferenceQuerySet(models.QuerySet):
    def get_by_natural_key(self, number):
        return self.get(number=number)

    def past(self):
        return self.filter(end_date__lt=timezone.localdate())

    def upcoming(self):
        """Conferences not yet over, including planned ones whose dates are not fixed."""
        today = timezone.localdate()
        return self.filter(
            Q(end_date__gte=today) | Q(end_date__isnull=True, start_date__gte=today) | Q(start_date__isnull=True)
        )

    def with_counts(self):
        """Delegations, cities, countries and delegates counted here (not the stated attendance)."""
        from conferences.models import Delegate

        delegates = (
            Delegate.objects.filter(delegation__conference=OuterRef("pk"))
            .order_by()
            .values("delegation__conference")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return self.annotate(
            delegation_count=Count("delegations", distinct=True),
            city_count=Count("delegations__city", distinct=True),
            country_count=Count("delegations__city__country", distinct=True),
            delegate_count=models.functions.Coalesce(models.Subquery(delegates), 0),
        )


class DelegationQuerySet(models.QuerySet):
    def with_member_status(self):
        """Annotate city_was_member: the city held a membership term on any day of the conference."""
        terms = MembershipTerm.objects.filter(city=OuterRef("city")).filter(
            Q(start_date__isnull=True) | Q(start_date__lte=OuterRef("conference__end_date")),
            Q(end_date__isnull=True) | Q(end_date__gte=OuterRef("conference__start_date")),
        )
        return self.annotate(city_was_member=Exists(terms))

    def with_delegate_counts(self):
        return self.annotate(delegate_count=Count("delegates", distinct=True))


class DelegateQuerySet(models.QuerySet):
    def public(self):
        """Delegates whose name and role staff have cleared for publication."""
        return self.filter(is_public=True)
