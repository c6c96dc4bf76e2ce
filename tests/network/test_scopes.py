import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from network.models import Country
from network.scopes import city_record_scopes, city_scopes_of, place_scopes
from tests.network.factories import CityFactory

pytestmark = pytest.mark.django_db


def test_a_city_names_its_own_country_and_region_scopes_in_one_query():
    vn = Country.objects.get(code="VN")
    city = CityFactory(country=vn)
    with CaptureQueriesContext(connection) as queries:
        scopes = city_scopes_of([city.pk])
    assert scopes == sorted([f"city:{city.pk}", f"country:{vn.pk}", f"region:{vn.region_id}"])
    assert len(queries) == 1


def test_a_moved_city_names_the_country_and_region_it_left_too():
    vn, ie = Country.objects.get(code="VN"), Country.objects.get(code="IE")
    city = CityFactory(country=vn)
    city._stored_country_id, city.country = vn.pk, ie
    scopes = city_record_scopes(city)
    assert {f"country:{vn.pk}", f"country:{ie.pk}", f"region:{vn.region_id}", f"region:{ie.region_id}"} <= set(scopes)


def test_unknown_places_name_no_scope_of_none():
    assert place_scopes([(None, 1), (5, None)]) == ["city:5"]
    assert place_scopes([(5, 999_999)]) == ["city:5", "country:999999"]
