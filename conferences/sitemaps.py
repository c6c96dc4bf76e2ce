"""Sitemap sections for the conference pages."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from conferences.models import Conference


class ConferenceSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return Conference.objects.only("slug").order_by("number")


class ConferencePageSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return ["conferences:conference_list", "conferences:delegation_matrix"]

    def location(self, name):
        return reverse(name)
