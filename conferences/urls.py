from django.urls import path

from conferences import views

app_name = "conferences"

urlpatterns = [
    path("", views.ConferenceListView.as_view(), name="conference_list"),
    path("participation/", views.delegation_matrix, name="delegation_matrix"),
    path("calendar.ics", views.conference_calendar, name="conference_calendar"),
    path("<slug:slug>/", views.ConferenceDetailView.as_view(), name="conference_detail"),
]
