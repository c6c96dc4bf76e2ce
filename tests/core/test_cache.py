import datetime

import pytest
from django.contrib.auth import get_user_model
from django.http import HttpResponse, HttpResponseNotFound
from django.test import RequestFactory

from core.cache import cache_page_until_changed, cached, generation, new_generation, registry_changed
from tests.conferences.factories import DelegationFactory, SessionFactory
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


def test_cached_computes_once_until_the_records_change():
    compute = Counter()
    assert [cached("figure", compute), cached("figure", compute)] == [1, 1]
    new_generation()
    assert cached("figure", compute) == 2


def test_cached_keeps_apart_names_and_parts():
    compute = Counter()
    assert [cached("a", compute, "x"), cached("a", compute, "y"), cached("b", compute, "x")] == [1, 2, 3]
    assert cached("a", compute, "y") == 2


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
    ],
)
def test_a_change_to_any_record_makes_the_cached_figures_stale(records, change):
    existing = records()
    compute = Counter()
    cached("figure", compute)
    change(existing)
    assert cached("figure", compute) == 2


def test_changes_outside_the_records_keep_the_cache():
    compute = Counter()
    cached("figure", compute)
    get_user_model().objects.create_user("someone")
    ImportRecordFactory()
    assert cached("figure", compute) == 1


def test_a_change_makes_the_cache_stale_again_once_committed(django_capture_on_commit_callbacks):
    # Another request may fill the cache from the rows as they were before the commit: the second new
    # generation, after the commit, makes that entry stale too.
    with django_capture_on_commit_callbacks() as callbacks:
        registry_changed()
        during = generation()
    assert len(callbacks) == 1
    callbacks[0]()
    assert generation() != during


def test_the_generation_survives_until_replaced():
    assert generation() == generation()


@cache_page_until_changed
def counted_page(request):
    counted_page.calls += 1
    return HttpResponse(f"page {counted_page.calls}")


@cache_page_until_changed
def missing_page(request):
    missing_page.calls += 1
    return HttpResponseNotFound("missing")


def test_a_cached_page_is_served_again_until_the_records_change():
    counted_page.calls = 0
    get = RequestFactory().get
    assert counted_page(get("/page/")).content == b"page 1"
    assert counted_page(get("/page/")).content == b"page 1"
    assert counted_page(get("/page/?other=1")).content == b"page 2"
    CityFactory()
    assert counted_page(get("/page/")).content == b"page 3"


def test_only_successful_answers_to_reads_are_cached():
    missing_page.calls = counted_page.calls = 0
    missing_page(RequestFactory().get("/missing/"))
    missing_page(RequestFactory().get("/missing/"))
    counted_page(RequestFactory().post("/page/"))
    counted_page(RequestFactory().post("/page/"))
    assert (missing_page.calls, counted_page.calls) == (2, 2)
