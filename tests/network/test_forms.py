import datetime

import pytest

from network.forms import DirectoryFilterForm, PlaceFilterForm
from network.models import Country
from tests.network.factories import CityFactory, MembershipTermFactory

pytestmark = pytest.mark.django_db


def test_place_filter_offers_only_countries_with_cities():
    CityFactory(country=Country.objects.get(code="VN"))
    choices = [label for _, label in PlaceFilterForm().fields["country"].choices]
    assert choices == ["All countries", "Viet Nam"]


def test_city_filter_offers_the_years_cities_joined_newest_first():
    MembershipTermFactory(start_date=datetime.date(2020, 9, 23))
    MembershipTermFactory(start_date=datetime.date(2024, 2, 14))
    MembershipTermFactory(unrecorded=True)
    assert DirectoryFilterForm().fields["joined"].choices == [("", "Any year"), (2024, 2024), (2020, 2020)]


def test_city_filter_date_overrides_the_status():
    MembershipTermFactory(city__name="Left", start_date=datetime.date(2016, 1, 1), end_date=datetime.date(2019, 1, 1))
    form = DirectoryFilterForm({"on": "2018-06-01", "status": "current"})
    assert form.is_valid()
    cities = form.filter()
    assert [city.name for city in cities] == ["Left"]
    assert cities[0].is_member


def test_city_filter_rejects_a_date_it_cannot_read_with_a_plain_message():
    form = DirectoryFilterForm({"on": "03/12/2024"})
    assert not form.is_valid()
    assert form.errors["on"] == ["Give the date as year-month-day, for example 2024-12-03."]


@pytest.mark.parametrize("data", [{}, {"country": "viet-nam"}, {"country": "<none>"}], ids=["empty", "chosen", "bad"])
def test_the_quick_country_list_is_the_one_django_draws(data):
    from django import forms as django_forms
    from django.test.html import parse_html

    CityFactory(country=Country.objects.get(code="VN"))
    CityFactory(name="Liège", country=Country.objects.get(code="BE"))
    form = PlaceFilterForm(data)
    form.is_valid()
    quick = str(form["country"])
    form.fields["country"].widget = django_forms.Select(choices=form.fields["country"].widget.choices)
    assert parse_html(quick) == parse_html(str(form["country"]))


def test_kept_count_is_the_count_of_the_filtered_cities_or_none():
    """Members, former members and both, in a region or a country, as the directory's pages count them."""
    vn, th, ie = (Country.objects.get(code=code) for code in ("VN", "TH", "IE"))
    for country, current, former in [(vn, 3, 1), (th, 1, 2), (ie, 2, 0)]:
        for _ in range(current):
            MembershipTermFactory(city=CityFactory(country=country))
        for _ in range(former):
            MembershipTermFactory(city=CityFactory(country=country), former=True)
    CityFactory(country=vn)  # never a member: in no count
    choices = [{}, {"region": vn.region.slug}, {"country": th.slug}, {"region": ie.region.slug, "country": vn.slug}]
    for place in choices:
        for status in ("", "current", "former", "all"):
            form = DirectoryFilterForm({**place, "status": status})
            assert form.is_valid(), form.errors
            assert form.kept_count() == form.filter().count(), (place, status)
    for other in ({"q": "a"}, {"on": "2021-01-01"}, {"joined": "2020"}):
        form = DirectoryFilterForm(other)
        assert form.is_valid() and form.kept_count() is None, other


def test_kept_count_follows_an_edit_at_once():
    vn = Country.objects.get(code="VN")
    term = MembershipTermFactory(city=CityFactory(country=vn))
    form = DirectoryFilterForm({})
    assert form.is_valid() and form.kept_count() == 1
    term.end_date = datetime.date(2023, 1, 1)
    term.end_reason = term.EndReason.WITHDREW
    term.save()
    assert form.kept_count() == 0
