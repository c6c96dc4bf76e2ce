"""Filters and annotations for conferences and the delegations cities send to them."""

from django.db import models
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from network.models import MembershipTerm


class ConferenceQuerySet(models.QuerySet):
    def past(self):
        return self.filter(end_date__lt=timezone.localdate())

    def upcoming(self):
        """Conferences not yet over, including planned ones whose dates are not fixed."""
        today = timezone.localdate()
        return self.filter(
            Q(end_date__gte=today) | Q(end_date__isnull=True, start_date__gte=today) | Q(start_date__isnull=True)
        )

    def with_counts(self):
        """Delegations, cities, countries and delegates counted here (not the stated attendance).

        One small subquery per count: joining delegations and delegates and grouping would count
        across millions of joined rows.
        """
        from conferences.models import Delegate, Delegation

        def count(queryset, expression):
            counted = queryset.order_by().values("conference").annotate(n=Count(expression, distinct=True))
            return models.functions.Coalesce(models.Subquery(counted.values("n")), 0)

        delegations = Delegation.objects.filter(conference=OuterRef("pk"))
        delegates = Delegate.objects.filter(delegation__conference=OuterRef("pk")).annotate(
            conference=models.F("delegation__conference")
        )
        return self.annotate(
            delegation_count=count(delegations, "pk"),
            city_count=count(delegations, "city"),
            country_count=count(delegations, "city__country"),
            delegate_count=count(delegates, "pk"),
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
