import pytest

from tests.conferences.factories import DelegateFactory
from tests.network.factories import MembershipTermFactory


@pytest.mark.django_db
def test_factories_build_a_member_city_with_a_delegate():
    term = MembershipTermFactory()
    delegate = DelegateFactory(delegation__city=term.city)
    assert delegate.delegation.city.membership_terms.get() == term
