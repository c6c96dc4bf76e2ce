"""Membership reports (members by region and country, joins and departures, growth, progress reports due,
award winners) and the list exports of the network's records."""

import datetime
from collections import defaultdict
from urllib.parse import urlencode

from django import forms
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.urls import reverse
from django.utils import timezone

from core.charts import bar_chart, column_chart
from core.dates import DatePrecision, iso_partial_date, partial_date_text
from core.translation import by_label
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
    Reminder,
)
from network.querysets import term_active_on
from network.reports.filters import (
    AwardFilterForm,
    CityReportFilterForm,
    OnDateFilterForm,
    RegionFilterForm,
    TermFilterForm,
    filter_cities,
)
from network.selectors import network_growth
from reports.base import (
    BOOL,
    DATE,
    DECIMAL,
    INT,
    OpenData,
    QueryReport,
    Report,
    ReportColumn,
    choice_label,
    register,
    report_url,
)


def add_years(date: datetime.date, years: int) -> datetime.date:
    """`years` later (earlier if negative); beyond the calendar, its first or last day, which compares the same."""
    if not datetime.MINYEAR <= date.year + years <= datetime.MAXYEAR:
        return datetime.date.min if years < 0 else datetime.date.max
    try:
        return date.replace(year=date.year + years)
    except ValueError:  # 29 February
        return date.replace(year=date.year + years, day=28)


class CityRowLinks:
    """For a report with one row per City: its first cell links to the city's public page, and for staff to the
    city's admin page (the link sources are the city's slug and pk)."""

    link_sources = ["slug", "pk"]

    def links(self, row, extra):
        return {0: reverse("network:city_detail", args=[extra[0]])}

    def admin_links(self, row, extra):
        return {0: reverse("admin:network_city_change", args=[extra[1]])}


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
        ReportColumn("Members", "members", INT, total=True),
    ]
    link_sources = ["country__region__slug"]
    subtotal_by = 0
    screen_rows = 300  # every country on one page, so the subtotals and the total add up what is shown

    def links(self, row, extra):
        date = self.filters["date"].isoformat()
        return {
            0: report_url(self.name, date=date, region=extra[0]),
            1: report_url("cities", status="current", country=row[2]),
        }

    def get_queryset(self):
        cities = City.objects.members_on(self.filters["date"])
        if region := self.filters["region"]:
            cities = cities.in_region(region)
        return (
            cities.values("country__region__name", "country__region__slug", "country__name", "country__code")
            .annotate(members=Count("pk"))
            .order_by("country__region__name", "country__name")
        )

    def chart(self, rows):
        totals = defaultdict(int)
        for region, _country, _code, members in rows:
            totals[region] += members
        title = f"Members by region on {self.filters['date']:%d %B %Y}"
        return bar_chart(title, by_label(totals.items()), value_axis="Member cities", label_axis="Region")


UNDATED_NOTE = "Join date not recorded: members today, in no year"
UNDATED_REASON = "No join date recorded and no progress report received: no date to count from"


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
        ReportColumn("Joined", kind=INT, total=True),
        ReportColumn("Left", kind=INT, total=True),
        ReportColumn("Net", kind=INT, total=True),
    ]

    def links(self, row, extra):
        terms = reverse("admin:network_membershipterm_changelist")
        return {1: f"{terms}?start_date__year={row[0]}", 2: f"{terms}?end_date__year={row[0]}"}

    def rows(self):
        for row in network_growth(terms=_terms(self.filters)):
            yield row.year, row.joins, row.departures, row.joins - row.departures


@register
class GrowthReport(Report):
    name = "growth"
    title = "Growth of the network"
    description = (
        "Members on 31 December of each year (today for the current year) whose join date is recorded; "
        "members whose join date was not recorded are counted on a line of their own, as of today."
    )
    group, group_order = "Membership", 1
    filter_form = RegionFilterForm
    columns = [
        ReportColumn("Year", kind=INT),
        ReportColumn("Members on", kind=DATE),
        ReportColumn("Members", kind=INT),
        ReportColumn("Note"),
    ]

    def rows(self):
        today = timezone.localdate()
        terms = _terms(self.filters)
        for row in network_growth(terms=terms.filter(start_date__isnull=False), today=today):
            yield row.year, min(datetime.date(row.year, 12, 31), today), row.members, ""
        if undated := terms.filter(term_active_on(today), start_date__isnull=True).count():
            yield None, today, undated, UNDATED_NOTE

    def chart(self, rows):
        dated = [(year, members) for year, _, members, note in rows if not note]
        title = "Members at the end of each year (join date recorded)"
        return column_chart(title, dated, value_axis="Member cities", label_axis="Year")


@register
class ProgressReportsDueReport(CityRowLinks, Report):
    name = "progress-reports-due"
    title = "Progress reports due"
    description = (
        "Members whose biennial progress report is due by the chosen date: two years after joining or after "
        "their last report. A join date known only to the year or month counts from its first day; members "
        "whose join date was not recorded and who sent no report are listed last, apart, with the reason."
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
        ReportColumn("Last reminder", kind=DATE),
        ReportColumn("Note"),
    ]
    action_header = "Follow-up"

    def row_actions(self, row, extra):
        back = urlencode({"next": report_url(self.name, date=self.filters["date"].isoformat())})
        return [
            ("Record report", reverse("network:progress_report_record", args=[extra[1]]) + f"?{back}"),
            ("Send reminder", reverse("network:reminder_create", args=[extra[1]]) + f"?{back}"),
        ]

    def get_queryset(self):
        date = self.filters["date"]
        cutoff = add_years(date, -PROGRESS_REPORT_INTERVAL_YEARS)
        reports = ProgressReport.objects.filter(city=OuterRef("pk"), received_on__lte=date).order_by("-received_on")
        reminders = Reminder.objects.filter(city=OuterRef("pk")).order_by("-sent_at")
        cities = (
            City.objects.members_on(date)
            .with_membership(date)
            .select_related("country__region")
            .annotate(last_report=Subquery(reports.values("received_on")[:1]))
            .annotate(last_reminder=Subquery(reminders.values("sent_at")[:1]))
            # Greatest() of two values where either may be NULL, alike on PostgreSQL and SQLite.
            .annotate(
                counted_from=Greatest(Coalesce("member_since", "last_report"), Coalesce("last_report", "member_since"))
            )
            .filter(Q(counted_from__isnull=True) | Q(counted_from__lte=cutoff))
            .order_by(F("counted_from").asc(nulls_last=True), "name")
        )
        return filter_cities(cities, self.filters)

    link_sources = ["slug", "pk"]

    def link_values(self, city):
        return city.slug, city.pk

    def row(self, city):
        due = add_years(city.counted_from, PROGRESS_REPORT_INTERVAL_YEARS) if city.counted_from else None
        since = iso_partial_date(city.member_since, city.member_since_precision) or "not recorded"
        overdue = (self.filters["date"] - due).days if due else None
        note = "" if due else UNDATED_REASON
        reminded = timezone.localtime(city.last_reminder).date() if city.last_reminder else None
        region = city.country.region.name
        return city.name, city.country.name, region, since, city.last_report, due, overdue, reminded, note


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

    link_sources = ["city__slug", "pk"]

    def links(self, row, extra):
        return {3: reverse("network:city_detail", args=[extra[0]])}

    def admin_links(self, row, extra):
        return {3: reverse("admin:network_award_change", args=[extra[1]])}

    def get_queryset(self):
        awards = Award.objects.order_by("year", "city__country__region__name", "city__search_name")
        if year := self.filters["year"]:
            awards = awards.filter(year=year)
        return filter_cities(awards, self.filters, "city__")

    def chart(self, rows):
        totals = defaultdict(int)
        for row in rows:
            totals[row[1]] += 1
        return bar_chart("Winners by region", by_label(totals.items()), value_axis="Award winners", label_axis="Region")


@register
class CityListReport(CityRowLinks, QueryReport):
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
        # The text keeps the known precision ("2020"); this column sorts and filters as a date.
        ReportColumn("Member since (first day)", "member_since", DATE),
        ReportColumn("Latitude", "latitude", DECIMAL),
        ReportColumn("Longitude", "longitude", DECIMAL),
        ReportColumn("Population", "population", INT),
        ReportColumn("Website", "website"),
        ReportColumn("Source", "source"),
    ]

    def get_queryset(self):
        cities = City.objects.with_membership().order_by("search_name", "name", "country__name", "pk")
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
        ReportColumn("Start (first day)", "start_date", DATE),
        ReportColumn("Start known to the", choice_label("start_precision", DatePrecision.choices)),
        ReportColumn("End", "end_date", DATE),
        ReportColumn("End reason", choice_label("end_reason", MembershipTerm.EndReason.choices)),
        ReportColumn("Source", "source"),
        ReportColumn("Notes", "notes"),
    ]

    link_sources = ["city__slug", "pk"]

    def links(self, row, extra):
        return {0: reverse("network:city_detail", args=[extra[0]])}

    def admin_links(self, row, extra):
        return {0: reverse("admin:network_membershipterm_change", args=[extra[1]])}

    def get_queryset(self):
        terms = MembershipTerm.objects.order_by("city__search_name", "city_id", F("start_date").asc(nulls_first=True))
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
        memberships = ClusterMembership.objects.order_by("cluster__name", "city__search_name", "pk")
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
        reports = ProgressReport.objects.order_by("-received_on", "city__search_name", "pk")
        return filter_cities(reports, self.filters, "city__")


@register
class PossibleDuplicatesReport(CityRowLinks, QueryReport):
    name = "possible-duplicates"
    title = "Cities that may be duplicates"
    description = "Cities whose name, folded (accents and case ignored), is that of another city of the same country."
    group, group_order = "Follow-up", 0
    filter_form = RegionFilterForm
    columns = [
        ReportColumn("City", "name"),
        ReportColumn("Local name", "local_name"),
        ReportColumn("Country", "country__name"),
        ReportColumn("Province or state", "province"),
        ReportColumn("Source", "source"),
    ]

    def get_queryset(self):
        cities = City.objects.possible_duplicates().order_by("country__name", "search_name", "pk")
        return filter_cities(cities, self.filters)


class LapsedFilterForm(OnDateFilterForm):
    days = forms.IntegerField(
        label="Within (days)",
        required=False,
        min_value=1,
        max_value=3660,
        help_text="Before and after the date; default 365.",
    )


@register
class LapsedAndEndingReport(QueryReport):
    name = "lapsed-and-ending"
    title = "Lapsed and ending memberships"
    description = (
        "Membership terms that ended in the days before the date (lapsed, withdrawn, suspended) or end in the "
        "days after it, and whether the city has come back since."
    )
    group, group_order = "Follow-up", 0
    filter_form = LapsedFilterForm
    columns = [
        ReportColumn("City", "city__name"),
        ReportColumn("Country", "city__country__name"),
        ReportColumn("Region", "city__country__region__name"),
        ReportColumn("Start", partial_date_text("start_date", "start_precision")),
        ReportColumn("End", "end_date", DATE),
        ReportColumn("End reason", choice_label("end_reason", MembershipTerm.EndReason.choices)),
        ReportColumn("Member again", "member_again", BOOL),
    ]
    link_sources = ["city__slug", "pk"]

    def links(self, row, extra):
        return {0: reverse("network:city_detail", args=[extra[0]])}

    def admin_links(self, row, extra):
        return {0: reverse("admin:network_membershipterm_change", args=[extra[1]])}

    def get_queryset(self):
        date, days = self.filters["date"], datetime.timedelta(days=self.filters["days"] or 365)
        later = MembershipTerm.objects.filter(city=OuterRef("city"), start_date__gt=OuterRef("end_date"))
        terms = (
            MembershipTerm.objects.filter(end_date__gte=date - days, end_date__lte=date + days)
            .annotate(member_again=Exists(later))
            .order_by("end_date", "city__name", "pk")
        )
        return filter_cities(terms, self.filters, "city__")


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


# The panels the dashboard shows (reports autodiscovers each app's `dashboard`; here it lives with the reports).
from network.reports import dashboard  # noqa: E402, F401
