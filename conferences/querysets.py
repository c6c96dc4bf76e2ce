"""Filters and annotations for conferences and the delegations cities send to them."""

from django.db import models
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from network.membership import overlapping
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

    def last_held(self):
        """The most recent conference that is over, or None."""
        return self.past().select_related("host_city").order_by("-end_date", "-number").first()

    def next_to_come(self):
        """The conference under way or coming next (dates not yet set come last), or None."""
        ordered = self.upcoming().select_related("host_city").order_by(F("start_date").asc(nulls_last=True), "number")
        return ordered.first()

    def with_delegations(self):
        """Conferences at least one city sent a delegation to."""
        from conferences.models import Delegation

        return self.filter(Exists(Delegation.objects.filter(conference=OuterRef("pk"))))

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
        terms = MembershipTerm.objects.filter(
            overlapping(OuterRef("conference__start_date"), OuterRef("conference__end_date")), city=OuterRef("city")
        )
        return self.annotate(city_was_member=Exists(terms))

    def with_delegate_counts(self):
        """delegate_count, and how many of them may not be named in public (other_delegate_count).

        A subquery per delegation rather than a join and GROUP BY: a page of delegations then counts the
        delegates of that page only, not of every delegation before sorting.
        """
        from conferences.models import Delegate

        def count(delegates):
            counted = delegates.filter(delegation=OuterRef("pk")).order_by().values("delegation")
            return Coalesce(Subquery(counted.annotate(n=Count("pk")).values("n")), 0)

        return self.annotate(
            delegate_count=count(Delegate.objects.all()),
            other_delegate_count=count(Delegate.objects.filter(is_public=False)),
        )

    def counts_by_conference(self) -> dict[int, dict]:
        """The figures ConferenceQuerySet.with_counts() annotates, for every conference these delegations
        went to, by conference id: two grouped queries instead of four subqueries per conference."""
        from conferences.models import Delegate

        counts = {
            row.pop("conference"): {**row, "delegate_count": 0}
            for row in self.order_by()
            .values("conference")
            .annotate(
                delegation_count=Count("pk"),
                city_count=Count("city", distinct=True),
                country_count=Count("city__country", distinct=True),
            )
        }
        delegates = Delegate.objects.filter(delegation__in=self.order_by().values("pk")).order_by()
        for row in delegates.values("delegation__conference").annotate(n=Count("pk")):
            counts[row["delegation__conference"]]["delegate_count"] = row["n"]
        return counts

    def public_record(self):
        """Delegations as public pages show them: conference, sessions, and only publishable delegates."""
        from conferences.models import Delegate, Session

        # A delegation's sessions are all of its conference: ordering them by conference too makes PostgreSQL
        # walk every session in that order rather than read the delegation's links through their index.
        sessions = Session.objects.order_by(*(o for o in Session._meta.ordering if o != "conference"), "pk")
        return (
            self.select_related("conference")
            .with_delegate_counts()
            .prefetch_related(
                Prefetch("sessions", queryset=sessions),
                Prefetch("delegates", queryset=Delegate.objects.publishable(), to_attr="public_delegates"),
            )
        )

    def member_split(self) -> dict:
        """How many of these delegations came from cities that were members at the time, and how many not."""
        annotated = self.with_member_status()
        return annotated.aggregate(
            members=Count("pk", filter=Q(city_was_member=True)),
            non_members=Count("pk", filter=Q(city_was_member=False)),
        )


class DelegateQuerySet(models.QuerySet):
    def public(self):
        """Delegates whose name and role staff have cleared for publication."""
        return self.filter(is_public=True)

    def publishable(self):
        """Public delegates with only what may be shown loaded: contact fields never reach a template."""
        return self.public().only("pk", "delegation", "full_name", "role", "is_head")
