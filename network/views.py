"""Public pages of the network: member directory, city, country and region profiles, the map, the 404 page."""

from django.http import Http404
from django.shortcuts import render
from django.views.generic import DetailView, ListView

from network.forms import CityFilterForm, PlaceFilterForm
from network.maps import map_view
from network.models import City, Country, Region
from network.pagination import paginate
from network.selectors import conference_participation, membership_timeline

MAP_MARKER_LIMIT = 2000  # beyond this the map is a blot; a region or country filter narrows it


class CityListView(ListView):
    """The member directory: every filter lives in the query string, so a filtered list can be shared."""

    paginate_by = 50

    def get_queryset(self):
        self.form = CityFilterForm(self.request.GET)
        cities = City.objects.select_related("country__region")
        if not self.form.is_valid():
            return cities.none()
        return self.form.filter(cities)

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs, form=self.form, on=self.form.cleaned_data.get("on"))


class CityDetailView(DetailView):
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


class CityHistoryView(DetailView):
    """A city's membership as a timeline: when it joined, left and was re-admitted, and the source of each."""

    queryset = City.objects.select_related("country__region").with_membership()
    template_name = "network/city_history.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs, events=membership_timeline(self.object.membership_terms.all()))


class CountryDetailView(DetailView):
    queryset = Country.objects.select_related("region")

    def get_context_data(self, **kwargs):
        cities = City.objects.in_country(self.object)
        return super().get_context_data(
            **kwargs,
            page_obj=paginate(self.request, cities.ever_members().with_membership().order_by("name", "pk"), 100),
            current_count=cities.current_members().count(),
            participation=conference_participation(cities=cities),
        )


class RegionDetailView(DetailView):
    model = Region

    def get_context_data(self, **kwargs):
        cities = City.objects.in_region(self.object)
        members = cities.ever_members().select_related("country").with_membership()
        return super().get_context_data(
            **kwargs,
            countries=Country.objects.filter(region=self.object).with_member_counts().filter(member_count__gt=0),
            page_obj=paginate(self.request, members.order_by("country__name", "name", "pk"), 100),
            totals=cities.current_members().totals(),
            participation=conference_participation(cities=cities),
        )


def city_map(request):
    """Current members on a world map drawn here (no tiles, no other host); a region or country zooms in."""
    form = PlaceFilterForm(request.GET)
    members = City.objects.current_members()
    members = form.filter(members) if form.is_valid() else members.none()
    placed = members.with_coordinates().select_related("country").order_by("name", "pk")
    shown = list(placed.only("name", "slug", "latitude", "longitude", "country__name")[: MAP_MARKER_LIMIT + 1])
    zoom = bool(form.is_valid() and (form.cleaned_data.get("region") or form.cleaned_data.get("country")))
    context = {
        "form": form,
        "map": map_view(shown[:MAP_MARKER_LIMIT], zoom=zoom),
        "truncated": len(shown) > MAP_MARKER_LIMIT,
        "marker_limit": MAP_MARKER_LIMIT,
        "unplaced_count": members.without_coordinates().count(),
        "by_country": members.count_by_country(),
    }
    return render(request, "network/city_map.html", context)


def page_not_found(request, exception=None):
    """The 404 page; it repeats the reason only when a view gave one in words (a bad page number, say)."""
    message = exception.args[0] if isinstance(exception, Http404) and exception.args else ""
    message = message if isinstance(message, str) else ""
    return render(request, "404.html", {"message": message}, status=404)
