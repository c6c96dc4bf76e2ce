from django.urls import path

from network import views
from network.reports import followup

app_name = "network"

urlpatterns = [
    path("cities/", views.CityListView.as_view(), name="city_list"),
    path("cities/<slug:slug>/", views.CityDetailView.as_view(), name="city_detail"),
    path("cities/<slug:slug>/history/", views.CityHistoryView.as_view(), name="city_history"),
    path("countries/<slug:slug>/", views.CountryDetailView.as_view(), name="country_detail"),
    path("regions/<slug:slug>/", views.RegionDetailView.as_view(), name="region_detail"),
    path("map/", views.city_map, name="city_map"),
    path("awards/", views.AwardListView.as_view(), name="award_list"),
    path("follow-up/cities/<int:pk>/progress-report/", followup.progress_report_record, name="progress_report_record"),
    path("follow-up/cities/<int:pk>/reminder/", followup.reminder_create, name="reminder_create"),
]
