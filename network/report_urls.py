"""The Reports section (/reports/): reports from every app, found by name in the registry."""

from django.urls import path

from network import report_views

app_name = "reports"

urlpatterns = [
    path("", report_views.report_index, name="index"),
    path("<slug:name>/", report_views.report_detail, name="detail"),
    path("<slug:name>.<slug:fmt>", report_views.report_export, name="export"),
]
