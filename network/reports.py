"""Membership reports (members by region and country, joins and departures, growth, progress reports due,
award winners) and the list exports of the network's records."""

import datetime
from collections import defaultdict

from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from core.charts import bar_chart, column_chart
from core.dates import DatePrecision, iso_partial_date, partial_date_text
from network.membership import status_label_sql
from network.models import (
    PROGRESS_REPORT_INTERVAL_YEARS,
    Award,
    City,
    Cluster,
    ClusterMembership,
    Country,
    MembershipTerm,
    ProgressReport,
    Region,
)
from network.report_filters import (
    AwardFilterForm,
    CityReportFilterForm,
    OnDateFilterForm,
    RegionFilterForm,
    TermFilterForm,
    filter_cities,
)
from network.selectors import network_growth
from reports.base import DATE, DECIMAL, INT, OpenData, QueryReport, Report, ReportColumn, choice_label, register


def add_years(date: datetime.date, years: int) -> datetime.date:
    """`years` later (earlier if negative); beyond the calendar, its first or last day, which compares the same."""
    if not datetime.MINYEAR <= date.year + years <= datetime.MAXYEAR:
        return datetime.date.min if years < 0 else datetime.date.max
    try:
        return date.replace(year=date.year + years)
    except ValueError:  # 29 February
        return date.replace(year=date.year + years, day=28)


@register
class MembersByCountryReport(QueryReport):
    name = "members-by-country"
    title = "Members by region and country"
    description = "Member cities on the chosen date, counted by country and grouped by UNESCO region."
    group, group_order = "Membership", 1
    filter_form = OnDateFilterForm
    columns = [
        ReportColumn("Region", "country__region__name"),
        ReportColumn("Country", "country__name"),
        ReportColumn("ISO code", "country__code"),
        ReportColumn("Members", "members", INT),
    ]

    def get_queryset(self):
        cities = City.objects.members_on(self.filters["date"])
        if region := self.filters["region"]:
            cities = cities.in_region(region)
        return (
            cities.values("country__region__name", "country__name", "country__code")
            .annotate(members=Count("pk"))
            .order_by("country__region__name", "country__name")
        )

    def chart(self, rows):
        totals = defaultdict(int)
        for region, _country, _code, members in rows:
            totals[region] += members
        return bar_chart(f"Members by region on {self.filters['date']:%d %B %Y}", sorted(totals.items()))


def _terms(filters):
    terms = MembershipTerm.objects.order_by()
    if region := filters.get("region"):
        terms = terms.filter(city__country__region=region)
    return terms


@register
class JoinsAndDeparturesReport(Report):
    name = "joins-and-departures"
    title = "Joins and departures per year"
    description = (
        "Membership terms that began (admissions and re-admissions) and ended in each year. "
        "Terms whose start was not recorded are not counted as joins."
    )
    group, group_order = "Membership", 1
    filter_form = RegionFilterForm
    columns = [
        ReportColumn("Year", kind=INT),
        ReportColumn("Joined", kind=INT),
        ReportColumn("Left", kind=INT),
        ReportColumn("Net", kind=INT),
    ]

    def rows(self):
        for row in network_growth(terms=_terms(self.filters)):
            yield row.year, row.joins, row.departures, row.joins - row.departures


@register
class GrowthReport(Report):
    name = "growth"
    title = "Growth of the network"
    description = (
        "Members on 31 December of each year (today for the current year). "
        "A member whose join date was not recorded counts in every year."
    )
    group, group_order = "Membership", 1
    filter_form = RegionFilterForm
    columns = [ReportColumn("Year", kind=INT), ReportColumn("Members on", kind=DATE), ReportColumn("Members", kind=INT)]

    def rows(self):
        today = timezone.localdate()
        for row in network_growth(terms=_terms(self.filters), today=today):
            yield row.year, min(datetime.date(row.year, 12, 31), today), row.members

    def chart(self, rows):
        return column_chart("Members at the end of each year", [(year, members) for year, _, members in rows])


@register
class ProgressReportsDueReport(Report):
    name = "progress-reports-due"
    title = "Progress reports due"
    description = (
        "Members whose biennial progress report is due by the chosen date: two years after joining or after "
        "their last report. A join date known only to the year or month counts from its first day; members "
        "whose join date was not recorded and who sent no report are listed with no due date."
    )
    group, group_order = "Membership", 1
    filter_form = OnDateFilterForm
    columns = [
        ReportColumn("City"),
        ReportColumn("Country"),
        ReportColumn("Region"),
        ReportColumn("Member since"),
        ReportColumn("Last progress report", kind=DATE),
        ReportColumn("Due", kind=DATE),
        ReportColumn("Days overdue", kind=INT),
    ]

    def get_queryset(self):
        date = self.filters["date"]
        cutoff = add_years(date, -PROGRESS_REPORT_INTERVAL_YEARS)
        reports = ProgressReport.objects.filter(city=OuterRef("pk"), received_on__lte=date).order_by("-received_on")
        cities = (
            City.objects.members_on(date)
            .with_membership(date)
            .select_related("country__region")
            .annotate(last_report=Subquery(reports.values("received_on")[:1]))
            # Greatest() of two values where either may be NULL, alike on PostgreSQL and SQLite.
            .annotate(
                counted_from=Greatest(Coalesce("member_since", "last_report"), Coalesce("last_report", "member_since"))
            )
            .filter(Q(counted_from__isnull=True) | Q(counted_from__lte=cutoff))
            .order_by(F("counted_from").asc(nulls_first=True), "name")
        )
        return filter_cities(cities, self.filters)

    def row(self, city):
        due = add_years(city.counted_from, PROGRESS_REPORT_INTERVAL_YEARS) if city.counted_from else None
        since = iso_partial_date(city.member_since, city.member_since_precision) or "not recorded"
        overdue = (self.filters["date"] - due).days if due else None
        return city.name, city.country.name, city.country.region.name, since, city.last_report, due, overdue


@register
class AwardWinnersReport(QueryReport):
    name = "award-winners"
    title = "Learning City Award winners by year and region"
    description = "UNESCO Learning City Award winners, by year, then region, then city."
    group, group_order = "Awards", 3
    filter_form = AwardFilterForm
    columns = [
        ReportColumn("Year", "year", INT),
        ReportColumn("Region", "city__country__region__name"),
        ReportColumn("Country", "city__country__name"),
        ReportColumn("City", "city__name"),
        ReportColumn("Citation", "citation"),
        ReportColumn("Source", "source"),
    ]

    def get_queryset(self):
        awards = Award.objects.order_by("year", "city__country__region__name", "city__name")
        if year := self.filters["year"]:
            awards = awards.filter(year=year)
        return filter_cities(awards, self.filters, "city__")

    def chart(self, rows):
        totals = defaultdict(int)
        for row in rows:
            totals[row[1]] += 1
        return bar_chart("Winners by region", sorted(totals.items()))


@register
class CityListReport(QueryReport):
    name = "cities"
    title = "Cities"
    description = "Every city on record, member or not, with its status today."
    filter_form = CityReportFilterForm
    columns = [
        ReportColumn("Name", "name"),
        ReportColumn("Local name", "local_name"),
        ReportColumn("Country", "country__name"),
        ReportColumn("ISO code", "country__code"),
        ReportColumn("Region", "country__region__name"),
        ReportColumn("Province or state", "province"),
        ReportColumn(
            "Status",
            status_label_sql(),
        ),
        ReportColumn("Member since", partial_date_text("member_since", "member_since_precision")),
        ReportColumn("Latitude", "latitude", DECIMAL),
        ReportColumn("Longitude", "longitude", DECIMAL),
        ReportColumn("Population", "population", INT),
        ReportColumn("Website", "website"),
        ReportColumn("Source", "source"),
    ]

    def get_queryset(self):
        cities = City.objects.with_membership().order_by("name", "country__name", "pk")
        cities = cities.with_status(self.filters["status"])
        if year := self.filters["joined"]:
            cities = cities.joined_in(year)
        return filter_cities(cities, self.filters)


@register
class MembershipTermListReport(QueryReport):
    name = "membership-terms"
    title = "Membership terms"
    description = "Each period of membership of each city; a city that left and re-joined has two."
    filter_form = TermFilterForm
    columns = [
        ReportColumn("City", "city__name"),
        ReportColumn("Country", "city__country__name"),
        ReportColumn("Region", "city__country__region__name"),
        ReportColumn("Start", partial_date_text("start_date", "start_precision")),
        ReportColumn("Start known to the", choice_label("start_precision", DatePrecision.choices)),
        ReportColumn("End", "end_date", DATE),
        ReportColumn("End reason", choice_label("end_reason", MembershipTerm.EndReason.choices)),
        ReportColumn("Source", "source"),
        ReportColumn("Notes", "notes"),
    ]

    def get_queryset(self):
        terms = MembershipTerm.objects.order_by("city__name", "city_id", F("start_date").asc(nulls_first=True))
        reason = self.filters["end_reason"]
        if reason == "open":
            terms = terms.filter(end_date__isnull=True)
        elif reason:
            terms = terms.filter(end_reason=reason)
        return filter_cities(terms, self.filters, "city__")


@register
class RegionListReport(QueryReport):
    name = "regions"
    title = "Regions"
    columns = [
        ReportColumn("Name", "name"),
        ReportColumn("Slug", "slug"),
        ReportColumn("Countries", "country_count", INT),
    ]

    def get_queryset(self):
        counts = Country.objects.filter(region=OuterRef("pk")).order_by().values("region").annotate(n=Count("pk"))
        return Region.objects.annotate(country_count=Coalesce(Subquery(counts.values("n")), 0)).order_by("name")


@register
class CountryListReport(QueryReport):
    name = "countries"
    title = "Countries"
    filter_form = RegionFilterForm
    columns = [
        ReportColumn("Name", "name"),
        ReportColumn("ISO code", "code"),
        ReportColumn("Formal name", "formal_name"),
        ReportColumn("Region", "region__name"),
        ReportColumn("Current members", "member_count", INT),
    ]

    def get_queryset(self):
        countries = Country.objects.with_member_counts().order_by("name")
        if region := self.filters["region"]:
            countries = countries.filter(region=region)
        return countries


@register
class ClusterListReport(QueryReport):
    name = "clusters"
    title = "Thematic clusters"
    columns = [
        ReportColumn("Name", "name"),
        ReportColumn("Description", "description"),
        ReportColumn("Cities", "city_count", INT),
    ]

    def get_queryset(self):
        counts = ClusterMembership.objects.filter(cluster=OuterRef("pk")).order_by().values("cluster")
        counted = Coalesce(Subquery(counts.annotate(n=Count("pk")).values("n")), 0)
        return Cluster.objects.annotate(city_count=counted).order_by("name")


@register
class ClusterMembershipListReport(QueryReport):
    name = "cluster-memberships"
    title = "Cluster memberships"
    filter_form = RegionFilterForm
    columns = [
        ReportColumn("Cluster", "cluster__name"),
        ReportColumn("City", "city__name"),
        ReportColumn("Country", "city__country__name"),
        ReportColumn("Joined (year)", "joined_year", INT),
    ]

    def get_queryset(self):
        memberships = ClusterMembership.objects.order_by("cluster__name", "city__name", "pk")
        return filter_cities(memberships, self.filters, "city__")


@register
class ProgressReportListReport(QueryReport):
    name = "progress-reports"
    title = "Progress reports received"
    filter_form = RegionFilterForm
    columns = [
        ReportColumn("City", "city__name"),
        ReportColumn("Country", "city__country__name"),
        ReportColumn("Received", "received_on", DATE),
        ReportColumn("Title", "title"),
        ReportColumn("Link", "link"),
        ReportColumn("Notes", "notes"),
    ]

    def get_queryset(self):
        reports = ProgressReport.objects.order_by("-received_on", "city__name", "pk")
        return filter_cities(reports, self.filters, "city__")


class OpenMembersReport(OpenData, QueryReport):
    """The member cities on a day (default today) for the public Open data page: public facts only.

    Not registered: it is not a staff report; config/open_data.py serves it as CSV, XLSX, JSON and GeoJSON.
    """

    name = "members"
    title = "Member cities"
    filter_form = OnDateFilterForm
    columns = [
        ReportColumn("Name", "name"),
        ReportColumn("Local name", "local_name"),
        ReportColumn("Country", "country__name"),
        ReportColumn("ISO code", "country__code"),
        ReportColumn("Region", "country__region__name"),
        ReportColumn("Province or state", "province"),
        ReportColumn("Member since", partial_date_text("member_since", "member_since_precision")),
        ReportColumn("Latitude", "latitude", DECIMAL),
        ReportColumn("Longitude", "longitude", DECIMAL),
        ReportColumn("Slug", "slug"),
    ]

    def data_date(self):
        return self.filters["date"]

    def get_queryset(self):
        day = self.filters["date"]
        cities = City.objects.with_membership(day).members_on(day)
        if region := self.filters["region"]:
            cities = cities.in_region(region)
        return cities.order_by("name", "country__name", "pk")
