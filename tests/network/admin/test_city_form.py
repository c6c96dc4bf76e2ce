"""The admin's city form: likely duplicates shown with links, saved only when staff confirm."""

import pytest
from django.urls import reverse

from network.models import City, Country
from tests.admin_pages import form_data
from tests.network.factories import CityFactory

pytestmark = pytest.mark.django_db


def add_city(client, **values):
    url = reverse("admin:network_city_add")
    data = form_data(client.get(url))
    data.update({"latitude": "10.3", "longitude": "105.7", **values})
    return client.post(url, data)


def test_adding_a_likely_duplicate_shows_the_city_with_a_link_and_saves_nothing(staff_client):
    vietnam = Country.objects.get(code="VN")
    city = CityFactory(name="Sa Đéc", country=vietnam)

    response = add_city(staff_client, name="Sa Dec", country=str(vietnam.pk))

    assert response.status_code == 200
    link = reverse("admin:network_city_change", args=[city.pk])
    assert f'<a href="{link}">Sa Đéc, Viet Nam</a>' in response.text
    assert "Not a duplicate" in response.text
    assert vietnam.cities.count() == 1


def test_a_likely_duplicate_is_saved_once_staff_confirm(staff_client):
    vietnam = Country.objects.get(code="VN")
    CityFactory(name="Sơn La", country=vietnam)

    response = add_city(staff_client, name="Son La City", country=str(vietnam.pk), not_a_duplicate="on")

    assert response.status_code == 302
    assert vietnam.cities.filter(name="Son La City").exists()


def test_renaming_a_city_into_a_likely_duplicate_asks_too(staff_client):
    vietnam = Country.objects.get(code="VN")
    CityFactory(name="Sơn La", country=vietnam)
    other = CityFactory(name="Vinh", country=vietnam, latitude=18.67, longitude=105.69)
    url = reverse("admin:network_city_change", args=[other.pk])
    data = form_data(staff_client.get(url))

    response = staff_client.post(url, {**data, "name": "Son La City"})

    assert response.status_code == 200
    assert "may already be in the registry" in response.text
    other.refresh_from_db()
    assert other.name == "Vinh"


def test_editing_other_fields_of_a_city_with_a_similar_neighbour_does_not_ask(staff_client):
    country = Country.objects.get(code="CO")
    CityFactory(name="Medellín", country=country)
    city = CityFactory(name="Medelin", country=country, latitude=6.2, longitude=-75.5)
    url = reverse("admin:network_city_change", args=[city.pk])

    response = staff_client.post(url, {**form_data(staff_client.get(url)), "population": "1000"})

    assert response.status_code == 302
    assert City.objects.get(pk=city.pk).population == 1000
