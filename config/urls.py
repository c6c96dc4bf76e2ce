from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.http import HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import TemplateView

from conferences.sitemaps import ConferencePageSitemap, ConferenceSitemap
from conferences.views import home
from core.cache import cache_page_until_changed
from network.sitemaps import CitySitemap, CountrySitemap, NetworkPageSitemap, RegionSitemap


def moved_import_records(request, rest: str = ""):
    """Import records moved from the network app to the imports app; old admin links keep working."""
    query = request.META.get("QUERY_STRING", "")
    return HttpResponsePermanentRedirect(
        f"/{settings.ADMIN_URL}imports/importrecord/{rest}" + (f"?{query}" if query else "")
    )


def favicon(request):
    """Browsers ask for /favicon.ico whatever the page links; send them to the icon (hashed name in production)."""
    return HttpResponsePermanentRedirect(static("favicon.svg"))


sitemaps = {
    "pages": NetworkPageSitemap,
    "regions": RegionSitemap,
    "countries": CountrySitemap,
    "cities": CitySitemap,
    "conference-pages": ConferencePageSitemap,
    "conferences": ConferenceSitemap,
}

urlpatterns = [
    path(f"{settings.ADMIN_URL}network/importrecord/", moved_import_records),
    path(f"{settings.ADMIN_URL}network/importrecord/<path:rest>", moved_import_records),
    path(settings.ADMIN_URL, admin.site.urls),
    # The front page draws on both apps, so it is named here rather than in either app's namespace.
    path("", home, name="home"),
    path("reports/", include("reports.urls")),
    path("", include("network.urls")),
    path("conferences/", include("conferences.urls")),
    path("sitemap.xml", cache_page_until_changed(sitemap_views.index), {"sitemaps": sitemaps}, name="sitemap_index"),
    path(
        "sitemap-<section>.xml",
        cache_page_until_changed(sitemap_views.sitemap),
        {"sitemaps": sitemaps},
        name="django.contrib.sitemaps.views.sitemap",
    ),
    path("favicon.ico", favicon),
    path("robots.txt", TemplateView.as_view(template_name="robots.txt", content_type="text/plain"), name="robots"),
]

handler404 = "network.views.page_not_found"
