"""Participation reports (per conference, per region, per city and country, the matrix) and the list
exports of conferences, venues, sessions, delegations and delegates."""

import datetime
from collections import defaultdict
from collections.abc import Iterator
from itertools import groupby, islice

from django import forms
from django.db.models import Count, Exists, F, OuterRef, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from conferences.models import Conference, Delegate, Delegation, Session, Venue
from conferences.selectors import (
    DELEGATES,
    DELEGATIONS,
    FIRST_ROLE,
    MEMBERS,
    Participation,
    participation_by_country,
    with_conference_counts,
)
from core.charts import bar_chart
from core.dates import partial_date_text
from core.translation import collated, collation_key, localized, plain_values
from network.models import City, Country
from network.reports import CityRowLinks
from network.reports.filters import CountryField, OnDateFilterForm, filter_cities, region_field
from reports.base import (
    BOOL,
    DATE,
    INT,
    TEXT,
    OpenData,
    QueryReport,
    Report,
    ReportColumn,
    choice_label,
    register,
    report_url,
)

ROLES = Delegate.Role.choices


class ConferenceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        year = f" ({obj.start_date.year})" if obj.start_date else ""
        return f"{obj.short_name}{year}"


def conference_field():
    # Chosen by name and year, newest first; the value stays the number (?conference=6), as links give it.
    return ConferenceChoiceField(
        Conference.objects.order_by("-number").only("pk", "number", "short_name", "start_date"),
        to_field_name="number",
        required=False,
        label=_("Conference"),
        empty_label=_("All conferences"),
        error_messages={"invalid_choice": _("There is no conference number %(value)s.")},
    )


class ParticipationFilterForm(forms.Form):
    conference = conference_field()
    region = region_field()
    country = CountryField()


class CityParticipationFilterForm(ParticipationFilterForm):
    q = forms.CharField(label=_("City name contains"), required=False)


class MatrixFilterForm(forms.Form):
    level = forms.ChoiceField(
        label=_("Level"), choices=[("city", _("Cities")), ("country", _("Countries"))], required=False
    )
    region = region_field()
    country = CountryField()


class DelegationFilterForm(CityParticipationFilterForm):
    member = forms.ChoiceField(
        label=_("City was a member"),
        choices=[("", _("Either")), ("yes", _("Member")), ("no", _("Not a member"))],
        required=False,
    )


class NeverAtAConferenceFilterForm(OnDateFilterForm):
    country = CountryField()


class DelegateFilterForm(CityParticipationFilterForm):
    role = forms.ChoiceField(label=_("Role"), choices=[("", _("Any role")), *ROLES], required=False)


def _delegations(filters):
    delegations = Delegation.objects.order_by()
    if conference := filters.get("conference"):
        delegations = delegations.filter(conference=conference)
    return filter_cities(delegations, filters, "city__")


_COUNT_COLUMNS = [
    ReportColumn(_("Delegations (cities)"), "delegation_count", INT, total=True),
    ReportColumn(_("Countries"), "country_count", INT),  # a country at two conferences is one country: no total
    ReportColumn(_("Member cities"), "member_count", INT, total=True),
    ReportColumn(_("Delegates"), "delegate_count", INT, total=True),
    *[ReportColumn(label, f"role_{value}", INT, total=True) for value, label in ROLES],
]


def _participation_links(filters, number, first_count: int) -> dict[int, str]:
    """The conference's delegations (one level down) and its delegates (two levels down), same filters."""
    region, country = filters.get("region"), filters.get("country")
    place = {"region": region.slug if region else None, "country": country.code if country else None}
    delegations = report_url("delegations", conference=number, **place)
    return {
        0: delegations,
        first_count: delegations,
        first_count + 3: report_url("delegates", conference=number, **place),
    }


class _ParticipationReport(Report):
    """A report summed from participation_by_country() (conferences/selectors.py): counts kept per conference, so
    the first view after an edit recounts one conference instead of reading every delegate. Rows come with the
    conference's number for the drill-down links."""

    filter_form = ParticipationFilterForm

    def conferences(self) -> list[tuple[int, int, str, datetime.date | None]]:
        """(pk, number, short name, start date) of the conferences the filter asks for, by number."""
        conferences = Conference.objects.order_by("number")
        if conference := self.filters.get("conference"):
            conferences = conferences.filter(pk=conference.pk)
        return list(conferences.values_list("pk", "number", "short_name", "start_date"))

    def countries(self) -> dict[int, tuple[str, str]]:
        """{country pk: (name, region name)} in the reader's language, for the countries the filters keep."""
        countries = Country.objects.order_by()
        if region := self.filters.get("region"):
            countries = countries.filter(region=region)
        if country := self.filters.get("country"):
            countries = countries.filter(pk=country.pk)
        labels = plain_values(countries, "pk", name_label=localized("name"), region_label=localized("region__name"))
        return {row["pk"]: (row["name_label"], row["region_label"]) for row in labels}

    def participation(self) -> list[tuple[tuple, dict[int, Participation]]]:
        """[(conference, {country pk: Participation})] for the conferences and countries the filters keep."""
        conferences, countries = self.conferences(), self.countries()
        by_conference = participation_by_country(pk for pk, *_rest in conferences)
        return [
            (conference, {pk: sent for pk, sent in by_conference[conference[0]].items() if pk in countries})
            for conference in conferences
        ]

    def rows_and_numbers(self) -> Iterator[tuple[tuple, tuple]]:
        raise NotImplementedError

    def rows(self) -> Iterator[tuple]:
        return (row for row, _number in self.rows_and_numbers())

    def rows_with_links(self, limit: int) -> list[tuple[tuple, tuple]]:
        return list(islice(self.rows_and_numbers(), limit))


def _summed(sent: list[Participation]) -> tuple:
    """Delegations, countries, member cities, delegates and delegates per role of these countries' Participation."""
    totals = [sum(column) for column in zip(*sent, strict=True)] or [0] * (FIRST_ROLE + len(ROLES))
    return (totals[DELEGATIONS], len(sent), totals[MEMBERS], totals[DELEGATES], *totals[FIRST_ROLE:])


@register
class ParticipationByConferenceReport(_ParticipationReport):
    name = "participation-by-conference"
    title = _("Participation by conference")
    description = _(
        "For each conference: the delegations cities sent, their countries, how many of those cities were "
        "members at the time, and the delegates recorded here by role (not the attendance a source stated)."
    )
    group, group_order = _("Participation"), 2
    columns = [
        ReportColumn(_("Conference"), kind=TEXT),
        ReportColumn(_("Year"), kind=INT),
        *_COUNT_COLUMNS,
    ]
    screen_rows = 300  # every conference on one page: the chart and the totals need them all

    def rows_and_numbers(self):
        for (_pk, number, short_name, start), by_country in self.participation():
            if by_country:
                yield (short_name, start and start.year, *_summed(list(by_country.values()))), (number,)

    def links(self, row, extra):
        return _participation_links(self.filters, extra[0], 2)

    def chart(self, rows):
        # Horizontal bars keep every conference's name readable; past 25, the largest and the others together.
        items = [(row[0], row[2]) for row in rows]
        return bar_chart(
            gettext("Delegations per conference"),
            items,
            value_axis=gettext("Delegations"),
            label_axis=gettext("Conference"),
            limit=25,
        )


@register
class ParticipationByRegionReport(_ParticipationReport):
    name = "participation-by-region"
    title = _("Participation by conference and region")
    description = _("The participation counts of each conference, by the UNESCO region of the cities.")
    group, group_order = _("Participation"), 2
    columns = [
        ReportColumn(_("Conference"), kind=TEXT),
        ReportColumn(_("Region"), kind=TEXT),
        *_COUNT_COLUMNS,
    ]
    subtotal_by = 0

    def rows_and_numbers(self):
        countries = self.countries()
        for (_pk, number, short_name, _start), by_country in self.participation():
            by_region = defaultdict(list)
            for country, sent in by_country.items():
                by_region[countries[country][1]].append(sent)
            for region in sorted(by_region, key=collation_key):
                yield (short_name, region, *_summed(by_region[region])), (number,)

    def links(self, row, extra):
        return _participation_links(self.filters, extra[0], 2)


@register
class ConferencesByCityReport(Report):
    name = "conferences-by-city"
    title = _("Conferences attended by each city")
    description = _("Each city that sent a delegation, with the conferences it attended and its delegates in all.")
    group, group_order = _("Participation"), 2
    filter_form = CityParticipationFilterForm
    columns = [
        ReportColumn(_("City")),
        ReportColumn(_("Country")),
        ReportColumn(_("Region")),
        ReportColumn(_("Conferences attended"), kind=INT),
        ReportColumn(_("Conferences")),
        ReportColumn(_("Delegates"), kind=INT),
    ]

    def rows(self):
        delegations = (
            _delegations(self.filters)
            .with_delegate_counts()
            .order_by("city__search_name", "city_id", "conference__number")
            .values_list(
                "city_id",
                "city__name",
                localized("city__country__name"),
                localized("city__country__region__name"),
                "conference__short_name",
                "delegate_count",
            )
        )
        for _city_id, group in groupby(delegations.iterator(chunk_size=2000), key=lambda d: d[0]):
            group = list(group)
            city, country, region = group[0][1:4]
            names = ", ".join(d[4] for d in group)
            yield city, country, region, len(group), names, sum(d[5] for d in group)


@register
class ConferencesByCountryReport(_ParticipationReport):
    name = "conferences-by-country"
    title = _("Conferences attended by each country")
    description = _(
        "Each country whose cities sent delegations: the conferences attended, the delegations "
        "(a city at a conference) and the delegates in all."
    )
    group, group_order = _("Participation"), 2
    columns = [
        ReportColumn(_("Country")),
        ReportColumn(_("Region")),
        ReportColumn(_("Conferences attended"), kind=INT),
        ReportColumn(_("Conferences")),
        ReportColumn(_("Delegations"), kind=INT),
        ReportColumn(_("Delegates"), kind=INT),
    ]

    def rows_and_numbers(self):
        countries = self.countries()
        attended = defaultdict(list)  # country pk -> [(short name, Participation)], by conference number
        for (_pk, _number, short_name, _start), by_country in self.participation():
            for country, sent in by_country.items():
                attended[country].append((short_name, sent))
        for country in sorted(attended, key=lambda pk: collation_key(countries[pk][0])):
            sent = attended[country]
            names = ", ".join(short_name for short_name, _p in sent)
            delegations, delegates = sum(p[DELEGATIONS] for _n, p in sent), sum(p[DELEGATES] for _n, p in sent)
            yield (*countries[country], len(sent), names, delegations, delegates), ()


@register
class ParticipationMatrixReport(Report):
    name = "participation-matrix"
    title = _("Participation matrix")
    description = _(
        "One row per city (or country), one column per conference. For a city: its delegates at that "
        "conference (0 for a delegation with none recorded); for a country: the cities it sent. "
        "Empty: not there."
    )
    group, group_order = _("Participation"), 2
    filter_form = MatrixFilterForm

    def conferences(self):
        if not hasattr(self, "_conferences"):
            self._conferences = list(Conference.objects.order_by("number").values_list("pk", "short_name"))
        return self._conferences

    def get_columns(self):
        by_city = self.filters["level"] != "country"
        names = [_("City"), _("Country"), _("Region")] if by_city else [_("Country"), _("Region")]
        return [ReportColumn(name) for name in names] + [
            ReportColumn(short_name, kind=INT) for _pk, short_name in self.conferences()
        ]

    def rows(self):
        by_city = self.filters["level"] != "country"
        city = ["city__name", "city_id"] if by_city else []
        # Country and region in the reader's language; countries (not cities) sorted the way it sorts.
        names = {"country": localized("city__country__name"), "region": localized("city__country__region__name")}
        order = [*city, "country", "region"] if by_city else [collated(F("country")), "region"]
        place = [*city, "country", "region"]
        cells = (
            _delegations(self.filters)
            .values(*city, "conference_id", **names)
            .annotate(n=Count("delegates", distinct=True) if by_city else Count("pk", distinct=True))
            .order_by(*order, "conference_id")
            .values_list(*place, "conference_id", "n")
        )
        columns = {pk: n for n, (pk, _name) in enumerate(self.conferences())}
        for key, group in groupby(cells.iterator(chunk_size=2000), key=lambda c: c[: len(place)]):
            row = [None] * len(columns)
            for cell in group:
                row[columns[cell[-2]]] = cell[-1]
            label = (key[0], key[2], key[3]) if by_city else key
            yield *label, *row


@register
class ConferenceListReport(Report):
    name = "conferences"
    title = _("Conferences")
    columns = [
        ReportColumn(_("Number"), kind=INT),
        ReportColumn(_("Short name")),
        ReportColumn(_("Title or theme")),
        ReportColumn(_("Start"), kind=DATE),
        ReportColumn(_("End"), kind=DATE),
        ReportColumn(_("Mode")),
        ReportColumn(_("Host city")),
        ReportColumn(_("Host country")),
        ReportColumn(_("Venue")),
        ReportColumn(_("Attendance (as stated)")),
        ReportColumn(_("Delegations"), kind=INT),
        ReportColumn(_("Countries"), kind=INT),
        ReportColumn(_("Delegates recorded"), kind=INT),
        ReportColumn(_("Outcome document")),
        ReportColumn(_("Source")),
    ]

    def get_queryset(self):
        conferences = Conference.objects.select_related("host_city__country", "venue").order_by("number")
        return conferences if self.selection is None else conferences.filter(pk__in=self.selection.values("pk"))

    def rows(self):
        # A few hundred conferences, with the figures kept per conference (conferences.selectors), rather than
        # four subqueries per conference that read every delegate on each first view.
        for conference in with_conference_counts(list(self.get_queryset())):
            yield self.row(conference)

    def row(self, c: Conference) -> tuple:
        host = c.host_city
        return (
            c.number,
            c.short_name,
            c.title,
            c.start_date,
            c.end_date,
            str(c.get_mode_display()),
            host.name if host else "",
            host.country.name if host else "",
            c.venue.name if c.venue else "",
            c.attendance_stated,
            c.delegation_count,
            c.country_count,
            c.delegate_count,
            c.outcome_document,
            c.source,
        )


@register
class VenueListReport(QueryReport):
    name = "venues"
    title = _("Venues")
    columns = [
        ReportColumn(_("Name"), "name"),
        ReportColumn(_("City"), "city__name"),
        ReportColumn(_("Country"), "city__country__name"),
        ReportColumn(_("Address"), "address"),
        ReportColumn(_("Website"), "website"),
    ]

    def get_queryset(self):
        return Venue.objects.order_by("name", "pk")


@register
class SessionListReport(QueryReport):
    name = "sessions"
    title = _("Sessions")
    filter_form = forms.Form
    columns = [
        ReportColumn(_("Conference"), "conference__short_name"),
        ReportColumn(_("Date"), "date", DATE),
        ReportColumn(_("Kind"), choice_label("kind", Session.Kind.choices)),
        ReportColumn(_("Title"), "title"),
        ReportColumn(_("Description"), "description"),
    ]

    def get_queryset(self):
        return Session.objects.order_by("conference__number", "date", "start_time", "title", "pk")


@register
class DelegationListReport(QueryReport):
    name = "delegations"
    title = _("Delegations")
    filter_form = DelegationFilterForm
    columns = [
        ReportColumn(_("Conference"), "conference__short_name"),
        ReportColumn(_("City"), "city__name"),
        ReportColumn(_("Country"), "city__country__name"),
        ReportColumn(_("Region"), "city__country__region__name"),
        ReportColumn(_("City was a member"), "city_was_member", BOOL),
        ReportColumn(_("Delegates"), "delegate_count", INT),
        ReportColumn(_("Notes"), "notes"),
    ]
    link_sources = ["city__slug", "conference__number", "pk", "city__name", "city__country__code"]

    def links(self, row, extra):
        slug, number, _pk, city, country = extra
        delegates = report_url("delegates", conference=number, country=country, q=city)
        return {1: reverse("network:city_detail", args=[slug]), 5: delegates}

    def admin_links(self, row, extra):
        return {1: reverse("admin:conferences_delegation_change", args=[extra[2]])}

    def get_queryset(self):
        delegations = _delegations(self.filters).with_member_status().with_delegate_counts()
        if member := self.filters["member"]:
            delegations = delegations.filter(city_was_member=member == "yes")
        return delegations.order_by("conference__number", "city__search_name", "pk")


@register
class DelegateListReport(QueryReport):
    name = "delegates"
    title = _("Delegates")
    description = _("E-mail, phone and notes are included only for users allowed to export personal data.")
    filter_form = DelegateFilterForm
    personal_data_permission = "conferences.export_personal_data"
    columns = [
        ReportColumn(_("Conference"), "delegation__conference__short_name"),
        ReportColumn(_("City"), "delegation__city__name"),
        ReportColumn(_("Country"), "delegation__city__country__name"),
        ReportColumn(_("Region"), "delegation__city__country__region__name"),
        ReportColumn(_("Full name"), "full_name"),
        ReportColumn(_("Role"), choice_label("role", ROLES)),
        ReportColumn(_("Position"), "position"),
        ReportColumn(_("Organisation"), "organisation"),
        ReportColumn(_("Head of delegation"), "is_head", BOOL),
        ReportColumn(_("May be published"), "is_public", BOOL),
        ReportColumn(_("E-mail"), "email", personal=True),
        ReportColumn(_("Phone"), "phone", personal=True),
        ReportColumn(_("Notes"), "notes", personal=True),
    ]
    link_sources = ["delegation__city__slug", "pk"]

    def links(self, row, extra):
        return {1: reverse("network:city_detail", args=[extra[0]])}

    def admin_links(self, row, extra):
        return {4: reverse("admin:conferences_delegate_change", args=[extra[1]])}

    def get_queryset(self):
        delegates = Delegate.objects.order_by("delegation_id", "-is_head", "full_name", "pk")
        if conference := self.filters["conference"]:
            delegates = delegates.filter(delegation__conference=conference)
        if role := self.filters["role"]:
            delegates = delegates.filter(role=role)
        return filter_cities(delegates, self.filters, "delegation__city__")


@register
class NeverAtAConferenceReport(CityRowLinks, QueryReport):
    name = "never-at-a-conference"
    title = _("Members never at a conference since joining")
    description = _(
        "Member cities on the date that sent no delegation to a conference held since they joined (since ever, "
        "when the join date was not recorded)."
    )
    group, group_order = _("Follow-up"), 0
    filter_form = NeverAtAConferenceFilterForm
    columns = [
        ReportColumn(_("City"), "name"),
        ReportColumn(_("Country"), "country__name"),
        ReportColumn(_("Region"), "country__region__name"),
        ReportColumn(_("Member since"), partial_date_text("member_since", "member_since_precision")),
        ReportColumn(_("Member since (first day)"), "member_since", DATE),
    ]

    def get_queryset(self):
        date = self.filters["date"]
        since = Coalesce(OuterRef("member_since"), Value(datetime.date.min))
        attended = Delegation.objects.filter(
            city=OuterRef("pk"), conference__start_date__gte=since, conference__start_date__lte=date
        )
        cities = (
            City.objects.with_membership(date)
            .filter(is_member=True)  # the covering term as an inner join: read in join-date order, no EXISTS
            .filter(~Exists(attended))
            .order_by(F("member_since").asc(nulls_last=True), "name", "pk")
        )
        return filter_cities(cities, self.filters)


class OpenConferencesReport(OpenData, ConferenceListReport):
    """The conferences with the figures counted here, for the public Open data page (not a staff report)."""

    name = "conferences"


class OpenParticipationReport(OpenData, QueryReport):
    """One row per delegation: which city went to which conference, whether it was a member then, and how many
    delegates are recorded. No names, no notes: for the public Open data page (not a staff report)."""

    name = "participation"
    title = _("Participation in the conferences")
    columns = [
        ReportColumn(_("Conference"), "conference__short_name"),
        ReportColumn(_("Conference start"), "conference__start_date", DATE),
        ReportColumn(_("City"), "city__name"),
        ReportColumn(_("Country"), "city__country__name"),
        ReportColumn(_("ISO code"), "city__country__code"),
        ReportColumn(_("Region"), "city__country__region__name"),
        ReportColumn(_("City was a member"), "city_was_member", BOOL),
        ReportColumn(_("Delegates recorded"), "delegate_count", INT),
    ]

    def get_queryset(self):
        delegations = Delegation.objects.with_member_status().with_delegate_counts()
        return delegations.order_by("conference__number", "city__name", "pk")
