"""Chainable filters that say who was a member when; every page, report and admin view uses these."""

import datetime

from django.db import models
from django.db.models import Exists, ExpressionWrapper, F, FilteredRelation, OuterRef, Q, Subquery
from django.db.models.lookups import IsNull
from django.utils import timezone

from core.text import fold
from core.translation import collated, localized, plain_values
from network.countries import CountryResolver
from network.membership import EVER, MembershipStatus, overlapping


def _today() -> datetime.date:
    return timezone.localdate()


class RegionQuerySet(models.QuerySet):
    # Each get_by_natural_key() answers its model's natural_key(): loaddata uses it to restore backups.
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


def city_search(text: str, prefix: str = "") -> Q:
    """Cities whose name or local name holds `text`, case and accents ignored in any script (both are compared
    folded, so SQLite finds "южный" in "Южный" as PostgreSQL does); `prefix` reaches them from another model."""
    folded = fold(text)
    return Q(**{f"{prefix}search_name__contains": folded}) | Q(**{f"{prefix}search_local_name__contains": folded})


def term_active_on(date: datetime.date, prefix: str = "") -> Q:
    """A membership term covers `date`. A term whose start was not recorded counts from the beginning;
    the end date is the last day of membership. `prefix` reaches the term through a relation."""
    return overlapping(date, date, prefix)


class MembershipTermQuerySet(models.QuerySet):
    def active_on(self, date: datetime.date):
        return self.filter(term_active_on(date))

    def current(self):
        return self.active_on(_today())

    def overlapping(self, start: datetime.date | None, end: datetime.date | None):
        """Terms sharing at least one day with [start, end]; None is an open bound."""
        return self.filter(overlapping(start, end))

    def started_in(self, year: int):
        return self.filter(start_date__year=year)

    def ended_in(self, year: int):
        return self.filter(end_date__year=year)


class CityQuerySet(models.QuerySet):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)

    def _terms(self):
        from network.models import MembershipTerm

        return MembershipTerm.objects.filter(city=OuterRef("pk"))

    def members_on(self, date: datetime.date):
        return self.filter(Exists(self._terms().active_on(date)))

    def current_members(self):
        return self.members_on(_today())

    def former_members(self):
        """Cities that were members once and are not today."""
        return self.filter(Exists(self._terms())).exclude(Exists(self._terms().current()))

    def ever_members(self):
        """Cities that held at least one membership term, current or past."""
        return self.filter(Exists(self._terms()))

    def non_members(self):
        """Cities never admitted (observers, candidates) that appear because they attended something."""
        return self.exclude(Exists(self._terms()))

    def with_status(self, status: str | None):
        """The cities of one MembershipStatus today, or current and former members for EVER; others pass all."""
        if status == MembershipStatus.CURRENT:
            return self.current_members()
        if status == MembershipStatus.FORMER:
            return self.former_members()
        if status == MembershipStatus.NEVER:
            return self.non_members()
        if status == EVER:
            return self.ever_members()
        return self

    def joined_in(self, year: int):
        return self.filter(Exists(self._terms().started_in(year)))

    def in_region(self, region):
        return self.filter(country__region=region)

    def in_country(self, country):
        return self.filter(country=country)

    def in_cluster(self, cluster):
        return self.filter(cluster_memberships__cluster=cluster)

    def with_coordinates(self):
        return self.filter(latitude__isnull=False, longitude__isnull=False)

    def without_coordinates(self):
        return self.filter(Q(latitude__isnull=True) | Q(longitude__isnull=True))

    def possible_duplicates(self):
        """Cities sharing their folded name ("Sa Dec" and "Sa Đéc") with another city of the same country."""
        twin = self.model.objects.filter(country=OuterRef("country"), search_name=OuterRef("search_name"))
        # The folded names shared within a country first, from the (country, search_name) index: without it the
        # planner, which cannot tell that a handful of 100,000 cities have a twin, sorts them all before looking
        # (1.0 s at the stress size; 0.18 s with it).
        groups = self.model.objects.order_by().values("country", "search_name").annotate(n=models.Count("pk"))
        shared = groups.filter(n__gt=1).values("search_name")
        return self.filter(search_name__in=shared).filter(Exists(twin.exclude(pk=OuterRef("pk"))))

    def totals(self) -> dict:
        """How many cities, and in how many countries and regions; apply to current_members() for the network."""
        return self.aggregate(
            cities=models.Count("pk", distinct=True),
            countries=models.Count("country", distinct=True),
            regions=models.Count("country__region", distinct=True),
        )

    def count_by_country(self):
        """Rows of country name (in the active language), slug and how many of these cities it has, by country name."""
        return (
            plain_values(self.order_by(), country_name=localized("country__name"), country_slug=F("country__slug"))
            .annotate(count=models.Count("pk"))
            .order_by(collated(models.F("country_name")))
        )

    def search(self, text: str):
        text = text.strip()
        return self.filter(city_search(text)) if text else self

    def with_membership(self, date: datetime.date | None = None):
        """Annotate is_member (on `date`, default today) and the start of the term covering it.

        member_since is None for a member whose join date was not recorded; check is_member first. To keep only
        the members on `date`, filter(is_member=True) rather than members_on(date): PostgreSQL then joins the
        covering term as an inner join and can read the terms in join-date order, where members_on()'s EXISTS
        is a second pass over them (members never at a conference, first page at the stress size: 124 -> 10 ms).
        """
        date = date or _today()
        # Terms of a city never overlap, so joining the one covering the date adds no row. A join, rather than
        # subqueries, lets PostgreSQL look up the few cities of a page, or sort by join date in one pass.
        covering = FilteredRelation("membership_terms", condition=term_active_on(date, "membership_terms__"))
        return self.annotate(covering_term=covering).annotate(
            is_member=ExpressionWrapper(Q(covering_term__pk__isnull=False), output_field=models.BooleanField()),
            # A scalar subquery is looked up per row; an EXISTS here may be planned as a hash of every term.
            has_terms=IsNull(Subquery(self._terms().order_by().values("pk")[:1]), False),
            member_since=F("covering_term__start_date"),
            member_since_precision=F("covering_term__start_precision"),
        )


class CountryQuerySet(models.QuerySet):
    def get_by_natural_key(self, code):
        return self.get(code=code)

    def with_member_counts(self, date: datetime.date | None = None):
        from network.models import City

        members = (
            City.objects.members_on(date or _today())
            .filter(country=OuterRef("pk"))
            .order_by()
            .values("country")
            .annotate(n=models.Count("pk"))
            .values("n")
        )
        return self.annotate(member_count=models.functions.Coalesce(Subquery(members), 0))

    def having_cities(self):
        """Countries with at least one city on record, member or not."""
        from network.models import City

        return self.filter(Exists(City.objects.filter(country=OuterRef("pk"))))

    def resolver(self) -> CountryResolver:
        """A CountryResolver over these countries (network/countries.py), with their aliases."""
        return CountryResolver(self.select_related("region").prefetch_related("aliases"))


class ClusterQuerySet(models.QuerySet):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)
