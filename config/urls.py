from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("reports/", include("network.report_urls")),
    path("", include("network.urls")),
    path("conferences/", include("conferences.urls")),
]
