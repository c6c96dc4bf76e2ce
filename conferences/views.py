"""Public conference pages."""

from django.views.generic import DetailView, ListView

from conferences.models import Conference


class ConferenceListView(ListView):
    queryset = Conference.objects.select_related("host_city__country", "venue").with_counts()


class ConferenceDetailView(DetailView):
    queryset = Conference.objects.select_related("host_city__country", "venue").with_counts()
