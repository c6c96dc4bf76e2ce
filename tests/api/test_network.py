import datetime

import pytest
from django.utils import translation

from network.models import ClusterMembership, MembershipTerm
from tests.network.factories import (
    AwardFactory,
    CityFactory,
    ClusterFactory,
    ClusterMembershipFactory,
    MembershipTermFactory,
)


def results(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.content
    return response.json()["results"]


def names(client, url):
    return [city["name"] for city in results(client, url)]


def test_city_list_gives_status_and_member_since_at_its_precision(client, small_network):
    cities = {city["name"]: city for city in results(client, "/api/v1/cities?status=all")}
    assert cities["Sơn La"]["member_since"] == "2024-02"
    assert cities["Sơn La"]["member_since_display"] == "February 2024"
    assert cities["Sa Đéc"]["member_since"] == "2020"
    assert cities["Jubail Industrial City"]["member_since"] is None
    assert cities["Jubail Industrial City"]["status"] == "current"
    assert [term["end"] for term in cities["Cork"]["terms"]] == ["2018-06-30", None]
    assert cities["Cork"]["awards"] == [2024, 2015]
    assert "Bouaké" not in cities  # the directory lists no city that never joined


def test_city_list_and_detail_give_each_citys_own_records_in_order(client, small_network):
    """Terms by start (an unrecorded start first), awards newest first, clusters by name; no other city's."""
    cork = small_network.cork
    ClusterMembershipFactory(city=cork, cluster=ClusterFactory(name="Zeta cluster", slug="zeta"))
    ClusterMembershipFactory(city=cork, cluster=ClusterFactory(name="Alpha cluster", slug="alpha"))
    AwardFactory(city=cork, year=2019)
    dated = {city["name"]: city for city in results(client, "/api/v1/cities?status=all")}
    assert dated["Cork"]["clusters"] == ["alpha", "zeta"]
    assert dated["Cork"]["awards"] == [2024, 2019, 2015]
    assert [term["start"] for term in dated["Cork"]["terms"]] == ["2015-03-01", "2021-09-01"]
    assert dated["Jubail Industrial City"]["terms"][0]["start"] is None
    assert dated["Vinh"]["clusters"] == [] and dated["Vinh"]["awards"] == []
    assert client.get(f"/api/v1/cities/{cork.slug}").json() == dated["Cork"]


def test_city_list_filters_as_the_directory(client, small_network):
    assert names(client, "/api/v1/cities?q=sa%20dec") == ["Sa Đéc"]
    assert names(client, "/api/v1/cities?country=ireland") == ["Cork"]
    assert names(client, "/api/v1/cities?region=arab-states") == ["Jubail Industrial City"]
    assert names(client, "/api/v1/cities?on=2016-01-01") == ["Cork", "Jubail Industrial City"]
    assert names(client, "/api/v1/cities?joined=2020") == ["Sa Đéc", "Vinh"]
    assert names(client, "/api/v1/cities?status=former") == []
    cluster = ClusterFactory(slug="literacy-test")
    ClusterMembership.objects.create(city=small_network.vinh, cluster=cluster)
    assert names(client, "/api/v1/cities?cluster=literacy-test") == ["Vinh"]


def test_city_list_status_is_that_of_the_date_asked(client, small_network):
    [cork] = results(client, "/api/v1/cities?on=2016-01-01&q=cork")
    assert (cork["status"], cork["member_since"]) == ("current", "2015-03-01")  # the first term, not today's


@pytest.mark.parametrize("query", ["region=atlantis", "on=2024-13-01", "joined=1800", "status=never", "limit=0"])
def test_city_list_refuses_bad_filters_with_a_message(client, small_network, query):
    response = client.get(f"/api/v1/cities?{query}")
    assert response.status_code in (400, 422)
    assert response.json()["detail"]


def test_cursor_pages_walk_every_city_once(client, build_network):
    build_network(7)
    seen, url = [], "/api/v1/cities?limit=3"
    while url:
        body = client.get(url).json()
        seen += [city["slug"] for city in body["results"]]
        url = body["next"]
    assert len(seen) == 7 and len(set(seen)) == 7
    assert seen == sorted(seen, key=lambda slug: int(slug.split("-")[1]))


# The page, its terms, awards and clusters, the form's country choices, and its join years (kept per country: the
# countries, their tokens, their years), all cached after the first.
CITY_PAGE_QUERIES = 9  # with the cache versions (core/cache.py)


@pytest.mark.parametrize("size", [5, 50])
def test_city_list_runs_the_same_queries_at_5_and_50_cities(client, build_network, django_assert_num_queries, size):
    build_network(size)
    with django_assert_num_queries(CITY_PAGE_QUERIES):
        assert len(client.get("/api/v1/cities?limit=500").json()["results"]) == size


def test_city_detail_covers_a_city_that_never_joined(client, small_network):
    city = client.get(f"/api/v1/cities/{small_network.bouake.slug}").json()
    assert (city["status"], city["terms"]) == ("never", [])
    assert client.get("/api/v1/cities/no-such-city").status_code == 404


def test_geojson_has_a_point_per_placed_member_with_popup_facts(client, small_network):
    small_network.vinh.latitude, small_network.vinh.longitude = 18.67, 105.68
    small_network.vinh.save()
    small_network.bouake.latitude, small_network.bouake.longitude = 7.69, -5.03
    small_network.bouake.save()
    body = client.get("/api/v1/cities.geojson").json()
    assert body["type"] == "FeatureCollection"
    [feature] = body["features"]  # Bouaké is not a member, the others have no coordinates
    assert feature["geometry"]["coordinates"] == [105.68, 18.67]
    assert feature["properties"]["member_since"] == "23 September 2020"
    assert feature["properties"]["url"] == small_network.vinh.get_absolute_url()


def test_geojson_comes_in_pages_that_follow_next_to_the_end(client, small_network):
    for city, (lat, lon) in [(small_network.vinh, (18.67, 105.68)), (small_network.cork, (51.9, -8.47))]:
        city.latitude, city.longitude = lat, lon
        city.save()
    small_network.jubail.latitude, small_network.jubail.longitude = 27.0, 49.66
    small_network.jubail.save()
    first = client.get("/api/v1/cities.geojson?limit=2&language=fr").json()
    assert [f["properties"]["name"] for f in first["features"]] == ["Cork", "Jubail Industrial City"]
    assert "language=fr" in first["next"] and "limit=2" in first["next"]
    second = client.get(first["next"]).json()
    assert [f["properties"]["name"] for f in second["features"]] == ["Vinh"]
    assert second["features"][0]["properties"]["country_name"] == "Viêt Nam"
    assert second["next"] is None
    assert client.get("/api/v1/cities.geojson").json()["next"] is None


def test_geojson_refuses_a_cursor_it_did_not_give_and_a_page_too_large(client, small_network):
    assert client.get("/api/v1/cities.geojson?cursor=bm9wZQ").status_code == 400
    assert client.get("/api/v1/cities.geojson?limit=2501").status_code in (400, 422)


def test_terms_of_one_city(client, small_network):
    terms = results(client, f"/api/v1/terms?city={small_network.cork.slug}")
    assert [(t["start"], t["end_reason"]) for t in terms] == [("2015-03-01", "withdrew"), ("2021-09-01", "")]
    MembershipTermFactory(city=small_network.bouake, start_date=datetime.date(2025, 1, 1))
    assert len(results(client, "/api/v1/terms?limit=500")) == 7


def test_awards_by_year_and_region(client, small_network):
    awards = client.get("/api/v1/awards?year=2021").json()
    assert [(a["city_name"], a["region"]) for a in awards] == [("Jubail Industrial City", "arab-states")]
    assert len(client.get("/api/v1/awards?region=europe-north-america").json()) == 2


def test_countries_count_their_members_today(client, small_network):
    countries = {c["code"]: c["member_count"] for c in client.get("/api/v1/countries").json()}
    assert countries["VN"] == 3 and countries["CI"] == 0


def test_countries_follow_a_new_member_and_a_term_ended_at_once(client, small_network):
    """The counts are kept per country (network.selectors.country_figures): an edit must recount its country."""
    term = MembershipTermFactory(city=CityFactory(country=small_network.vinh.country))
    assert {c["code"]: c["member_count"] for c in client.get("/api/v1/countries").json()}["VN"] == 4
    term.end_date, term.end_reason = datetime.date(2025, 1, 1), MembershipTerm.EndReason.WITHDREW
    term.save()
    assert {c["code"]: c["member_count"] for c in client.get("/api/v1/countries").json()}["VN"] == 3


def test_api_answers_in_english_whatever_the_readers_language(client, small_network):
    with translation.override("fr"):
        countries = {c["code"]: c["name"] for c in client.get("/api/v1/countries").json()}
        regions = {r["slug"]: r["name"] for r in client.get("/api/v1/regions").json()}
        cities = {c["name"]: c["country_name"] for c in results(client, "/api/v1/cities?status=all")}
    assert countries["VN"] == "Viet Nam" and countries["CI"] == "Côte d'Ivoire"
    assert regions["arab-states"] == "Arab States"
    assert cities["Vinh"] == "Viet Nam"
