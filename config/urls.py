from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path
from django.views.generic import TemplateView
from django.views.i18n import JavaScriptCatalog

from api.main import api
from config import password_reset
from config.open_data import members_on, open_data, open_data_download
from config.sitemaps import sitemaps
from config.views import favicon, home, moved_import_records
from core.cache import cache_page_until_changed
from core.sitemaps import sitemap

urlpatterns = [
    path(f"{settings.ADMIN_URL}network/importrecord/", moved_import_records),
    path(f"{settings.ADMIN_URL}network/importrecord/<path:rest>", moved_import_records),
    # Before the admin's own URLs, which would answer these paths with "not found".
    path(settings.ADMIN_URL, include(password_reset.urlpatterns)),
    path(settings.ADMIN_URL, admin.site.urls),
    # Files for machines keep one address whatever the language: the open-data downloads (their column names
    # are a published format), the API, the sitemaps, robots.txt and the favicon.
    path("open-data/<slug:name>.<slug:fmt>", open_data_download, name="open_data_download"),
    # The reports are staff pages, as the admin is: unprefixed, in the staff member's language (cookie or browser).
    path("reports/", include("reports.urls")),
    path("api/v1/", api.urls),
    # Sets the language cookie: the switcher in the admin header posts to it (django.conf.urls.i18n).
    path("i18n/", include("django.conf.urls.i18n")),
    path("sitemap.xml", cache_page_until_changed(sitemap_views.index), {"sitemaps": sitemaps}, name="sitemap_index"),
    path(
        "sitemap-<section>.xml",
        cache_page_until_changed(sitemap, params={"p": "1"}),
        {"sitemaps": sitemaps},
        name="django.contrib.sitemaps.views.sitemap",
    ),
    path("favicon.ico", favicon),
    path("robots.txt", TemplateView.as_view(template_name="robots.txt", content_type="text/plain"), name="robots"),
]

# The public pages carry their language in the address (/en/, /fr/, /es/, /ar/), so that each can be linked,
# cached and indexed by language. LocaleMiddleware redirects the old unprefixed addresses (/cities/x/?region=y) to
# the language of the cookie or Accept-Language, English by default, keeping the query string. The conference
# calendar stays here: its titles are in the reader's language, so each language has its own subscription address.
urlpatterns += i18n_patterns(
    # The front page draws on both domain apps, so it is named here rather than in either app's namespace.
    path("", home, name="home"),
    path("open-data/", open_data, name="open_data"),
    path("open-data/members/", members_on, name="open_data_members"),
    path("", include("network.urls")),
    path("conferences/", include("conferences.urls")),
    path("calls/", include("applications.urls")),
    # The map script's words (gettext, ngettext) in the page's language, from the djangojs catalogues.
    path("jsi18n/", cache_page_until_changed(JavaScriptCatalog.as_view()), name="javascript_catalog"),
    prefix_default_language=True,
)

handler404 = "config.views.page_not_found"
handler403 = "config.views.permission_denied"
