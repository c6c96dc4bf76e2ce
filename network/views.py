"""Public pages of the network: home, member directory, city, country and region profiles."""

from django.shortcuts import render
from django.views.generic import DetailView, ListView

from network.models import City, Country, Region


def home(request):
    return render(request, "network/home.html", {"member_count": City.objects.current_members().count()})


class CityListView(ListView):
    queryset = City.objects.select_related("country__region").with_membership()
    paginate_by = 50


class CityDetailView(DetailView):
    queryset = City.objects.select_related("country__region").with_membership()


class CountryDetailView(DetailView):
    queryset = Country.objects.select_related("region")


class RegionDetailView(DetailView):
    model = Region
