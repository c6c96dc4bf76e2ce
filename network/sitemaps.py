"""Sitemap sections for the network's public pages."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from network.models import City, Country, Region


class CitySitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return City.objects.only("slug", "updated_at").order_by("pk")

    def lastmod(self, city):
        return city.updated_at


class CountrySitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return Country.objects.having_cities().only("slug").order_by("pk")


class RegionSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return Region.objects.only("slug").order_by("pk")


class NetworkPageSitemap(Sitemap):
    """Pages without a model behind them."""

    changefreq = "weekly"

    def items(self):
        return ["home", "network:city_list", "network:city_map"]

    def location(self, name):
        return reverse(name)
