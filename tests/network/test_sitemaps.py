import re

import pytest
from django.urls import reverse

from tests.network.factories import CityFactory

pytestmark = pytest.mark.django_db


def test_sitemap_index_lists_the_sections(client):
    response_text = client.get(reverse("sitemap_index")).text
    for section in ("pages", "regions", "countries", "cities", "conferences"):
        assert f"sitemap-{section}.xml" in response_text


def test_city_sitemap_lists_every_city_profile(client):
    city = CityFactory(name="Sa Đéc")
    text = client.get("/sitemap-cities.xml").text
    assert f"http://testserver{city.get_absolute_url()}" in text
    assert "<lastmod>" in text


def test_region_and_page_sitemaps(client):
    assert "/en/regions/asia-pacific/" in client.get("/sitemap-regions.xml").text
    assert "/en/cities/" in client.get("/sitemap-pages.xml").text


def test_robots_txt_points_to_the_sitemap(client):
    response = client.get(reverse("robots"))
    assert response["Content-Type"].startswith("text/plain")
    assert "Sitemap: http://testserver/sitemap.xml" in response.text


@pytest.mark.parametrize("size", [5, 50])
def test_sitemaps_run_a_constant_number_of_queries(client, build_network, django_assert_max_num_queries, size):
    build_network(size)
    with django_assert_max_num_queries(7):  # one more since the calls section (applications/sitemaps.py)
        client.get(reverse("sitemap_index"))
    with django_assert_max_num_queries(3):  # with the cache versions
        cities = client.get("/sitemap-cities.xml").text
    with django_assert_max_num_queries(0):
        client.get(reverse("robots"))
    assert cities.count("<loc>") >= size


def test_city_sitemap_index_dates_come_from_the_latest_change(django_assert_num_queries):
    from network.sitemaps import CitySitemap

    cities = CityFactory.create_batch(3)
    with django_assert_num_queries(1):
        latest = CitySitemap().get_latest_lastmod()
    assert latest == max(city.updated_at for city in cities)


def test_each_address_is_listed_in_every_language_with_its_alternates(client):
    city = CityFactory(name="Vinh")
    text = client.get("/sitemap-cities.xml").text
    for language in ("en", "fr", "es", "ar"):
        assert f"<loc>http://testserver/{language}/cities/{city.slug}/</loc>" in text
        assert f'hreflang="{language}" href="http://testserver/{language}/cities/{city.slug}/"' in text
    # x-default: the address without a language, which redirects to the reader's (Django's choice).
    assert f'hreflang="x-default" href="http://testserver/cities/{city.slug}/"' in text
    assert text.count("<url>") == 4


def test_city_sitemap_pages_hold_each_city_in_every_language_in_order(client, monkeypatch):
    from network.sitemaps import CitySitemap

    monkeypatch.setattr(CitySitemap, "limit", 6)  # one city and a half: pages split a city's languages
    cities = sorted(CityFactory.create_batch(3), key=lambda city: city.pk)
    listed = []
    for page in (1, 2):
        text = client.get("/sitemap-cities.xml", {"p": page}).text
        listed += re.findall(r"<loc>(.*?)</loc>", text)
    expected = [f"http://testserver/{lang}/cities/{city.slug}/" for city in cities for lang in ("en", "fr", "es", "ar")]
    assert listed == expected
    assert client.get("/sitemap-cities.xml", {"p": 3}).status_code == 404
    assert "sitemap-cities.xml?p=2" in client.get("/sitemap.xml").text
