"""Reads for the public pages: growth by year, the newest cohort, a city's membership timeline, participation."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db.models import Count, F, Min, Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.cache import cached
from core.dates import DatePrecision, format_partial_date
from core.translation import collation_key, localized, plain_values
from network.models import City, Country, MembershipTerm
from network.querysets import term_active_on


@dataclass(frozen=True)
class GrowthYear:
    year: int
    members: int  # at the end of the year; for the current year, today
    joins: int  # terms starting in the year, re-admissions included
    departures: int  # terms whose last day falls in the year


def network_growth(*, terms=None, today: datetime.date | None = None) -> list[GrowthYear]:
    """One row per year from the first recorded join to this year, in two queries whatever the data size.

    `terms` narrows the count (say, to a region); by default every membership term counts.
    Terms of a city never overlap, so counting terms that cover a day counts member cities.
    """
    today = today or timezone.localdate()
    terms = MembershipTerm.objects.all() if terms is None else terms
    bounds = terms.aggregate(first=Min("start_date"))
    if bounds["first"] is None or bounds["first"] > today:
        return []
    years = range(bounds["first"].year, today.year + 1)
    counts = {}
    for year in years:
        day = min(datetime.date(year, 12, 31), today)
        counts[f"members_{year}"] = Count("pk", filter=term_active_on(day))
        counts[f"joins_{year}"] = Count("pk", filter=Q(start_date__year=year))
        counts[f"departures_{year}"] = Count("pk", filter=Q(end_date__year=year))
    row = terms.aggregate(**counts)
    return [GrowthYear(year, row[f"members_{year}"], row[f"joins_{year}"], row[f"departures_{year}"]) for year in years]


def join_years() -> list[int]:
    """Years in which a membership term started, newest first; cached, as it reads every term."""
    terms = MembershipTerm.objects.filter(start_date__isnull=False)
    return cached("join-years", lambda: [day.year for day in terms.dates("start_date", "year", order="DESC")])


def countries_with_cities() -> list[tuple[str, str]]:
    """(slug, name) of every country with a city on record, named and sorted in the active language; cached (per
    language, as every cache key is), as it asks it of every city."""

    def compute():
        countries = Country.objects.having_cities().order_by().values_list("slug", localized("name"))
        return sorted(countries, key=lambda country: collation_key(country[1]))

    return cached("countries", compute)


def unrecorded_join_count() -> int:
    """Members whose join date is not recorded: the growth chart counts them from its first year."""
    return MembershipTerm.objects.filter(start_date__isnull=True).count()


@dataclass(frozen=True)
class Cohort:
    date: datetime.date
    precision: str
    size: int
    cities: list  # the first few, by name

    @property
    def date_display(self) -> str:
        return format_partial_date(self.date, self.precision)


def newest_cohort(*, limit: int = 30, today: datetime.date | None = None) -> Cohort | None:
    """The cities admitted together most recently (terms starting on the same day, at the same precision)."""
    today = today or timezone.localdate()
    latest = (
        MembershipTerm.objects.filter(start_date__lte=today)
        .order_by("-start_date", "start_precision")
        .values("start_date", "start_precision")
        .first()
    )
    if latest is None:
        return None
    latest, precision = latest["start_date"], latest["start_precision"]
    cities = (
        City.objects.filter(membership_terms__start_date=latest, membership_terms__start_precision=precision)
        .select_related("country")
        .order_by("search_name", "name", "pk")
    )
    return Cohort(date=latest, precision=precision, size=cities.count(), cities=list(cities[:limit]))


def conference_participation(*, cities) -> list[dict]:
    """For each conference the given cities sent delegations to: how many cities, from how many countries.

    Reaches conferences through the reverse relation only, so network never imports conferences.
    """
    return list(
        plain_values(
            cities.filter(delegations__isnull=False),
            conference_number=F("delegations__conference__number"),
            conference_name=F("delegations__conference__short_name"),
            conference_slug=F("delegations__conference__slug"),
            conference_start=F("delegations__conference__start_date"),
        )
        .annotate(city_count=Count("pk", distinct=True), country_count=Count("country", distinct=True))
        .order_by("-conference_number")
    )


_MACHINE_DATE = {DatePrecision.YEAR: "%Y", DatePrecision.MONTH: "%Y-%m", DatePrecision.DAY: "%Y-%m-%d"}
_is_url = URLValidator(schemes=["http", "https"])


@dataclass(frozen=True)
class MembershipEvent:
    """A step in a city's membership: it joined, left or was re-admitted, on a date known to some precision."""

    JOINED, LEFT, READMITTED = "joined", "left", "readmitted"
    LABELS = {JOINED: _("Joined the network"), LEFT: _("Left the network"), READMITTED: _("Re-admitted")}

    kind: str
    date: datetime.date | None
    precision: str
    reason: str = ""
    source: str = ""

    @property
    def label(self) -> str:
        return str(self.LABELS[self.kind])

    @property
    def date_display(self) -> str:
        return format_partial_date(self.date, self.precision) or gettext("date not recorded")

    @property
    def machine_date(self) -> str:
        """For <time datetime>: as precise as the date is known ("2020", "2024-02", "2025-12-04")."""
        return self.date.strftime(_MACHINE_DATE[self.precision]) if self.date else ""

    @property
    def source_url(self) -> str:
        try:
            _is_url(self.source)
        except ValidationError:
            return ""
        return self.source


def membership_timeline(terms) -> list[MembershipEvent]:
    """A city's membership terms, oldest first, as events: joined, left (with the reason), re-admitted."""
    events = []
    for term in terms:
        kind = MembershipEvent.READMITTED if events else MembershipEvent.JOINED
        events.append(MembershipEvent(kind, term.start_date, term.start_precision, source=term.source))
        if term.end_date:
            reason = str(term.get_end_reason_display() or gettext("reason not recorded"))
            events.append(MembershipEvent(MembershipEvent.LEFT, term.end_date, DatePrecision.DAY, reason, term.source))
    return events
