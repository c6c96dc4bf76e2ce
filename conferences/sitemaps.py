"""Sitemap sections for the conference pages, each address in every language with its hreflang alternates."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from conferences.models import Conference


class ConferenceSitemap(Sitemap):
    i18n, alternates, x_default = True, True, True
    changefreq = "monthly"

    def items(self):
        return Conference.objects.only("slug").order_by("number")


class ConferencePageSitemap(Sitemap):
    i18n, alternates, x_default = True, True, True
    changefreq = "weekly"

    def items(self):
        return ["conferences:conference_list", "conferences:delegation_matrix"]

    def location(self, name):
        return reverse(name)
