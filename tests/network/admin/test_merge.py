"""The admin's merge: the action, the preview page with its conflicts, the permission."""

import datetime

import pytest
from django.urls import reverse

from network.admin.merge import MERGE_PERMISSION
from network.models import City, CitySlugRedirect, MembershipTerm
from tests.network.factories import CityFactory, CountryFactory, MembershipTermFactory

pytestmark = pytest.mark.django_db
URL = reverse("admin:network_city_merge")


@pytest.fixture
def cities():
    country = CountryFactory()
    keep = CityFactory(name="Sơn La", country=country, province="")
    merge = CityFactory(name="Son La City", country=country, province="Sơn La")
    MembershipTermFactory(city=keep, start_date=datetime.date(2024, 2, 14))
    MembershipTermFactory(city=merge, start_date=datetime.date(2024, 1, 1))
    return keep, merge


@pytest.fixture
def merger(client, make_staff):
    client.force_login(make_staff("network.view_city", "network.change_city", MERGE_PERMISSION))
    return client


def test_the_action_leads_to_the_merge_page_of_the_cities_selected(merger, cities):
    keep, merge = cities
    response = merger.post(
        reverse("admin:network_city_changelist") + "?membership=all",
        {"action": "merge_cities", "_selected_action": [keep.pk, merge.pk]},
    )
    assert response.status_code == 302
    assert response["Location"] == f"{URL}?ids={keep.pk}%2C{merge.pk}"


def test_the_preview_shows_what_moves_what_fills_and_the_conflicts_and_writes_nothing(merger, cities):
    keep, merge = cities
    response = merger.get(URL, {"ids": f"{keep.pk},{merge.pk}", "keep": keep.pk})
    text = response.content.decode()
    assert response.status_code == 200
    assert "1 membership terms" in text
    assert "province: Sơn La" in text
    assert "Conflict: Membership terms that overlap" in text
    assert City.objects.count() == 2


def test_merging_applies_the_choices_and_leads_to_the_city_kept(merger, cities):
    keep, merge = cities
    plan_page = merger.get(URL, {"ids": f"{keep.pk},{merge.pk}", "keep": keep.pk})
    conflict = plan_page.context["plan"].conflicts[0]

    response = merger.post(
        URL, {"ids": f"{keep.pk},{merge.pk}", "keep": keep.pk, conflict.key: "join", "apply": "Merge"}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:network_city_change", args=[keep.pk])
    assert list(City.objects.all()) == [keep]
    assert MembershipTerm.objects.get().start_date == datetime.date(2024, 1, 1)
    assert CitySlugRedirect.objects.get().city == keep


def test_merging_without_a_choice_for_a_conflict_says_so_and_writes_nothing(merger, cities):
    keep, merge = cities
    response = merger.post(URL, {"ids": f"{keep.pk},{merge.pk}", "keep": keep.pk, "apply": "Merge"})
    assert response.status_code == 200
    assert "Choose what to keep" in response.content.decode()
    assert City.objects.count() == 2


@pytest.mark.parametrize("ids", ["", "1", "abc,def", "99999999999999999999999,1", ",".join(["1"] * 30)])
def test_a_bad_selection_is_a_message(merger, ids):
    response = merger.get(URL, {"ids": ids})
    assert response.status_code == 200
    assert "Select between 2 and" in response.content.decode()


def test_cities_of_two_countries_are_refused_with_a_message(merger):
    first, second = CityFactory(), CityFactory()
    response = merger.get(URL, {"ids": f"{first.pk},{second.pk}"})
    assert "merge cities of one country" in response.content.decode()


def test_staff_without_the_permission_may_not_merge(client, make_staff, cities):
    keep, merge = cities
    client.force_login(make_staff("network.view_city", "network.change_city", "network.delete_city"))
    assert client.get(URL, {"ids": f"{keep.pk},{merge.pk}"}).status_code == 403
    changelist = client.get(reverse("admin:network_city_changelist"))
    assert "merge_cities" not in changelist.content.decode()
