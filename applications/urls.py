from django.urls import path

from applications import views

app_name = "applications"

urlpatterns = [
    path("", views.CallListView.as_view(), name="call_list"),
    path("<int:year>/", views.CallDetailView.as_view(), name="call_detail"),
    path("apply/<str:token>/", views.apply, name="apply"),
    path("endorse/<str:token>/", views.endorse, name="endorse"),
]
