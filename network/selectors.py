"""Reads for the public pages: growth by year, the newest cohort, a city's membership timeline, participation."""

import datetime
import heapq
from collections import Counter
from dataclasses import dataclass
from functools import partial
from itertools import islice

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db.models import Case, Count, Exists, F, Min, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce, ExtractYear
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.cache import cached, cached_per_record
from core.dates import DatePrecision, add_years, format_partial_date
from core.translation import bytewise, collation_key, localized
from network.membership import MembershipStatus
from network.models import PROGRESS_REPORT_INTERVAL_YEARS, City, Country, MembershipTerm, ProgressReport, Reminder
from network.querysets import term_active_on
from network.scopes import CITY_LISTS


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
    """Years in which a membership term started, newest first (the directory's "Year joined" choices). The years
    of each country are kept (cached_per_record, scope "country"), as they read every term: the first view after
    an edit reads the edited city's country again, not the 130,000 terms of the stress size (30 ms)."""

    def compute():
        countries = Country.objects.values_list("pk", flat=True)
        kept = cached_per_record("join-years", _join_years_in, countries, scope="country", per_language=False)
        return sorted({year for years in kept.values() for year in years or ()}, reverse=True)

    return cached("join-years", compute, scopes=CITY_LISTS)


def _join_years_in(countries: list) -> dict[int, list[int]]:
    found: dict[int, list[int]] = {pk: [] for pk in countries}
    terms = MembershipTerm.objects.filter(city__country__in=countries, start_date__isnull=False).order_by()
    for country, year in terms.values_list("city__country", ExtractYear("start_date")).distinct():
        found[country].append(year)
    return found


def countries_with_cities() -> list[tuple[str, str]]:
    """(slug, name) of every country with a city on record, named and sorted in the active language; cached (per
    language, as every cache key is), as it asks it of every city."""

    def compute():
        countries = Country.objects.having_cities().order_by().values_list("slug", localized("name"))
        return sorted(countries, key=lambda country: collation_key(country[1]))

    return cached("countries", compute, scopes=CITY_LISTS)


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

    def members(self, status: str) -> int:
        """Its cities in `status`: "current", "former" (held a term, not today's) or "all" (current and former),
        as the directory's and the map's membership filter names them."""
        if status == MembershipStatus.CURRENT:
            return self.current
        if status == MembershipStatus.FORMER:
            return self.ever - self.current
        return self.ever


def country_figures(country_ids) -> dict[int, CountryFigures]:
    """{country pk: CountryFigures} for these countries, kept per country (core.cache.cached_per_record, scope
    "country"): an edit to a city or to a record of it bumps its country's scope (network/scopes.py), so the
    first view after it recounts that one country, not its whole region. Two grouped queries for the
    countries not kept, none for the others; a pk of no country gets zeros."""
    return cached_per_record("country-figures", _count_countries, country_ids, scope="country", per_language=False)


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


def members_by_country(status: str, region=None, country=None) -> list[dict]:
    """[{"country_name", "country_slug", "count"}] of the countries (of `region`, or `country` alone) with cities in
    `status` ("current", "former" or "all", as MapFilterForm.chosen_status), named and sorted in the active
    language: what City.objects.with_status(...).count_by_country() gives, from the counts kept per country
    (country_figures). The map's first view after an edit counted every member instead (80-110 ms at the stress
    size). Two queries when every country is kept: the countries and the tokens."""
    countries = Country.objects.order_by()
    if region is not None:
        countries = countries.filter(region=region)
    if country is not None:
        countries = countries.filter(pk=country.pk)
    named = list(countries.values_list("pk", "slug", localized("name")))
    figures = country_figures([pk for pk, _slug, _name in named])
    rows = [
        {"country_name": name, "country_slug": slug, "count": n}
        for pk, slug, name in named
        if (n := figures[pk].members(status))
    ]
    return sorted(rows, key=lambda row: collation_key(row["country_name"]))


def network_totals() -> dict[str, int]:
    """{"cities", "countries", "regions"}: the members today and how many countries and regions they are in, as
    City.objects.current_members().totals() counts them, summed from the counts kept per country
    (country_figures): the first view after an edit counts one country again, not every city (71 ms at the
    stress size). Two queries when every country is kept: the countries' regions and the tokens."""
    regions = dict(Country.objects.order_by().values_list("pk", "region"))
    current = {pk: kept.current for pk, kept in country_figures(list(regions)).items() if kept.current}
    return {"cities": sum(current.values()), "countries": len(current), "regions": len({regions[pk] for pk in current})}


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
    kept = cached_per_record("possible-duplicates", _duplicates_in, countries, scope="country", per_language=False)
    return sorted(pk for pks in kept.values() for pk in pks or ())


def _duplicates_in(countries: list) -> dict[int, list[int]]:
    found: dict[int, list[int]] = {pk: [] for pk in countries}
    twins = City.objects.filter(country__in=countries).possible_duplicates().order_by()
    for country, pk in twins.values_list("country", "pk"):
        found[country].append(pk)
    return found


def cities_due_a_progress_report(date: datetime.date):
    """The members on `date` whose biennial progress report is due by then (PROGRESS_REPORT_INTERVAL_YEARS after
    joining or after their last report received), with the members whose join date was not recorded and who sent
    no report, whose report cannot be dated. Annotated: counted_from (the date the report is counted from: the
    latest report received on or after the join date, else the join date; None for the undated), last_report,
    last_reminder (a datetime), and with_membership()'s member_since. By counted_from (undated last), then
    folded name, name and pk, compared code point by code point, as progress_report_order() sorts."""
    cutoff = add_years(date, -PROGRESS_REPORT_INTERVAL_YEARS)
    reports = ProgressReport.objects.filter(city=OuterRef("pk"), received_on__lte=date).order_by("-received_on")
    reminders = Reminder.objects.filter(city=OuterRef("pk")).order_by("-sent_at")
    # One subquery for the date counted from, where Greatest() of two Coalesce()s repeated the last-report
    # subquery in every place that read it.
    since_join = reports.filter(received_on__gte=Coalesce(OuterRef("member_since"), Value(datetime.date.min)))
    return (
        City.objects.with_membership(date)
        .filter(is_member=True)  # the term covering the date is joined already: no EXISTS per city
        .select_related("country__region")
        .annotate(last_report=Subquery(reports.values("received_on")[:1]))
        .annotate(last_reminder=Subquery(reminders.values("sent_at")[:1]))
        .annotate(counted_from=Coalesce(Subquery(since_join.values("received_on")[:1]), F("member_since")))
        .alias(due_by=Coalesce("counted_from", Value(cutoff)))
        .filter(due_by__lte=cutoff)  # due, or undated with no report
        .order_by(F("counted_from").asc(nulls_last=True), bytewise("search_name"), bytewise("name"), "pk")
    )


# (counted_from or None, folded name, name, pk): one city of cities_due_a_progress_report(), as kept per country.
DueCity = tuple[datetime.date | None, str, str, int]


def progress_report_order(row: DueCity) -> tuple:
    """The sort key of a DueCity: the order of cities_due_a_progress_report() (Python compares str by code
    point, as bytewise() makes the database do)."""
    counted_from, search_name, name, pk = row
    return counted_from is None, counted_from or datetime.date.min, search_name, name, pk


def progress_reports_due(date: datetime.date, country_ids) -> dict[int, list[DueCity]]:
    """{country pk: its cities due a progress report on `date`, as DueCity rows in progress_report_order()}.
    Kept per country and date (core.cache.cached_per_record, scope "country"): a report recorded, a reminder sent
    or a term changed bumps its city's country, so the first view after it looks again at that country alone,
    not at the 70,000 members of the stress size (1 s). One query for the countries not kept."""
    return cached_per_record(
        f"progress-reports-due:{date.isoformat()}", partial(_due_in, date), country_ids, scope="country"
    )


def _due_in(date: datetime.date, countries: list) -> dict[int, list[DueCity]]:
    found: dict[int, list[DueCity]] = {pk: [] for pk in countries}
    due = cities_due_a_progress_report(date).filter(country__in=countries).order_by()
    for country, *row in due.values_list("country", "counted_from", "search_name", "name", "pk"):
        found[country].append(tuple(row))
    for rows in found.values():
        rows.sort(key=progress_report_order)
    return found


def progress_reports_due_first(date: datetime.date, *, region=None, limit: int) -> list[int]:
    """The pks of the first `limit` cities due a progress report on `date` (of `region`, a Region or its pk, if
    given), in the order of cities_due_a_progress_report(): the kept lists of its countries merged. Two queries
    when every country's list is kept (the countries, the cache tokens)."""
    countries = Country.objects.filter(region=region) if region else Country.objects.all()
    kept = progress_reports_due(date, countries.values_list("pk", flat=True))
    merged = heapq.merge(*(rows for rows in kept.values() if rows), key=progress_report_order)
    return [row[-1] for row in islice(merged, limit)]


def progress_reports_due_counts(date: datetime.date) -> tuple[int, int]:
    """(overdue, undated): how many members are due a progress report on `date`, and how many have no date to
    count one from; from the lists kept per country (progress_reports_due)."""
    kept = progress_reports_due(date, Country.objects.values_list("pk", flat=True))
    undated = sum(1 for rows in kept.values() for row in rows or () if row[0] is None)
    return sum(len(rows or ()) for rows in kept.values()) - undated, undated


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
