"""Sitemap sections for the conference pages, each address in every language with its hreflang alternates."""

from django.urls import reverse

from conferences.models import Conference
from core.sitemaps import I18nSitemap


class ConferenceSitemap(I18nSitemap):
    changefreq = "monthly"

    def items(self):
        return Conference.objects.only("slug").order_by("number")


class ConferencePageSitemap(I18nSitemap):
    changefreq = "weekly"

    def items(self):
        return ["conferences:conference_list", "conferences:delegation_matrix"]

    def location(self, name):
        return reverse(name)
