import pytest

from conferences.selectors import (
    conference_counts,
    delegation_matrix_rows,
    participating_cities,
    with_conference_counts,
)
from tests.conferences.factories import ConferenceFactory, DelegateFactory, DelegationFactory
from tests.network.factories import CityFactory, MembershipTermFactory

pytestmark = pytest.mark.django_db


def test_participating_cities_are_those_with_a_delegation():
    delegation = DelegationFactory()
    CityFactory()
    assert list(participating_cities()) == [delegation.city]


@pytest.mark.parametrize("size", [5, 50])
def test_delegation_matrix_rows_take_one_query(django_assert_num_queries, size):
    conferences = [ConferenceFactory() for _ in range(3)]
    cities = [MembershipTermFactory().city for _ in range(size)]
    for city in cities:
        DelegationFactory(city=city, conference=conferences[1])
    with django_assert_num_queries(1):
        rows = delegation_matrix_rows(cities=cities, conferences=conferences)
    assert [[cell.attended for cell in row.cells] for row in rows] == [[False, True, False]] * size
    assert all(row.cells[1].was_member for row in rows)


def test_conferences_get_the_counts_with_counts_would_annotate_read_once(django_assert_num_queries):
    iclc6, iclc7 = ConferenceFactory(number=6), ConferenceFactory(number=7)
    DelegateFactory.create_batch(2, delegation=DelegationFactory(conference=iclc6))
    with django_assert_num_queries(3):  # the cache versions, then the counts
        with_conference_counts([iclc6, iclc7])
    assert (iclc6.delegation_count, iclc6.city_count, iclc6.delegate_count) == (1, 1, 2)
    assert (iclc7.delegation_count, iclc7.delegate_count) == (0, 0)
    with django_assert_num_queries(1):  # the cache versions only: the counts are kept
        assert conference_counts([iclc7.pk, iclc6.pk])[iclc6.pk]["delegate_count"] == 2
