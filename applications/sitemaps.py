"""Sitemap section for the public pages of the calls for applications."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from applications.models import Call


class CallSitemap(Sitemap):
    """The list of calls, then each call's page (/calls/<year>/)."""

    changefreq = "monthly"

    def items(self):
        return ["applications:call_list", *Call.objects.order_by("-year").values_list("year", flat=True)]

    def location(self, item):
        if isinstance(item, int):
            return reverse("applications:call_detail", kwargs={"year": item})
        return reverse(item)
