"""Membership reports (members by region and country, joins and departures, growth, progress reports due,
award winners) and the list exports of the network's records."""

import datetime
from collections import defaultdict
from collections.abc import Iterator
from functools import cached_property
from itertools import islice
from urllib.parse import urlencode

from django import forms
from django.db.models import Count, Exists, F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.cache import LISTS
from core.charts import bar_chart, column_chart
from core.dates import DatePrecision, add_years, iso_partial_date, partial_date_text
from core.translation import by_label, localized_ordering
from core.urls import reverse_for_each
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
from network.querysets import term_active_on
from network.reports.filters import (
    AwardFilterForm,
    CityReportFilterForm,
    OnDateFilterForm,
    RegionFilterForm,
    TermFilterForm,
    filter_cities,
)
from network.selectors import (
    cities_due_a_progress_report,
    country_figures,
    network_growth,
    possible_duplicate_ids,
    progress_reports_due_first,
)
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

# Every report here reads cities and their records, never delegations or delegates (Report.lists).
NETWORK_LISTS = (LISTS,)


class CityRowLinks:
    """For a report with one row per City: its first cell links to the city's public page, and for staff to the
    city's admin page (the link sources are the city's slug and pk)."""

    link_sources = ["slug", "pk"]

    @cached_property
    def _city_page(self):
        return reverse_for_each("network:city_detail")  # reversed once a page, not once a row

    @cached_property
    def _city_admin_page(self):
        return reverse_for_each("admin:network_city_change")

    def links(self, row, extra):
        return {0: self._city_page(extra[0])}

    def admin_links(self, row, extra):
        return {0: self._city_admin_page(extra[1])}


@register
class MembersByCountryReport(Report):
    name = "members-by-country"
    lists = NETWORK_LISTS
    title = _("Members by region and country")
    description = _("Member cities on the chosen date, counted by country and grouped by UNESCO region.")
    group, group_order = _("Membership"), 1
    filter_form = OnDateFilterForm
    columns = [
        ReportColumn(_("Region")),
        ReportColumn(_("Country")),
        ReportColumn(_("ISO code")),
        ReportColumn(_("Members"), kind=INT, total=True),
    ]
    link_sources = ["country__region__slug"]  # link_values() of _rows()
    subtotal_by = 0
    screen_rows = 300  # every country on one page, so the subtotals and the total add up what is shown

    def links(self, row, extra):
        date = self.filters["date"].isoformat()
        return {
            0: report_url(self.name, date=date, region=extra[0]),
            1: report_url("cities", status="current", country=row[2]),
        }

    def rows(self):
        return (row for row, _links in self._rows())

    def rows_with_links(self, limit: int) -> list[tuple[tuple, tuple]]:
        return list(islice(self._rows(), limit))

    def _rows(self) -> Iterator[tuple[tuple, tuple]]:
        """(region, country, ISO code, members) of each country with members on the date, by region and country
        name in the reader's language, with the region's slug for its link. Today's counts are those kept per
        country (country_figures): after an edit one country is counted again, not the network's 100,000
        cities (0.37 s at the stress size); another date counts its members in one grouped query."""
        date, region = self.filters["date"], self.filters["region"]
        countries = Country.objects.select_related("region").filter(**({"region": region} if region else {}))
        countries = list(countries.order_by(*localized_ordering(Country, ["region__name", "name"])))
        if date == timezone.localdate():
            figures = country_figures([country.pk for country in countries])
            members = {pk: kept.current for pk, kept in figures.items()}
        else:
            cities = City.objects.members_on(date).filter(country__in=[country.pk for country in countries])
            members = dict(cities.order_by().values_list("country").annotate(n=Count("pk")))
        for country in countries:
            if count := members.get(country.pk):
                yield (country.region.name, country.name, country.code, count), (country.region.slug,)

    def chart(self, rows):
        totals = defaultdict(int)
        for region, _country, _code, members in rows:
            totals[region] += members
        title = gettext("Members by region on %(date)s") % {"date": date_format(self.filters["date"], "d F Y")}
        return bar_chart(
            title, by_label(totals.items()), value_axis=gettext("Member cities"), label_axis=gettext("Region")
        )


# Lazy: a row gives str(UNDATED_NOTE), in the language of whoever reads the report.
UNDATED_NOTE = _("Join date not recorded: members today, in no year")
UNDATED_REASON = _("No join date recorded and no progress report received: no date to count from")


def _terms(filters):
    terms = MembershipTerm.objects.order_by()
    if region := filters.get("region"):
        terms = terms.filter(city__country__region=region)
    return terms


@register
class JoinsAndDeparturesReport(Report):
    name = "joins-and-departures"
    lists = NETWORK_LISTS
    title = _("Joins and departures per year")
    description = _(
        "Membership terms that began (admissions and re-admissions) and ended in each year. "
        "Terms whose start was not recorded are not counted as joins."
    )
    group, group_order = _("Membership"), 1
    filter_form = RegionFilterForm
    columns = [
        ReportColumn(_("Year"), kind=INT),
        ReportColumn(_("Joined"), kind=INT, total=True),
        ReportColumn(_("Left"), kind=INT, total=True),
        ReportColumn(_("Net"), kind=INT, total=True),
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
    lists = NETWORK_LISTS
    title = _("Growth of the network")
    description = _(
        "Members on 31 December of each year (today for the current year) whose join date is recorded; "
        "members whose join date was not recorded are counted on a line of their own, as of today."
    )
    group, group_order = _("Membership"), 1
    filter_form = RegionFilterForm
    columns = [
        ReportColumn(_("Year"), kind=INT),
        ReportColumn(_("Members on"), kind=DATE),
        ReportColumn(_("Members"), kind=INT),
        ReportColumn(_("Note")),
    ]

    def rows(self):
        today = timezone.localdate()
        terms = _terms(self.filters)
        for row in network_growth(terms=terms.filter(start_date__isnull=False), today=today):
            yield row.year, min(datetime.date(row.year, 12, 31), today), row.members, ""
        if undated := terms.filter(term_active_on(today), start_date__isnull=True).count():
            yield None, today, undated, str(UNDATED_NOTE)

    def chart(self, rows):
        dated = [(year, members) for year, _day, members, note in rows if not note]
        title = gettext("Members at the end of each year (join date recorded)")
        return column_chart(title, dated, value_axis=gettext("Member cities"), label_axis=gettext("Year"))


@register
class ProgressReportsDueReport(CityRowLinks, Report):
    name = "progress-reports-due"
    lists = NETWORK_LISTS
    title = _("Progress reports due")
    description = _(
        "Members whose biennial progress report is due by the chosen date: two years after joining or after "
        "their last report. A join date known only to the year or month counts from its first day; members "
        "whose join date was not recorded and who sent no report are listed last, apart, with the reason."
    )
    group, group_order = _("Membership"), 1
    filter_form = OnDateFilterForm
    columns = [
        ReportColumn(_("City")),
        ReportColumn(_("Country")),
        ReportColumn(_("Region")),
        ReportColumn(_("Member since")),
        ReportColumn(_("Member since (first day)"), kind=DATE),
        ReportColumn(_("Last progress report"), kind=DATE),
        ReportColumn(_("Due"), kind=DATE),
        ReportColumn(_("Days overdue"), kind=INT),
        ReportColumn(_("Last reminder"), kind=DATE),
        ReportColumn(_("Note")),
    ]
    action_header = _("Follow-up")

    @cached_property
    def _back(self) -> str:
        """The query string that brings staff back to this report and date after an action: the same on every
        row, so made once a page rather than once for each of its 500 rows."""
        return urlencode({"next": report_url(self.name, date=self.filters["date"].isoformat())})

    @cached_property
    def _action_pages(self):
        return reverse_for_each("network:progress_report_record"), reverse_for_each("network:reminder_create")

    def row_actions(self, row, extra):
        back, (record, remind) = self._back, self._action_pages
        return [
            (gettext("Record report"), f"{record(extra[1])}?{back}"),
            (gettext("Send reminder"), f"{remind(extra[1])}?{back}"),
        ]

    def get_queryset(self):
        return filter_cities(cities_due_a_progress_report(self.filters["date"]), self.filters)

    def rows_with_links(self, limit: int) -> list[tuple[tuple, tuple]]:
        """The page's rows: the first `limit` of the lists kept per country (network.selectors), then those
        cities read in full, one query; the export reads get_queryset() through, in the same order."""
        first = progress_reports_due_first(self.filters["date"], region=self.filters["region"], limit=limit)
        cities = self.get_queryset().filter(pk__in=first).order_by().in_bulk()
        return [(self.row(cities[pk]), self.link_values(cities[pk])) for pk in first if pk in cities]

    link_sources = ["slug", "pk"]

    def link_values(self, city):
        return city.slug, city.pk

    def row(self, city):
        due = add_years(city.counted_from, PROGRESS_REPORT_INTERVAL_YEARS) if city.counted_from else None
        since = iso_partial_date(city.member_since, city.member_since_precision) or gettext("not recorded")
        overdue = (self.filters["date"] - due).days if due else None
        note = "" if due else str(UNDATED_REASON)
        reminded = timezone.localtime(city.last_reminder).date() if city.last_reminder else None
        region = city.country.region.name
        first_day = city.member_since
        return city.name, city.country.name, region, since, first_day, city.last_report, due, overdue, reminded, note


@register
class AwardWinnersReport(QueryReport):
    name = "award-winners"
    lists = NETWORK_LISTS
    title = _("Learning City Award winners by year and region")
    description = _("UNESCO Learning City Award winners, by year, then region, then city.")
    group, group_order = _("Awards"), 3
    filter_form = AwardFilterForm
    columns = [
        ReportColumn(_("Year"), "year", INT),
        ReportColumn(_("Region"), "city__country__region__name"),
        ReportColumn(_("Country"), "city__country__name"),
        ReportColumn(_("City"), "city__name"),
        ReportColumn(_("Citation"), "citation"),
        ReportColumn(_("Source"), "source"),
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
        return bar_chart(
            gettext("Winners by region"),
            by_label(totals.items()),
            value_axis=gettext("Award winners"),
            label_axis=gettext("Region"),
        )


@register
class CityListReport(CityRowLinks, QueryReport):
    name = "cities"
    lists = NETWORK_LISTS
    title = _("Cities")
    description = _("Every city on record, member or not, with its status today.")
    filter_form = CityReportFilterForm
    columns = [
        ReportColumn(_("Name"), "name"),
        ReportColumn(_("Local name"), "local_name"),
        ReportColumn(_("Country"), "country__name"),
        ReportColumn(_("ISO code"), "country__code"),
        ReportColumn(_("Region"), "country__region__name"),
        ReportColumn(_("Province or state"), "province"),
        ReportColumn(_("Status"), status_label_sql()),
        ReportColumn(_("Member since"), partial_date_text("member_since", "member_since_precision")),
        # The text keeps the known precision ("2020"); this column sorts and filters as a date.
        ReportColumn(_("Member since (first day)"), "member_since", DATE),
        ReportColumn(_("Latitude"), "latitude", DECIMAL),
        ReportColumn(_("Longitude"), "longitude", DECIMAL),
        ReportColumn(_("Population"), "population", INT),
        ReportColumn(_("Website"), "website"),
        ReportColumn(_("Source"), "source"),
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
    lists = NETWORK_LISTS
    title = _("Membership terms")
    description = _("Each period of membership of each city; a city that left and re-joined has two.")
    filter_form = TermFilterForm
    columns = [
        ReportColumn(_("City"), "city__name"),
        ReportColumn(_("Country"), "city__country__name"),
        ReportColumn(_("Region"), "city__country__region__name"),
        ReportColumn(_("Start"), partial_date_text("start_date", "start_precision")),
        ReportColumn(_("Start (first day)"), "start_date", DATE),
        ReportColumn(_("Start known to the"), choice_label("start_precision", DatePrecision.choices)),
        ReportColumn(_("End"), "end_date", DATE),
        ReportColumn(_("End reason"), choice_label("end_reason", MembershipTerm.EndReason.choices)),
        ReportColumn(_("Source"), "source"),
        ReportColumn(_("Notes"), "notes"),
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
    lists = NETWORK_LISTS
    title = _("Regions")
    columns = [
        ReportColumn(_("Name"), "name"),
        ReportColumn(_("Slug"), "slug"),
        ReportColumn(_("Countries"), "country_count", INT),
    ]

    def get_queryset(self):
        counts = Country.objects.filter(region=OuterRef("pk")).order_by().values("region").annotate(n=Count("pk"))
        return Region.objects.annotate(country_count=Coalesce(Subquery(counts.values("n")), 0)).order_by("name")


@register
class CountryListReport(QueryReport):
    name = "countries"
    lists = NETWORK_LISTS
    title = _("Countries")
    filter_form = RegionFilterForm
    columns = [
        ReportColumn(_("Name"), "name"),
        ReportColumn(_("ISO code"), "code"),
        ReportColumn(_("Formal name"), "formal_name"),
        ReportColumn(_("Region"), "region__name"),
        ReportColumn(_("Current members"), "member_count", INT),
    ]

    def get_queryset(self):
        countries = Country.objects.with_member_counts().order_by("name")
        if region := self.filters["region"]:
            countries = countries.filter(region=region)
        return countries


@register
class ClusterListReport(QueryReport):
    name = "clusters"
    lists = NETWORK_LISTS
    title = _("Thematic clusters")
    columns = [
        ReportColumn(_("Name"), "name"),
        ReportColumn(_("Description"), "description"),
        ReportColumn(_("Cities"), "city_count", INT),
    ]

    def get_queryset(self):
        counts = ClusterMembership.objects.filter(cluster=OuterRef("pk")).order_by().values("cluster")
        counted = Coalesce(Subquery(counts.annotate(n=Count("pk")).values("n")), 0)
        return Cluster.objects.annotate(city_count=counted).order_by("name")


@register
class ClusterMembershipListReport(QueryReport):
    name = "cluster-memberships"
    lists = NETWORK_LISTS
    title = _("Cluster memberships")
    filter_form = RegionFilterForm
    columns = [
        ReportColumn(_("Cluster"), "cluster__name"),
        ReportColumn(_("City"), "city__name"),
        ReportColumn(_("Country"), "city__country__name"),
        ReportColumn(_("Joined (year)"), "joined_year", INT),
    ]

    def get_queryset(self):
        memberships = ClusterMembership.objects.order_by("cluster__name", "city__search_name", "pk")
        return filter_cities(memberships, self.filters, "city__")


@register
class ProgressReportListReport(QueryReport):
    name = "progress-reports"
    lists = NETWORK_LISTS
    title = _("Progress reports received")
    filter_form = RegionFilterForm
    columns = [
        ReportColumn(_("City"), "city__name"),
        ReportColumn(_("Country"), "city__country__name"),
        ReportColumn(_("Received"), "received_on", DATE),
        ReportColumn(_("Title"), "title"),
        ReportColumn(_("Link"), "link"),
        ReportColumn(_("Notes"), "notes"),
    ]

    def get_queryset(self):
        reports = ProgressReport.objects.order_by("-received_on", "city__search_name", "pk")
        return filter_cities(reports, self.filters, "city__")


@register
class PossibleDuplicatesReport(CityRowLinks, QueryReport):
    name = "possible-duplicates"
    lists = NETWORK_LISTS
    title = _("Cities that may be duplicates")
    description = _(
        "Cities whose name, folded (accents and case ignored), is that of another city of the same country."
    )
    group, group_order = _("Follow-up"), 0
    filter_form = RegionFilterForm
    columns = [
        ReportColumn(_("City"), "name"),
        ReportColumn(_("Local name"), "local_name"),
        ReportColumn(_("Country"), "country__name"),
        ReportColumn(_("Province or state"), "province"),
        ReportColumn(_("Source"), "source"),
    ]

    def get_queryset(self):
        # Kept per country: the first view after an edit looks again at one country, not at 100,000 cities.
        cities = City.objects.filter(pk__in=possible_duplicate_ids()).order_by("country__name", "search_name", "pk")
        return filter_cities(cities, self.filters)


class LapsedFilterForm(OnDateFilterForm):
    days = forms.IntegerField(
        label=_("Within (days)"),
        required=False,
        min_value=1,
        max_value=3660,
        help_text=_("Before and after the date; default 365."),
    )


@register
class LapsedAndEndingReport(QueryReport):
    name = "lapsed-and-ending"
    lists = NETWORK_LISTS
    title = _("Lapsed and ending memberships")
    description = _(
        "Membership terms that ended in the days before the date (lapsed, withdrawn, suspended) or end in the "
        "days after it, and whether the city has come back since."
    )
    group, group_order = _("Follow-up"), 0
    filter_form = LapsedFilterForm
    columns = [
        ReportColumn(_("City"), "city__name"),
        ReportColumn(_("Country"), "city__country__name"),
        ReportColumn(_("Region"), "city__country__region__name"),
        ReportColumn(_("Start"), partial_date_text("start_date", "start_precision")),
        ReportColumn(_("Start (first day)"), "start_date", DATE),
        ReportColumn(_("End"), "end_date", DATE),
        ReportColumn(_("End reason"), choice_label("end_reason", MembershipTerm.EndReason.choices)),
        ReportColumn(_("Member again"), "member_again", BOOL),
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
    lists = NETWORK_LISTS
    title = _("Member cities")
    filter_form = OnDateFilterForm
    columns = [
        ReportColumn(_("Name"), "name"),
        ReportColumn(_("Local name"), "local_name"),
        ReportColumn(_("Country"), "country__name"),
        ReportColumn(_("ISO code"), "country__code"),
        ReportColumn(_("Region"), "country__region__name"),
        ReportColumn(_("Province or state"), "province"),
        ReportColumn(_("Member since"), partial_date_text("member_since", "member_since_precision")),
        ReportColumn(_("Member since (first day)"), "member_since", DATE),
        ReportColumn(_("Latitude"), "latitude", DECIMAL),
        ReportColumn(_("Longitude"), "longitude", DECIMAL),
        ReportColumn(_("Slug"), "slug"),
    ]

    def data_date(self):
        return self.filters["date"]

    def get_queryset(self):
        day = self.filters["date"]
        cities = City.objects.with_membership(day).filter(is_member=True)
        if region := self.filters["region"]:
            cities = cities.in_region(region)
        return cities.order_by("name", "country__name", "pk")


# The panels the dashboard shows (reports autodiscovers each app's `dashboard`; here it lives with the reports).
from network.reports import dashboard  # noqa: E402, F401
