"""The Reports section (/reports/): reports from every app, found by name in the registry."""

from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("", views.report_index, name="index"),
    path("<slug:name>/", views.report_detail, name="detail"),
    path("<slug:name>.<slug:fmt>", views.report_export, name="export"),
    path("<slug:name>/save/", views.report_save, name="save"),
]
