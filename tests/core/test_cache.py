import datetime
import os

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.http import HttpResponse, HttpResponseNotFound
from django.test import RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from core.cache import (
    cache_page_until_changed,
    cached,
    cached_per_record,
    dont_cache,
    generation,
    new_generation,
    registry_changed,
    versions,
)
from core.models import CacheVersion
from tests.conferences.factories import DelegateFactory, DelegationFactory, SessionFactory
from tests.core.factories import CacheVersionFactory
from tests.imports.factories import ImportRecordFactory
from tests.network.factories import CityFactory, MembershipTermFactory

pytestmark = pytest.mark.django_db


class Counter:
    """A computation that counts how often it ran."""

    def __init__(self):
        self.runs = 0

    def __call__(self):
        self.runs += 1
        return self.runs


def test_cached_computes_once_until_the_records_change(django_capture_on_commit_callbacks):
    compute = Counter()
    assert [cached("figure", compute), cached("figure", compute)] == [1, 1]
    with django_capture_on_commit_callbacks(execute=True):
        new_generation()
    assert [cached("figure", compute), cached("figure", compute)] == [2, 2]


def test_cached_keeps_apart_names_and_parts():
    compute = Counter()
    assert [cached("a", compute, "x"), cached("a", compute, "y"), cached("b", compute, "x")] == [1, 2, 3]
    assert cached("a", compute, "y") == 2


def test_figures_kept_per_record_are_kept_per_language_unless_they_hold_no_text():
    asked = []

    def compute(pks):
        asked.append((translation.get_language(), pks))
        return {pk: f"{translation.get_language()}-{pk}" for pk in pks}

    def count(pks):
        asked.append(("count", pks))
        return {pk: pk * 10 for pk in pks}

    with translation.override("en"):
        assert cached_per_record("names", compute, [1, 2], scope="country") == {1: "en-1", 2: "en-2"}
        assert cached_per_record("counts", count, [1, 2], scope="country", per_language=False) == {1: 10, 2: 20}
    with translation.override("fr"):
        assert cached_per_record("names", compute, [1, 2], scope="country") == {1: "fr-1", 2: "fr-2"}
        assert cached_per_record("counts", count, [2, 1], scope="country", per_language=False) == {1: 10, 2: 20}
    assert asked == [("en", [1, 2]), ("count", [1, 2]), ("fr", [1, 2])]


def test_cached_figures_of_yesterday_are_not_read_today(monkeypatch):
    # Who is a member depends on the day, so a figure cached before midnight must not outlive it.
    compute = Counter()
    cached("members", compute)
    monkeypatch.setattr("core.cache.timezone.localdate", lambda: datetime.date(2099, 1, 1))
    assert cached("members", compute) == 2


def add_session(records):
    delegation, session = records
    delegation.sessions.add(session)


@pytest.mark.parametrize(
    ("records", "change"),
    [
        pytest.param(lambda: None, lambda _: CityFactory(), id="save"),
        pytest.param(MembershipTermFactory, lambda term: term.delete(), id="delete"),
        pytest.param(lambda: (DelegationFactory(), SessionFactory()), add_session, id="many-to-many"),
        pytest.param(DelegateFactory, lambda delegate: delegate.delete(), id="delegate"),
    ],
)
def test_a_change_to_any_record_makes_the_cached_figures_stale(records, change, django_capture_on_commit_callbacks):
    existing = records()
    compute = Counter()
    cached("figure", compute)
    with django_capture_on_commit_callbacks(execute=True):
        change(existing)
    assert cached("figure", compute) == 2


def test_changes_outside_the_records_keep_the_cache():
    compute = Counter()
    cached("figure", compute)
    get_user_model().objects.create_user("someone")
    ImportRecordFactory()
    assert cached("figure", compute) == 1


def test_a_transaction_reads_its_own_changes_until_it_commits(django_capture_on_commit_callbacks):
    compute = Counter()
    cached("figure", compute)
    stored = lambda: set(CacheVersion.objects.filter(scope__in=["shared", "lists"]).values_list("token"))  # noqa: E731
    before = stored()
    with django_capture_on_commit_callbacks() as callbacks:
        registry_changed()
        # Not committed yet: other processes still read the old tokens, this one tokens of its own.
        assert stored() == before
        assert [cached("figure", compute), cached("figure", compute)] == [2, 2]
    callbacks[0]()
    assert stored().isdisjoint(before)
    assert [cached("figure", compute), cached("figure", compute)] == [3, 3]


def test_the_versions_live_in_the_database_so_every_process_sees_a_change():
    # Another process (a gunicorn worker, a shell) that commits a change writes a new token: nothing to tell
    # this process, whose next lookup reads the new token.
    compute = Counter()
    cached("figure", compute)
    CacheVersion.objects.filter(scope="lists").delete()
    CacheVersionFactory(scope="lists")
    assert cached("figure", compute) == 2


def test_tokens_are_read_for_any_scope_name_and_any_number_of_scopes():
    # On PostgreSQL the scopes travel as one text[] literal: quotes, backslashes, commas and braces stay themselves.
    odd = ['a "quoted", {braced} scope', "back\\slash", "city:42"]
    many = [f"country:{pk}" for pk in range(300)]
    for scope in [*odd, *many[::7]]:
        CacheVersionFactory(scope=scope, token=f"t-{scope}")
    assert versions(odd) == tuple(f"t-{scope}" for scope in odd)
    assert versions(many) == tuple(f"t-{scope}" if pk % 7 == 0 else "0" for pk, scope in enumerate(many))


def test_the_generation_survives_until_replaced():
    assert generation() == generation()
    assert versions(["never-changed"]) == ("0",)


@cache_page_until_changed(params={"page": "1", "sort": "name"})
def counted_page(request):
    counted_page.calls += 1
    if request.GET.get("sort") == "bad":
        dont_cache(request)
    return HttpResponse(f"page {counted_page.calls} {request.GET.urlencode()}")


@cache_page_until_changed
def missing_page(request):
    missing_page.calls += 1
    return HttpResponseNotFound("missing")


@pytest.fixture
def get():
    counted_page.calls = missing_page.calls = 0
    return RequestFactory().get


def test_a_cached_page_is_served_again_until_the_records_change(get, django_capture_on_commit_callbacks):
    assert counted_page(get("/page/")).content == b"page 1 "
    assert counted_page(get("/page/")).content == b"page 1 "
    assert counted_page(get("/page/?page=2")).content == b"page 2 page=2"
    with django_capture_on_commit_callbacks(execute=True):
        CityFactory()
    assert counted_page(get("/page/")).content == b"page 3 "


def test_the_page_key_holds_the_parameters_normalised(get):
    counted_page(get("/page/?sort=-name&page=2"))
    # Same page: other order, the default values spelled out or left empty, a number with a leading zero.
    for same in ["/page/?page=2&sort=-name", "/page/?page=02&sort=-name", "/page/?sort=-name&page=2"]:
        assert counted_page(get(same)).content == b"page 1 sort=-name&page=2"
    counted_page(get("/page/?page=1&sort=name"))
    assert counted_page(get("/page/")).content == b"page 2 page=1&sort=name"
    assert counted_page(get("/page/?page=&sort=")).content == b"page 2 page=1&sort=name"
    assert counted_page.calls == 2


def test_unknown_parameters_are_dropped_before_the_page_reads_them(get):
    assert counted_page(get("/page/?x=81723&page=2&utm_source=a")).content == b"page 1 page=2"
    assert counted_page(get("/page/?page=2&x=5")).content == b"page 1 page=2"
    assert counted_page(get("/page/?x=1")).content == b"page 2 "
    assert counted_page.calls == 2


def test_a_page_with_invalid_parameters_is_answered_but_not_kept(get):
    counted_page(get("/page/?sort=bad"))
    counted_page(get("/page/?sort=bad"))
    assert counted_page.calls == 2


@override_settings(PAGE_CACHE_MAX_BYTES=5)
def test_a_page_larger_than_the_bound_is_not_kept(get):
    counted_page(get("/page/"))
    counted_page(get("/page/"))
    assert counted_page.calls == 2


def test_only_successful_answers_to_reads_are_cached(get):
    missing_page(get("/missing/"))
    missing_page(get("/missing/"))
    assert missing_page.calls == 2


@pytest.mark.parametrize("method", ["post", "put", "delete", "trace"])
def test_other_methods_than_reads_get_405_without_rendering(method):
    counted_page.calls = 0
    response = counted_page(getattr(RequestFactory(), method)("/page/"))
    assert (response.status_code, response["Allow"]) == (405, "GET, HEAD, OPTIONS")
    assert counted_page.calls == 0


def test_options_answers_without_rendering():
    counted_page.calls = 0
    response = counted_page(RequestFactory().options("/page/"))
    assert (response.status_code, response["Allow"], response.content) == (200, "GET, HEAD, OPTIONS", b"")
    assert counted_page.calls == 0


def test_an_edit_to_one_city_refreshes_its_pages_and_the_lists_not_the_other_cities(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        edited, other = CityFactory(name="Sa Dec"), CityFactory(name="Son La")
        MembershipTermFactory(city=edited)
        MembershipTermFactory(city=other)
    pages = {city: reverse("network:city_detail", args=[city.slug]) for city in (edited, other)}
    for page in [*pages.values(), reverse("network:city_list")]:
        assert client.get(page).status_code == 200
    # Renamed without signals, the other city's profile shows whether it is still served from the cache.
    type(other).objects.filter(pk=other.pk).update(name="Son La (renamed quietly)")
    with django_capture_on_commit_callbacks(execute=True):
        edited.name = "Sa Đéc"
        edited.save()
    assert "Sa Đéc" in client.get(pages[edited]).content.decode()
    assert "renamed quietly" not in client.get(pages[other]).content.decode()
    assert "renamed quietly" in client.get(reverse("network:city_list")).content.decode()


def test_a_delegate_change_refreshes_the_pages_of_the_city_that_sent_them(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        delegate = DelegateFactory()
    scope = f"city:{delegate.delegation.city_id}"
    before = versions([scope, "participation", "lists", "shared"])
    with django_capture_on_commit_callbacks(execute=True):
        delegate.save()
    after = versions([scope, "participation", "lists", "shared"])
    # The lists of delegations ("participation"), not the lists of cities ("lists").
    assert [a != b for a, b in zip(before, after, strict=True)] == [True, True, False, False]


def test_a_delegate_change_leaves_the_lists_of_cities_cached_and_refreshes_the_others(
    client, django_capture_on_commit_callbacks, django_assert_num_queries
):
    city = CityFactory(name="Vinh")
    MembershipTermFactory(city=city, start_date=datetime.date(2020, 9, 23))
    with django_capture_on_commit_callbacks(execute=True):
        delegate = DelegateFactory(delegation__city=city, full_name="Nguyen Van A", published=True)
    conference = delegate.delegation.conference
    cities = ["/en/cities/", "/en/cities/?page=1&status=all", "/en/map/"]
    for url in [*cities, "/en/conferences/"]:
        client.get(url)
    with django_capture_on_commit_callbacks(execute=True):
        DelegateFactory(delegation=delegate.delegation, published=True)  # the conference now counts two
    for url in cities:
        with django_assert_num_queries(1):  # the cache versions: the page as kept
            assert client.get(url).status_code == 200
    listed = client.get("/en/conferences/")
    assert listed.context is not None  # drawn again, not answered from the cache
    assert [c.delegate_count for c in listed.context["conference_list"] if c.pk == conference.pk] == [2]


def test_a_page_is_cached_apart_in_each_language(client, django_assert_num_queries):
    city = CityFactory(name="Vinh")
    MembershipTermFactory(city=city, start_date=datetime.date(2020, 9, 23))
    english, french = client.get("/en/cities/"), client.get("/fr/cities/")
    assert '<html lang="en"' in english.text and '<html lang="fr"' in french.text
    with django_assert_num_queries(2):  # the cache versions, once a request: both answers come from the cache
        assert client.get("/fr/cities/").content == french.content
        assert client.get("/en/cities/").content == english.content


@pytest.mark.parametrize(
    "page", ["home", "network:city_list", "network:city_map", "conferences:conference_list", "network:award_list"]
)
def test_a_page_runs_the_same_queries_in_every_language(client, build_network, page):
    build_network(5)
    counts = {}
    for language in ("en", "fr", "es", "ar"):
        with translation.override(language):
            url = reverse(page)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts[language] = len(queries)
        new_generation()  # the next language renders afresh too, not from a cache another language filled
    assert len(set(counts.values())) == 1, counts


@cache_page_until_changed(params={"size": "10", "noise": ""})
def sized_page(request):
    sized_page.calls += 1
    size = int(request.GET["size"])
    return HttpResponse(os.urandom(size) if request.GET.get("noise") else b"<td>x</td>" * (size // 10))


@pytest.mark.parametrize(("query", "kept"), [("size=2000", True), ("noise=1&size=2000", False)])
def test_a_large_page_is_kept_compressed_and_bounded_as_kept(get, monkeypatch, settings, query, kept):
    monkeypatch.setattr("core.cache.COMPRESS_ABOVE", 100)
    settings.PAGE_CACHE_MAX_BYTES = 1000  # 2,000 bytes of <td>x</td> compress to some 30; random bytes do not
    sized_page.calls = 0
    first, again = sized_page(get(f"/sized/?{query}")), sized_page(get(f"/sized/?{query}"))
    assert sized_page.calls == (1 if kept else 2)
    assert len(again.content) == 2000
    if kept:
        assert again.content == first.content
