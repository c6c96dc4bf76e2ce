"""Reads for the public pages: growth by year, the newest cohort, a city's membership timeline, participation."""

import datetime
from collections import Counter
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db.models import Case, Count, Exists, Min, OuterRef, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.cache import cached, cached_per_record
from core.dates import DatePrecision, format_partial_date
from core.translation import collation_key, localized
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


@dataclass(frozen=True)
class CountryFigures:
    """What a country's and its region's pages count of a country's cities, kept per country."""

    current: int  # member cities today
    ever: int  # cities that held a membership term, current or past
    attended: dict[int, int]  # {conference pk: how many of its cities sent a delegation there}


def country_figures(country_ids) -> dict[int, CountryFigures]:
    """{country pk: CountryFigures} for these countries, kept per country (core.cache.cached_per_record, scope
    "country"): an edit to a city or to a record of it bumps its country's scope (network/scopes.py), so the
    first view after it recounts that one country, not its whole region. Two grouped queries for the
    countries not kept, none for the others; a pk of no country gets zeros."""
    return cached_per_record("country-figures", _count_countries, country_ids, scope="country")


def _count_countries(pks: list) -> dict[int, CountryFigures]:
    cities = City.objects.filter(country__in=pks).order_by()
    current = Exists(MembershipTerm.objects.filter(city=OuterRef("pk")).current())
    members = cities.ever_members().values("country").annotate(ever=Count("pk"), current=Count("pk", filter=current))
    counts = {row["country"]: row for row in members}
    attended: dict[int, dict[int, int]] = {pk: {} for pk in pks}
    # Through the reverse relation, so network never imports conferences.
    went = cities.filter(delegations__isnull=False).values("country", "delegations__conference")
    for country, conference, n in went.annotate(n=Count("pk", distinct=True)).values_list(
        "country", "delegations__conference", "n"
    ):
        attended[country][conference] = n
    zero = {"current": 0, "ever": 0}
    return {
        pk: CountryFigures(counts.get(pk, zero)["current"], counts.get(pk, zero)["ever"], attended[pk]) for pk in pks
    }


def conference_participation(figures) -> list[dict]:
    """For each conference the countries of `figures` (CountryFigures) sent delegations to, newest first: the
    conference's number, short name, slug and start date, and how many cities went, from how many countries.

    One query, for the conferences' names; the counts are the countries' kept ones. Reaches conferences through
    the reverse relation from City, so network never imports conferences."""
    cities: Counter[int] = Counter()
    countries: Counter[int] = Counter()
    for country in figures:
        cities.update(country.attended)
        countries.update(country.attended.keys())
    delegation = City._meta.get_field("delegations").related_model
    conference = delegation._meta.get_field("conference").related_model
    return [
        {
            "conference_number": row.number,
            "conference_name": row.short_name,
            "conference_slug": row.slug,
            "conference_start": row.start_date,
            "city_count": cities[row.pk],
            "country_count": countries[row.pk],
        }
        for row in conference._default_manager.filter(pk__in=list(cities)).order_by("-number")
    ]


def possible_duplicate_ids() -> list[int]:
    """The pks of the cities whose folded name is that of another city of the same country
    (City.objects.possible_duplicates()), sorted. Kept per country (scope "country"): an edit to a city looks
    again at its country alone; after a bulk write, one query looks at every country."""
    countries = list(Country.objects.values_list("pk", flat=True))
    kept = cached_per_record("possible-duplicates", _duplicates_in, countries, scope="country")
    return sorted(pk for pks in kept.values() for pk in pks or ())


def _duplicates_in(countries: list) -> dict[int, list[int]]:
    found: dict[int, list[int]] = {pk: [] for pk in countries}
    twins = City.objects.filter(country__in=countries).possible_duplicates().order_by()
    for country, pk in twins.values_list("country", "pk"):
        found[country].append(pk)
    return found


class MembersByCountry:
    """The cities of a few countries, country by country in the order given, each country's by folded name: a
    sequence Django's Paginator pages (count() and slices) in one query a page, whatever the countries' size.

    `counts` is [(country pk, how many of `cities` it has)], from the kept CountryFigures: the count costs no
    query, and a slice reads only the countries it spans, from the right offset in the first, rather than
    sorting every city of a region to find a page of 100."""

    def __init__(self, cities, counts: list[tuple[int, int]]):
        self.cities, self.counts = cities, [(pk, n) for pk, n in counts if n]

    def count(self) -> int:
        return sum(n for _pk, n in self.counts)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> list:
        start, stop = window.start or 0, window.stop if window.stop is not None else self.count()
        spanned, skipped, seen = [], 0, 0
        for pk, n in self.counts:
            if seen + n > start and seen < stop:
                if not spanned:
                    skipped = start - seen
                spanned.append(pk)
            seen += n
        if not spanned or stop <= start:
            return []
        position = Case(*(When(country_id=pk, then=Value(i)) for i, pk in enumerate(spanned)))
        ordered = self.cities.filter(country__in=spanned).order_by(position, "search_name", "name", "pk")
        return list(ordered[skipped : skipped + stop - start])


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
