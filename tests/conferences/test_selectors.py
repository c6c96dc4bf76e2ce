import pytest

from conferences.selectors import delegation_matrix_rows, participating_cities
from tests.conferences.factories import ConferenceFactory, DelegationFactory
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
