from django.utils.http import http_date

from tests.network.factories import CityFactory


def test_an_unchanged_answer_is_304_by_etag_and_by_date(client, small_network, django_assert_num_queries):
    first = client.get("/api/v1/cities")
    etag, last_modified = first.headers["ETag"], first.headers["Last-Modified"]
    with django_assert_num_queries(1):  # the cache versions only (core/cache.py keeps them in the database)
        assert client.get("/api/v1/cities", HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get("/api/v1/cities", HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304


def test_a_change_to_any_record_changes_the_etag(client, small_network):
    etag = client.get("/api/v1/regions").headers["ETag"]
    CityFactory(country=small_network.vinh.country)
    response = client.get("/api/v1/regions", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert response.headers["ETag"] != etag


def test_each_address_has_its_own_etag(client, small_network):
    assert client.get("/api/v1/cities").headers["ETag"] != client.get("/api/v1/cities?limit=2").headers["ETag"]


def test_an_older_copy_is_sent_again(client, small_network):
    response = client.get("/api/v1/regions", HTTP_IF_MODIFIED_SINCE=http_date(0))
    assert response.status_code == 200


def test_pages_outside_the_api_are_left_alone(client, small_network):
    assert "ETag" not in client.get("/cities/").headers
