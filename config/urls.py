from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path
from django.views.generic import TemplateView

from api.main import api
from config import password_reset
from config.open_data import members_on, open_data, open_data_download
from config.sitemaps import sitemaps
from config.views import favicon, home, moved_import_records
from core.cache import cache_page_until_changed

urlpatterns = [
    path(f"{settings.ADMIN_URL}network/importrecord/", moved_import_records),
    path(f"{settings.ADMIN_URL}network/importrecord/<path:rest>", moved_import_records),
    # Before the admin's own URLs, which would answer these paths with "not found".
    path(settings.ADMIN_URL, include(password_reset.urlpatterns)),
    path(settings.ADMIN_URL, admin.site.urls),
    # The front page draws on both domain apps, so it is named here rather than in either app's namespace.
    path("", home, name="home"),
    path("open-data/", open_data, name="open_data"),
    path("open-data/members/", members_on, name="open_data_members"),
    path("open-data/<slug:name>.<slug:fmt>", open_data_download, name="open_data_download"),
    path("reports/", include("reports.urls")),
    path("api/v1/", api.urls),
    path("", include("network.urls")),
    path("conferences/", include("conferences.urls")),
    path("calls/", include("applications.urls")),
    path("sitemap.xml", cache_page_until_changed(sitemap_views.index), {"sitemaps": sitemaps}, name="sitemap_index"),
    path(
        "sitemap-<section>.xml",
        cache_page_until_changed(sitemap_views.sitemap, params={"p": "1"}),
        {"sitemaps": sitemaps},
        name="django.contrib.sitemaps.views.sitemap",
    ),
    path("favicon.ico", favicon),
    path("robots.txt", TemplateView.as_view(template_name="robots.txt", content_type="text/plain"), name="robots"),
]

handler404 = "config.views.page_not_found"
handler403 = "config.views.permission_denied"
