"""Public conference pages, the participation matrix, and the home page (it shows both apps, so it lives here)."""

from django.shortcuts import render
from django.views.generic import DetailView, ListView

from conferences.models import Conference
from conferences.selectors import delegation_matrix_rows, participating_cities
from network.charts import growth_chart
from network.forms import PlaceFilterForm
from network.models import Award, City
from network.pagination import paginate
from network.selectors import network_growth, newest_cohort, unrecorded_join_count


def home(request):
    growth = network_growth()
    context = {
        "totals": City.objects.current_members().totals(),
        "last_conference": Conference.objects.last_held(),
        "next_conference": Conference.objects.next_to_come(),
        "cohort": newest_cohort(),
        "growth": growth,
        "chart": growth_chart(growth),
        "unrecorded_joins": unrecorded_join_count(),
    }
    return render(request, "home.html", context)


class ConferenceListView(ListView):
    queryset = Conference.objects.select_related("host_city__country", "venue").with_counts().order_by("-number")
    paginate_by = 50


class ConferenceDetailView(DetailView):
    queryset = Conference.objects.select_related("host_city__country", "venue__city").with_counts()

    def get_context_data(self, **kwargs):
        conference = self.object
        delegations = (
            conference.delegations.with_member_status()
            .with_delegate_counts()
            .select_related("city__country__region")
            .order_by("city__country__region__name", "city__country__name", "city__name", "pk")
        )
        awards = Award.objects.filter(year=conference.award_year).select_related("city__country__region")
        return super().get_context_data(
            **kwargs,
            sessions=conference.sessions.all(),
            page_obj=paginate(self.request, delegations, 200),
            member_split=conference.delegations.member_split(),
            awards=awards.order_by("city__country__region__name", "city__name") if conference.award_year else [],
        )


def delegation_matrix(request):
    """Cities (rows) by conferences (columns), a page of cities at a time, filterable by region and country."""
    form = PlaceFilterForm(request.GET)
    cities = participating_cities().select_related("country__region")
    cities = form.filter(cities) if form.is_valid() else cities.none()
    page = paginate(request, cities.order_by("country__name", "name", "pk"), 50)
    conferences = list(Conference.objects.with_delegations().order_by("number"))
    context = {
        "form": form,
        "page_obj": page,
        "conferences": conferences,
        "rows": delegation_matrix_rows(cities=list(page.object_list), conferences=conferences),
    }
    return render(request, "conferences/delegation_matrix.html", context)
