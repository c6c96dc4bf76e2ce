"""Sitemap sections for the network's public pages, each address in every language with its hreflang alternates."""

from collections.abc import Sequence

from django.db.models import Max
from django.urls import reverse

from core.sitemaps import I18nSitemap
from network.models import City, Country, Region


class _InEveryLanguage(Sequence):
    """The (item, language) pairs of an ordered queryset in every language, read one slice of items at a time.

    Django's i18n sitemap makes the list of every pair for each file it serves and for the index (400,000 pairs,
    2.2 s, for 100,000 cities); the paginator needs only the number of pairs and one page of them."""

    def __init__(self, queryset, languages: list[str]):
        self.queryset, self.languages = queryset, languages

    def __len__(self) -> int:
        return self.queryset.count() * len(self.languages)

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        start, stop = index.start or 0, len(self) if index.stop is None else index.stop
        per_item = len(self.languages)
        first = start // per_item
        items = self.queryset[first : -(-stop // per_item)]
        pairs = [(item, language) for item in items for language in self.languages]
        return pairs[start - first * per_item : stop - first * per_item]


class CitySitemap(I18nSitemap):
    changefreq = "monthly"
    # Files of 1,200 addresses (300 cities in 4 languages, each with its 5 alternates: about 800 KB) stay under
    # PAGE_CACHE_MAX_BYTES, so they are cached; the protocol allows 50,000.
    limit = 1200

    def items(self):
        return City.objects.only("slug", "updated_at").order_by("pk")

    def _items(self):
        return _InEveryLanguage(self.items(), self._languages())

    def lastmod(self, city):
        return city.updated_at

    def get_latest_lastmod(self):
        # Django's default reads every item for the index; the database finds the latest at once.
        return City.objects.aggregate(latest=Max("updated_at"))["latest"]


class CountrySitemap(I18nSitemap):
    changefreq = "monthly"

    def items(self):
        return Country.objects.having_cities().only("slug").order_by("pk")


class RegionSitemap(I18nSitemap):
    changefreq = "monthly"

    def items(self):
        return Region.objects.only("slug").order_by("pk")


class NetworkPageSitemap(I18nSitemap):
    """Pages without a model behind them."""

    changefreq = "weekly"

    def items(self):
        return ["home", "network:city_list", "network:city_map"]

    def location(self, name):
        return reverse(name)
