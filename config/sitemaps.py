"""The sitemap sections of both domain apps, as the sitemap views in config/urls.py serve them."""

from applications.sitemaps import CallSitemap
from conferences.sitemaps import ConferencePageSitemap, ConferenceSitemap
from network.sitemaps import CitySitemap, CountrySitemap, NetworkPageSitemap, RegionSitemap

sitemaps = {
    "pages": NetworkPageSitemap,
    "regions": RegionSitemap,
    "countries": CountrySitemap,
    "cities": CitySitemap,
    "conference-pages": ConferencePageSitemap,
    "conferences": ConferenceSitemap,
    "calls": CallSitemap,
}
