"""What the conferences app makes stale when records change (conferences/apps.py): what it must refresh, and what
it may leave cached because it cannot have changed."""

import datetime

import pytest

from conferences.models import Delegation
from core.cache import versions
from tests.conferences.factories import ConferenceFactory, DelegateFactory, DelegationFactory
from tests.network.factories import CityFactory, MembershipTermFactory

pytestmark = pytest.mark.django_db

D = datetime.date


def bumped(scopes, change, capture) -> list[bool]:
    """For each scope, whether `change` (run in a transaction that commits) gave it a new token."""
    before = versions(scopes)
    with capture(execute=True):
        change()
    return [a != b for a, b in zip(before, versions(scopes), strict=True)]


def test_a_delegate_change_refreshes_its_city_and_conference_not_its_country_or_region(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        delegate = DelegateFactory(published=True)
    city, conference = delegate.delegation.city, delegate.delegation.conference
    scopes = [f"city:{city.pk}", f"conference:{conference.pk}", f"country:{city.country_id}"]
    scopes.append(f"region:{city.country.region_id}")

    def withdraw():
        delegate.is_public = False
        delegate.save()

    # The country's and region's pages count the cities that sent a delegation, never delegates.
    assert bumped(scopes, withdraw, django_capture_on_commit_callbacks) == [True, True, False, False]
    assert bumped(scopes, delegate.delete, django_capture_on_commit_callbacks) == [True, True, False, False]


def test_a_delegate_moved_to_another_delegation_refreshes_the_city_and_conference_it_left(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        delegate = DelegateFactory()
        other = DelegationFactory()
    left = delegate.delegation
    scopes = [f"city:{left.city_id}", f"conference:{left.conference_id}"]
    scopes += [f"city:{other.city_id}", f"conference:{other.conference_id}"]

    def move():
        delegate.delegation = other
        delegate.save()

    assert bumped(scopes, move, django_capture_on_commit_callbacks) == [True, True, True, True]


def test_a_delegation_change_still_refreshes_its_country_and_region(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        delegation = DelegationFactory()
    city = delegation.city
    scopes = [f"city:{city.pk}", f"country:{city.country_id}", f"region:{city.country.region_id}"]
    assert bumped(scopes, delegation.delete, django_capture_on_commit_callbacks) == [True, True, True]


def member_status(delegation) -> bool:
    return Delegation.objects.with_member_status().get(pk=delegation.pk).city_was_member


# (the term's start and end before, after; None for a term added or deleted), and whether the conference of 3-5
# December 2024 (or one with no dates) shows the city's member status afresh.
TERM_CHANGES = [
    pytest.param(None, (D(2026, 12, 1), None), False, id="added today: past conferences stay cached"),
    pytest.param(None, (D(2020, 1, 1), None), True, id="added, covering the conference"),
    pytest.param(None, (None, None), True, id="added, no dates recorded: covers every day"),
    pytest.param(None, (D(2024, 12, 5), D(2025, 6, 30)), True, id="added, from its last day"),
    pytest.param(None, (D(2020, 1, 1), D(2024, 12, 2)), False, id="added, ending the day before it"),
    pytest.param((D(2020, 1, 1), None), (D(2020, 1, 1), D(2024, 6, 30)), True, id="ended before it"),
    pytest.param((D(2020, 1, 1), D(2022, 1, 1)), (D(2020, 1, 1), D(2023, 1, 1)), False, id="moved, never covering"),
    pytest.param((D(2025, 1, 1), None), (D(2024, 1, 1), None), True, id="start moved back to cover it"),
    pytest.param((D(2024, 1, 1), None), None, True, id="deleted, it covered the conference"),
    pytest.param((D(2025, 1, 1), None), None, False, id="deleted, it began after"),
]


@pytest.mark.parametrize(("was", "now", "refreshed"), TERM_CHANGES)
@pytest.mark.parametrize("dated", [True, False], ids=["dated conference", "undated conference"])
def test_a_term_change_refreshes_the_conferences_whose_member_status_it_can_change(
    django_capture_on_commit_callbacks, was, now, refreshed, dated
):
    city = CityFactory()
    conference = ConferenceFactory() if dated else ConferenceFactory(start_date=None, end_date=None)
    with django_capture_on_commit_callbacks(execute=True):
        delegation = DelegationFactory(city=city, conference=conference)
        term = MembershipTermFactory(city=city, start_date=was[0], end_date=was[1]) if was else None
    status_before = member_status(delegation)

    def change():
        nonlocal term
        if now is None:
            term.delete()
        elif term is None:
            term = MembershipTermFactory(city=city, start_date=now[0], end_date=now[1])
        else:
            term.start_date, term.end_date = now
            term.save()

    [fresh] = bumped([f"conference:{conference.pk}"], change, django_capture_on_commit_callbacks)
    # Whatever the rule, a change of the status shown must refresh the page.
    assert fresh or member_status(delegation) == status_before
    # A conference with no dates is covered only by a term with no dates at all.
    expected = refreshed if dated else (was == (None, None) or now == (None, None))
    assert fresh == expected


def test_a_term_moved_to_another_city_refreshes_the_conferences_of_both(django_capture_on_commit_callbacks):
    conference = ConferenceFactory()
    with django_capture_on_commit_callbacks(execute=True):
        left, joined = DelegationFactory(conference=conference), DelegationFactory(conference=ConferenceFactory())
        term = MembershipTermFactory(city=left.city, start_date=D(2020, 1, 1), end_date=None)
    scopes = [f"conference:{left.conference_id}", f"conference:{joined.conference_id}"]

    def move():
        term.city = joined.city
        term.save()

    assert bumped(scopes, move, django_capture_on_commit_callbacks) == [True, True]
