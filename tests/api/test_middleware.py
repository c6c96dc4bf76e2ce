from django.db import connection
from django.test.utils import CaptureQueriesContext
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
    assert "ETag" not in client.get("/en/cities/").headers


def test_a_repeated_question_is_answered_from_the_cache_until_a_record_changes(
    client, small_network, django_assert_max_num_queries
):
    first = client.get("/api/v1/cities?status=all")
    assert first.status_code == 200
    with django_assert_max_num_queries(1):  # at most the cache generation's read, no table of records
        again = client.get("/api/v1/cities?status=all")
    assert again.content == first.content
    assert again["Content-Type"] == first["Content-Type"] and again["ETag"] == first["ETag"]
    CityFactory(name="Zalău", country=small_network.vinh.country)
    assert "Zalău" not in first.content.decode()
    changed = client.get("/api/v1/cities?status=all&q=Zalau").json()["results"]
    assert changed == []  # a new city that never joined is no member: the filters still apply
    new_member = client.get("/api/v1/cities/zalau-vn")
    assert new_member.status_code == 200 and new_member.json()["name"] == "Zalău"


def test_an_answer_beyond_the_page_cache_limit_is_computed_each_time(
    client, small_network, settings, django_assert_max_num_queries
):
    settings.PAGE_CACHE_MAX_BYTES = 100
    client.get("/api/v1/cities?status=all")
    with CaptureQueriesContext(connection) as queries:
        client.get("/api/v1/cities?status=all")
    assert len(queries) > 1


def test_the_rate_limit_counts_answers_from_the_cache_too(client, small_network, settings):
    settings.API_RATE_LIMIT = "2/min"
    client.get("/api/v1/countries", REMOTE_ADDR="192.0.2.9")  # computed and kept
    assert client.get("/api/v1/countries", REMOTE_ADDR="192.0.2.9").status_code == 200  # from the cache
    refused = client.get("/api/v1/countries", REMOTE_ADDR="192.0.2.9")
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0


def test_every_language_gets_the_one_english_answer_and_etag(client, small_network):
    # The API is a machine interface (docs/api.md): one address, one answer, whatever the cookie or Accept-Language;
    # its links go to the English pages.
    english = client.get("/api/v1/regions", headers={"accept-language": "en"})
    french = client.get("/api/v1/regions", headers={"accept-language": "fr"})
    assert all(region["url"].startswith("/en/regions/") for region in french.json())
    assert french.content == english.content
    assert english.headers["ETag"] == french.headers["ETag"]
    again = client.get("/api/v1/regions", headers={"accept-language": "ar"}, HTTP_IF_NONE_MATCH=english["ETag"])
    assert again.status_code == 304
