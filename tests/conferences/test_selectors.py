import pytest

from conferences.models import Delegate
from conferences.selectors import (
    FIRST_ROLE,
    conference_counts,
    delegation_matrix_rows,
    participating_cities,
    participation_by_country,
    with_conference_counts,
)
from core.cache import registry_changed
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


def counted(conference) -> tuple[int, int, int, int]:
    figures = conference_counts([conference.pk])[conference.pk]
    return tuple(figures[name] for name in ("delegation_count", "city_count", "country_count", "delegate_count"))


def test_an_edit_recounts_its_conference_and_keeps_the_others(django_assert_num_queries):
    iclc6, iclc7 = ConferenceFactory(number=6), ConferenceFactory(number=7)
    DelegationFactory(conference=iclc6)
    DelegationFactory(conference=iclc7)
    conference_counts([iclc6.pk, iclc7.pk])
    delegate = DelegateFactory(delegation__conference=iclc6)
    with django_assert_num_queries(3):  # the tokens, then the two counting queries for ICLC 6 alone
        counts = conference_counts([iclc6.pk, iclc7.pk])
    assert (counts[iclc6.pk]["delegate_count"], counts[iclc7.pk]["delegate_count"]) == (1, 0)
    delegate.delete()
    assert counted(iclc6)[3] == 0


def test_moving_a_delegation_or_delegate_recounts_both_conferences():
    iclc6, iclc7 = ConferenceFactory(number=6), ConferenceFactory(number=7)
    delegation = DelegationFactory(conference=iclc6)
    delegate = DelegateFactory(delegation=delegation)
    other = DelegationFactory(conference=iclc7)
    assert (counted(iclc6), counted(iclc7)) == ((1, 1, 1, 1), (1, 1, 1, 0))
    delegate.delegation = other
    delegate.save()
    assert (counted(iclc6)[3], counted(iclc7)[3]) == (0, 1)
    delegation.conference = iclc7
    delegation.save()
    assert (counted(iclc6), counted(iclc7)) == ((0, 0, 0, 0), (2, 2, 2, 1))


def test_a_city_moved_to_another_country_recounts_the_countries_of_its_conferences():
    iclc6 = ConferenceFactory(number=6)
    first, second = DelegationFactory(conference=iclc6), DelegationFactory(conference=iclc6)
    assert first.city.country_id != second.city.country_id
    assert counted(iclc6)[2] == 2
    city = type(first.city).objects.get(pk=first.city_id)
    city.country = second.city.country
    city.save()
    assert counted(iclc6)[2] == 1


def test_a_bulk_write_recounts_every_conference():
    iclc6 = ConferenceFactory(number=6)
    delegation = DelegationFactory(conference=iclc6)
    assert counted(iclc6)[3] == 0
    DelegateFactory._meta.model.objects.bulk_create([DelegateFactory.build(delegation=delegation)])
    assert counted(iclc6)[3] == 0  # kept: nothing said the records changed
    registry_changed()
    assert counted(iclc6)[3] == 1


def sent(conference, city) -> tuple:
    return tuple(participation_by_country([conference.pk])[conference.pk].get(city.country_id, ()))


def test_participation_follows_terms_roles_and_country_moves(django_assert_num_queries):
    iclc6, iclc7 = ConferenceFactory(number=6), ConferenceFactory(number=7)
    delegation = DelegationFactory(conference=iclc6)
    delegate = DelegateFactory(delegation=delegation, role=Delegate.Role.POLICYMAKER)
    DelegationFactory(conference=iclc7)
    roles = [value for value, _label in Delegate.Role.choices]
    policymakers = roles.index(Delegate.Role.POLICYMAKER)
    first = sent(iclc6, delegation.city)
    assert first[:3] == (1, 0, 1) and first[FIRST_ROLE + policymakers] == 1
    term = MembershipTermFactory(city=delegation.city)  # a member since 2020: so at ICLC 6 in 2024
    assert sent(iclc6, delegation.city)[:3] == (1, 1, 1)
    participation_by_country([iclc7.pk])
    with django_assert_num_queries(1):  # both kept: the tokens only
        participation_by_country([iclc6.pk, iclc7.pk])
    delegate.role = Delegate.Role.RESEARCHER
    delegate.save()
    assert sent(iclc6, delegation.city)[FIRST_ROLE + roles.index(Delegate.Role.RESEARCHER)] == 1
    term.delete()
    assert sent(iclc6, delegation.city)[1] == 0
    city = type(delegation.city).objects.get(pk=delegation.city_id)
    old_country, city.country = city.country, CityFactory().country
    city.save()
    assert sent(iclc6, city)[0] == 1
    assert participation_by_country([iclc6.pk])[iclc6.pk].get(old_country.pk) is None


def test_participation_of_a_conference_nobody_came_to_is_empty():
    iclc6 = ConferenceFactory(number=6)
    assert participation_by_country([iclc6.pk]) == {iclc6.pk: {}}
