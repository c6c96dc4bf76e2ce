import datetime

import pytest

from network.models import City, Country
from tests.network.factories import CityFactory, ClusterMembershipFactory, MembershipTermFactory

pytestmark = pytest.mark.django_db


def test_ever_members_are_current_and_former_members_but_not_observers():
    current = MembershipTermFactory().city
    former = MembershipTermFactory(former=True).city
    CityFactory()
    assert set(City.objects.ever_members()) == {current, former}


def test_in_cluster_and_in_country():
    vn = Country.objects.get(code="VN")
    city = CityFactory(country=vn)
    membership = ClusterMembershipFactory(city=city)
    CityFactory()
    assert list(City.objects.in_cluster(membership.cluster)) == [city]
    assert list(City.objects.in_country(vn)) == [city]


def test_with_and_without_coordinates():
    placed = CityFactory(latitude=10, longitude=105)
    unplaced = CityFactory()
    assert list(City.objects.with_coordinates()) == [placed]
    assert list(City.objects.without_coordinates()) == [unplaced]


def test_totals_count_member_cities_countries_and_regions():
    for code in ("VN", "VN", "TH", "IE"):
        MembershipTermFactory(city__country=Country.objects.get(code=code), start_date=datetime.date(2020, 1, 1))
    MembershipTermFactory(city__country=Country.objects.get(code="EG"), former=True)
    assert City.objects.current_members().totals() == {"cities": 4, "countries": 3, "regions": 2}


def test_count_by_country_groups_and_orders_by_country_name():
    for code in ("VN", "VN", "IE"):
        CityFactory(country=Country.objects.get(code=code))
    rows = list(City.objects.count_by_country())
    assert rows == [
        {"country_name": "Ireland", "country_slug": "ireland", "count": 1},
        {"country_name": "Viet Nam", "country_slug": "viet-nam", "count": 2},
    ]


def test_countries_having_cities():
    CityFactory(country=Country.objects.get(code="VN"))
    assert list(Country.objects.having_cities().values_list("code", flat=True)) == ["VN"]
