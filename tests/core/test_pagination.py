import pytest
from django.db import connection
from django.http import Http404
from django.test import RequestFactory

from core.pagination import CachedCountPaginator, EstimatedCountPaginator, paginate
from network.models import City
from tests.network.factories import CityFactory


def test_paginate_returns_the_page_asked_for():
    page = paginate(RequestFactory().get("/", {"page": "2"}), list(range(25)), 10)
    assert list(page.object_list) == list(range(10, 20))


@pytest.mark.parametrize("number", ["4", "0", "x"])
def test_paginate_answers_a_missing_page_with_a_clear_404(number):
    with pytest.raises(Http404, match=f"There is no page “{number}” of this list: it has 3 pages."):
        paginate(RequestFactory().get("/", {"page": number}), list(range(25)), 10)


# Counts that stay cheap ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_cached_count_is_counted_once_per_key_until_the_records_change(django_assert_num_queries):
    CityFactory.create_batch(3)
    request = RequestFactory().get("/", {"page": "2"})
    # The cache versions, then the count; the page's rows are read when shown.
    with django_assert_num_queries(2):
        assert paginate(request, City.objects.order_by("pk"), 2, count_key="cities").paginator.count == 3
    with django_assert_num_queries(2):  # the versions and the rows
        page = paginate(request, City.objects.order_by("pk"), 2, count_key="cities")
        assert len(page.object_list) == 1
    CityFactory()
    assert paginate(request, City.objects.order_by("pk"), 2, count_key="cities").paginator.count == 4


@pytest.mark.django_db
def test_a_cached_count_can_count_a_cheaper_queryset_of_the_same_rows(django_assert_num_queries):
    CityFactory.create_batch(3)
    paginator = CachedCountPaginator(City.objects.values_list("name"), 2, key="names", counted=City.objects.all())
    with django_assert_num_queries(2) as captured:  # the cache versions, then the count
        assert paginator.count == 3
    assert "name" not in captured.captured_queries[1]["sql"]


@pytest.mark.django_db
def test_a_known_count_is_neither_counted_nor_cached(django_assert_num_queries):
    CityFactory.create_batch(3)
    paginator = CachedCountPaginator(City.objects.order_by("pk"), 2, key="known", known_count=7)
    with django_assert_num_queries(0):
        assert (paginator.count, paginator.num_pages) == (7, 4)
    assert CachedCountPaginator(City.objects.order_by("pk"), 2, key="known").count == 3  # the 7 was not kept


class SmallLimitPaginator(EstimatedCountPaginator):
    exact_limit = 3


def analyse(model):
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {model._meta.db_table}")


@pytest.mark.django_db
def test_estimated_count_of_a_filtered_list_is_exact_up_to_its_limit():
    CityFactory.create_batch(3)
    assert SmallLimitPaginator(City.objects.filter(name__startswith="City"), 2).count == 3


@pytest.mark.django_db
def test_estimated_count_is_exact_on_sqlite_however_large(django_assert_num_queries):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite keeps no row estimate: there the count is always exact")
    CityFactory.create_batch(5)
    assert SmallLimitPaginator(City.objects.all(), 2).count == 5


@pytest.mark.django_db
def test_estimated_count_of_a_large_table_reads_postgresqls_statistics_not_the_rows(django_assert_num_queries):
    if connection.vendor != "postgresql":
        pytest.skip("row estimates are PostgreSQL's")
    CityFactory.create_batch(8)
    analyse(City)
    with django_assert_num_queries(1) as captured:
        assert SmallLimitPaginator(City.objects.all(), 2).count == 8  # the estimate, right after ANALYZE
    assert "COUNT" not in captured.captured_queries[0]["sql"].upper()


@pytest.mark.django_db
def test_estimated_count_of_a_large_filtered_list_asks_the_planner(django_assert_num_queries):
    if connection.vendor != "postgresql":
        pytest.skip("planner estimates are PostgreSQL's")
    CityFactory.create_batch(8)
    analyse(City)
    with django_assert_num_queries(2) as captured:
        # Counting stops past the limit, then the planner estimates the rest.
        assert SmallLimitPaginator(City.objects.filter(name__startswith="City"), 2).count >= 4
    capped, explained = (query["sql"] for query in captured.captured_queries)
    assert "LIMIT 4" in capped
    assert explained.startswith("EXPLAIN")
