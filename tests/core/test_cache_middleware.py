"""core.cache.PageCacheMiddleware: cached pages answered before the rest of the stack, as fresh as without it."""

import pytest
from django.core.cache import cache
from django.db import connection, connections
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from core.cache import (
    PageCacheMiddleware,
    _local,
    _page_key,
    _select_tokens,
    cache_page_until_changed,
    new_generation,
)
from tests.network.factories import CityFactory, MembershipTermFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def city():
    city = CityFactory(name="Vinh")
    MembershipTermFactory(city=city)
    return city


def test_a_cached_page_is_answered_whole_with_one_query(client, city):
    url = reverse("network:city_detail", args=[city.slug])
    first = client.get(url)
    with CaptureQueriesContext(connection) as queries:
        again = client.get(url)
    # Only the tokens: no query for the city's scopes, no session, no view.
    assert [query["sql"] for query in queries] == [queries[0]["sql"]] and "cacheversion" in queries[0]["sql"]
    assert again.content == first.content
    for header in ["Content-Security-Policy", "X-Frame-Options", "Content-Length", "Content-Language"]:
        assert again[header] == first[header], header


def test_a_change_is_seen_on_the_next_request(client, city, django_capture_on_commit_callbacks):
    url = reverse("network:city_detail", args=[city.slug])
    client.get(url)
    with django_capture_on_commit_callbacks(execute=True):
        city.name = "Vinh City"
        city.save()
    assert "Vinh City" in client.get(url).text


def test_an_entry_of_old_tokens_is_replaced_not_answered(client, city):
    url = reverse("network:city_list")
    client.get(url)
    type(city).objects.filter(pk=city.pk).update(name="Renamed quietly")  # no signal: the cache cannot know
    assert "Renamed quietly" not in client.get(url).text
    new_generation()  # outside a transaction: written at once
    assert "Renamed quietly" in client.get(url).text
    assert "Renamed quietly" in client.get(url).text  # and kept again under the new tokens


def test_an_address_with_its_parameters_not_canonical_is_answered_by_the_view_from_the_same_entry(client, city):
    directory = reverse("network:city_list")
    client.get(f"{directory}?page=1")  # the default spelled out: canonical form is no query at all
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"{directory}?x=1").status_code == 200
        assert client.get(directory).status_code == 200
    # ?x=1 goes through the view (tokens, then the entry), the canonical address is answered by the middleware.
    assert len(queries) == 2


def test_the_language_is_part_of_the_address(client, city):
    url = reverse("network:city_list")
    english = client.get(url)
    with translation.override("fr"):
        french = client.get(reverse("network:city_list"))
    assert '<html lang="en"' in english.text and '<html lang="fr"' in french.text
    assert '<html lang="en"' in client.get(url).text


@cache_page_until_changed(params={"cookie": ""})
def cookie_page(request):
    cookie_page.calls += 1
    response = HttpResponse(f"call {cookie_page.calls}")
    if request.GET.get("cookie"):
        response.set_cookie("visitor", "1")
    return response


def run(middleware_inside=None):
    """The middleware around cookie_page, as Django's stack would run it, with the language picked."""

    def view(request):
        response = cookie_page(request)
        return middleware_inside(response) if middleware_inside else response

    def request(path):
        request = RequestFactory().get(path)
        request.LANGUAGE_CODE = translation.get_language()
        return PageCacheMiddleware(view)(request)

    cookie_page.calls = 0
    return request


def test_an_answer_that_sets_a_cookie_is_not_kept_whole():
    get = run()
    assert [get("/p/?cookie=1").content for _ in range(2)] == [b"call 1", b"call 2"]


def test_an_answer_that_varies_by_cookie_is_not_kept_whole():
    def vary(response):
        response["Vary"] = "Accept-Encoding, Cookie"
        return response

    get = run(vary)
    assert [get("/p/").content for _ in range(2)] == [b"call 1", b"call 2"]


def test_an_answer_kept_whole_is_answered_with_the_headers_the_stack_added():
    def header(response):
        response["X-Added-Inside"] = "yes"
        return response

    get = run(header)
    first, again = get("/p/"), get("/p/")
    assert (again.content, again["X-Added-Inside"], cookie_page.calls) == (b"call 1", "yes", 1)
    assert first.content == again.content


def test_an_entry_kept_by_the_view_alone_is_not_answered_by_the_middleware():
    # Kept without the middleware (its headers are the view's only): the view answers it, through the stack.
    cookie_page.calls = 0
    plain = RequestFactory().get("/p/")
    assert cookie_page(plain).content == b"call 1"
    get = run()
    cookie_page.calls = 1
    response = get("/p/")
    assert (response.content, cookie_page.calls) == (b"call 1", 1)


def test_without_a_language_picked_the_request_goes_through():
    calls = []
    response = PageCacheMiddleware(lambda request: calls.append(request) or HttpResponse("x"))(
        RequestFactory().get("/p/")
    )
    assert response.content == b"x" and len(calls) == 1 and not hasattr(calls[0], "page_cache_entry")


@pytest.mark.django_db(transaction=True)
def test_the_token_query_is_the_health_check(monkeypatch):
    db = connections["default"]
    db.ensure_connection()
    db.health_check_enabled, db.health_check_done = True, False
    monkeypatch.setattr(db, "is_usable", lambda: pytest.fail("a health check query of its own was sent"))
    with CaptureQueriesContext(db) as queries:
        _select_tokens(["shared"])
    assert db.health_check_done and len(queries) == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor == "sqlite", reason="an in-memory SQLite database dies with its connection")
def test_the_token_query_reconnects_once_when_the_connection_died():
    db = connections["default"]
    db.ensure_connection()
    db.health_check_enabled, db.health_check_done = True, False
    db.connection.close()  # as when PostgreSQL restarted between two requests
    assert isinstance(_select_tokens(["shared"]), dict)
    assert db.health_check_done and db.is_usable()


def test_an_entry_of_another_shape_is_a_miss_not_an_error(client, city):
    url = reverse("network:city_list")
    first = client.get(url)
    request = RequestFactory().get(url)
    with translation.override("en"):
        cache.set(_page_key(request, ""), ("shared",), 60)  # as another release might have kept it
    again = client.get(url)
    assert again.status_code == 200 and again.content == first.content


@pytest.fixture
def local_copies(settings):
    settings.PAGE_CACHE_LOCAL_BYTES = 10_000_000
    _local.clear()
    yield _local
    _local.clear()


def test_a_local_copy_answers_without_a_cache_read_and_is_checked_against_the_tokens(
    client, city, local_copies, monkeypatch, django_capture_on_commit_callbacks
):
    url = reverse("network:city_detail", args=[city.slug])
    first = client.get(url)
    monkeypatch.setattr(cache, "get", lambda *args, **kwargs: pytest.fail("the cache was read"))
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).content == first.content
    assert len(queries) == 1  # the tokens, still read every time
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        city.name = "Vinh City"
        city.save()
    assert "Vinh City" in client.get(url).text


def test_local_copies_keep_to_their_bytes_dropping_the_least_recently_answered(local_copies, settings):
    settings.PAGE_CACHE_LOCAL_BYTES = 250
    entry = lambda size: ((), (), True, 200, [], b"x" * size, False)  # noqa: E731
    local_copies.put("a", entry(100))
    local_copies.put("b", entry(100))
    assert local_copies.get("a")  # now the most recent
    local_copies.put("c", entry(100))
    assert [local_copies.get(key) is not None for key in "abc"] == [True, False, True]
    local_copies.put("d", entry(300))  # larger than the bound: not kept
    assert local_copies.get("d") is None and local_copies.get("a") is not None
