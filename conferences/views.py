"""Public conference pages, the participation matrix and the iCalendar feed."""

from django.contrib.humanize.templatetags.humanize import intcomma
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.decorators import method_decorator
from django.utils.translation import ngettext
from django.views.generic import DetailView, ListView

from conferences.calendar import conference_calendar_ics
from conferences.models import Conference, Delegation
from conferences.selectors import delegation_matrix_rows, participating_cities, with_conference_counts
from core.cache import cache_page_until_changed, dont_cache
from core.pagination import paginate
from core.translation import localized_ordering
from core.urls import reverse_for_each
from network.forms import PlaceFilterForm
from network.models import Award

PAGE = {"page": "1"}


@method_decorator(cache_page_until_changed(params=PAGE), name="dispatch")
class ConferenceListView(ListView):
    queryset = Conference.objects.select_related("host_city__country", "venue").order_by("-number")
    paginate_by = 20  # a card per conference: twenty keep the page a few screens long on a phone

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        with_conference_counts(context["conference_list"])
        return context


def conference_scopes(request, slug: str) -> list[str]:
    """A conference's page changes with its own records (delegations, delegates, and what conferences/apps.py
    says: its cities' renames and terms, its award year's winners) and the shared ones, not with the others'."""
    pks = Conference.objects.filter(slug=slug).values_list("pk", flat=True)
    return [f"conference:{pk}" for pk in pks] or ["lists"]


@method_decorator(cache_page_until_changed(params=PAGE, scopes=conference_scopes), name="dispatch")
class ConferenceDetailView(DetailView):
    queryset = Conference.objects.select_related("host_city__country", "venue__city")

    def get_context_data(self, **kwargs):
        conference = self.object
        with_conference_counts([conference])
        delegations = (
            conference.delegations.with_member_status().with_delegate_counts().select_related("city__country__region")
        )
        order = ["city__country__region__name", "city__country__name", "city__search_name", "pk"]
        delegations = delegations.order_by(*localized_ordering(Delegation, order))
        awards = Award.objects.filter(year=conference.award_year).select_related("city__country__region")
        page = paginate(self.request, delegations, 200)
        page.object_list = _with_row_texts(list(page.object_list))
        return super().get_context_data(
            **kwargs,
            sessions=conference.sessions.all(),
            page_obj=page,
            member_split=conference.delegations.member_split(),
            awards=awards.order_by("city__country__region__name", "city__search_name") if conference.award_year else [],
        )


def _with_row_texts(delegations: list) -> list:
    """Each delegation of a page with its city's address (city_url) and its delegates counted in words
    (delegates_text, "" for none), made here rather than by the template: a page of 200 delegations spent
    about half of its 130-175 ms first view (stress size, 2026-12-01) in {% blocktranslate %} and reverse(),
    and the phrase for a count is the same on every row that has it."""
    city_url = reverse_for_each("network:city_detail")
    phrases: dict[int, str] = {}
    for delegation in delegations:
        delegation.city_url = city_url(delegation.city.slug)
        count = delegation.delegate_count
        if count and count not in phrases:
            phrases[count] = ngettext("%(delegates)s delegate", "%(delegates)s delegates", count) % {
                "delegates": intcomma(count)
            }
        delegation.delegates_text = phrases.get(count, "")
    return delegations


MATRIX_CELLS = 2500


@cache_page_until_changed(params={"region": "", "country": "", **PAGE})
def delegation_matrix(request):
    """Cities (rows) by conferences (columns), a page of cities at a time, filterable by region and country."""
    form = PlaceFilterForm(request.GET)
    cities = participating_cities().select_related("country__region")
    if not form.is_valid():
        dont_cache(request)
    cities = form.filter(cities) if form.is_valid() else cities.none()
    filters = f"{form['region'].value()}|{form['country'].value()}"
    # Within one country the index on (country, name) gives the order without sorting every city.
    order = (
        ["search_name", "pk"]
        if form.is_valid() and form.cleaned_data.get("country")
        else ["country__name", "search_name", "pk"]
    )
    conferences = list(Conference.objects.with_delegations().order_by("number"))
    # About 2,500 cells a page: 50 cities at 50 conferences, 12 at 200 (50 rows of 207 made a 1.6 MB page, too
    # large to keep in the page cache, drawn again on every view).
    per_page = max(10, min(50, MATRIX_CELLS // max(1, len(conferences))))
    page = paginate(request, cities.order_by(*order), per_page, count_key=f"matrix:{filters}:{per_page}")
    context = {
        "form": form,
        "page_obj": page,
        "conferences": conferences,
        "rows": delegation_matrix_rows(cities=list(page.object_list), conferences=conferences),
    }
    return render(request, "conferences/delegation_matrix.html", context)


@cache_page_until_changed
def conference_calendar(request):
    """Every conference with dates, and its dated sessions, as an iCalendar file for calendar clients."""
    body = conference_calendar_ics(site=request.build_absolute_uri("/").rstrip("/"))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="learning-city-conferences.ics"'
    return response
