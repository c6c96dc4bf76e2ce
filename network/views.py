"""Public pages of the network: member directory, city, country and region profiles, the map, the 404 page."""

from decimal import Decimal
from typing import NamedTuple
from urllib.parse import urlencode

from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import get_language
from django.views.generic import DetailView, ListView

from core.cache import LISTS, cache_page_until_changed, cached, dont_cache
from core.pagination import CachedCountPaginator, paginate
from core.translation import localized, plain_values, sorted_by_name
from network.forms import DirectoryFilterForm, MapFilterForm
from network.membership import MembershipStatus
from network.models import Award, City, CitySlugRedirect, Country, Region
from network.places.maps import map_view, markers_svg
from network.scopes import CITY_LISTS
from network.selectors import (
    MembersByCountry,
    conference_participation,
    country_figures,
    members_by_country,
    membership_timeline,
)

MAP_MARKER_LIMIT = 2000  # beyond this the map is a blot; a region or country filter narrows it
PLACE = {"region": "", "country": ""}
MAP = {**PLACE, "status": "current"}
STATUS_CAPTIONS = {"current": "current members", "former": "former members", "all": "current and former members"}
DIRECTORY = {**PLACE, "q": "", "status": "current", "on": "", "joined": "", "cluster": "", "sort": "name", "page": "1"}


def city_scopes(request, slug: str) -> list[str]:
    """A city's pages change with its own records (and the shared ones), not with the other cities'."""
    return [f"city:{pk}" for pk in City.objects.filter(slug=slug).values_list("pk", flat=True)] or ["lists"]


# The directory and the map show cities and their membership, never delegations: a delegate edited (the
# "participation" scope) leaves them cached.
@method_decorator(cache_page_until_changed(params=DIRECTORY, lists=(LISTS,)), name="dispatch")
class CityListView(ListView):
    """The member directory: every filter lives in the query string, so a filtered list can be shared.

    Each address is kept until the records change, as the page is the same for every visitor: popular searches
    and the first pages cost a cache read, and the cache drops the addresses nobody asks for again."""

    paginate_by = 50

    def get_queryset(self):
        self.form = DirectoryFilterForm(self.request.GET)
        cities = City.objects.select_related("country__region")
        if not self.form.is_valid():
            dont_cache(self.request)
            return cities.none()
        return self.form.filter(cities)

    def filters_key(self) -> str:
        filters = self.request.GET.copy()
        filters.pop("page", None)
        return f"directory?{filters.urlencode()}"

    def get_paginator(self, queryset, per_page, **kwargs):
        kept = self.form.kept_count() if self.form.is_valid() else None
        return CachedCountPaginator(
            queryset, per_page, key=self.filters_key(), known_count=kept, scopes=CITY_LISTS, **kwargs
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs, form=self.form, on=self.form.cleaned_data.get("on"))


class MergedCityRedirectMixin:
    """The address of a city merged into another answers with a permanent redirect to the same page of the
    city kept (its old slug is a CitySlugRedirect)."""

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)  # type: ignore[misc]
        except Http404:
            moved = CitySlugRedirect.objects.filter(slug=kwargs.get("slug", "")).select_related("city").first()
            if moved is None:
                raise
            url = request.path.replace(f"/{kwargs['slug']}/", f"/{moved.city.slug}/", 1)
            return HttpResponsePermanentRedirect(url)


@method_decorator(cache_page_until_changed(scopes=city_scopes), name="dispatch")
class CityDetailView(MergedCityRedirectMixin, DetailView):
    queryset = City.objects.select_related("country__region").with_membership()

    def get_context_data(self, **kwargs):
        city = self.object
        return super().get_context_data(
            **kwargs,
            terms=city.membership_terms.all(),
            awards=city.awards.all(),
            hosted=city.hosted_conferences.order_by("number"),
            cluster_memberships=city.cluster_memberships.select_related("cluster"),
            # The city's conference record, through the reverse relation: network never imports conferences.
            delegations=city.delegations.public_record().order_by("-conference__number"),
        )


@method_decorator(cache_page_until_changed(scopes=city_scopes), name="dispatch")
class CityHistoryView(MergedCityRedirectMixin, DetailView):
    """A city's membership as a timeline: when it joined, left and was re-admitted, and the source of each."""

    queryset = City.objects.select_related("country__region").with_membership()
    template_name = "network/city_history.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs, events=membership_timeline(self.object.membership_terms.all()))


def _participation_html(figures, *, show_countries: bool, matrix_filter: str) -> str:
    """The conferences the countries of `figures` went to, drawn for the page: a row per conference."""
    context = {
        "participation": conference_participation(figures),
        "show_countries": show_countries,
        "matrix_filter": matrix_filter,
    }
    return render_to_string("includes/participation.html", context)


def country_scopes(request, slug: str) -> list[str]:
    """A country's page changes with its cities and their records (network/scopes.py), not with the others'."""
    return [f"country:{pk}" for pk in Country.objects.filter(slug=slug).values_list("pk", flat=True)] or ["lists"]


def region_scopes(request, slug: str) -> list[str]:
    """A region's page changes with its cities and their records (network/scopes.py), not with the others'."""
    return [f"region:{pk}" for pk in Region.objects.filter(slug=slug).values_list("pk", flat=True)] or ["lists"]


@method_decorator(cache_page_until_changed(params={"page": "1"}, scopes=country_scopes), name="dispatch")
class CountryDetailView(DetailView):
    """A country's members, current and former, and its conferences. Its counts are kept per country
    (country_figures), so the first view after an edit elsewhere reads no count again."""

    queryset = Country.objects.select_related("region")

    def get_context_data(self, **kwargs):
        country = self.object
        figures = country_figures([country.pk])[country.pk]
        members = City.objects.ever_members().with_membership()
        page_obj = paginate(self.request, MembersByCountry(members, [(country.pk, figures.ever)]), 100)
        participation = _participation_html([figures], show_countries=False, matrix_filter=f"country={country.slug}")
        return super().get_context_data(
            **kwargs, current_count=figures.current, participation=participation, page_obj=page_obj
        )


@method_decorator(cache_page_until_changed(params={"page": "1"}, scopes=region_scopes), name="dispatch")
class RegionDetailView(DetailView):
    """A region's countries, its members country by country, and its conferences, summed from the counts kept per
    country (country_figures): an edit to a city recounts its country only, not a region of 40,000 cities."""

    model = Region

    def get_context_data(self, **kwargs):
        region = self.object
        countries = sorted_by_name(Country.objects.filter(region=region))
        figures = country_figures([country.pk for country in countries])
        for country in countries:
            country.member_count = figures[country.pk].current
        members = City.objects.ever_members().select_related("country").with_membership()
        counts = [(country.pk, figures[country.pk].ever) for country in countries]
        page_obj = paginate(self.request, MembersByCountry(members, counts), 100)
        with_members = [country for country in countries if country.member_count]
        return super().get_context_data(
            **kwargs,
            countries=with_members,
            totals={"cities": sum(c.member_count for c in with_members), "countries": len(with_members)},
            participation=_participation_html(
                list(figures.values()), show_countries=True, matrix_filter=f"region={region.slug}"
            ),
            page_obj=page_obj,
        )


class MapCity(NamedTuple):
    """What the drawn map shows of a city (network.places.maps.markers_svg)."""

    name: str
    slug: str
    latitude: Decimal
    longitude: Decimal
    country_name: str


def _map_figures(members, status: str, region, country, *, valid: bool) -> dict:
    placed = members.with_coordinates().order_by("search_name", "pk")
    # Values, not model instances: building 4,000 City and Country instances took a quarter of a first view.
    rows = plain_values(placed, "name", "slug", "latitude", "longitude", country_name=localized("country__name"))
    shown = [MapCity(**row) for row in rows[: MAP_MARKER_LIMIT + 1]]
    view = map_view(shown[:MAP_MARKER_LIMIT], zoom=bool(region or country))
    return {
        "view_box": view.view_box,
        "marker_count": len(view.markers),
        # Drawn once until the records change: thousands of markers take longer to render than to read.
        "markers": markers_svg(view, reverse("network:city_list")),
        "truncated": len(shown) > MAP_MARKER_LIMIT,
        "unplaced_count": members.without_coordinates().count(),
        # An invalid filter shows no city (members is empty), so it lists no country either.
        "by_country": members_by_country(status, region, country) if valid else [],
    }


@cache_page_until_changed(params=MAP, lists=(LISTS,))
def city_map(request):
    """Members (current by default) on a world map drawn here (no tiles, no other host); a region or country
    zooms in. static/map/city_map.js turns it into the interactive map, fed by the API's cities.geojson."""
    form = MapFilterForm(request.GET)
    places, status = [None, None], MembershipStatus.CURRENT.value
    if form.is_valid():
        members = form.filter(City.objects.all())
        places, status = [form.cleaned_data.get("region"), form.cleaned_data.get("country")], form.chosen_status
    else:
        dont_cache(request)
        members = City.objects.none()
    figures = cached(
        "map",
        lambda: _map_figures(members, status, *places, valid=form.is_valid()),
        form.is_valid(),
        status,
        *places,
        scopes=CITY_LISTS,
    )
    context = {
        "form": form,
        "marker_limit": MAP_MARKER_LIMIT,
        "status_label": STATUS_CAPTIONS[status],
        # The interactive map asks the API for the same cities the server drew, labelled in the page's language.
        "points_query": urlencode(
            sorted([("language", get_language()), *((k, v) for k, v in form.data.items() if k in MAP and v)])
        ),
        **figures,
    }
    return render(request, "network/city_map.html", context)


@method_decorator(cache_page_until_changed, name="dispatch")
class AwardListView(ListView):
    """UNESCO Learning City Award winners by year, then region, with citations and sources: public facts."""

    queryset = Award.objects.select_related("city__country__region").order_by(
        "-year", "city__country__region__name", "city__name", "pk"
    )
    template_name = "network/award_list.html"
